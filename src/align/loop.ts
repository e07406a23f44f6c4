/** What every step of the align loop works with: the settings, the run folder, the models, the run store and the log. */
import { existsSync, readFileSync } from 'node:fs';
import type { WorldEvalResult } from '../eval/world-bench.ts';
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
