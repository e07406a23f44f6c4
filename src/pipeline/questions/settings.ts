/** Settings of the convert step (SPEC §2.2): the same sampling defaults as the divide step. */
import { z } from 'zod';
import { chatSamplingFields } from '../divide/settings.ts';
import { DEFAULT_CONVERT_TEMPLATE } from './prompt.ts';

export const ConvertSettingsSchema = z.strictObject({
  ...chatSamplingFields,
  template: z.string().default(DEFAULT_CONVERT_TEMPLATE)
    .refine((t) => t.includes('{claims}'), { message: 'the convert template must contain the placeholder {claims}' })
    .describe('the prompt, with a {claims} placeholder replaced by one "- claim" line per claim; swap in the exact wording a fine-tuned convert model was trained on'),
});
export type ConvertSettings = z.infer<typeof ConvertSettingsSchema>;

/** `parseConvertSettings({})` gives the official defaults; unknown keys are rejected. */
export function parseConvertSettings(input: unknown = {}): ConvertSettings {
  return ConvertSettingsSchema.parse(input);
}
