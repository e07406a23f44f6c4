/** What every step of the align loop works with: the settings, the run folder, the models, the run store and the log. */
import { existsSync, readFileSync } from 'node:fs';
import type { WorldEvalResult } from '../eval/world-bench.ts';
import { formatRoundsTable, type PairSample, type RoundMetrics } from '../report/index.ts';
import type { ProgressStream } from '../progress/index.ts';
import type { RunStore } from '../store/index.ts';
import type { AlignModels } from './models.ts';
import type { AlignSettings } from './settings.ts';

export interface AlignHooks {
  log?: (line: string) => void;
  /** Where the data engine's progress lines go. */
  progressStream?: ProgressStream;
}

export interface AlignLoop {
  s: AlignSettings;
  outDir: string;
  models: AlignModels;
  store: RunStore;
  log: (line: string) => void;
  progress?: ProgressStream;
  /** M_0's figures on the current validation scenes, the coverage guard's reference (coverageReference base); measured when the scenes change. */
  baseReference?: { offset: number; result: WorldEvalResult };
}

/** A step's file in the run folder, or undefined when the step has not finished. */
export function readDone<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

/** A round's entry of metrics.json and its report samples (`round-<i>/round.json` holds both, as one object). */
export interface RoundRecord {
  entry: RoundMetrics;
  samples: PairSample[];
}

/**
 * Rounds 1..`count` after round 0's entry: each read back when it finished before, else run, with
 * the rounds table logged after each round that ran. Returns every entry (round 0 first) and the samples.
 */
export async function runRounds(
  count: number, round0: RoundMetrics, log: (line: string) => void,
  step: { resume(i: number): RoundRecord | undefined; run(i: number): Promise<RoundRecord> },
): Promise<{ rounds: RoundMetrics[]; samples: PairSample[] }> {
  const rounds = [round0];
  const samples: PairSample[] = [];
  for (let i = 1; i <= count; i++) {
    const done = step.resume(i);
    const round = done ?? await step.run(i);
    rounds.push(round.entry);
    samples.push(...round.samples);
    if (!done) log(formatRoundsTable({ rounds }));
  }
  return { rounds, samples };
}
