/**
 * The one way rlaifv opens a model and names it: `--model DIR|URL` -> a backend, an identity and a
 * close function. A checkpoint folder runs in-process; an http(s) URL is an OpenAI-compatible
 * server's base URL (comma-separated: replicas of one model).
 *
 * The identity keys the run store's cached calls, so it must change exactly when the answers can:
 * a checkpoint is its weights' fingerprint (a folder retrained in place gets a new one, and
 * `generate` and `align` give one checkpoint the same identity, so they share cached calls); a
 * server is the name of the model it serves.
 *
 * Each branch is imported when taken, so a URL never loads TF.js and a checkpoint never loads the
 * HTTP client.
 */
import { existsSync } from 'node:fs';
import type { BackendCapability, BackendWith, ChatModel, ModelBackend } from '../backend/types.ts';
import type { ProbeNeeds } from '../backend/http/index.ts';
import { RlaifvError } from '../util/errors.ts';
import type { EmbeddedModel } from './infer.ts';

export interface OpenModelOptions<N extends BackendCapability> {
  /** The flag the spec came from, without dashes ('model', 'policy', 'labeler'): errors name it. */
  role: string;
  /** The capabilities the caller will use; a server lacking one fails here, naming it and the fix. */
  needs: readonly N[];
  /** A server's model (or LoRA adapter) name; default: the one GET /v1/models lists. Not used for a checkpoint, which is named after its folder. */
  modelName?: string;
}

export interface OpenedModel<B> {
  backend: B;
  /** What the run store keys this model's calls by: a checkpoint's weights fingerprint, a server's model name. */
  id: string;
  /** Release what opening took (the checkpoint's tensors, the server connections). */
  close(): Promise<void>;
  /** For a server: what the start-up check found, one line per replica. */
  capabilities?: string[];
}

/** `isUrl('http://gpu1:8000/v1')`: an OpenAI-compatible server rather than a checkpoint folder. */
export function isUrl(spec: string): boolean {
  return /^https?:\/\//i.test(spec);
}

/**
 * Open a checkpoint folder or a server for the capabilities in `needs`.
 * @example
 * const policy = await openModel('models/policy-base', { role: 'policy', needs: ['generate'] });
 * await policy.backend.generate(requests, options); // policy.id: '9f2c…' (the weights' fingerprint)
 * await policy.close();
 */
export async function openModel<N extends BackendCapability>(spec: string, options: OpenModelOptions<N>): Promise<OpenedModel<BackendWith<N>>> {
  if (isUrl(spec)) return openServer(spec, options);
  if (!existsSync(spec)) throw new RlaifvError(`--${options.role} ${spec}: no such checkpoint folder (or give an http:// URL of an OpenAI-compatible server)`);
  const checkpoint = await openCheckpoint(spec);
  // A checkpoint has every capability, whatever `needs` asks for.
  const backend: ModelBackend = checkpoint.backend;
  return { ...checkpoint, backend };
}

/**
 * A checkpoint folder as an embedded model (every capability, and trainable), with the identity
 * every command gives it. `name` is what its candidates record as their model (default: the folder's name).
 * @example
 * const { backend: policy, id } = await openCheckpoint('models/policy-base', 'policy-base');
 */
export async function openCheckpoint(dir: string, name?: string): Promise<OpenedModel<EmbeddedModel>> {
  const { initEngine } = await import('../tensor/tf.ts');
  const { loadCheckpoint } = await import('./checkpoint.ts');
  await initEngine();
  const model = loadCheckpoint(dir, name);
  return { backend: model, id: await checkpointId(model), close: async () => model.dispose() };
}

/**
 * The identity of an embedded model's weights: the fingerprint of its config, vocabulary and every
 * weight (see weights.ts), so two loads of one checkpoint, by any command, get one identity.
 */
export async function checkpointId(model: EmbeddedModel): Promise<string> {
  const { weightsFingerprint } = await import('./weights.ts');
  return weightsFingerprint(model);
}

/** Connect to the server(s) and probe them for `needs`; its identity is the served model's name. */
async function openServer<N extends BackendCapability>(spec: string, options: OpenModelOptions<N>): Promise<OpenedModel<BackendWith<N>>> {
  const http = await import('../backend/http/index.ts');
  const needs: ProbeNeeds = Object.fromEntries(options.needs.map((n) => [n, true]));
  const settings = http.parseHttpSettings({ baseUrls: spec, ...(options.modelName !== undefined && { model: options.modelName }) }, `--${options.role}`);
  const backend = await http.openHttpBackend(settings, needs);
  return { backend, id: backend.name, close: () => backend.close(), capabilities: http.describeProbe(options.role, backend.probed!, needs) };
}

/**
 * The text LLM for divide/convert method 'llm': a server only, probed for text chat.
 * @example
 * const llm = await openChatModel('http://gpu1:8000/v1', { role: 'llm' });
 */
export async function openChatModel(spec: string, options: { role: string; modelName?: string }): Promise<OpenedModel<ChatModel>> {
  const http = await import('../backend/http/index.ts');
  const settings = http.parseHttpSettings({ baseUrls: spec, ...(options.modelName !== undefined && { model: options.modelName }) }, `--${options.role}`);
  const backend = await http.openHttpBackend(settings, { complete: true });
  return { backend, id: backend.name, close: () => backend.close(), capabilities: http.describeProbe(options.role, backend.probed!, { complete: true }) };
}
