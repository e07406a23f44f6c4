/**
 * The sample stage with prompts that do not fit the policy's context: such an instruction is
 * skipped with the reason and counted, never answered from a cut prompt, whether the policy is the
 * embedded model (which refuses it itself) or a server (whose 400 the HTTP backend turns into the
 * same PromptTooLongError).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contextLengthMessage, PromptTooLongError } from '../../backend/context-length.ts';
import { MockBackend } from '../../backend/mock.ts';
import type { Candidate, GenerateOptions, GenerateRequest } from '../../backend/types.ts';
import { encodePng } from '../../image/codec.ts';
import { runDataEngine } from '../run.ts';
import { CountingBackend, readJsonl, tinyConfig, tinyModels } from '../testing.ts';

let root: string;
before(() => { root = mkdtempSync(join(tmpdir(), 'rlaifv-sample-')); });
after(() => rmSync(root, { recursive: true, force: true }));

const LONG = Array.from({ length: 150 }, () => 'red').join(' ');
const labeler = new MockBackend('mock-labeler', { yesNo: () => ({ yes: 0.9, no: 0.1 }) });

/** An instruction file of three records, the second with a 150-word question. */
function instructionFile(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'a.png'), encodePng({ width: 4, height: 4, data: new Uint8Array(48).fill(10) }));
  writeFileSync(join(dir, 'in.jsonl'), [
    { id: 'q1', image: 'a.png', question: 'What is here?' },
    { id: 'q2', image: 'a.png', question: LONG },
    { id: 'q3', image: 'a.png', question: 'Describe it.' },
  ].map((r) => JSON.stringify(r)).join('\n'));
  return join(dir, 'in.jsonl');
}

test('an instruction whose prompt does not fit the embedded policy is skipped with the reason and counted, and stays skipped on a rerun', async () => {
  const dir = join(root, 'embedded');
  const { policy } = await tinyModels();
  const counting = new CountingBackend(policy);
  const lines: string[] = [];
  const config = tinyConfig({ input: { source: instructionFile(dir) }, sampling: { n: 2 }, batchSize: 4 });
  const progress = { write: (t: string) => { lines.push(t); return true; } };
  const r = await runDataEngine(config, { policy: counting, labeler, outDir: join(dir, 'out'), progress });
  assert.equal(r.summary.instructions, 2);
  assert.equal(r.summary.skippedInstructions, 1);
  assert.equal(r.summary.candidates, 4);
  // 9 visual tokens + <bos> 150 words <sep> against 9 + maxText 112.
  const reason = `the prompt does not fit the context of policy 'tiny-policy': ${contextLengthMessage(121, 161)}`;
  assert.ok(lines.includes(`skipped instruction q2 (generate): ${reason}\n`), lines.join(''));
  assert.deepEqual([...new Set(readJsonl(join(dir, 'out', 'candidates.jsonl')).map((c) => c.instructionId))], ['q1', 'q3']);

  // The skip is in the run store: a rerun reports it again without asking the policy.
  const asked = counting.counts.generate;
  const again: string[] = [];
  const rerun = await runDataEngine(config, { policy: counting, labeler, outDir: join(dir, 'out'), progress: { write: (t: string) => { again.push(t); return true; } } });
  assert.equal(counting.counts.generate, asked);
  assert.equal(rerun.summary.skippedInstructions, 1);
  assert.ok(again.includes(`skipped instruction q2 (generate): ${reason}\n`));
  policy.dispose();
});

/** A server-like policy: refuses long prompts in a batch with PromptTooLongError, answering the others in it (as the HTTP backend does). */
class RefusingPolicy extends MockBackend {
  /** The prompts of each call. */
  readonly asked: string[][] = [];

  constructor(private readonly withAnswers: boolean) {
    super('server-policy');
  }

  override async generate(batch: GenerateRequest[], options: GenerateOptions): Promise<Candidate[][]> {
    this.asked.push(batch.map((r) => r.prompt));
    const overflows = batch.flatMap((r, index) => (r.prompt.length > 100 ? [{ index, message: 'the request exceeds the available context size, try increasing it' }] : []));
    if (overflows.length === 0) return super.generate(batch, options);
    const fits = batch.filter((_, i) => !overflows.some((o) => o.index === i));
    const answers = this.withAnswers && fits.length > 0 ? await super.generate(fits, options) : [];
    const answered = this.withAnswers ? batch.map((_, i) => (overflows.some((o) => o.index === i) ? undefined : answers.shift())) : [];
    throw new PromptTooLongError(this.name, overflows, answered);
  }
}

test('a server policy\'s refusal skips only the instructions that do not fit; answers it gave with the refusal are not asked again', async () => {
  for (const withAnswers of [true, false]) {
    for (const mixed of [undefined, [{ temperature: 0.7, topP: 1 }, { temperature: 1.2, topP: 0.9 }]]) {
      const dir = join(root, `server-${withAnswers}-${mixed ? 'mixed' : 'plain'}`);
      const policy = new RefusingPolicy(withAnswers);
      const r = await runDataEngine(tinyConfig({ input: { source: instructionFile(dir) }, sampling: { n: 2, ...(mixed && { mixed }) }, batchSize: 4 }), {
        policy, labeler, outDir: join(dir, 'out'),
      });
      assert.deepEqual([r.summary.instructions, r.summary.skippedInstructions, r.summary.candidates], [2, 1, 4], dir);
      // The refused call, the call for the rest unless the refusal carried their answers, and (the
      // ablation asks once per candidate index) the second index's call, without the refused one.
      assert.equal(policy.asked.length, (withAnswers ? 1 : 2) + (mixed ? 1 : 0), `${dir}: ${JSON.stringify(policy.asked.map((c) => c.length))}`);
      assert.deepEqual(policy.asked.at(-1), withAnswers && !mixed ? ['What is here?', LONG, 'Describe it.'] : ['What is here?', 'Describe it.'], dir);
    }
  }
});

test('any other failure of the policy still fails the run', async () => {
  const dir = join(root, 'broken');
  const policy = new MockBackend('broken', { text: () => { throw new Error('GPU on fire'); } });
  await assert.rejects(runDataEngine(tinyConfig({ input: { source: instructionFile(dir) } }), { policy, labeler, outDir: join(dir, 'out') }), /GPU on fire/);
});
