/** Settings of the label stage: the labeler's yes/no check of every claim (docs/method.md §2.3). */
import { z } from 'zod';

export const LabelSchema = z.strictObject({
  selfFeedback: z.boolean().default(false)
    .describe('the policy labels its own candidates (RLAIF-V 12B, docs/method.md §2); models.labeler is then not used'),
}).describe('the labeler check (docs/method.md §2.3)');
export type LabelSettings = z.infer<typeof LabelSchema>;
