/** Settings of the run store, default and reason together; the CLI folds this into its schema. */
import { z } from 'zod';

export const StoreSettingsSchema = z.strictObject({
  busyTimeoutMs: z.number().int().nonnegative().default(5000)
    .describe('how long a write waits for another process\'s lock before failing with StoreLockedError; '
      + 'writes are short transactions, so 5 s only runs out when another run really holds the store'),
  readonly: z.boolean().default(false)
    .describe('open without writing (to inspect or chart a store while a run is using it)'),
});
export type StoreSettings = z.infer<typeof StoreSettingsSchema>;
