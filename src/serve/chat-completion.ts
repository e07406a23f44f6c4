/**
 * `POST /v1/chat/completions`: validate, pick the kind of answer, ask the backend, wrap the answer.
 * Three kinds: scoring a given response (`continue_final_message: true`), a yes/no judgement
 * (`logprobs`, `max_tokens: 1`, prompt ending with YES_NO_SUFFIX), and sampling (everything else).
 */
import { YES_NO_SUFFIX } from '../backend/types.ts';
import { badRequest, contextLengthError } from './errors.ts';
import { promptTokens } from './extensions.ts';
import { generateChoices, type Answer } from './generate-choices.ts';
import { extractTurn } from './messages.ts';
import type { ModelLease, ServedModels } from './models.ts';
import { parseChatRequest, type ChatRequest } from './parse-request.ts';
import { promptLogprobs, responseLogprobs, scoreChoice } from './score-choice.ts';
import type { ServeSettings } from './settings.ts';
import type { ChatCompletion } from './wire.ts';
import { isYesNoRequest, yesNoChoice } from './yes-no-choice.ts';

export interface ChatContext {
  /** The served models: the request's `model` picks one (none: the base). */
  models: Pick<ServedModels, 'acquire'>;
  settings: ServeSettings;
  /** A fresh completion id. */
  nextId(): string;
  /** Milliseconds since the epoch, for `created`. */
  now(): number;
}

/** Example: `chatCompletion({ messages, n: 3, seed: 7 }, ctx)` -> a `chat.completion` with 3 choices. */
export async function chatCompletion(body: unknown, ctx: ChatContext): Promise<ChatCompletion> {
  const req = parseChatRequest(body, ctx.settings);
  const lease = ctx.models.acquire(req.model);
  try {
    return await answer(req, { ...ctx, ...lease });
  } finally {
    lease.release();
  }
}

type ModelContext = Omit<ChatContext, 'models'> & ModelLease;

async function answer(req: ChatRequest, ctx: ModelContext): Promise<ChatCompletion> {
  const turn = await extractTurn(req.messages, req.continueFinalMessage, { maxPixels: ctx.settings.maxImagePixels });
  // A prompt cut to fit would be answered in as little as one token: refuse it, with the lengths.
  // (Scoring is left as it was: its prompt and response are cut as in training, see model/batch.ts.)
  const fit = req.continueFinalMessage ? undefined : ctx.extensions.promptFit?.(turn.prompt);
  if (fit && fit.promptTokens >= fit.contextTokens) throw contextLengthError(fit.contextTokens, fit.promptTokens);
  const promptCount = promptTokens(ctx.extensions, turn.prompt);
  let choice: Answer;
  let extra: Pick<ChatCompletion, 'response_logprobs' | 'prompt_logprobs'> = {};
  let usagePrompt = promptCount;
  if (req.continueFinalMessage) {
    if (req.n !== 1) throw badRequest(`n must be 1 when scoring a response (continue_final_message: true), got ${req.n}`, 'n');
    const scored = await scoreChoice(ctx.backend, turn);
    choice = scored;
    extra = { response_logprobs: responseLogprobs(scored.logProbs), prompt_logprobs: promptLogprobs(scored.logProbs) };
    usagePrompt += scored.logProbs.tokens.length; // the response is part of the prompt here, as in vLLM
  } else if (isYesNoRequest(req, turn.prompt)) {
    if (req.n !== 1) throw badRequest(`n must be 1 for a yes/no logprobs request (the answer is the most likely token), got ${req.n}`, 'n');
    choice = await yesNoChoice(ctx.backend, ctx.extensions, turn, req);
  } else if (req.logprobs) {
    throw badRequest(
      'logprobs are supported for yes/no questions only (max_tokens: 1 and a prompt ending with '
        + `${JSON.stringify(YES_NO_SUFFIX)}); to score a response use continue_final_message: true with prompt_logprobs`,
      'logprobs', 'unsupported_parameter',
    );
  } else {
    choice = await generateChoices(ctx.backend, turn, req);
  }
  return {
    id: ctx.nextId(),
    object: 'chat.completion',
    created: Math.floor(ctx.now() / 1000),
    model: ctx.name,
    choices: choice.choices,
    usage: { prompt_tokens: usagePrompt, completion_tokens: choice.completionTokens, total_tokens: usagePrompt + choice.completionTokens },
    ...extra,
  };
}
