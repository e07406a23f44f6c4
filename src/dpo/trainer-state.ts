/**
 * A DPO round's per-step history as TRL writes it: `trainer_state.json`, the Hugging Face
 * Trainer's state file, whose `log_history` holds one entry per logged step with TRL's DPO metric
 * names. `rlaifv dpo` writes it into its output folder, so whatever reads an external trainer's
 * logs reads the embedded trainer's the same way.
 *
 *   {"best_global_step": 12, "best_metric": 0.61, "best_model_checkpoint": "out/dpo-round/ckpt-12",
 *    "epoch": 4, "global_step": 16, "log_history": [{"epoch": 0.25, "grad_norm": 0.8, "learning_rate": 5e-5,
 *    "loss": 0.6931, "rewards/accuracies": 0.5, "rewards/chosen": 0, "rewards/margins": 0,
 *    "rewards/rejected": 0, "step": 1}, ...], "logging_steps": 1, "max_steps": 16, ...}
 */
import type { DpoResult } from './trainer.ts';
import type { StepRecord } from './run-folder.ts';

/** One `log_history` entry: the keys of a TRL DPO training log line (sorted, as the Trainer writes them). */
export interface TrainerLogEntry {
  epoch: number;
  grad_norm: number;
  learning_rate: number;
  loss: number;
  'rewards/accuracies': number;
  'rewards/chosen': number;
  'rewards/margins': number;
  'rewards/rejected': number;
  step: number;
}

/** The subset of the Trainer's `TrainerState` fields that a DPO round has. */
export interface TrainerStateJson {
  best_global_step: number;
  /** Validation score of the best checkpoint (lower is better); null without validation. */
  best_metric: number | null;
  best_model_checkpoint: string;
  epoch: number;
  global_step: number;
  log_history: TrainerLogEntry[];
  logging_steps: number;
  max_steps: number;
  num_train_epochs: number;
  train_batch_size: number;
}

/** `log_history` entry of one optimizer step. */
export function trainerLogEntry(r: StepRecord): TrainerLogEntry {
  return {
    epoch: r.epoch, grad_norm: r.gradNorm, learning_rate: r.lr, loss: r.loss,
    'rewards/accuracies': r['rewards/accuracies'], 'rewards/chosen': r['rewards/chosen'],
    'rewards/margins': r['rewards/margins'], 'rewards/rejected': r['rewards/rejected'], step: r.step,
  };
}

/**
 * The trainer state of a finished round: `JSON.stringify(trainerState(result, 4), null, 2)`
 * is what `rlaifv dpo` writes as `<out>/trainer_state.json`.
 */
export function trainerState(result: Pick<DpoResult, 'best' | 'history' | 'plan'>, epochs: number): TrainerStateJson {
  const last = result.history.at(-1);
  return {
    best_global_step: result.best.step,
    best_metric: Number.isFinite(result.best.score) ? result.best.score : null,
    best_model_checkpoint: result.best.dir,
    epoch: last?.epoch ?? 0,
    global_step: last?.step ?? 0,
    log_history: result.history.map(trainerLogEntry),
    logging_steps: 1,
    max_steps: result.plan.totalSteps,
    num_train_epochs: epochs,
    train_batch_size: result.plan.batchSize,
  };
}
