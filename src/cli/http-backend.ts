/** Bridge from the CLI to the HTTP backend (kept apart so checkpoint-only commands never load the SDK). */
import type { ModelBackend } from '../backend/types.ts';

/** Connect and probe: a server that lacks a needed capability fails here, before any work. */
export async function openHttpBackend(baseUrls: string[], model?: string): Promise<ModelBackend> {
  const http = await import('../backend/http/index.ts');
  return http.openHttpBackend(http.parseHttpSettings({ baseUrls, ...(model && { model }) }, '--model'));
}
