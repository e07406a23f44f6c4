/**
 * Merges concurrent calls into one, because the embedded backend is much faster on a batch than on
 * the same requests one by one. Callers submit lists under a key (calls with different keys are never
 * merged); a merged call is made when `maxBatch` items are queued or `windowMs` after the first.
 *
 * A `Gate` bounds the merged calls running at once. While every place is taken, a queue keeps
 * taking newcomers (up to `maxBatch`) until one frees: the embedded model yields the thread between
 * decoding steps, so requests keep arriving during a call, and without the gate each would start a
 * small call of its own beside the running one (measured: 16 requests of n = 64 became 10 calls
 * and took 24 s instead of 11-21 s).
 */

/** At most `capacity` runs at once, the others waiting in arrival order. */
export class Gate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error(`Gate: capacity must be >= 1, got ${capacity}`);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running < this.capacity) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      // Hand the place straight to the next in line, or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

interface Waiting<I, O> {
  items: I[];
  resolve: (out: O[]) => void;
  reject: (err: unknown) => void;
}

interface Queue<I, O> {
  waiting: Array<Waiting<I, O>>;
  size: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  run: (items: I[]) => Promise<O[]>;
  /** Its window is over (or it is full): it runs as soon as the gate lets it. */
  due: boolean;
}

export class MicroBatcher<I, O> {
  private readonly queues = new Map<string, Queue<I, O>>();

  /**
   * `new MicroBatcher(8, 5)`: up to 8 items per call, waiting at most 5 ms for company; pass a
   * gate shared with other batchers to bound the calls of them all (default: no bound).
   */
  constructor(readonly maxBatch: number, readonly windowMs: number, private readonly gate = new Gate(Infinity)) {
    if (!(maxBatch >= 1)) throw new Error(`MicroBatcher: maxBatch must be >= 1, got ${maxBatch}`);
  }

  /**
   * Queue `items`; resolves with their outputs, in order. `run` must return one output per item
   * and must not let an item's output depend on the other items in its call.
   * Example: `batcher.submit('yesNo', [query], (qs) => backend.yesNo(qs))`.
   */
  submit(key: string, items: I[], run: (items: I[]) => Promise<O[]>): Promise<O[]> {
    if (this.maxBatch === 1 || items.length >= this.maxBatch) return this.gate.run(() => checkedRun(run, items));
    return new Promise<O[]>((resolve, reject) => {
      let queue = this.queues.get(key);
      if (queue && queue.size + items.length > this.maxBatch) {
        this.close(key, queue);
        queue = undefined;
      }
      if (!queue) {
        const fresh: Queue<I, O> = { waiting: [], size: 0, timer: undefined, run, due: false };
        this.queues.set(key, fresh);
        fresh.timer = setTimeout(() => this.due(key, fresh), this.windowMs);
        queue = fresh;
      }
      queue.waiting.push({ items, resolve, reject });
      queue.size += items.length;
      if (queue.size >= this.maxBatch) this.close(key, queue);
    });
  }

  /** A full queue takes no more: newcomers start the next one. */
  private close(key: string, queue: Queue<I, O>): void {
    if (this.queues.get(key) === queue) this.queues.delete(key);
    this.due(key, queue);
  }

  /** Run the queue once the gate lets it; until then it still takes newcomers, unless closed. */
  private due(key: string, queue: Queue<I, O>): void {
    if (queue.due) return;
    queue.due = true;
    clearTimeout(queue.timer);
    void this.gate.run(() => {
      if (this.queues.get(key) === queue) this.queues.delete(key);
      return dispatch(queue);
    });
  }
}

async function dispatch<I, O>({ waiting, run }: Queue<I, O>): Promise<void> {
  let outputs: O[];
  try {
    outputs = await checkedRun(run, waiting.flatMap((w) => w.items));
  } catch (err) {
    if (waiting.length === 1) {
      waiting[0]!.reject(err);
      return;
    }
    // One bad request must not fail the requests that happened to share its batch: retry each alone
    // (still within the batch's place at the gate).
    await Promise.all(waiting.map((w) => checkedRun(run, w.items).then(w.resolve, w.reject)));
    return;
  }
  let at = 0;
  for (const w of waiting) {
    w.resolve(outputs.slice(at, at + w.items.length));
    at += w.items.length;
  }
}

async function checkedRun<I, O>(run: (items: I[]) => Promise<O[]>, items: I[]): Promise<O[]> {
  const out = await run(items);
  if (!Array.isArray(out) || out.length !== items.length) {
    throw new Error(`backend returned ${Array.isArray(out) ? out.length : typeof out} results for a batch of ${items.length}`);
  }
  return out;
}
