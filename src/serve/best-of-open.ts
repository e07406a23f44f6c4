/**
 * Opening the models of a best-of-N server (`rlaifv serve --model DIR|URL --best-of N --reference
 * DIR|URL [--sampler DIR|URL]`), each a checkpoint folder or an OpenAI-compatible server. A server
 * that cannot do its part (score responses, sample) fails here, at start-up, in one line naming its
 * URL and what to run instead; so does a pair of models that score an answer as different tokens.
 */
import type { BackendCapability, ResponseScorer } from '../backend/types.ts';
import { CapabilityError } from '../backend/http/errors.ts';
import type { RgbImage } from '../image/rgb.ts';
import { openModel, type OpenedModel } from '../model/open.ts';
import { ConfigError } from '../util/errors.ts';
import type { BestOfModelsInput } from './best-of-models.ts';
import type { ServableBackend } from './extensions.ts';
import type { ServeSettings } from './settings.ts';

export interface OpenedBestOf {
  /** The aligned policy: the app's `backend` (only its `logProbs` is called). */
  policy: ServableBackend;
  bestOfModels: BestOfModelsInput;
  /** What the start-up checks of the servers found, one line each. */
  capabilities: string[];
  close(): Promise<void>;
}

/** The settings that only best-of-N uses, as the flags that set them. */
const BEST_OF_ONLY = { reference: '--reference', sampler: '--sampler', referenceName: '--reference-name', samplerName: '--sampler-name' } as const;

/**
 * Best-of-N needs a reference; the reference and the others mean nothing without best-of-N.
 * Example: `checkBestOfSettings(parseServeSettings({ bestOf: 8 }))` throws "--best-of 8 needs --reference DIR|URL ...".
 */
export function checkBestOfSettings(settings: ServeSettings): void {
  if (settings.bestOf !== null && settings.reference === null) {
    throw new ConfigError(`--best-of ${settings.bestOf} needs --reference DIR|URL: the model the policy (--model) was trained from, which scores every candidate (and samples them unless --sampler is given)`, 'reference');
  }
  if (settings.bestOf !== null) return;
  const given = (Object.keys(BEST_OF_ONLY) as Array<keyof typeof BEST_OF_ONLY>).filter((k) => settings[k] !== null);
  if (given.length > 0) {
    throw new ConfigError(`${given.map((k) => BEST_OF_ONLY[k]).join(', ')} ${given.length === 1 ? 'is' : 'are'} used only with --best-of N (setting bestOf); add --best-of N or remove ${given.length === 1 ? 'it' : 'them'}`, given[0]);
  }
}

/**
 * Open the policy (`model`), the reference and the sampler of `settings`, checking at start-up that
 * the policy and the reference can score and the sampler can sample.
 * @example
 * const opened = await openBestOf('models/policy-aligned', parseServeSettings({ bestOf: 8, reference: 'models/policy-base' }));
 * createApp({ ...settings, backend: opened.policy, bestOfModels: opened.bestOfModels }); ... await opened.close();
 */
export async function openBestOf(model: string, settings: ServeSettings): Promise<OpenedBestOf> {
  checkBestOfSettings(settings);
  const opened: Array<OpenedModel<unknown>> = [];
  const open = async <N extends BackendCapability>(flag: string, spec: string, needs: N[], name: string | null) => {
    const m = await openForBestOf(flag, spec, needs, name);
    opened.push(m);
    return m;
  };
  try {
    const policy = await open('--model', model, ['logProbs'], settings.modelName);
    const separateSampler = settings.sampler !== null;
    const reference = await open('--reference', settings.reference!, separateSampler ? ['logProbs'] : ['generate', 'logProbs'], settings.referenceName);
    const sampler = separateSampler ? await open('--sampler', settings.sampler!, ['generate'], settings.samplerName) : undefined;
    await checkSameTokens(policy.backend, reference.backend, model, settings.reference!);
    const bestOfModels: BestOfModelsInput = sampler ? { reference: reference.backend, sampler: sampler.backend } : { reference: reference.backend };
    return {
      // A best-of server calls only the policy's logProbs (best-of.ts); the other routes are not answered.
      policy: policy.backend as ServableBackend,
      bestOfModels,
      capabilities: opened.flatMap((m) => m.capabilities ?? []),
      close: () => closeAll(opened),
    };
  } catch (err) {
    await closeAll(opened);
    throw err;
  }
}

/** openModel, with a server's missing capability said in one line that names the flag, the URL and the fix. */
async function openForBestOf<N extends BackendCapability>(flag: string, spec: string, needs: N[], modelName: string | null) {
  try {
    return await openModel(spec, { role: flag.slice(2), needs, ...(modelName !== null && { modelName }) });
  } catch (err) {
    if (!(err instanceof CapabilityError)) throw err;
    const why = err.capability === 'scoring' || err.capability === 'tokenize'
      ? 'cannot score responses, which best-of-N does for every candidate under the policy and the reference'
      : `is missing capability '${err.capability}'`;
    throw new ConfigError(`${flag} ${spec}: the server at ${err.url} ${why} (${oneLine(err.problem)}); instead: ${oneLine(err.fix)}`, flag.slice(2));
  }
}

/** Mid-grey, as the HTTP probe's image. */
const PROBE_IMAGE: RgbImage = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(128) };

/** The reward subtracts per-token log-probabilities, so both models must cut an answer into the same tokens. */
async function checkSameTokens(policy: ResponseScorer, reference: ResponseScorer, policySpec: string, referenceSpec: string): Promise<void> {
  const probe = { image: PROBE_IMAGE, prompt: 'Describe the image.', response: 'A grey square in the middle.' };
  const [[p], [r]] = await Promise.all([policy.logProbs([probe]), reference.logProbs([probe])]);
  const [pt, rt] = [p?.tokenLogProbs.length, r?.tokenLogProbs.length];
  if (pt !== rt) {
    throw new ConfigError(`--model ${policySpec} scores the answer ${JSON.stringify(probe.response)} as ${pt} tokens and --reference ${referenceSpec} as ${rt}: the reward needs both to share one tokenizer and chat template (the policy trained from the reference)`, 'reference');
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, '; ');
}

async function closeAll(opened: Array<{ close(): Promise<void> }>): Promise<void> {
  for (const m of opened.reverse()) await m.close();
}
