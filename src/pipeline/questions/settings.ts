/**
 * Settings of the questions stage (docs/method.md §2.2): which method turns claims into yes/no questions, and
 * the text LLM's settings for method llm (the same sampling defaults as the divide stage).
 */
import { z } from 'zod';
import { describeChoices, names } from '../../util/registry.ts';
import { chatSamplingFields } from '../divide/settings.ts';
import { DEFAULT_CONVERT_TEMPLATE } from './prompt.ts';

/** The question methods and what each does; the stage's registry implements exactly these. */
const QUESTION_METHODS = {
  rules: "the world's polar-question rewriter (negations kept)",
  llm: 'a text LLM at models.llm (docs/method.md §2.2)',
} as const;
export type QuestionMethod = keyof typeof QUESTION_METHODS;

export const ConvertSettingsSchema = z.strictObject({
  ...chatSamplingFields,
  template: z.string().default(DEFAULT_CONVERT_TEMPLATE)
    .refine((t) => t.includes('{claims}'), { message: 'the convert template must contain the placeholder {claims}' })
    .describe('the prompt, with a {claims} placeholder replaced by one "- claim" line per claim; swap in the exact wording a fine-tuned convert model was trained on'),
});
export type ConvertSettings = z.infer<typeof ConvertSettingsSchema>;

/** The questions stage's section of the data-engine configuration. */
export const QuestionsStageSchema = z.strictObject({
  method: z.enum(names(QUESTION_METHODS)).default('rules').describe(describeChoices(QUESTION_METHODS)),
  ...ConvertSettingsSchema.shape,
}).describe('turn each claim into a yes/no question (docs/method.md §2.2); the LLM settings apply to method llm');
export type QuestionsStage = z.infer<typeof QuestionsStageSchema>;


