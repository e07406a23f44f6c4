/**
 * The run store: one SQLite file per run that makes every stage resumable after `kill -9`.
 * It holds the content-addressed result cache, which stages finished, one row per invocation
 * of the run, and time-series metrics. WAL with synchronous=NORMAL: each committed write
 * survives a killed process (a power cut may lose the last few, never corrupt the file), and
 * readers (a dashboard, `rlaifv status`) do not block the writer.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, StoreOpenError, toStoreError } from './errors.ts';
import { migrate } from './schema.ts';
import { StoreSettingsSchema } from './settings.ts';
import { decodeValue, encodeValue } from './value-json.ts';

export interface OpenStoreOptions {
  /** Open without writing; the store must exist and have this build's schema. Default false. */
  readonly?: boolean;
  /** Wait this long for another process's write lock before StoreLockedError. Default 5000. */
  busyTimeoutMs?: number;
  /** Milliseconds since the epoch, for timestamps; injectable for tests. Default Date.now. */
  now?: () => number;
}

export interface RunRecord {
  id: number;
  startedAt: number;
  finishedAt: number | null;
  /** 'running' while in progress, or when the process was killed before `finishRun`. */
  status: string;
  version: string;
  config: unknown;
}

export interface StageDone {
  stage: string;
  round: number;
  doneAt: number;
  info: unknown;
}

export interface MetricPoint {
  name: string;
  step: number;
  /** NaN when the recorded value was NaN (SQLite stores it as NULL). */
  value: number;
}

/**
 * Open (creating if needed, with its directory) the run store at `path`; `':memory:'` gives a
 * throwaway store for tests.
 *
 * `const store = openStore('runs/iter1/store.sqlite'); store.put(key, { text: 'A cat.' }, 'sample');`
 */
export function openStore(path: string, options: OpenStoreOptions = {}): RunStore {
  const settings = StoreSettingsSchema.parse({ busyTimeoutMs: options.busyTimeoutMs, readonly: options.readonly });
  const memory = path === ':memory:';
  if (!memory) checkPath(path, settings.readonly);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: settings.readonly, fileMustExist: settings.readonly, timeout: settings.busyTimeoutMs });
  } catch (err) {
    throw toStoreError(err, path, 'opening the store');
  }
  try {
    if (!settings.readonly) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal' && !memory) throw new StoreOpenError(`run store ${path}: SQLite refused WAL mode (got '${String(mode)}'); put the store on a local disk, not a network share`, path);
      db.pragma('synchronous = NORMAL');
    }
    migrate(db, path, settings.readonly);
    return new RunStore(db, path, options.now ?? Date.now);
  } catch (err) {
    db.close();
    throw toStoreError(err, path, 'opening the store');
  }
}

function checkPath(path: string, readonly: boolean): void {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    throw new StoreOpenError(`run store path ${path} is a directory; pass a file path, e.g. ${path.replace(/\/$/, '')}/store.sqlite`, path);
  }
  if (!stat && readonly) throw new StoreOpenError(`run store ${path} does not exist (opened read-only); check the path`, path);
  if (!stat) mkdirSync(dirname(path), { recursive: true });
}

export class RunStore {
  private readonly sql;

  /** Use `openStore`; this constructor expects a migrated database. */
  constructor(private readonly db: Database.Database, readonly path: string, private readonly now: () => number) {
    this.sql = {
      get: db.prepare<[string], { value: string }>('SELECT value FROM results WHERE key = ?'),
      put: db.prepare<[string, string, string, number]>(
        // A key names its content, so a second write of the same key is the same value: keep the first.
        'INSERT INTO results (key, stage, value, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING'),
      countAll: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM results'),
      countStage: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM results WHERE stage = ?'),
      deleteResults: db.prepare<[string]>('DELETE FROM results WHERE stage = ?'),
      deleteDone: db.prepare<[string]>('DELETE FROM stages WHERE stage = ?'),
      markDone: db.prepare<[string, number, number, string | null]>(
        'INSERT OR REPLACE INTO stages (stage, round, done_at, info) VALUES (?, ?, ?, ?)'),
      isDone: db.prepare<[string, number], { n: number }>('SELECT count(*) AS n FROM stages WHERE stage = ? AND round = ?'),
      done: db.prepare<[], { stage: string; round: number; done_at: number; info: string | null }>(
        'SELECT stage, round, done_at, info FROM stages ORDER BY done_at, stage, round'),
      startRun: db.prepare<[number, string, string]>('INSERT INTO runs (started_at, version, config) VALUES (?, ?, ?)'),
      finishRun: db.prepare<[number, string, number]>('UPDATE runs SET finished_at = ?, status = ? WHERE id = ?'),
      runs: db.prepare<[], { id: number; started_at: number; finished_at: number | null; status: string; version: string; config: string }>(
        'SELECT id, started_at, finished_at, status, version, config FROM runs ORDER BY id'),
      metric: db.prepare<[string, string, number, number, number]>(
        'INSERT OR REPLACE INTO metrics (run, name, step, value, at) VALUES (?, ?, ?, ?, ?)'),
      metricsAll: db.prepare<[string], { name: string; step: number; value: number | null }>(
        'SELECT name, step, value FROM metrics WHERE run = ? ORDER BY name, step'),
      metricsNamed: db.prepare<[string, string], { name: string; step: number; value: number | null }>(
        'SELECT name, step, value FROM metrics WHERE run = ? AND name = ? ORDER BY step'),
      metricRuns: db.prepare<[], { run: string }>('SELECT DISTINCT run FROM metrics ORDER BY run'),
    };
  }

  // ---- result cache ----

  /** The result stored under `key`, or undefined. `store.get<Candidate[]>(key)` */
  get<T = unknown>(key: string): T | undefined {
    const row = this.guard(`reading result ${key}`, () => this.sql.get.get(key));
    return row === undefined ? undefined : this.decode<T>(row.value, key);
  }

  has(key: string): boolean {
    return this.guard(`reading result ${key}`, () => this.sql.get.get(key)) !== undefined;
  }

  /** Results for `keys`, in their order, undefined where missing; one consistent snapshot. */
  getMany<T = unknown>(keys: readonly string[]): Array<T | undefined> {
    const rows = this.guard(`reading ${keys.length} results`, () =>
      this.db.transaction(() => keys.map((key) => this.sql.get.get(key)?.value)).deferred());
    return rows.map((text, i) => (text === undefined ? undefined : this.decode<T>(text, keys[i]!)));
  }

  /** Store one result; `stage` is recorded for counting and `deleteStage`. Committed on return. */
  put(key: string, value: unknown, stage = ''): void {
    this.putMany([{ key, value }], stage);
  }

  /** Store several results in one transaction: all of them land, or (killed midway) none. */
  putMany(entries: ReadonlyArray<{ key: string; value: unknown }>, stage = ''): void {
    const at = this.now();
    // Encode before the transaction, so a value JSON cannot hold fails without holding the lock.
    const rows = entries.map(({ key, value }) => [key, encodeValue(value, `result ${key} of stage '${stage}'`)] as const);
    this.guard(`writing ${entries.length} results of stage '${stage}'`, () =>
      this.db.transaction(() => { for (const [key, text] of rows) this.sql.put.run(key, stage, text, at); }).immediate());
  }

  /** How many results are stored, for one stage or all. */
  countResults(stage?: string): number {
    return this.guard('counting results', () => (stage === undefined ? this.sql.countAll.get() : this.sql.countStage.get(stage))!.n);
  }

  /** Forget a stage: its results and its done marks (every round), so the next run recomputes it. Returns results deleted. */
  deleteStage(stage: string): number {
    return this.guard(`deleting stage '${stage}'`, () => this.db.transaction(() => {
      this.sql.deleteDone.run(stage);
      return this.sql.deleteResults.run(stage).changes;
    }).immediate());
  }

  // ---- stage bookkeeping ----

  /** Record that `stage` finished for iteration `round` (docs/method.md §4), with optional JSON `info` (counts, paths). */
  markDone(stage: string, round = 0, info?: unknown): void {
    const text = info === undefined ? null : encodeValue(info, `info of stage '${stage}'`);
    this.guard(`marking stage '${stage}' done`, () => this.sql.markDone.run(stage, round, this.now(), text));
  }

  /** Whether `markDone(stage, round)` was called (in this or an earlier invocation). */
  isDone(stage: string, round = 0): boolean {
    return this.guard(`reading stage '${stage}'`, () => this.sql.isDone.get(stage, round)!.n > 0);
  }

  /** Every finished stage, oldest first. */
  doneStages(): StageDone[] {
    return this.guard('reading stages', () => this.sql.done.all()).map((r) => ({
      stage: r.stage, round: r.round, doneAt: r.done_at, info: r.info === null ? undefined : decodeValue(r.info),
    }));
  }

  // ---- run metadata ----

  /**
   * Record that an invocation starts (first start or a resume) with its full config and the rlaifv
   * version; returns its id for `finishRun`. `const id = store.startRun({ config, version: '0.1.0' })`
   */
  startRun(meta: { config: unknown; version: string }): number {
    const config = encodeValue(meta.config, 'run config');
    return Number(this.guard('recording the run start', () => this.sql.startRun.run(this.now(), meta.version, config).lastInsertRowid));
  }

  /** Record the end of invocation `id`; a run killed before this keeps status 'running' and no finish time. */
  finishRun(id: number, status: 'ok' | 'failed' = 'ok'): void {
    const changes = this.guard('recording the run end', () => this.sql.finishRun.run(this.now(), status, id).changes);
    if (changes === 0) throw new StoreError(`run store ${this.path}: finishRun(${id}) names no run; use the id startRun returned`, this.path);
  }

  /** Every invocation, oldest first. */
  runs(): RunRecord[] {
    return this.guard('reading runs', () => this.sql.runs.all()).map((r) => ({
      id: r.id, startedAt: r.started_at, finishedAt: r.finished_at, status: r.status, version: r.version, config: decodeValue(r.config),
    }));
  }

  // ---- metrics ----

  /**
   * Record `name = value` at `step` of training run `run` (e.g. 'dpo/iter-1'); writing a step again
   * replaces it, so a resumed trainer can repeat steps. `store.appendMetric('dpo/iter-1', 12, 'loss', 0.69)`
   */
  appendMetric(run: string, step: number, name: string, value: number): void {
    this.appendMetrics(run, step, { [name]: value });
  }

  /** Several metrics of one step in one transaction: `store.appendMetrics(run, 12, { loss: 0.69, 'rewards/margins': 0.1 })`. */
  appendMetrics(run: string, step: number, values: Readonly<Record<string, number>>): void {
    if (!Number.isInteger(step) || step < 0) {
      throw new RangeError(`appendMetrics(${JSON.stringify(run)}): step must be an integer >= 0, got ${step}`);
    }
    for (const [name, value] of Object.entries(values)) {
      if (typeof value !== 'number') throw new TypeError(`appendMetrics(${JSON.stringify(run)}, ${step}): metric '${name}' is a ${typeof value}, expected a number`);
    }
    const at = this.now();
    this.guard(`writing metrics of ${run} step ${step}`, () => this.db.transaction(() => {
      for (const [name, value] of Object.entries(values)) this.sql.metric.run(run, name, step, value, at);
    }).immediate());
  }

  /** Points of run `run`, by name then step; only metric `name` if given. */
  metrics(run: string, name?: string): MetricPoint[] {
    const rows = this.guard(`reading metrics of ${run}`, () =>
      (name === undefined ? this.sql.metricsAll.all(run) : this.sql.metricsNamed.all(run, name)));
    return rows.map((r) => ({ name: r.name, step: r.step, value: r.value ?? Number.NaN }));
  }

  /** Names of the runs that have metrics. */
  metricRuns(): string[] {
    return this.guard('reading metric runs', () => this.sql.metricRuns.all().map((r) => r.run));
  }

  /** Close the file; WAL content is checkpointed into the main file. Idempotent. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  private decode<T>(text: string, key: string): T {
    try {
      return decodeValue(text) as T;
    } catch (err) {
      throw new StoreError(`run store ${this.path}: result ${key} is not valid JSON (${(err as Error).message}); `
        + 'delete it or its stage (store.deleteStage) to recompute it', this.path, { cause: err });
    }
  }

  private guard<T>(doing: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw toStoreError(err, this.path, doing);
    }
  }
}
