// The trainer recipes under recipes/ (docs/trainers.md), checked as far as this machine allows: the Python
// compiles, the TRL config keywords and the LLaMA-Factory YAML keys are fields of the versions the recipes
// name (fixtures extracted from those versions' sources), and the rlaifv recipe trains for real.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initEngine } from '../src/tensor/tf.ts';
import { writeLlamaFactoryDataset, writeTrlDataset } from '../src/export/index.ts';
import { loadCheckpoint, saveCheckpoint } from '../src/model/index.ts';
import { weightsFingerprint } from '../src/model/weights.ts';
import { craftedPairs, tinyPolicy } from '../src/dpo/testing.ts';
import { readTrainerLog } from '../src/dpo/trainer-logs.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RECIPES = join(ROOT, 'recipes');
const PYTHON = spawnSync('python3', ['--version']).status === 0 ? 'python3' : undefined;
const NO_PYTHON = PYTHON ? false : 'python3 is not installed here (CI has it): the Python recipes cannot be compiled or run';
// `node` for the scripts: the one running these tests.
const ENV = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };

before(async () => { await initEngine(); });

/** A fixture of field names: one a line, `#` lines are its header. */
function fields(...files: string[]): Set<string> {
  return new Set(files.flatMap((f) => readFileSync(join(RECIPES, f), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))));
}

/** The keyword names of the first `name(...)` call in Python source (one `key=value` per line). */
function callKeywords(source: string, name: string): string[] {
  const start = source.indexOf(`${name}(`);
  assert.ok(start >= 0, `no ${name}( call`);
  let depth = 0;
  let end = start + name.length;
  for (; end < source.length; end++) {
    if (source[end] === '(') depth++;
    else if (source[end] === ')' && --depth === 0) break;
  }
  return [...source.slice(start + name.length + 1, end).matchAll(/^\s*(\w+)=/gm)].map((m) => m[1]!);
}

/** The top-level keys of a flat YAML file (comments and blank lines skipped). */
function yamlKeys(text: string): string[] {
  return text.split('\n').filter((l) => /^\w/.test(l)).map((l) => l.slice(0, l.indexOf(':')));
}

function pairRecords(n: number) {
  return craftedPairs(n).map((p, i) => ({ id: `p${i}`, image: p.image, question: p.prompt, chosen: p.chosen, rejected: p.rejected, meta: { generator: 'g', labeler: 'l' } }));
}

test('the Python recipes compile with python3', { skip: NO_PYTHON }, () => {
  const files = ['trl/dpo_trl.py', 'llama-factory/train.py', 'tools/dataclass_fields.py'].map((f) => join(RECIPES, f));
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-pyc-'));
  try {
    // Compile to a temporary folder so no __pycache__ lands in the tree.
    const code = `import py_compile, sys\nfor f in sys.argv[1:]: py_compile.compile(f, cfile="${dir}/" + f.replace("/", "_") + "c", doraise=True)`;
    const r = spawnSync(PYTHON!, ['-c', code, ...files], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every DPOConfig keyword of the TRL recipe is a field of trl 1.9.0 DPOConfig or transformers TrainingArguments', () => {
  const known = fields('trl/dpo-config-fields.txt', 'tools/transformers-training-arguments.txt');
  assert.ok(known.has('precompute_ref_log_probs') && known.has('output_dir'), 'the fixtures hold both layers');
  const source = readFileSync(join(RECIPES, 'trl', 'dpo_trl.py'), 'utf8');
  const used = callKeywords(source, 'DPOConfig');
  assert.ok(used.length >= 15, `found only ${used.join(', ')}`);
  assert.deepEqual(used.filter((k) => !known.has(k)), []);
  assert.match(readFileSync(join(RECIPES, 'trl', 'dpo-config-fields.txt'), 'utf8'), /^# DPOConfig fields of trl 1\.9\.0 /);
  assert.match(source, /Written against: trl 1\.9\.0/);
  // The same check catches a misspelt key.
  assert.equal(known.has('warmup_ratios'), false);
});

test('every key of the LLaMA-Factory template is a v0.9.5 hparams field; the entry fills it per round', { skip: NO_PYTHON }, async () => {
  const known = fields('llama-factory/hparams-fields.txt', 'tools/transformers-training-arguments.txt');
  const template = readFileSync(join(RECIPES, 'llama-factory', 'dpo.yaml'), 'utf8');
  const keys = yamlKeys(template);
  assert.ok(keys.includes('pref_beta') && keys.includes('ref_model_adapters') && keys.includes('dataset_dir'));
  assert.deepEqual(keys.filter((k) => !known.has(k)), []);

  const dir = mkdtempSync(join(tmpdir(), 'rlaifv lf '));
  try {
    await writeLlamaFactoryDataset(join(dir, 'data', 'llama-factory'), pairRecords(3));
    const run = (base: string, mode: string) => spawnSync(PYTHON!, [join(RECIPES, 'llama-factory', 'train.py'),
      '--dataset', join(dir, 'data'), '--base-model', base, '--output-dir', join(dir, 'out'), '--round', '2',
      '--beta', '0.2', '--lr', '1e-6', '--ref-logps', join(dir, 'ref.jsonl'), '--mode', mode, '--dry-run'], { encoding: 'utf8' });
    const full = run('llava-hf/llava-1.5-7b-hf', 'full');
    assert.equal(full.status, 0, full.stderr);
    assert.match(full.stderr, /--ref-logps .* ignored: LLaMA-Factory v0\.9\.5 cannot take precomputed reference log-probs/);
    assert.match(full.stdout, /^template: llava$/m);
    assert.match(full.stdout, /^pref_beta: 0\.2$/m);
    assert.match(full.stdout, /^gradient_accumulation_steps: 8$/m);
    const fullKeys = yamlKeys(full.stdout);
    assert.deepEqual(fullKeys.filter((k) => /^lora_|^adapter_name_or_path$|^ref_model|^resume_from_checkpoint$/.test(k)), [], 'unset keys are dropped');
    assert.ok(fullKeys.includes('finetuning_type') && !/^\w.*\$\{/m.test(full.stdout), 'every kept value is filled');

    // Round 2 of LoRA: continue the previous adapter; pi_ref = its base plus that adapter.
    const adapter = join(dir, 'round-1');
    mkdirSync(adapter);
    writeFileSync(join(adapter, 'adapter_config.json'), JSON.stringify({ base_model_name_or_path: 'Qwen/Qwen2-VL-7B-Instruct' }));
    const lora = run(adapter, 'lora');
    assert.equal(lora.status, 0, lora.stderr);
    assert.match(lora.stdout, /^model_name_or_path: Qwen\/Qwen2-VL-7B-Instruct$/m);
    assert.match(lora.stdout, new RegExp(`^adapter_name_or_path: ${adapter}$`, 'm'));
    assert.match(lora.stdout, /^ref_model: Qwen\/Qwen2-VL-7B-Instruct$/m);
    assert.match(lora.stdout, /^template: qwen2_vl$/m);
    assert.match(lora.stdout, /^finetuning_type: lora$/m);
    assert.deepEqual(yamlKeys(lora.stdout).filter((k) => !known.has(k)), []);
    assert.match(run(adapter, 'full').stderr, /is a LoRA adapter; full mode needs a full model/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('recipes/rlaifv/train.sh maps the common arguments onto rlaifv dpo and trains a loadable checkpoint', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv recipe ')); // a space in every path
  const script = join(RECIPES, 'rlaifv', 'train.sh');
  try {
    await writeTrlDataset(join(dir, 'data'), pairRecords(4));
    const base = join(dir, 'base');
    await saveCheckpoint(tinyPolicy(3), base);
    const out = join(dir, 'round-1');
    const common = ['--dataset', join(dir, 'data'), '--base-model', base, '--output-dir', out, '--round', '1', '--beta', '0.1', '--lr', '1e-3'];

    // The mapping, without running: an existing --ref-logps file is passed on, extra flags verbatim.
    writeFileSync(join(dir, 'ref.jsonl'), '');
    const dry = spawnSync('bash', [script, ...common, '--ref-logps', join(dir, 'ref.jsonl'), '--dry-run', '--', '--epochs', '1', '--run-name', 'a b'], { encoding: 'utf8', env: ENV, cwd: tmpdir() });
    assert.equal(dry.status, 0, dry.stderr);
    assert.deepEqual(dry.stdout.trimEnd().split('\n'), ['node', join(ROOT, 'bin', 'rlaifv.js'), 'dpo', '--pairs', join(dir, 'data'),
      '--base', base, '--out', out, '--beta', '0.1', '--lr', '1e-3', '--ref-logps', join(dir, 'ref.jsonl'), '--epochs', '1', '--run-name', 'a b']);
    const bad = spawnSync('bash', [script, '--dataset', 'x', '--epochs', '1'], { encoding: 'utf8', env: ENV });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown argument '--epochs'; rlaifv dpo flags go after --/);

    // For real, from another working directory; a missing reference file falls back to rlaifv's own.
    const r = spawnSync('bash', [script, ...common, '--ref-logps', join(dir, 'no-such.jsonl'), '--',
      '--epochs', '1', '--batch-size', '2', '--validate', 'none', '--checkpoints-per-epoch', '1'], { encoding: 'utf8', env: ENV, cwd: tmpdir() });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /no-such\.jsonl does not exist: rlaifv dpo computes the reference log-probs itself/);
    assert.match(r.stderr, /DPO step 2\/2/);
    const trained = loadCheckpoint(out);
    assert.notEqual(await weightsFingerprint(trained), await weightsFingerprint(loadCheckpoint(base)), 'the recipe trained the model');
    // Once rlaifv dpo writes TRL's trainer_state.json, the report reads it like any trainer's.
    if (existsSync(join(out, 'trainer_state.json'))) assert.equal(readTrainerLog(out)!.steps.length, 2);
    assert.ok(readdirSync(out).length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
