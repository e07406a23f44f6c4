/**
 * The one place that reads the environment. Everything else takes values as parameters.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './util/errors.ts';

/** The package root (where package.json and models/ live), found from this file. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface Settings {
  /** Folder holding the shipped checkpoints (`policy-base/`, `labeler/`). */
  modelsDir: string;
  /** Progress output: 'auto' (a live line on a TTY, periodic lines otherwise), 'plain' or 'off'. */
  progress: 'auto' | 'plain' | 'off';
  /** Print stack traces for every error, not one line (RLAIFV_DEBUG=1). */
  debug: boolean;
  /** VLLM_ALLOW_RUNTIME_LORA_UPDATING=True (or 1), read as vLLM reads it: `rlaifv serve` then answers the adapter routes, as vLLM does. */
  runtimeLoraUpdating: boolean;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const progress = env.RLAIFV_PROGRESS ?? 'auto';
  if (!['auto', 'plain', 'off'].includes(progress)) {
    throw new ConfigError(`RLAIFV_PROGRESS='${progress}': must be one of auto, plain, off`);
  }
  return {
    modelsDir: env.RLAIFV_MODELS_DIR ? resolve(env.RLAIFV_MODELS_DIR) : join(PACKAGE_ROOT, 'models'),
    progress: progress as Settings['progress'],
    debug: Boolean(env.RLAIFV_DEBUG),
    runtimeLoraUpdating: ['1', 'true'].includes((env.VLLM_ALLOW_RUNTIME_LORA_UPDATING ?? '0').trim().toLowerCase()),
  };
}

/** The shipped checkpoint for a role, with an error that says how to rebuild it when it is missing. */
export function shippedModel(settings: Settings, role: 'policy-base' | 'labeler' | 'policy-aligned'): string {
  const dir = join(settings.modelsDir, role);
  if (!existsSync(join(dir, 'model.safetensors'))) {
    const rebuild = role === 'policy-aligned' ? `npx rlaifv demo --out runs/demo' and copy runs/demo/round-4/model there` : `npx rlaifv pretrain --role ${role === 'labeler' ? 'labeler' : 'policy'} --out ${dir}'`;
    throw new ConfigError(`shipped checkpoint ${dir} is missing: run '${rebuild}`);
  }
  return dir;
}
