/**
 * The model specification every stage depends on. Backends (embedded TF.js models, any
 * OpenAI-compatible server, the recording mock) implement it; stages never import a backend.
 */
import type { RgbImage } from '../image/rgb.ts';

/** Sampling settings that every candidate records (docs/method.md §1). */
export interface DecodingSettings {
  temperature: number;
  topP: number;
  maxTokens: number;
}

/** `n` candidates per request; candidate j uses seed `(request.seed ?? seed) + j`. */
export interface GenerateOptions extends DecodingSettings {
  n: number;
  seed: number;
}

export interface GenerateRequest {
  image: RgbImage;
  prompt: string;
  /** Overrides `GenerateOptions.seed` for this request, so a request's samples do not depend on its batch. */
  seed?: number;
}

export interface Candidate {
  text: string;
  seed: number;
  model: string;
  settings: DecodingSettings;
  /** Generated tokens, end-of-sequence excluded. */
  tokens: number;
  finishReason: 'stop' | 'length';
  /** log pi(token) under the model (temperature 1) per generated token, where the backend reports it. */
  tokenLogProbs?: number[];
}

/** The labeler is asked `"<question> Please answer yes or no."` (docs/method.md §2.3). */
export const YES_NO_SUFFIX = ' Please answer yes or no.';

export interface YesNoQuery {
  image: RgbImage;
  question: string;
}

/** `yes` = P(yes) + P(Yes), `no` = P(no) + P(No) at the first answer token. */
export interface YesNoResult {
  yes: number;
  no: number;
}

export interface ScoreRequest {
  image: RgbImage;
  prompt: string;
  response: string;
}

/** Log-probabilities of a response given image and prompt, end-of-sequence token included. */
export interface SequenceLogProbs {
  sum: number;
  tokenLogProbs: number[];
  tokens: string[];
}

/**
 * The capabilities a vision-language model can have, one interface each (as vercel/ai splits its
 * model specification): a consumer asks for only what it calls, so the world oracle can be a
 * labeler without pretending to sample, and an HTTP server is probed for only what a run needs.
 */
interface BackendBase {
  readonly name: string;
  close?(): Promise<void>;
}

/** Samples responses: the data engine's policy, eval's describer. */
export interface Sampler extends BackendBase {
  generate(batch: GenerateRequest[], options: GenerateOptions): Promise<Candidate[][]>;
}

/** Answers yes/no questions about an image with probabilities: the data engine's labeler. */
export interface YesNoJudge extends BackendBase {
  yesNo(batch: YesNoQuery[]): Promise<YesNoResult[]>;
}

/** Scores a given response: DPO's reference model. */
export interface ResponseScorer extends BackendBase {
  logProbs(batch: ScoreRequest[]): Promise<SequenceLogProbs[]>;
}

/** A vision-language model with every capability: sample, judge yes/no, score. */
export interface ModelBackend extends Sampler, YesNoJudge, ResponseScorer {}

/** The capabilities by the method each one adds: `needs: ['generate', 'yesNo']`. */
export type BackendCapability = 'generate' | 'yesNo' | 'logProbs';

/** A backend with the capabilities `N`: `BackendWith<'generate' | 'yesNo'>` is a Sampler and a YesNoJudge. */
export type BackendWith<N extends BackendCapability> = Pick<ModelBackend, 'name' | 'close' | N>;

/** Whether `b` answers yes/no questions, e.g. a policy asked to label its own candidates. */
export function isYesNoJudge(b: Sampler | YesNoJudge | ResponseScorer): b is YesNoJudge {
  return typeof (b as Partial<YesNoJudge>).yesNo === 'function';
}

/** A text-only LLM for the divide and convert steps (docs/method.md §2.1-2.2). */
export interface ChatModel {
  readonly name: string;
  /** One completion per prompt; prompt i is sampled with seed `options.seed + i`. */
  complete(prompts: string[], options: DecodingSettings & { seed: number }): Promise<string[]>;
  close?(): Promise<void>;
}

/** The accept rule of the paper: strictly more yes than no; a tie rejects. */
export function accepts(r: YesNoResult): boolean {
  return r.yes > r.no;
}
