/** Settings of progress reporting, default and reason together; the CLI folds this into its schema. */
import { z } from 'zod';

export const ProgressSettingsSchema = z.strictObject({
  ttyIntervalMs: z.number().int().positive().default(100)
    .describe('redraw the progress line at most this often on a terminal; 10 Hz looks live and costs nothing'),
  plainIntervalMs: z.number().int().positive().default(10_000)
    .describe('when stderr is not a terminal (CI logs), print a progress line at most this often; the final line always prints'),
  halfLifeSeconds: z.number().positive().default(5)
    .describe('smoothing of the rate: weights halve every this many seconds; longer is steadier, shorter follows changes faster'),
});
export type ProgressSettings = z.infer<typeof ProgressSettingsSchema>;
