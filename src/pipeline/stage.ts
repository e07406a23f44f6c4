/**
 * What every model-calling stage shares: results come from the run store when present (so a
 * killed run resumes without re-sending finished requests), missing ones are computed in batches
 * with several in flight, and progress and timing are reported per stage.
 */
import { ProgressReporter, type ProgressStream } from '../progress/index.ts';
import { cached, type CacheScope, type RunStore } from '../store/index.ts';
import type { ChunkImages } from './instructions/chunk-images.ts';

/** One stage's outcome, for the summary table and summary.json's `run` section. */
export interface StageStats {
  stage: string;
  /** Inputs of the stage (requests: instructions, items, questions). */
  items: number;
  /** Of `items`, found in the run store. */
  cached: number;
  /** Backend calls made in this invocation. */
  calls: number;
  seconds: number;
  /** Computed items per second in this invocation; undefined when nothing was computed. */
  rate: number | undefined;
}

export interface ProgressEvent {
  stage: string;
  total: number;
  done: number;
  /** Of `done`, found in the run store. */
  cached: number;
}

/** What a stage of one chunk works with: the run store, batching, progress, and the chunk's images. */
export interface StageContext {
  store: RunStore;
  /** The chunk's images, decoded once for all of its stages. */
  images: ChunkImages;
  batchSize: number;
  inFlight: number;
  /** Where progress lines go; undefined = silent. */
  stream: ProgressStream | undefined;
  /** Called after the cache lookup and after every stored batch (tests use it to kill a run midway). */
  onProgress: ((event: ProgressEvent) => void) | undefined;
  /** Each stage appends its stats here. */
  stats: StageStats[];
}

const SILENT: ProgressStream = { write: () => true };

/** A reporter for a stage that computes without the cache (rules, scoring). */
export function reporter(ctx: StageContext, stage: string, total: number, unit: string): ProgressReporter {
  return new ProgressReporter(stage, total, { stream: ctx.stream ?? SILENT, unit, ...(ctx.stream ? {} : { tty: false }) });
}

/**
 * Results of `compute` for every input through the run store, with progress.
 * `await cachedStage(ctx, { stage: 'label', model, settings }, queries, (batch) => labeler.yesNo(...), 'q')`
 */
export async function cachedStage<I, R>(
  ctx: StageContext, scope: CacheScope, inputs: readonly I[], compute: (batch: I[]) => Promise<R[]>, unit: string,
): Promise<R[]> {
  const progress = reporter(ctx, scope.stage, inputs.length, unit);
  let calls = 0;
  const started = performance.now();
  const outcome = await cached(ctx.store, scope, inputs, async (batch) => {
    calls++;
    return compute(batch);
  }, {
    batchSize: ctx.batchSize,
    concurrency: ctx.inFlight,
    onProgress: (p) => {
      progress.update(p.done, p.hits);
      ctx.onProgress?.({ stage: scope.stage, total: p.total, done: p.done, cached: p.hits });
    },
  });
  progress.finish();
  const seconds = (performance.now() - started) / 1000;
  ctx.stats.push({
    stage: scope.stage, items: inputs.length, cached: outcome.hits, calls, seconds,
    rate: outcome.misses > 0 && seconds > 0 ? outcome.misses / seconds : undefined,
  });
  return outcome.results;
}

/** Stats of a stage that ran without the cache. */
export function pureStageDone(ctx: StageContext, progress: ProgressReporter, items: number): void {
  const s = progress.finish();
  ctx.stats.push({ stage: s.label, items, cached: 0, calls: 0, seconds: s.elapsedSeconds, rate: s.elapsedSeconds > 0 ? items / s.elapsedSeconds : undefined });
}
