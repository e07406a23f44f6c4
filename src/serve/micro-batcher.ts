/**
 * Merges concurrent calls into one, because the embedded backend is much faster on a batch than on
 * the same requests one by one. Callers submit lists under a key (calls with different keys are never
 * merged); a merged call is made when `maxBatch` items are queued or `windowMs` after the first.
 */

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
}

export class MicroBatcher<I, O> {
  private readonly queues = new Map<string, Queue<I, O>>();

  /** `new MicroBatcher(8, 5)`: up to 8 items per call, waiting at most 5 ms for company. */
  constructor(readonly maxBatch: number, readonly windowMs: number) {
    if (!(maxBatch >= 1)) throw new Error(`MicroBatcher: maxBatch must be >= 1, got ${maxBatch}`);
  }

  /**
   * Queue `items`; resolves with their outputs, in order. `run` must return one output per item
   * and must not let an item's output depend on the other items in its call.
   * Example: `batcher.submit('yesNo', [query], (qs) => backend.yesNo(qs))`.
   */
  submit(key: string, items: I[], run: (items: I[]) => Promise<O[]>): Promise<O[]> {
    if (this.maxBatch === 1 || items.length >= this.maxBatch) return checkedRun(run, items);
    return new Promise<O[]>((resolve, reject) => {
      let queue = this.queues.get(key);
      if (queue && queue.size + items.length > this.maxBatch) {
        this.flush(key);
        queue = undefined;
      }
      if (!queue) {
        queue = { waiting: [], size: 0, timer: undefined, run };
        this.queues.set(key, queue);
        queue.timer = setTimeout(() => this.flush(key), this.windowMs);
      }
      queue.waiting.push({ items, resolve, reject });
      queue.size += items.length;
      if (queue.size >= this.maxBatch) this.flush(key);
    });
  }

  private flush(key: string): void {
    const queue = this.queues.get(key);
    if (!queue) return;
    this.queues.delete(key);
    clearTimeout(queue.timer);
    void dispatch(queue);
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
    // One bad request must not fail the requests that happened to share its batch: retry each alone.
    for (const w of waiting) checkedRun(run, w.items).then(w.resolve, w.reject);
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
