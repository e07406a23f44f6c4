/**
 * The questions stage: each claim becomes a yes/no question (docs/method.md §2.2), by the method its section
 * names (see QUESTION_METHODS). An LLM that returns another number of questions than there are
 * claims makes the conversion fail: that response gets no verdicts and is never paired (docs/method.md §2.4).
 */
import { pick, withoutMethod } from '../../util/registry.ts';
import { deriveSeed } from '../../util/rng.ts';
import { toPolarQuestion } from '../../world/index.ts';
import { nonEmptyClaims } from '../divide/claims.ts';
import type { ChatRole, Division } from '../divide/stage.ts';
import type { CandidateRecord } from '../sample/stage.ts';
import { cachedStage, pureStageDone, reporter, type StageContext } from '../stage.ts';
import { convertWithLlm } from './llm.ts';
import type { Conversion } from './parse.ts';
import type { QuestionMethod, QuestionsStage } from './settings.ts';

/** What a question method is given: the stage's section, the run's sampling seed, each candidate's non-empty claims. */
interface QuestionsJob {
  ctx: StageContext;
  section: QuestionsStage;
  seed: number;
  candidates: readonly CandidateRecord[];
  claims: readonly string[][];
  chat: ChatRole | undefined;
}

type Questioner = (job: QuestionsJob) => Promise<Conversion[]>;

const QUESTIONERS: Record<QuestionMethod, Questioner> = {
  rules: byRule,
  llm: withLlm,
};

/**
 * One Conversion per candidate; when ok, `questions[i]` asks about the i-th non-empty claim.
 * `await convertClaims(ctx, config.questions, config.sampling.seed, candidates, divisions, undefined)` with method 'rules'.
 */
export function convertClaims(
  ctx: StageContext, section: QuestionsStage, seed: number, candidates: readonly CandidateRecord[], divisions: readonly Division[],
  chat: ChatRole | undefined,
): Promise<Conversion[]> {
  const claims = divisions.map((d) => nonEmptyClaims(d.claims));
  return pick('questions.method', QUESTIONERS, section.method)({ ctx, section, seed, candidates, claims, chat });
}

async function byRule({ ctx, candidates, claims }: QuestionsJob): Promise<Conversion[]> {
  const progress = reporter(ctx, 'convert', candidates.length, 'ans');
  const out = claims.map((c): Conversion => ({ ok: true, questions: c.map(toPolarQuestion) }));
  progress.update(candidates.length);
  pureStageDone(ctx, progress, candidates.length);
  return out;
}

interface ConvertInput {
  claims: string[];
  seed: number;
}

async function withLlm({ ctx, section, seed, candidates, claims, chat }: QuestionsJob): Promise<Conversion[]> {
  if (!chat) throw new Error("questions.method is 'llm' but no text LLM was given: set models.llm to the base URL of an OpenAI-compatible server (or use questions.method 'rules')");
  const settings = withoutMethod(section);
  // Responses without claims need no call: they are never scored.
  const todo = candidates.flatMap((c, i) => (claims[i]!.length > 0 ? [i] : []));
  const inputs = todo.map((i): ConvertInput => ({ claims: claims[i]!, seed: deriveSeed(seed, 'convert', candidates[i]!.id) }));
  const converted = await cachedStage<ConvertInput, Conversion>(ctx, { stage: 'convert', model: chat.id, settings }, inputs, (batch) =>
    Promise.all(batch.map(async (b) => (await convertWithLlm(chat.model, [b.claims], settings, b.seed))[0]!)), 'ans');
  const out: Conversion[] = claims.map(() => ({ ok: true, questions: [] }));
  todo.forEach((i, k) => { out[i] = converted[k]!; });
  return out;
}
