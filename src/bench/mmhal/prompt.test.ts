import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildMmhalJudgePrompt, MMHAL_JUDGE_PROMPT_FILE } from './prompt.ts';
import { readMmhalTemplate } from './template.ts';

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

test('the vendored judge prompt is the official template string, byte for byte', () => {
  // sha256 of the `template` string of eval/eval_gpt_mmhal.py in RLHF-V/RLAIF-V @ 83d917b, as Python evaluates it.
  assert.equal(sha256(readFileSync(MMHAL_JUDGE_PROMPT_FILE)), '2c73d8c50f1740d000fae62cfeed103c2f7a5bcfa904b27e6e09900e7ce600cc');
});

test('buildMmhalJudgePrompt fills the slots as Python\'s str.format does', () => {
  const item = readMmhalTemplate()[0]!;
  const answer = 'The cap is {yellow} $& .';
  const prompt = buildMmhalJudgePrompt(item, answer);
  // sha256 of template.format(', '.join(image_content), question, gt_answer, answer) for record 0, computed with Python.
  assert.equal(sha256(prompt), '1c00eec6f049b1fc73c1b928c2f68b9299b93d11a0230db75fe283415105709f');
  assert.ok(prompt.endsWith([
    '### Image Contents\nFire hydrant',
    '### Question\nWhat color is the fire hydrant cap in the picture?',
    '### Standard Human-Generated Answer\nThe color of the fire hydrant cap in the image is yellow.',
    `### LMM Response to Evaluate\n${answer}\n`,
  ].join('\n\n')));
  assert.ok(prompt.includes('- Rating: 6, very informative with good analysis or reasoning, no hallucination\n'));
  assert.ok(prompt.includes('- Rating: 0, not informative, with hallucination\n'));
});

test('buildMmhalJudgePrompt joins several labels with ", "', () => {
  const prompt = buildMmhalJudgePrompt({ imageContent: ['Tree', 'Tower'], question: 'Q?', gtAnswer: 'A.' }, '');
  assert.ok(prompt.endsWith('### Image Contents\nTree, Tower\n\n### Question\nQ?\n\n### Standard Human-Generated Answer\nA.\n\n### LMM Response to Evaluate\n\n'));
});
