/**
 * The models one server answers for, by name: the base it was started with, and the adapters loaded
 * while it runs (vLLM's runtime LoRA API; here an adapter is a whole embedded checkpoint, such as
 * `rlaifv dpo` writes). Each has its own micro-batcher, so requests to two models are never merged
 * into one call, and all share one gate, so the one thread computes one call at a time.
 *
 * A request holds a lease on its model until it is answered. Unloading takes the name away at once
 * (new requests get a 404) and disposes the adapter's tensors when its last lease ends, so a request
 * in flight finishes on the weights it started with and none computes on disposed ones.
 */
import type { ModelBackend } from '../backend/types.ts';
import { BatchingBackend } from './batching-backend.ts';
import { OpenAIError, VllmError } from './errors.ts';
import type { ServableBackend, ServeExtensions } from './extensions.ts';
import { Gate } from './micro-batcher.ts';
import type { ModelCard } from './wire.ts';

/** A loaded adapter and how to release it (its tensors). */
export interface OpenedAdapter {
  backend: ServableBackend;
  close(): Promise<void>;
}

/** Opens the checkpoint folder `dir` as the model `name`; throws when it cannot. */
export type AdapterLoader = (dir: string, name: string) => Promise<OpenedAdapter>;

/** One request's hold on a served model: answer through `backend`, then `release()` (once is enough; more are ignored). */
export interface ModelLease {
  /** The name answers carry as `model`. */
  name: string;
  /** Micro-batched. */
  backend: ModelBackend;
  /** The model's own optional methods (not batched). */
  extensions: ServeExtensions;
  release(): void;
}

export interface ServedModelsOptions {
  base: ServableBackend;
  /** The base model's name. */
  name: string;
  maxBatch: number;
  batchWindowMs: number;
  /** Adapters loaded at once at most. */
  maxLoras: number;
  loader: AdapterLoader;
  /** Seconds since the epoch, for the cards' `created`. */
  now: () => number;
}

interface Served {
  card: ModelCard;
  backend: BatchingBackend;
  extensions: ServeExtensions;
  leases: number;
  /** Unloaded (or replaced): disposed when its last lease ends. */
  retired: boolean;
  disposal?: Promise<void>;
  close(): Promise<void>;
}

/**
 * Example:
 * `const models = new ServedModels({ base, name: 'policy', maxBatch: 32, batchWindowMs: 5, loader, now })`;
 * `await models.load({ name: 'round-1', dir: '/ckpt/round-1', path: '/ckpt/round-1', inPlace: false })`;
 * `const lease = models.acquire('round-1')` ... `lease.release()`.
 */
export class ServedModels {
  readonly baseName: string;
  private readonly base: Served;
  private readonly adapters = new Map<string, Served>();
  private readonly gate = new Gate(1);
  /** The tail of each name's queue of load/unload operations, which run one at a time per name (as in vLLM). */
  private readonly locks = new Map<string, Promise<void>>();
  /** Unloaded adapters not yet disposed (requests still use them). */
  private readonly retiring = new Set<Served>();

  constructor(private readonly options: ServedModelsOptions) {
    this.baseName = options.name;
    this.base = this.served(options.base, { id: options.name, root: options.name, parent: null }, async () => {});
  }

  /** The model a request names (undefined: the base), leased until `release()`; 404 model_not_found for an unknown name. */
  acquire(model: string | undefined): ModelLease {
    const served = model === undefined || model === this.baseName ? this.base : this.adapters.get(model);
    if (!served) throw this.notFound(model!);
    served.leases++;
    let released = false;
    return {
      name: served.card.id,
      backend: served.backend,
      extensions: served.extensions,
      release: () => {
        if (released) return;
        released = true;
        served.leases--;
        if (served.retired && served.leases === 0) this.dispose(served);
      },
    };
  }

  /** GET /v1/models: the base, then the adapters in the order they were loaded. */
  cards(): ModelCard[] {
    return [this.base.card, ...[...this.adapters.values()].map((a) => a.card)];
  }

  card(id: string): ModelCard {
    const served = id === this.baseName ? this.base : this.adapters.get(id);
    if (!served) throw this.notFound(id);
    return served.card;
  }

  /**
   * Load checkpoint folder `dir` as adapter `name` (`path` is what the client sent, shown as the
   * card's `root`, as vLLM). A failure leaves every served model as it was. Returns vLLM's success text.
   */
  load(request: { name: string; dir: string; path: string; inPlace: boolean }): Promise<string> {
    const { name, dir, path, inPlace } = request;
    return this.locked(name, async () => {
      if (name === this.baseName) throw new VllmError(400, `'${name}' is the base model's name; choose another lora_name`, 'InvalidUserInput');
      const previous = this.adapters.get(name);
      if (previous && !inPlace) {
        // vLLM's words: the clients that reload a round (src/dpo/lora-loading.ts) recognise them.
        throw new VllmError(400, `The lora adapter '${name}' has already been loaded. If you want to load the adapter in place, set 'load_inplace' to True.`, 'InvalidUserInput');
      }
      const { maxLoras } = this.options;
      if (!previous && this.adapters.size >= maxLoras) {
        throw new VllmError(400, `${this.adapters.size} adapters are loaded, the most this server holds (setting maxLoras); unload one first (POST /v1/unload_lora_adapter)`, 'InvalidUserInput');
      }
      let opened: OpenedAdapter;
      try {
        opened = await this.options.loader(dir, name);
      } catch (err) {
        throw new VllmError(400, `Loading lora ${name} failed: ${(err as Error)?.message ?? String(err)}`, 'BadRequestError');
      }
      // Set on an existing key keeps its place in the list, as vLLM's dict does.
      this.adapters.set(name, this.served(opened.backend, { id: name, root: path, parent: this.baseName }, () => opened.close()));
      if (previous) this.retire(previous);
      return `Success: LoRA adapter '${name}' added successfully.`;
    });
  }

  /** Stop serving adapter `name`; its tensors go when the requests using it are answered. Returns vLLM's success text. */
  unload(name: string): Promise<string> {
    return this.locked(name, async () => {
      const served = this.adapters.get(name);
      if (!served) throw new VllmError(404, `The lora adapter '${name}' cannot be found.`, 'NotFoundError');
      this.adapters.delete(name);
      this.retire(served);
      return `Success: LoRA adapter '${name}' removed successfully.`;
    });
  }

  /** Dispose every adapter (the server has stopped answering); the base belongs to whoever opened it. */
  async close(): Promise<void> {
    await Promise.all(this.locks.values());
    const all = [...this.adapters.values()];
    this.adapters.clear();
    for (const served of all) this.retire(served);
    // Adapters unloaded earlier whose requests never ended are disposed too.
    await Promise.all([...this.retiring].map((s) => this.dispose(s)));
  }

  private served(backend: ServableBackend, card: Pick<ModelCard, 'id' | 'root' | 'parent'>, close: () => Promise<void>): Served {
    const { maxBatch, batchWindowMs, now } = this.options;
    return {
      card: { id: card.id, object: 'model', created: now(), owned_by: 'rlaifv', root: card.root, parent: card.parent },
      backend: new BatchingBackend(backend, maxBatch, batchWindowMs, this.gate),
      extensions: backend,
      leases: 0,
      retired: false,
      close,
    };
  }

  private retire(served: Served): void {
    served.retired = true;
    this.retiring.add(served);
    if (served.leases === 0) void this.dispose(served);
  }

  private dispose(served: Served): Promise<void> {
    // A failure to free memory must not take the server down; the request log has no line for it.
    served.disposal ??= served.close().catch(() => {}).finally(() => this.retiring.delete(served));
    return served.disposal;
  }

  private notFound(model: string): OpenAIError {
    const adapters = [...this.adapters.keys()];
    const also = adapters.length > 0 ? ` and the adapter${adapters.length > 1 ? 's' : ''} ${adapters.map((a) => `'${a}'`).join(', ')}` : '';
    return new OpenAIError(404, `The model '${model}' does not exist; this server serves '${this.baseName}'${also} (see GET /v1/models)`, 'model', 'model_not_found');
  }

  private locked(name: string, operation: () => Promise<string>): Promise<string> {
    const run = (this.locks.get(name) ?? Promise.resolve()).then(operation);
    const tail = run.then(() => {}, () => {});
    this.locks.set(name, tail);
    void tail.then(() => {
      if (this.locks.get(name) === tail) this.locks.delete(name);
    });
    return run;
  }
}
