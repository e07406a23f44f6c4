/**
 * Where a record's image comes from. Records name images in many ways; this turns each into
 * one of three sources (a local file, an http(s) URL, bytes already in hand) without reading
 * anything, so reading a record stays cheap until the image is needed.
 *
 * Accepted, in any record shape:
 * - a path; a relative one is tried against the input file's folder, then `imageRoot`, then the
 *   working directory (the official example input gives paths relative to its repository's
 *   root, `./examples/...`): `"img/cat.jpg"`
 * - a `file://` URL, an `http://` or `https://` URL
 * - base64 of image bytes, or a `data:image/...;base64,` URL
 * - a Hugging Face image struct `{bytes, path}`: `bytes` as a Uint8Array, base64 text or the
 *   `{type: 'Buffer', data: [...]}` object that JSON.stringify makes of a Node Buffer; when
 *   `bytes` is empty or null, `path` is used as above.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RlaifvError } from '../util/errors.ts';

export type ImageSource =
  /** A local file; a relative path that other base folders would resolve differently has `fallbacks`, tried in order when `path` does not exist. */
  | { kind: 'file'; path: string; fallbacks?: string[] }
  | { kind: 'http'; url: string }
  | { kind: 'inline'; bytes: Uint8Array; what: string };

/** A field that names no usable image; `field` is relative to the image field (`''` or `'bytes'`). */
export class ImageSpecError extends RlaifvError {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'ImageSpecError';
  }
}

// Base64 of a PNG starts with the signature \x89PNG\r\n\x1a\n; of a JPEG with FF D8 FF.
const BASE64_PNG = 'iVBORw0KGgo';
const BASE64_JPEG = '/9j/';
const BASE64_CHARS = /^[A-Za-z0-9+/=\r\n]+$/;

/** The folders a relative path is tried against, in order (one folder, or several). */
export type BaseDirs = string | readonly string[];

/**
 * Classify an image field without touching disk or network.
 * `imageSpecToSource('a.png', '/data')` → `{kind: 'file', path: '/data/a.png'}`;
 * `imageSpecToSource('a.png', ['/data', '/cwd'])` → `{kind: 'file', path: '/data/a.png', fallbacks: ['/cwd/a.png']}`.
 */
export function imageSpecToSource(spec: unknown, baseDir: BaseDirs): ImageSource {
  if (typeof spec === 'string') return stringToSource(spec, baseDir);
  if (spec instanceof Uint8Array) return inline(spec, 'image bytes');
  if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
    const { bytes, path } = spec as { bytes?: unknown; path?: unknown };
    if (!('bytes' in spec) && !('path' in spec)) {
      throw new ImageSpecError('', `is an object without 'bytes' or 'path'; give a path, a URL, base64, or a {bytes, path} struct`);
    }
    const data = bytesField(bytes);
    if (data && data.length > 0) return inline(data, 'image.bytes');
    if (typeof path === 'string' && path.trim() !== '') return stringToSource(path, baseDir, 'path');
    throw new ImageSpecError('', `has neither bytes nor a path (bytes ${describe(bytes)}, path ${describe(path)}); fill one of them`);
  }
  throw new ImageSpecError('', `must be a path, URL, base64 string or {bytes, path} struct, got ${describe(spec)}`);
}

function stringToSource(text: string, baseDir: BaseDirs, field = ''): ImageSource {
  const s = text.trim();
  if (s === '') throw new ImageSpecError(field, 'is an empty string; give a path, URL or base64 image');
  if (/^data:/i.test(s)) {
    const m = /^data:image\/[a-z0-9.+-]+;base64,(.*)$/is.exec(s);
    if (!m) throw new ImageSpecError(field, `is a data URL but not 'data:image/<type>;base64,<data>' ('${s.slice(0, 40)}...')`);
    return inline(base64ToBytes(m[1]!, field), 'data URL');
  }
  if (/^file:\/\//i.test(s)) return { kind: 'file', path: fileURLToPath(s) };
  if (/^https?:\/\//i.test(s)) return { kind: 'http', url: s };
  // A real path this long with no dot is implausible; anything else long in the base64
  // alphabet is taken as base64 and fails at decode with a clear "not a ... image".
  if (BASE64_CHARS.test(s) && (s.startsWith(BASE64_PNG) || s.startsWith(BASE64_JPEG) || s.length > 256)) {
    return inline(base64ToBytes(s, field), 'base64 image');
  }
  if (isAbsolute(s)) return { kind: 'file', path: s };
  const dirs = typeof baseDir === 'string' ? [baseDir] : baseDir;
  const [path = resolve(s), ...fallbacks] = [...new Set(dirs.map((dir) => resolve(dir, s)))];
  return { kind: 'file', path, ...(fallbacks.length > 0 && { fallbacks }) };
}

function bytesField(bytes: unknown): Uint8Array | undefined {
  if (bytes === undefined || bytes === null) return undefined;
  if (bytes instanceof Uint8Array) return bytes;
  if (typeof bytes === 'string') return bytes === '' ? undefined : base64ToBytes(bytes, 'bytes');
  if (Array.isArray(bytes)) return numbersToBytes(bytes);
  if (typeof bytes === 'object' && (bytes as { type?: unknown }).type === 'Buffer') {
    const data = (bytes as { data?: unknown }).data;
    if (Array.isArray(data)) return numbersToBytes(data);
  }
  throw new ImageSpecError('bytes', `must be binary, base64 text or {type: 'Buffer', data: [...]}, got ${describe(bytes)}`);
}

function numbersToBytes(values: unknown[]): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) {
      throw new ImageSpecError('bytes', `byte ${i} is ${describe(v)}, not an integer 0-255`);
    }
    out[i] = v;
  }
  return out;
}

function base64ToBytes(text: string, field: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean)) {
    throw new ImageSpecError(field, `is not valid base64 (starts '${clean.slice(0, 24)}...')`);
  }
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

function inline(bytes: Uint8Array, what: string): ImageSource {
  return { kind: 'inline', bytes, what };
}

/** A short, safe description of a value for messages: never dumps megabytes of base64. */
export function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
