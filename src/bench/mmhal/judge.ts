/**
 * Judges of an MMHal-Bench answer. The interface lets a judge that knows the exact truth (the
 * embedded world's) plug in beside the LLM judge the benchmark was published with.
 */
import type { ChatModel, DecodingSettings } from '../../backend/types.ts';
import { RlaifvError } from '../../util/errors.ts';
import { parseMmhalRating } from './parse.ts';
import { buildMmhalJudgePrompt } from './prompt.ts';
import type { MmhalItem } from './template.ts';

export interface MmhalRating {
  /** What the judge wrote (its explanation and rating). */
  text: string;
  /** 0..6, or null when the text holds no single rating (scored 0, as the official scorer does). */
  rating: number | null;
}

/** How an LLM judge was asked, recorded with the results because the judge is part of the metric. */
export interface LlmJudgeSettings extends DecodingSettings {
  seed: number;
  /** The official scorer sends the whole prompt as one user message, no system message. */
  messages: 'one user message';
}

export interface MmhalJudge {
  /** Names the judge in results: the chat model's id for the LLM judge. */
  readonly id: string;
  /** Present for the LLM judge. */
  readonly settings?: LlmJudgeSettings;
  rate(item: MmhalItem, answer: string): Promise<MmhalRating>;
}

/**
 * The official decoding: temperature 0 (eval_gpt_mmhal.py), top_p 1 and 512 new tokens (the
 * defaults of RLAIF-V's wrapper, eval/gpt4_grpc.py).
 */
export const MMHAL_JUDGE_DECODING: DecodingSettings = { temperature: 0, topP: 1, maxTokens: 512 };

export interface LlmJudgeOptions {
  /** The model id recorded in results; the chat model's name when absent. */
  id?: string;
  decoding?: DecodingSettings;
  /** Question i is asked with seed `seed + i`, for servers that sample even at temperature 0. */
  seed?: number;
  /**
   * Calls per question before giving up. 1 by default: an HTTP chat model already retries what is
   * retryable (429, 5xx, time-outs); more re-asks on any error, a 400 included.
   */
  attempts?: number;
}

/**
 * The judge of the paper: any OpenAI-compatible chat model given the official prompt, its rating read
 * by the official rule. A text without exactly one rating comes back with `rating: null`, never an
 * error; a chat model that still throws after `attempts` calls is an RlaifvError naming the question.
 * @example
 * const judge = llmMmhalJudge(chat, { id: 'gpt-4-1106-preview' });
 * await judge.rate(items[0], 'The cap is yellow.') // -> { text: '... Rating: 5, ...', rating: 5 }
 */
export function llmMmhalJudge(chat: ChatModel, options: LlmJudgeOptions = {}): MmhalJudge {
  const decoding = options.decoding ?? MMHAL_JUDGE_DECODING;
  const seed = options.seed ?? 0;
  const attempts = options.attempts ?? 1;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be an integer >= 1, got ${attempts}`);
  const id = options.id ?? chat.name;
  return {
    id,
    settings: { ...decoding, seed, messages: 'one user message' },
    async rate(item, answer) {
      const prompt = buildMmhalJudgePrompt(item, answer);
      let lastError: unknown;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          const texts = await chat.complete([prompt], { ...decoding, seed: seed + item.index });
          if (texts.length !== 1) throw new Error(`returned ${texts.length} completions for 1 prompt`);
          const text = texts[0] ?? '';
          const parsed = parseMmhalRating(text);
          return { text, rating: parsed.parsed ? parsed.rating : null };
        } catch (err) {
          lastError = err;
        }
      }
      const why = lastError instanceof Error ? lastError.message : String(lastError);
      throw new RlaifvError(
        `MMHal-Bench question ${item.index} ("${shorten(item.question)}"): the judge '${id}' failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${why}; check the judge server, then run again`,
        { cause: lastError },
      );
    },
  };
}

function shorten(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
