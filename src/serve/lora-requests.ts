/**
 * The bodies of vLLM's runtime LoRA routes and the checks on what they ask the server to read.
 * `lora_path` names a folder on the server's disk, so it is the one input of this server that
 * reaches the file system: on loopback the clients are this machine's users (vLLM trusts them
 * too); beyond it, every path must lie inside `loraRoot` after symlinks are resolved.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../util/errors.ts';
import { VllmError } from './errors.ts';
import type { ServeSettings } from './settings.ts';

export interface LoadLoraRequest {
  name: string;
  path: string;
  /** vLLM's `load_inplace`: replace an adapter of that name instead of refusing. */
  inPlace: boolean;
}

/** What `rlaifv dpo` (and every embedded checkpoint) writes; an adapter folder must hold all three. */
export const CHECKPOINT_FILES = ['model.safetensors', 'config.json', 'vocab.json'] as const;

/** Adapter names: what a client sends as `model`; plain enough for a URL path, a log line and a file name. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;
export const MAX_NAME_LENGTH = 128;
const MAX_PATH_LENGTH = 4096;

const invalid = (message: string) => new VllmError(400, message, 'InvalidUserInput');

function field(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(`'${key}' must be a string, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  return value;
}

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid(`the request body must be a JSON object, got ${Array.isArray(body) ? 'an array' : body === null ? 'null' : typeof body}`);
  }
  return body as Record<string, unknown>;
}

function rejectUnknown(body: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(body).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw invalid(`unknown field ${unknown.map((k) => `'${k}'`).join(', ')}; this route takes ${known.join(', ')}`);
}

/** An adapter name a client may use: `checkName('rlaifv-round-2')`; a 400 naming the rule otherwise. */
export function checkName(name: string): string {
  if (name.length > MAX_NAME_LENGTH) throw invalid(`'lora_name' is ${name.length} characters long; at most ${MAX_NAME_LENGTH}`);
  if (!NAME.test(name)) {
    throw invalid(`'lora_name' ${JSON.stringify(name)} may hold only letters, digits and . _ : / - (starting with a letter or digit)`);
  }
  return name;
}

/**
 * `{"lora_name", "lora_path", "load_inplace"?}` -> a load request; 400s in vLLM's words where vLLM has them.
 * Example: `parseLoadRequest({ lora_name: 'r1', lora_path: '/ckpt/r1' })` -> `{ name: 'r1', path: '/ckpt/r1', inPlace: false }`.
 */
export function parseLoadRequest(raw: unknown): LoadLoraRequest {
  const body = asObject(raw);
  rejectUnknown(body, ['lora_name', 'lora_path', 'load_inplace']);
  const name = field(body, 'lora_name');
  const path = field(body, 'lora_path');
  if (name === undefined || path === undefined) throw invalid("Both 'lora_name' and 'lora_path' must be provided.");
  const inPlace = body['load_inplace'] ?? false;
  if (typeof inPlace !== 'boolean') throw invalid(`'load_inplace' must be true or false, got ${JSON.stringify(inPlace)}`);
  if (path.length > MAX_PATH_LENGTH || path.includes('\0')) throw invalid(`'lora_path' must be a folder path of at most ${MAX_PATH_LENGTH} characters without NUL`);
  return { name: checkName(name), path, inPlace };
}

/** `{"lora_name"}` (vLLM also takes `lora_int_id`, which this server has no use for) -> the name. */
export function parseUnloadRequest(raw: unknown): string {
  const body = asObject(raw);
  rejectUnknown(body, ['lora_name', 'lora_int_id']);
  const name = field(body, 'lora_name');
  if (name === undefined) throw invalid("'lora_name' needs to be provided to unload a LoRA adapter.");
  return name;
}

/** Loopback names and addresses: a server bound to one is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** The folder adapters must lie in: as the settings give it (absolute) and with its symlinks resolved. */
export interface AdapterRoot {
  given: string;
  real: string;
}

/**
 * The adapter settings checked once, when the server starts: loading on a host other than loopback
 * needs a root, and the root must be a folder.
 * Example: `loraRoot({ allowLoraLoading: true, host: '0.0.0.0', loraRoot: '/srv/adapters' })` -> `{ given: '/srv/adapters', real: '/srv/adapters' }`.
 */
export function loraRoot(settings: Pick<ServeSettings, 'allowLoraLoading' | 'host' | 'loraRoot'>): AdapterRoot | undefined {
  const { allowLoraLoading, host, loraRoot: root } = settings;
  if (allowLoraLoading && root === undefined && !isLoopbackHost(host)) {
    throw new ConfigError(
      `serve: adapter loading (--allow-lora-loading or VLLM_ALLOW_RUNTIME_LORA_UPDATING) on host ${host} would let any client that reaches it make the server read any folder; `
        + 'give --lora-root DIR (the folder the adapters are written to), or bind --host 127.0.0.1',
      'loraRoot',
    );
  }
  if (root === undefined) return undefined;
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new ConfigError(`serve: --lora-root ${root}: no such folder`, 'loraRoot');
  return { given: resolve(root), real: realpathSync(root) };
}

const inside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
};

/**
 * The folder to load for a `lora_path`: resolved against the server's working folder (as vLLM),
 * inside `root` when there is one (checked on the path as written, then with symlinks resolved, for
 * the folder and each file read, so a link cannot lead out), and holding a checkpoint's files.
 * Returns the real path; every refusal is a 400 that names the path and what is wrong.
 */
export function adapterFolder(path: string, root: AdapterRoot | undefined): string {
  const outside = () => invalid(`'lora_path' ${path} is outside the adapter root ${root!.given}; write adapters under it (setting loraRoot)`);
  const absolute = resolve(path);
  // Checked before touching the disk, so that a client learns nothing about folders outside the root.
  if (root !== undefined && !inside(root.given, absolute) && !inside(root.real, absolute)) throw outside();
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch {
    throw invalid(`'lora_path' ${path}: No adapter found (no such folder); give the checkpoint folder that rlaifv dpo wrote, as a path on the server's machine`);
  }
  if (root !== undefined && !inside(root.real, real)) throw outside();
  if (!statSync(real).isDirectory()) throw invalid(`'lora_path' ${path} is a file; give the checkpoint folder that holds ${CHECKPOINT_FILES.join(', ')}`);
  const missing = CHECKPOINT_FILES.filter((f) => !existsSync(join(real, f)));
  if (missing.length > 0) {
    throw invalid(`'lora_path' ${path} is not a checkpoint folder: ${missing.join(', ')} missing (a checkpoint holds ${CHECKPOINT_FILES.join(', ')}, as rlaifv dpo writes)`);
  }
  if (root !== undefined && CHECKPOINT_FILES.some((f) => !inside(root.real, realpathSync(join(real, f))))) throw outside();
  return real;
}
