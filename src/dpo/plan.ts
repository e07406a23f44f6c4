/**
 * The schedule of a DPO round as pure functions of the settings and the number of pairs: which
 * pairs each step sees, the learning rate of each step, and the steps that end in a checkpoint.
 * Everything is derived from the seed, so a resumed run replays exactly the same order.
 */
import { cosineLr } from '../model/index.ts';
import { deriveSeed, Rng } from '../util/rng.ts';
import type { DpoSettings } from './settings.ts';
import { FileError } from '../util/errors.ts';

export interface DpoPlan {
  pairs: number;
  batchSize: number;
  stepsPerEpoch: number;
  totalSteps: number;
  warmupSteps: number;
  /** Steps (1-based counts of updates done) after which a checkpoint is saved, ascending; the last is totalSteps. */
  checkpointSteps: number[];
}

/**
 * `dpoPlan(100, settings)` with batch 8, 4 epochs, 4 checkpoints per epoch ->
 * 13 steps per epoch, 52 steps, warm-up 3, checkpoints after steps 3, 7, 10, 13, 16, ...
 */
export function dpoPlan(pairs: number, s: Pick<DpoSettings, 'batchSize' | 'epochs' | 'warmupFraction' | 'checkpointsPerEpoch'>): DpoPlan {
  if (pairs < 1) throw new FileError('DPO needs at least one preference pair; the pair file is empty or every row was dropped');
  const stepsPerEpoch = Math.ceil(pairs / s.batchSize);
  const totalSteps = stepsPerEpoch * s.epochs;
  // ceil, as TRL does, so a short run with a warm-up setting still warms up for a step.
  const warmupSteps = Math.ceil(s.warmupFraction * totalSteps);
  const steps = new Set<number>();
  for (let e = 0; e < s.epochs; e++) {
    for (let k = 1; k <= s.checkpointsPerEpoch; k++) {
      const at = e * stepsPerEpoch + Math.round((k * stepsPerEpoch) / s.checkpointsPerEpoch);
      if (at > 0) steps.add(at); // an epoch shorter than checkpointsPerEpoch gives fewer checkpoints
    }
  }
  return { pairs, batchSize: s.batchSize, stepsPerEpoch, totalSteps, warmupSteps, checkpointSteps: [...steps].sort((a, b) => a - b) };
}

/** Pair indices of step `step` (0-based): batch `step % stepsPerEpoch` of its epoch's seeded shuffle. */
export function stepPairs(plan: DpoPlan, seed: number, step: number): number[] {
  const epoch = Math.floor(step / plan.stepsPerEpoch);
  const j = step % plan.stepsPerEpoch;
  const order = epochOrder(plan.pairs, seed, epoch);
  return order.slice(j * plan.batchSize, (j + 1) * plan.batchSize); // the last batch of an epoch may be short
}

const orders = new Map<string, number[]>();

/** The shuffled pair order of one epoch (memoised: every step of an epoch asks for it). */
function epochOrder(pairs: number, seed: number, epoch: number): number[] {
  const key = `${pairs}/${seed}/${epoch}`;
  let order = orders.get(key);
  if (!order) {
    if (orders.size > 8) orders.clear();
    order = new Rng(deriveSeed(seed, 'dpo-epoch', epoch)).shuffle([...Array(pairs).keys()]);
    orders.set(key, order);
  }
  return order;
}

/** Learning rate of step `step` (0-based): linear warm-up, then cosine (or constant). */
export function stepLr(plan: DpoPlan, s: Pick<DpoSettings, 'lr' | 'schedule' | 'minLrRatio'>, step: number): number {
  if (s.schedule === 'constant') return step < plan.warmupSteps ? (s.lr * (step + 1)) / plan.warmupSteps : s.lr;
  return cosineLr(step, plan.totalSteps, plan.warmupSteps, s.lr, s.minLrRatio);
}
