/**
 * The judge's prompt as the official scorer builds it (eval/eval_gpt_mmhal.py in RLHF-V/RLAIF-V
 * @ 83d917b): one user message, no system message. Its text is vendored unchanged in
 * data/benchmarks/mmhal/judge-prompt.txt because the wording is part of the metric. In order it
 * holds: the judge's role (rate an LMM answer on informativeness and hallucination, with the
 * definition of hallucination); five worked examples (image contents, question, human answer, LMM
 * response, analysis, "Hallucination: Yes/No"); the instructions (the human answer may be
 * incomplete, reward analysis, explain first, then rate); the seven rating options, 6 (very
 * informative with good analysis, no hallucination) down to 0 (not informative, with
 * hallucination), each written `Rating: d`; and four slots filled in this order: image contents
 * (the labels joined with ', '), question, standard human-generated answer, LMM response.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../settings.ts';
import type { MmhalItem } from './template.ts';

export const MMHAL_JUDGE_PROMPT_FILE = join(PACKAGE_ROOT, 'data', 'benchmarks', 'mmhal', 'judge-prompt.txt');

const SLOT = '{}';
const SLOTS = 4;

let cached: string[] | undefined;

/** The vendored prompt cut at its four `{}` slots (five pieces). */
function promptPieces(): string[] {
  if (cached) return cached;
  const pieces = readFileSync(MMHAL_JUDGE_PROMPT_FILE, 'utf8').split(SLOT);
  if (pieces.length !== SLOTS + 1) throw new Error(`${MMHAL_JUDGE_PROMPT_FILE}: expected ${SLOTS} '{}' slots, found ${pieces.length - 1}; restore the vendored file`);
  cached = pieces;
  return pieces;
}

/**
 * The judge prompt for one answer, as Python's `template.format(...)` fills it: the values go in
 * verbatim (braces or `$` in an answer are not special).
 * `buildMmhalJudgePrompt(item, 'The cap is yellow.')` ends with
 * `### LMM Response to Evaluate\nThe cap is yellow.\n`.
 */
export function buildMmhalJudgePrompt(item: Pick<MmhalItem, 'imageContent' | 'question' | 'gtAnswer'>, answer: string): string {
  const values = [item.imageContent.join(', '), item.question, item.gtAnswer, answer];
  const pieces = promptPieces();
  return pieces.map((piece, i) => (i < SLOTS ? piece + values[i] : piece)).join('');
}
