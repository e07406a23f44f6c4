/** What `rlaifv generate` does with its settings: open the models, run the data engine, say what was written. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatModel } from '../backend/types.ts';
import { openChatModel, openModel } from '../model/open.ts';
import type { DataEngineConfig } from '../pipeline/config.ts';
import { runDataEngine } from '../pipeline/index.ts';
import { loadSettings, PACKAGE_ROOT, shippedModel } from '../settings.ts';
import { ConfigError } from '../util/errors.ts';

export async function runGenerateCommand(config: DataEngineConfig, out: string): Promise<void> {
  const settings = loadSettings();
  const shipped = (role: 'policy-base' | 'labeler') => {
    try {
      return shippedModel(settings, role);
    } catch (err) {
      throw new ConfigError(`${(err as Error).message}, or pass --${role === 'labeler' ? 'labeler' : 'policy'} DIR|URL`);
    }
  };
  const opened: Array<{ close(): Promise<void> }> = [];
  const track = <T extends { close(): Promise<void> }>(model: T): T => (opened.push(model), model);
  try {
    // With self-feedback the policy also judges its own candidates.
    const policy = track(await openModel(config.models.policy ?? shipped('policy-base'), {
      role: 'policy', needs: config.label.selfFeedback ? ['generate', 'yesNo'] : ['generate'], modelName: config.models.policyModel,
    }));
    const labeler = config.label.selfFeedback ? undefined : track(await openModel(config.models.labeler ?? shipped('labeler'), {
      role: 'labeler', needs: ['yesNo'], modelName: config.models.labelerModel,
    }));
    let chat: ChatModel | undefined;
    if (config.divide.method === 'llm' || config.questions.method === 'llm') {
      if (!config.models.llm) throw new ConfigError("divide/questions method is 'llm': give the text LLM's base URL with --llm URL (or models.llm in the config)");
      chat = track(await openChatModel(config.models.llm, { role: 'llm', modelName: config.models.llmModel })).backend;
    }
    const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const progress = settings.progress === 'off' ? undefined
      : settings.progress === 'plain' ? { write: (s: string) => process.stderr.write(s) } : process.stderr;
    const result = await runDataEngine(config, {
      policy: policy.backend, ...(labeler && { labeler: labeler.backend }), ...(chat && { chat }),
      outDir: out, ...(progress && { progress }), version,
      modelIds: { policy: policy.id, ...(labeler && { labeler: labeler.id }) },
    });
    const s = result.summary;
    process.stdout.write(`${s.pairs} preference pairs from ${s.instructions} instructions written to ${out} (${Object.keys(result.files).join(', ')})\n`);
  } finally {
    for (const m of opened) await m.close();
  }
}
