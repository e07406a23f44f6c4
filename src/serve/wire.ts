/**
 * The OpenAI (and vLLM-extra) wire shapes the server returns. Only what rlaifv serves is declared.
 */

/** vLLM's card: an adapter's `root` is the path it was loaded from and its `parent` the base model's name. */
export interface ModelCard {
  id: string;
  object: 'model';
  created: number;
  owned_by: 'rlaifv';
  root: string;
  parent: string | null;
}

export interface ModelList {
  object: 'list';
  data: ModelCard[];
}

export interface TopLogprob {
  token: string;
  logprob: number;
  /** UTF-8 bytes of `token`, as OpenAI sends them. */
  bytes: number[];
}

export interface TokenLogprob extends TopLogprob {
  top_logprobs: TopLogprob[];
}

export interface ChatChoice {
  index: number;
  message: { role: 'assistant'; content: string };
  finish_reason: 'stop' | 'length';
  logprobs: { content: TokenLogprob[] } | null;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** vLLM's `Logprob` for one prompt position: `{[tokenId]: {logprob, rank, decoded_token}}`. */
export type PromptLogprobEntry = Record<string, { logprob: number; rank: number | null; decoded_token: string }>;

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: ChatChoice[];
  usage: Usage;
  /** Scoring requests only: the backend's `SequenceLogProbs` in snake case. */
  response_logprobs?: { tokens: string[]; token_logprobs: number[]; sum: number };
  /** Scoring requests only: vLLM's `prompt_logprobs` (see score.ts for what the ids mean). */
  prompt_logprobs?: Array<PromptLogprobEntry | null>;
}

/** vLLM writes -inf log-probabilities as -9999 because JSON has no infinity; so do we. */
const LOGPROB_FLOOR = -9999;

/** A log-probability that survives JSON: non-finite or below the floor becomes `LOGPROB_FLOOR`. */
export function jsonLogprob(x: number): number {
  return Number.isFinite(x) && x > LOGPROB_FLOOR ? x : LOGPROB_FLOOR;
}

export function utf8Bytes(token: string): number[] {
  return [...Buffer.from(token, 'utf8')];
}
