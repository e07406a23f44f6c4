/**
 * `--model DIR|URL` -> a ModelBackend: a checkpoint folder runs in-process, an http(s) URL is an
 * OpenAI-compatible server's base URL (e.g. http://127.0.0.1:8000/v1).
 */
import { existsSync } from 'node:fs';
import type { ModelBackend } from '../backend/types.ts';
import { UserError } from './errors.ts';
import { isUrl } from './options.ts';

export interface BackendOptions {
  /** Served model name; discovered from /v1/models when absent. */
  modelName?: string;
}

export async function openBackend(spec: string, options: BackendOptions = {}): Promise<ModelBackend> {
  if (isUrl(spec)) {
    const { openHttpBackend } = await import('./http-backend.ts');
    return openHttpBackend(spec.split(','), options.modelName);
  }
  if (!existsSync(spec)) throw new UserError(`--model ${spec}: no such checkpoint folder (or give an http:// URL of an OpenAI-compatible server)`);
  const { initEngine } = await import('../tensor/tf.ts');
  const { loadCheckpoint } = await import('../model/index.ts');
  await initEngine();
  return loadCheckpoint(spec);
}
