/**
 * Stage 4: each claim becomes a yes/no question (SPEC §2.2), by the world's rules (negations kept)
 * or with a text LLM. An LLM that returns another number of questions than there are claims makes
 * the conversion fail: that response gets no verdicts and is never paired (SPEC §2.4).
 */
import type { ChatModel } from '../../backend/types.ts';
import { nonEmptyClaims } from '../divide/claims.ts';
import { convertWithLlm } from './convert.ts';
import type { Conversion } from './parse.ts';
import type { ConvertSettings } from './settings.ts';
import { deriveSeed } from '../../util/rng.ts';
import { toPolarQuestion } from '../../world/index.ts';
import type { DataEngineConfig } from '../config.ts';
import type { Division } from '../divide/stage.ts';
import type { CandidateRecord } from '../sample/stage.ts';
import { cachedStage, pureStageDone, reporter, type StageContext } from '../stage.ts';

interface ConvertInput {
  claims: string[];
  seed: number;
}

/** The convert settings without the method. */
export function convertSettings(questions: DataEngineConfig['questions']): ConvertSettings {
  const { method: _method, ...settings } = questions;
  return settings;
}

/**
 * One Conversion per candidate; when ok, `questions[i]` asks about the i-th non-empty claim.
 * `await convertClaims(ctx, config, candidates, divisions, undefined)` with method 'rules'.
 */
export async function convertClaims(
  ctx: StageContext, config: DataEngineConfig, candidates: readonly CandidateRecord[], divisions: readonly Division[],
  chat: { model: ChatModel; id: string } | undefined,
): Promise<Conversion[]> {
  const claims = divisions.map((d) => nonEmptyClaims(d.claims));
  if (config.questions.method === 'rules') {
    const progress = reporter(ctx, 'convert', candidates.length, 'ans');
    const out = claims.map((c): Conversion => ({ ok: true, questions: c.map(toPolarQuestion) }));
    progress.update(candidates.length);
    pureStageDone(ctx, progress, candidates.length);
    return out;
  }
  if (!chat) throw new Error("questions.method is 'llm' but no text LLM was given: set models.llm to the base URL of an OpenAI-compatible server (or use questions.method 'rules')");
  const settings = convertSettings(config.questions);
  // Responses without claims need no call: they are never scored.
  const todo = candidates.flatMap((c, i) => (claims[i]!.length > 0 ? [i] : []));
  const inputs = todo.map((i): ConvertInput => ({ claims: claims[i]!, seed: deriveSeed(config.sampling.seed, 'convert', candidates[i]!.id) }));
  const converted = await cachedStage<ConvertInput, Conversion>(ctx, { stage: 'convert', model: chat.id, settings }, inputs, (batch) =>
    Promise.all(batch.map(async (b) => (await convertWithLlm(chat.model, [b.claims], settings, b.seed))[0]!)), 'ans');
  const out: Conversion[] = claims.map(() => ({ ok: true, questions: [] }));
  todo.forEach((i, k) => { out[i] = converted[k]!; });
  return out;
}
