/**
 * An external trainer's own per-step log, read back into DPO steps (docs/trainers.md "Reading a trainer's
 * log"), and the known ways a DPO run fails, recognised in it.
 *
 * Sources, first found wins:
 * - `<out>/trainer_state.json`, else the newest `<out>/checkpoint-N/trainer_state.json`: HF Trainer's
 *   `save_state()`, written by TRL, by LLaMA-Factory at the end, and by `rlaifv dpo`; its `log_history`
 *   holds `loss`, `rewards/chosen`, `rewards/rejected`, `rewards/margins`, `rewards/accuracies`,
 *   `learning_rate`, `grad_norm`, `epoch`, `step` per logged step;
 * - `<out>/trainer_log.jsonl`: LLaMA-Factory's LogCallback (v0.9.5 src/llamafactory/train/callbacks.py),
 *   one line per log with `current_steps`, `loss`, `lr`, `epoch`, `accuracy` (= rewards/accuracies) and no
 *   rewards: what is left of a run killed before `save_state()`.
 *
 * Python's json writes NaN and ±Infinity as bare `NaN` / `Infinity` tokens, which JSON.parse rejects; they
 * are read as the numbers they are (JSON.stringify later writes them as null).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FileError } from '../util/errors.ts';

/** One logged step; structurally the report's DpoStep (src/report/metrics.ts). null = not logged. */
export interface TrainerLogStep {
  step: number;
  epoch: number | null;
  loss: number | null;
  'rewards/chosen': number | null;
  'rewards/rejected': number | null;
  'rewards/margins': number | null;
  'rewards/accuracies': number | null;
  lr: number | null;
  gradNorm: number | null;
}

export interface TrainerLog {
  /** The file the steps were read from. */
  source: string;
  steps: TrainerLogStep[];
  /** The checkpoint the trainer kept as best (HF's `best_model_checkpoint`, `best_global_step`, `best_metric`), when it chose one. */
  best?: { checkpoint: string; step: number | null; valScore: number | null };
}

const LN2 = Math.log(2);

/**
 * The trainer's steps from its output folder, or undefined when it left no log there.
 * `readTrainerLog('runs/x/round-1/model')` → `{ source: '…/trainer_state.json', steps: [{ step: 1, loss: 0.6931, … }] }`
 */
export function readTrainerLog(outputDir: string): TrainerLog | undefined {
  const state = trainerStatePath(outputDir);
  if (state) return { source: state, ...fromState(state) };
  const jsonl = join(outputDir, 'trainer_log.jsonl');
  if (existsSync(jsonl)) return { source: jsonl, steps: stepsFromLlamaFactory(jsonl) };
  return undefined;
}

function trainerStatePath(dir: string): string | undefined {
  const own = join(dir, 'trainer_state.json');
  if (existsSync(own)) return own;
  if (!existsSync(dir)) return undefined;
  const checkpoints = readdirSync(dir)
    .map((name) => ({ name, n: /^checkpoint-(\d+)$/.exec(name)?.[1] }))
    .filter((c) => c.n !== undefined && existsSync(join(dir, c.name, 'trainer_state.json')))
    .sort((a, b) => Number(b.n) - Number(a.n));
  return checkpoints[0] && join(dir, checkpoints[0].name, 'trainer_state.json');
}

function fromState(file: string): Pick<TrainerLog, 'steps' | 'best'> {
  const state = parsePythonJson(readFileSync(file, 'utf8'), file);
  if (!isObject(state) || !Array.isArray(state.log_history)) {
    throw new FileError(`${file}: no log_history list; is this an HF Trainer trainer_state.json? Remove it or rerun the trainer`);
  }
  const steps: TrainerLogStep[] = [];
  state.log_history.forEach((entry: unknown, i: number) => {
    if (!isObject(entry)) throw new FileError(`${file}: log_history[${i}] is not an object`);
    // The closing summary (train_loss, train_runtime) and evaluation entries (eval_*) are not steps.
    if ('train_runtime' in entry || 'train_loss' in entry) return;
    if (!('loss' in entry) && !('rewards/chosen' in entry)) return;
    steps.push({
      step: stepNumber(entry.step, steps.length + 1),
      epoch: num(entry.epoch),
      loss: num(entry.loss),
      'rewards/chosen': num(entry['rewards/chosen']),
      'rewards/rejected': num(entry['rewards/rejected']),
      'rewards/margins': num(entry['rewards/margins']),
      'rewards/accuracies': num(entry['rewards/accuracies']),
      lr: num(entry.learning_rate),
      gradNorm: num(entry.grad_norm),
    });
  });
  const best = typeof state.best_model_checkpoint === 'string'
    ? { checkpoint: basename(state.best_model_checkpoint), step: num(state.best_global_step), valScore: num(state.best_metric) }
    : undefined;
  return { steps, ...(best && { best }) };
}

function stepsFromLlamaFactory(file: string): TrainerLogStep[] {
  const steps: TrainerLogStep[] = [];
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const entry = parsePythonJson(line, `${file}:${i + 1}`);
    if (!isObject(entry)) throw new FileError(`${file}:${i + 1}: not a JSON object`);
    if (!('loss' in entry)) return; // evaluation-only lines carry eval_loss
    steps.push({
      step: stepNumber(entry.current_steps, steps.length + 1),
      epoch: num(entry.epoch),
      loss: num(entry.loss),
      'rewards/chosen': null,
      'rewards/rejected': null,
      'rewards/margins': null,
      'rewards/accuracies': num(entry.accuracy),
      lr: num(entry.lr),
      gradNorm: null,
    });
  });
  return steps;
}

/** JSON.parse that also takes Python's bare NaN / Infinity / -Infinity tokens (outside strings). */
export function parsePythonJson(text: string, where: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (text.startsWith('NaN', i)) {
      out += JSON.stringify(NAN);
      i += 3;
    } else if (text.startsWith('-Infinity', i)) {
      out += JSON.stringify(NEG_INF);
      i += 9;
    } else if (text.startsWith('Infinity', i)) {
      out += JSON.stringify(POS_INF);
      i += 8;
    } else {
      out += c;
      i++;
    }
  }
  try {
    return JSON.parse(out, (_key, value: unknown) =>
      value === NAN ? NaN : value === POS_INF ? Infinity : value === NEG_INF ? -Infinity : value);
  } catch (err) {
    throw new FileError(`${where}: not valid JSON (${(err as Error).message}); the trainer may have been killed while writing it: remove the file, or rerun the trainer`);
  }
}
const NAN = '\u0000rlaifv:NaN';
const POS_INF = '\u0000rlaifv:Infinity';
const NEG_INF = '\u0000rlaifv:-Infinity';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const stepNumber = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/** Least-squares slope of `ys` against their index (per logged step). */
function slope(ys: number[]): number {
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, x) => { sxy += (x - mx) * (y - my); sxx += (x - mx) ** 2; });
  return sxx === 0 ? 0 : sxy / sxx;
}

/** The values of one key over the last half of the steps (at least 2), finite ones only. */
function lastHalf(steps: TrainerLogStep[], key: keyof TrainerLogStep): number[] {
  const tail = steps.slice(Math.floor(steps.length / 2));
  return tail.map((s) => s[key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/** How close to ln 2 a loss must stay to count as "not learning". */
export const LN2_TOLERANCE = 0.01;
/**
 * How far from 0 a reward may be before the first update: β times the summed log-prob gap between the
 * trainer's scoring and the exported reference. 0.1 at β 0.1 is 1 nat over a whole response, well above the
 * bf16-vs-serving-engine noise and well below a token scored by one side only (several nats).
 */
export const FIRST_STEP_REWARD_TOLERANCE = 0.1;
/** Fewest logged steps before trends are judged: fewer say nothing about a run. */
export const MIN_STEPS_FOR_TRENDS = 6;

/**
 * The known failure signatures in a trainer's steps, one line each: what it means and what to try.
 * `trainerLogWarnings(readTrainerLog(dir)!.steps)` → `['loss stayed at ln 2 ≈ 0.693 …']`, or `[]`.
 *
 * - a NaN/±Infinity loss, reward, margin or gradient norm at any step;
 * - loss stuck at ln 2: every loss of the last half of the steps within LN2_TOLERANCE of ln 2;
 * - likelihood displacement: over the last half, rewards/chosen falls (least-squares slope < 0) while
 *   rewards/margins grows (slope > 0), and chosen ends below 0 (its log-prob fell under the reference's);
 * - the first step's rewards far from 0 (|reward| > FIRST_STEP_REWARD_TOLERANCE at step ≤ 1): before any update the policy is
 *   the reference, so the reference log-probs do not match the policy's own scoring.
 */
export function trainerLogWarnings(steps: TrainerLogStep[]): string[] {
  const out: string[] = [];
  const keys = ['loss', 'rewards/chosen', 'rewards/rejected', 'rewards/margins', 'gradNorm'] as const;
  const bad = steps.find((s) => keys.some((k) => typeof s[k] === 'number' && !Number.isFinite(s[k])));
  if (bad) {
    const which = keys.filter((k) => typeof bad[k] === 'number' && !Number.isFinite(bad[k])).join(', ');
    out.push(`${which} not finite from step ${bad.step}: training diverged; lower the learning rate, check for empty responses `
      + 'or reference log-probs of -Infinity, and train in bf16/fp32 rather than fp16');
  }
  if (steps.length >= MIN_STEPS_FOR_TRENDS) {
    const losses = lastHalf(steps, 'loss');
    if (losses.length >= 2 && losses.every((l) => Math.abs(l - LN2) <= LN2_TOLERANCE)) {
      out.push(`loss stayed at ln 2 ≈ 0.693 (within ${LN2_TOLERANCE}) over the last half of the steps: nothing was learned; `
        + 'the learning rate may be too low (LoRA needs ~10x the full rate), chosen and rejected may be identical, '
        + 'or the reference may be the policy being trained (the loss then never moves from ln 2)');
    }
    const chosen = lastHalf(steps, 'rewards/chosen');
    const margins = lastHalf(steps, 'rewards/margins');
    if (chosen.length >= 3 && margins.length >= 3 && slope(chosen) < 0 && slope(margins) > 0 && chosen[chosen.length - 1]! < 0) {
      out.push(`rewards/chosen fell (to ${chosen[chosen.length - 1]!.toFixed(3)}) while rewards/margins grew (to `
        + `${margins[margins.length - 1]!.toFixed(3)}) over the last half of the steps: likelihood displacement, the chosen `
        + 'answers became less likely too; fewer epochs, a lower learning rate, or an SFT term on chosen answers (rlaifv dpo --sft-weight)');
    }
  }
  const first = steps[0];
  if (first && first.step <= 1) {
    const r = [first['rewards/chosen'], first['rewards/rejected']].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (r.some((v) => Math.abs(v) > FIRST_STEP_REWARD_TOLERANCE)) {
      out.push(`step ${first.step}'s rewards are ${r.map((v) => v.toFixed(3)).join(' / ')}, not ≈ 0: before the first update the `
        + 'policy is the reference, so the reference log-probs do not match the trainer\'s own (a tokenization boundary such as '
        + 'the end-of-turn token scored by one side only, another chat template, or the wrong starting model)');
    }
  }
  return out;
}
