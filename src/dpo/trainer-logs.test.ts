import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileError } from '../util/errors.ts';
import { parsePythonJson, readTrainerLog, trainerLogWarnings, type TrainerLogStep } from './trainer-logs.ts';

// Fixtures written to the documented formats (no public trainer_state.json of a DPO run was found to copy):
// trl-run/ is HF Trainer's save_state() of a TRL 1.9 DPO run, llama-factory-run/ is LLaMA-Factory v0.9.5's
// LogCallback output of a run killed at step 4.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const LN2 = Math.log(2);

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'rlaifv-trainer-log-'));
}

/** Steps with the given losses and rewards; everything else null. */
function steps(rows: Array<Partial<TrainerLogStep>>): TrainerLogStep[] {
  return rows.map((r, i) => ({
    step: i + 1, epoch: null, loss: null, 'rewards/chosen': null, 'rewards/rejected': null, 'rewards/margins': null,
    'rewards/accuracies': null, lr: null, gradNorm: null, ...r,
  }));
}

test('a TRL trainer_state.json: every logged step, the closing summary skipped, keys renamed', () => {
  const log = readTrainerLog(join(FIXTURES, 'trl-run'))!;
  assert.equal(log.source, join(FIXTURES, 'trl-run', 'trainer_state.json'));
  assert.equal(log.steps.length, 8, 'the train_runtime summary entry is not a step');
  assert.deepEqual(log.steps[0], {
    step: 1, epoch: 0.5, loss: 0.693147, 'rewards/chosen': 0, 'rewards/rejected': 0, 'rewards/margins': 0,
    'rewards/accuracies': 0, lr: 5e-7, gradNorm: 11.9,
  });
  assert.deepEqual(log.steps.map((s) => s.step), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(log.steps[7]!['rewards/margins'], 0.49);
  assert.deepEqual(trainerLogWarnings(log.steps), [], 'a healthy run raises no warning');
  assert.equal(log.best, undefined, 'TRL chose no best checkpoint (best_model_checkpoint null)');
});

test('the best checkpoint a trainer kept is read with its step and metric', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'trainer_state.json'), JSON.stringify({
    best_model_checkpoint: '/runs/r1/model/dpo-round/ckpt-101', best_global_step: 101, best_metric: 0.0815, log_history: [{ step: 1, loss: 0.69 }],
  }));
  assert.deepEqual(readTrainerLog(dir)!.best, { checkpoint: 'ckpt-101', step: 101, valScore: 0.0815 });
});

test('without trainer_state.json in the folder: the newest checkpoint\'s, then LLaMA-Factory\'s trainer_log.jsonl', () => {
  const dir = tmp();
  try {
    assert.equal(readTrainerLog(dir), undefined);
    assert.equal(readTrainerLog(join(dir, 'missing')), undefined);
    cpSync(join(FIXTURES, 'llama-factory-run', 'trainer_log.jsonl'), join(dir, 'trainer_log.jsonl'));
    const lf = readTrainerLog(dir)!;
    assert.equal(lf.source, join(dir, 'trainer_log.jsonl'));
    assert.deepEqual(lf.steps[1], {
      step: 2, epoch: 1, loss: 0.6831, 'rewards/chosen': null, 'rewards/rejected': null, 'rewards/margins': null,
      'rewards/accuracies': 0.6, lr: 4.5e-7, gradNorm: null,
    });
    assert.equal(lf.steps.length, 4);

    for (const n of [2, 10, 9]) {
      mkdirSync(join(dir, `checkpoint-${n}`));
      writeFileSync(join(dir, `checkpoint-${n}`, 'trainer_state.json'), JSON.stringify({ log_history: [{ step: n, loss: n / 100 }] }));
    }
    mkdirSync(join(dir, 'checkpoint-11')); // no state inside: a checkpoint being written when the run was killed
    const ck = readTrainerLog(dir)!;
    assert.equal(ck.source, join(dir, 'checkpoint-10', 'trainer_state.json'), 'by step number, not by name order');
    assert.equal(ck.steps[0]!.loss, 0.1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rlaifv dpo\'s trainer_state.json (TRL\'s layout) reads the same way', () => {
  const dir = tmp();
  try {
    const entry = { step: 1, epoch: 0.25, loss: 0.69, 'rewards/chosen': 0.01, 'rewards/rejected': -0.01, 'rewards/margins': 0.02, 'rewards/accuracies': 0.5, learning_rate: 5e-5, grad_norm: 0.8 };
    writeFileSync(join(dir, 'trainer_state.json'), JSON.stringify({ log_history: [entry] }));
    assert.deepEqual(readTrainerLog(dir)!.steps, [{
      step: 1, epoch: 0.25, loss: 0.69, 'rewards/chosen': 0.01, 'rewards/rejected': -0.01, 'rewards/margins': 0.02,
      'rewards/accuracies': 0.5, lr: 5e-5, gradNorm: 0.8,
    }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Python\'s NaN and Infinity tokens are numbers; missing keys are null; broken JSON names the file and line', () => {
  assert.deepEqual(parsePythonJson('{"a": NaN, "b": -Infinity, "c": Infinity, "s": "NaN Infinity \\" NaN"}', 'x'),
    { a: NaN, b: -Infinity, c: Infinity, s: 'NaN Infinity " NaN' });
  const dir = tmp();
  try {
    writeFileSync(join(dir, 'trainer_state.json'),
      '{"log_history": [{"step": 1, "loss": 0.69}, {"step": 2, "loss": NaN, "rewards/chosen": NaN, "grad_norm": Infinity}]}');
    const log = readTrainerLog(dir)!;
    assert.deepEqual(log.steps[0], {
      step: 1, epoch: null, loss: 0.69, 'rewards/chosen': null, 'rewards/rejected': null, 'rewards/margins': null,
      'rewards/accuracies': null, lr: null, gradNorm: null,
    });
    assert.ok(Number.isNaN(log.steps[1]!.loss));
    assert.equal(log.steps[1]!.gradNorm, Infinity);
    const [w] = trainerLogWarnings(log.steps);
    assert.match(w!, /^loss, rewards\/chosen, gradNorm not finite from step 2: training diverged; lower the learning rate/);

    writeFileSync(join(dir, 'trainer_state.json'), '{"log_history": [{"step": 1, "loss": 0.69}');
    assert.throws(() => readTrainerLog(dir), (e: Error) => e instanceof FileError && e.message.startsWith(`${join(dir, 'trainer_state.json')}: not valid JSON`));
    writeFileSync(join(dir, 'trainer_state.json'), '{"global_step": 3}');
    assert.throws(() => readTrainerLog(dir), /no log_history list/);

    rmSync(join(dir, 'trainer_state.json'));
    writeFileSync(join(dir, 'trainer_log.jsonl'), '{"current_steps": 1, "loss": 0.69}\n{"current_steps": 2, "loss": \n');
    assert.throws(() => readTrainerLog(dir), (e: Error) => e instanceof FileError && e.message.startsWith(`${join(dir, 'trainer_log.jsonl')}:2: not valid JSON`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('loss stuck at ln 2: every loss of the last half within 0.01 of ln 2', () => {
  const stuck = steps([0.70, 0.69, LN2 + 0.004, LN2 - 0.009, LN2, LN2 + 0.002].map((loss) => ({ loss })));
  assert.equal(trainerLogWarnings(stuck).length, 1);
  assert.match(trainerLogWarnings(stuck)[0]!, /^loss stayed at ln 2 ≈ 0\.693 .*learning rate may be too low/);
  const moving = steps([0.69, 0.69, 0.69, 0.69, 0.69, LN2 - 0.02].map((loss) => ({ loss })));
  assert.deepEqual(trainerLogWarnings(moving), [], 'one step leaving the band is learning');
  assert.deepEqual(trainerLogWarnings(stuck.slice(0, 5)), [], 'too few steps to judge');
});

test('likelihood displacement: chosen rewards falling while margins grow over the last half', () => {
  const rows = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ({ loss: 0.69 - 0.05 * i, 'rewards/chosen': -0.05 * i, 'rewards/rejected': -0.2 * i, 'rewards/margins': 0.15 * i }));
  const [w, ...rest] = trainerLogWarnings(steps(rows));
  assert.deepEqual(rest, []);
  assert.match(w!, /^rewards\/chosen fell \(to -0\.350\) while rewards\/margins grew \(to 1\.050\).*likelihood displacement/);
  const healthy = rows.map((r, i) => ({ ...r, 'rewards/chosen': 0.02 * i }));
  assert.deepEqual(trainerLogWarnings(steps(healthy)), []);
});

test('rewards far from 0 before the first update: the reference does not match the trainer\'s scoring', () => {
  const [w] = trainerLogWarnings(steps([{ loss: 0.5, 'rewards/chosen': 0.31, 'rewards/rejected': 0.02 }]));
  assert.match(w!, /^step 1's rewards are 0\.310 \/ 0\.020, not ≈ 0: .*end-of-turn token/);
  assert.deepEqual(trainerLogWarnings(steps([{ loss: 0.693, 'rewards/chosen': 0.004, 'rewards/rejected': -0.003 }])), []);
});
