/**
 * The label stage: the labeler checks every claim (docs/method.md §2.3): it sees the image and
 * `"<question> Please answer yes or no."` and gives P(yes)+P(Yes) and P(no)+P(No). Results are
 * cached per (image, question), so a question asked about two candidates of one image is asked once.
 * With self-feedback the labeler is the policy itself.
 */
import { YES_NO_SUFFIX, type YesNoJudge, type YesNoResult } from '../../backend/types.ts';
import type { Conversion } from '../questions/parse.ts';
import type { CandidateRecord } from '../sample/stage.ts';
import type { Instruction } from '../instructions/instructions.ts';
import { cachedStage, type StageContext } from '../stage.ts';
import { humanKey, type HumanVerdicts } from './human-verdicts.ts';
import type { Judgement } from './verdict.ts';

interface LabelInput {
  imageKey: string;
  question: string;
}

/**
 * The labeler's answers per candidate, one per question, in question order; undefined when the
 * conversion failed (no questions to match the claims: the response is not scored).
 * `await labelClaims(ctx, labeler, 'labeler', instructions, candidates, conversions)`
 */
export async function labelClaims(
  ctx: StageContext, labeler: YesNoJudge, labelerId: string, instructions: readonly Instruction[],
  candidates: readonly CandidateRecord[], conversions: readonly Conversion[],
): Promise<Array<YesNoResult[] | undefined>> {
  const imageOf = new Map(instructions.map((i) => [i.id, i.imageKey]));
  const inputs: LabelInput[] = [];
  const spans = candidates.map((c, i) => {
    const conv = conversions[i]!;
    if (!conv.ok) return undefined;
    const start = inputs.length;
    for (const question of conv.questions) inputs.push({ imageKey: imageOf.get(c.instructionId)!, question });
    return { start, end: inputs.length };
  });
  const results = await cachedStage<LabelInput, YesNoResult>(
    ctx, { stage: 'label', model: labelerId, settings: { suffix: YES_NO_SUFFIX } }, inputs,
    async (batch) => {
      const queries = await Promise.all(batch.map(async (b) => ({ image: await ctx.images.load(b.imageKey), question: b.question })));
      return (await labeler.yesNo(queries)).map((r) => ({ yes: r.yes, no: r.no }));
    }, 'q',
  );
  return spans.map((s) => (s === undefined ? undefined : results.slice(s.start, s.end)));
}

/**
 * The labeler's answers with a person's attached where `DIR/audit.jsonl` has one for the same
 * instruction and question (the score then counts the person's).
 * `withHumanVerdicts([[{ yes: 0.9, no: 0.1 }]], [cand], [conv], new Map([[humanKey(cand.instructionId, conv.questions[0]), 'no']]))`
 *   -> `[[{ yes: 0.9, no: 0.1, human: 'no' }]]`
 */
export function withHumanVerdicts(
  labels: ReadonlyArray<YesNoResult[] | undefined>, candidates: readonly CandidateRecord[], conversions: readonly Conversion[], human: HumanVerdicts,
): Array<Judgement[] | undefined> {
  if (human.size === 0) return [...labels];
  return labels.map((results, i) => {
    if (!results) return undefined;
    const c = candidates[i]!;
    const questions = conversions[i]!.questions;
    return results.map((r, k) => {
      const answer = human.get(humanKey(c.instructionId, questions[k]!));
      return answer === undefined ? r : { ...r, human: answer };
    });
  });
}
