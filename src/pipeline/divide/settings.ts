/**
 * Settings of the divide stage (docs/method.md §2.1): which method divides, and the text LLM's settings for
 * method llm. The sampling fields are shared with the questions stage, which uses the same official
 * defaults, so they are written down once here.
 */
import { z } from 'zod';
import { describeChoices, names } from '../../util/registry.ts';
import { DEFAULT_DIVIDE_TEMPLATE } from './prompt.ts';

/** The divide methods and what each does; the stage's registry implements exactly these. */
const DIVIDE_METHODS = {
  rules: "the world's claim splitter, one claim per sentence (exact on world text, a sentence splitter elsewhere)",
  atomic: "the same, with each world object mention split into its existence and one claim per attribute",
  llm: 'a text LLM at models.llm (docs/method.md §2.1)',
  whole: 'ABLATION ONLY: the whole answer is one claim (no divide-and-conquer)',
} as const;
export type DivideMethod = keyof typeof DIVIDE_METHODS;

/** Sampling of the text LLM in the official pipeline (a fine-tuned Llama-3-8B, `llama3_8b_inference.py`). */
export const chatSamplingFields = {
  temperature: z.number().min(0).default(0.2)
    .describe('sampling temperature of the text LLM; 0.2 as in the official pipeline: near-greedy, still seedable'),
  topP: z.number().gt(0).max(1).default(0.9).describe('nucleus sampling mass; 0.9 as in the official pipeline'),
  maxTokens: z.number().int().positive().default(256)
    .describe('new tokens per completion; 256 as in the official pipeline (~25 short facts)'),
};

export const DivideSettingsSchema = z.strictObject({
  ...chatSamplingFields,
  promptWords: z.number().int().positive().default(300)
    .describe('the filled prompt (instructions + question + answer) is cut to its first promptWords space-separated words, as officially'),
  template: z.string().default(DEFAULT_DIVIDE_TEMPLATE)
    .refine((t) => t.includes('{answer}'), { message: 'the divide template must contain the placeholder {answer}' })
    .describe('the prompt, with {question} and {answer} placeholders; swap in the exact wording a fine-tuned divide model was trained on'),
});
export type DivideSettings = z.infer<typeof DivideSettingsSchema>;

/** The divide stage's section of the data-engine configuration. */
export const DivideStageSchema = z.strictObject({
  method: z.enum(names(DIVIDE_METHODS)).default('rules').describe(describeChoices(DIVIDE_METHODS)),
  ...DivideSettingsSchema.shape,
}).describe('divide answers into atomic claims (docs/method.md §2.1); the LLM settings apply to method llm');
export type DivideStage = z.infer<typeof DivideStageSchema>;


