/**
 * Settings of the divide step (SPEC §2.1). The sampling fields are shared with the convert step
 * (src/questions), which uses the same official defaults, so they are written down once here.
 */
import { z } from 'zod';
import { DEFAULT_DIVIDE_TEMPLATE } from './prompt.ts';

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

/** `parseDivideSettings({})` gives the official defaults; unknown keys are rejected. */
export function parseDivideSettings(input: unknown = {}): DivideSettings {
  return DivideSettingsSchema.parse(input);
}
