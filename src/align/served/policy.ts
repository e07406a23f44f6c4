/**
 * The policy of a served align run: the replicas' base URLs and, per round, the name M_i is served
 * under there. Round 0 is the model the servers were started with; round i's is the adapter (or
 * reloaded model) its trainer produced.
 */
import type { ModelBackend } from '../../backend/types.ts';
import { fillPlaceholders } from '../../dpo/command-template.ts';
import { hotLoad, servedEverywhere, type HotLoadOptions } from '../../dpo/hot-load.ts';
import { openModel, type OpenedModel } from '../../model/open.ts';
import type { AlignSettings } from '../settings.ts';

/** Where M_i lives: the name requests select it by, and the folder its trainer wrote (none for M_0 = the base). */
export interface ServedModel {
  round: number;
  name: string;
  /** The trainer's output folder, or for round 0 the --base-model the servers were started with. */
  path: string;
}

export class ServedPolicy {
  private constructor(
    private readonly s: AlignSettings,
    readonly baseUrls: string[],
    /** M_0 as the servers serve it. */
    readonly base: ServedModel,
  ) {}

  /** Connect to the policy servers, check what they can do (logged), and learn the starting model's served name. */
  static async open(s: AlignSettings, log: (line: string) => void): Promise<ServedPolicy> {
    const probe = await openPolicy(s.policy!, s.policyModel);
    for (const line of probe.capabilities ?? []) log(line);
    const name = probe.id;
    await probe.close();
    return new ServedPolicy(s, s.policy!.split(',').map((u) => u.trim()).filter(Boolean), { round: 0, name, path: s.served.baseModel! });
  }

  /** M_i as a backend (sample, judge yes/no, score), selected by its served name. */
  open(model: ServedModel): Promise<OpenedModel<ModelBackend>> {
    return openPolicy(this.s.policy!, model.name);
  }

  /** The name round `round`'s model will be served under, its trainer having written `path`. */
  nameOf(round: number, path: string): string {
    const template = this.s.served.load === 'lora' ? this.s.served.adapterName : this.s.served.servedName;
    return fillPlaceholders(template, { round: String(round), output_dir: path });
  }

  /** Make every replica serve `model` (after its training, or on resume when a replica lost it). */
  async load(model: ServedModel, logFile: string, progress: (line: string) => void): Promise<void> {
    await hotLoad(this.hotLoadOptions(model, logFile, progress));
  }

  /**
   * On resume: serve `model` again where a replica no longer lists it (a restarted vLLM forgets
   * its runtime adapters). M_0 is what the servers start with, so it is never loaded.
   */
  async ensureServed(model: ServedModel, logFile: string, progress: (line: string) => void): Promise<void> {
    if (model.round === 0 || await servedEverywhere({ baseUrls: this.baseUrls }, model.name)) return;
    progress(`a policy replica does not serve ${model.name} any more; loading it again`);
    await this.load(model, logFile, progress);
  }

  private hotLoadOptions(model: ServedModel, logFile: string, progress: (line: string) => void): HotLoadOptions {
    const { served } = this.s;
    const values = { round: String(model.round), output_dir: model.path, base_model: this.base.path };
    return {
      kind: served.load, engine: served.loraEngine, baseUrls: this.baseUrls, modelName: model.name,
      adapterPath: fillPlaceholders(served.adapterPath, values),
      ...(served.reloadCommand && { reload: { command: served.reloadCommand, shell: served.trainerShell, values, logFile } }),
      readyTimeoutMs: served.readyTimeoutSeconds * 1000, progress,
    };
  }
}

/** The policy servers as a backend for `modelName` (default: the one they list). */
function openPolicy(urls: string, modelName: string | undefined): Promise<OpenedModel<ModelBackend>> {
  return openModel(urls, { role: 'policy', needs: ['generate', 'yesNo', 'logProbs'], ...(modelName !== undefined && { modelName }) });
}
