/**
 * The parts of the OpenAI wire format rlaifv reads, as zod schemas: a body missing them is a
 * ResponseFormatError naming the field, not a TypeError three calls later. Unknown fields pass.
 */
import { z } from 'zod';
import { excerptOf, ResponseFormatError } from './errors.ts';

const TopLogprobSchema = z.object({ token: z.string(), logprob: z.number() });

const ChoiceSchema = z.object({
  index: z.number().int().optional(),
  message: z.object({ content: z.string().nullish() }),
  finish_reason: z.string().nullish(),
  logprobs: z.object({
    content: z.array(TopLogprobSchema.extend({ top_logprobs: z.array(TopLogprobSchema).nullish() })).nullish(),
  }).nullish(),
});

/** vLLM: one entry per prompt token (the first is null), mapping token id -> its log-probability. */
const PromptLogprobEntrySchema = z.record(
  z.string(),
  z.object({ logprob: z.number(), rank: z.number().nullish(), decoded_token: z.string().nullish() }),
).nullable();

/** rlaifv serve: log-probabilities of exactly the response tokens, end-of-sequence included. */
const ResponseLogprobsSchema = z.object({
  tokens: z.array(z.string()),
  token_logprobs: z.array(z.number()),
  sum: z.number(),
});

export const ChatCompletionSchema = z.object({
  model: z.string().optional(),
  choices: z.array(ChoiceSchema),
  usage: z.object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() }).nullish(),
  prompt_logprobs: z.array(PromptLogprobEntrySchema).nullish(),
  response_logprobs: ResponseLogprobsSchema.nullish(),
});
export type ChatCompletion = z.infer<typeof ChatCompletionSchema>;
export type ChatChoice = z.infer<typeof ChoiceSchema>;
export type TopLogprob = z.infer<typeof TopLogprobSchema>;
export type PromptLogprobEntry = z.infer<typeof PromptLogprobEntrySchema>;

export const ModelListSchema = z.object({
  data: z.array(z.object({ id: z.string(), owned_by: z.string().nullish(), parent: z.string().nullish() })),
});
export type ModelList = z.infer<typeof ModelListSchema>;

/** vLLM POST /tokenize. */
export const TokenizeSchema = z.object({
  tokens: z.array(z.number().int()),
  token_strs: z.array(z.string()).nullish(),
});
export type Tokenized = z.infer<typeof TokenizeSchema>;

/**
 * Validate a parsed body: `parseBody(ChatCompletionSchema, body, 'POST http://h/v1/chat/completions')`.
 * A string body means the server did not send JSON (the SDK hands text bodies back as strings).
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, where: string): z.infer<S> {
  if (typeof body === 'string' || body === undefined || body === null) {
    throw new ResponseFormatError(where, body ? 'expected a JSON object, got text' : 'empty body', excerptOf(body ?? ''));
  }
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new ResponseFormatError(where, issues, excerptOf(body));
}
