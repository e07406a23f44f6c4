/**
 * Progress of one stage on stderr: done/total, percent, smoothed rate, ETA and elapsed time.
 * On a terminal it redraws one line in place (at most every `ttyIntervalMs`); otherwise (CI logs,
 * a file) it prints a plain line every `plainIntervalMs` and a final one, so logs stay short.
 * Results found in the run store count as done but not towards the rate, so a resumed run's ETA
 * is about the work left, not inflated by thousands of instant cache hits.
 */
import { formatDuration, formatPercent, formatRate } from './format.ts';
import { SmoothedRate } from './rate.ts';
import { ProgressSettingsSchema, type ProgressSettings } from './settings.ts';

/** The part of a stream the reporter uses; `process.stderr` and test fakes both fit. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Terminal width; lines are cut to fit so the in-place redraw never wraps. */
  columns?: number;
}

export interface ProgressOptions {
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Redraw in place; default `stream.isTTY`. */
  tty?: boolean;
  /** Milliseconds on a monotonic clock; default performance.now. */
  now?: () => number;
  /** What is counted, in the rate: `'it'` by default, e.g. `'req'` or `'claims'`. */
  unit?: string;
  settings?: Partial<ProgressSettings>;
}

/** Where a stage stands; `finish()` returns the final one, ready for a Summary row. */
export interface ProgressStats {
  label: string;
  done: number;
  total: number | undefined;
  /** Of `done`, how many came from the cache (not computed in this run). */
  cached: number;
  elapsedSeconds: number;
  /** Smoothed items per second over computed items; undefined before time has passed. */
  rate: number | undefined;
  /** Seconds left at the current rate; undefined without a total or a rate. */
  etaSeconds: number | undefined;
}

const CLEAR_TO_END = '\x1b[K';

/**
 * ```ts
 * const progress = new ProgressReporter('label', queries.length, { unit: 'q' });
 * await cached(store, scope, queries, compute, { onProgress: (p) => progress.update(p.done, p.hits) });
 * const stats = progress.finish();
 * ```
 */
export class ProgressReporter {
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly unit: string;
  private readonly settings: ProgressSettings;
  private readonly rate: SmoothedRate;
  private readonly started: number;
  private lastRender: number;
  private rendered = false;
  private lineOpen = false;
  private finished = false;
  private done = 0;
  private cachedCount = 0;

  constructor(readonly label: string, private total?: number, options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.tty = options.tty ?? this.stream.isTTY === true;
    this.now = options.now ?? (() => performance.now());
    this.unit = options.unit ?? 'it';
    this.settings = ProgressSettingsSchema.parse(options.settings ?? {});
    this.rate = new SmoothedRate(this.settings.halfLifeSeconds);
    this.started = this.now();
    this.lastRender = this.started;
    this.rate.observe(0, 0);
  }

  /** `n` more items computed. */
  tick(n = 1): void {
    this.update(this.done + n, this.cachedCount);
  }

  /** `n` more items taken from the cache: done, but not work done now. */
  skip(n = 1): void {
    this.update(this.done + n, this.cachedCount + n);
  }

  /** Absolute counts, e.g. from `cached`'s onProgress (`done`, `hits`). */
  update(done: number, cached = this.cachedCount): void {
    if (this.finished) return;
    this.done = done;
    this.cachedCount = cached;
    this.refresh();
  }

  /** Change the total (when it is only known once the stage has started). */
  setTotal(total: number | undefined): void {
    this.total = total;
  }

  /** Redraw if the interval has passed; call it from a timer to show liveness while no item lands. */
  refresh(): void {
    if (this.finished) return;
    const now = this.now();
    this.observe(now);
    const interval = this.tty ? this.settings.ttyIntervalMs : this.settings.plainIntervalMs;
    // On a terminal, draw at once the first time, so the stage is visible before its first interval.
    const due = this.tty && !this.rendered ? true : now - this.lastRender >= interval;
    if (due) this.render(now);
  }

  /** Print a message without garbling the progress line (it is redrawn below the message). */
  log(message: string): void {
    if (this.tty && this.lineOpen) {
      this.stream.write(`\r${CLEAR_TO_END}${message}\n`);
      this.lineOpen = false;
      if (!this.finished) this.render(this.now());
    } else {
      this.stream.write(`${message}\n`);
    }
  }

  /** Where the stage stands now. */
  stats(): ProgressStats {
    const now = this.now();
    this.observe(now);
    const rate = this.rate.value;
    const left = this.total === undefined ? undefined : Math.max(0, this.total - this.done);
    return {
      label: this.label,
      done: this.done,
      total: this.total,
      cached: this.cachedCount,
      elapsedSeconds: (now - this.started) / 1000,
      rate,
      etaSeconds: left === undefined ? undefined : left === 0 ? 0 : rate ? left / rate : undefined,
    };
  }

  /** Print the final line (always, whatever the interval) and return the final stats. Idempotent. */
  finish(): ProgressStats {
    const stats = this.stats();
    if (!this.finished) {
      this.stream.write(this.tty ? `\r${this.fit(this.line(stats, true))}${CLEAR_TO_END}\n` : `${this.line(stats, true)}\n`);
      this.lineOpen = false;
      this.finished = true;
    }
    return stats;
  }

  private observe(now: number): void {
    this.rate.observe(this.done - this.cachedCount, (now - this.started) / 1000);
  }

  private render(now: number): void {
    this.lastRender = now;
    this.rendered = true;
    const line = this.line(this.stats(), false);
    if (this.tty) {
      this.stream.write(`\r${this.fit(line)}${CLEAR_TO_END}`);
      this.lineOpen = true;
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  /** `label  45/100  45.0%  12.3 it/s  ETA 4s  elapsed 3s  (20 cached)` */
  private line(s: ProgressStats, final: boolean): string {
    const parts = [
      this.tty ? s.label : `[${s.label}]`,
      s.total === undefined ? `${s.done}` : `${s.done}/${s.total}`,
    ];
    if (s.total !== undefined) parts.push(formatPercent(s.done, s.total));
    parts.push(formatRate(s.rate, this.unit));
    if (!final && s.total !== undefined) parts.push(`ETA ${formatDuration(s.etaSeconds ?? Number.NaN)}`);
    parts.push(`${final ? 'done in' : 'elapsed'} ${formatDuration(s.elapsedSeconds)}`);
    if (s.cached > 0) parts.push(`(${s.cached} cached)`);
    return parts.join('  ');
  }

  /** Cut to the terminal width: a wrapped line cannot be redrawn in place. */
  private fit(line: string): string {
    const width = this.stream.columns;
    return width && width > 1 && line.length > width - 1 ? line.slice(0, width - 1) : line;
  }
}
