/**
 * One optimisation step on an embedded model with any loss built from its forward pass.
 */
import { tf } from '../tensor/tf.ts';
import type { AdamW } from './optim.ts';
import type { Params } from './vlm.ts';
import { RlaifvError } from '../util/errors.ts';

export interface StepResult {
  loss: number;
  gradNorm: number;
}

/** Compute `loss()`, back-propagate into every parameter, apply AdamW at `lr`. */
export function trainStep(params: Params, optimizer: AdamW, lr: number, loss: () => tf.Scalar): StepResult {
  const vars = [...params.values()];
  const { value, grads } = tf.variableGrads(loss, vars);
  const gradNorm = optimizer.apply(grads, lr);
  const lossValue = value.dataSync()[0]!;
  value.dispose();
  tf.dispose(grads);
  if (!Number.isFinite(lossValue)) throw new RlaifvError(`training diverged: loss is ${lossValue} (lower the learning rate)`);
  return { loss: lossValue, gradNorm };
}
