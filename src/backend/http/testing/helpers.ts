/** Shared bits of the HTTP backend's tests: fast settings and a tiny image. */
import type { RgbImage } from '../../../image/rgb.ts';
import { parseHttpSettings, type HttpBackendSettings } from '../settings.ts';

/** Settings with tiny back-offs and a short time-out, so retry tests take milliseconds. */
export function fastSettings(baseUrls: string | string[], extra: Record<string, unknown> = {}): HttpBackendSettings {
  return parseHttpSettings({ baseUrls, backoffBaseMs: 1, backoffMaxMs: 5, timeoutMs: 2000, ...extra });
}

export const TINY_IMAGE: RgbImage = { width: 2, height: 2, data: new Uint8Array(12).fill(200) };
