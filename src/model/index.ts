/** The embedded vision-language model: build, load, save, run, train. */
import { ModelConfigSchema, type ModelConfig } from './config.ts';
import { EmbeddedModel } from './infer.ts';
import type { Tokenizer } from './tokenizer.ts';
import { initParams, VisionLanguageModel } from './vlm.ts';

export { ModelConfigSchema, type ModelConfig } from './config.ts';
export { EmbeddedModel } from './infer.ts';
export { Tokenizer } from './tokenizer.ts';
export { loadCheckpoint, saveCheckpoint, CheckpointError } from './checkpoint.ts';
export { AdamW, cosineLr } from './optim.ts';
export { sftLoss } from './losses.ts';
export { trainStep } from './train.ts';

/** A freshly initialised model; `config` fields not given take their defaults. */
export function createModel(name: string, tokenizer: Tokenizer, config: Partial<Omit<ModelConfig, 'vocabSize'>>, seed: number): EmbeddedModel {
  const cfg = ModelConfigSchema.parse({ ...config, vocabSize: tokenizer.size });
  return new EmbeddedModel(name, new VisionLanguageModel(cfg, initParams(cfg, seed)), tokenizer);
}
