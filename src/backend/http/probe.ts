/**
 * Capability checks before the first real request, one server at a time: a server that cannot
 * take images, return logprobs, or score responses fails here with a CapabilityError that names
 * the capability and the fix, instead of halfway through a run. A refusal is diagnosed by
 * asking again without the suspect feature: accepted then means that feature was the cause.
 */
import type { RgbImage } from '../../image/rgb.ts';
import { toPngDataUrl } from '../../image/codec.ts';
import { capabilityError, type Engine } from './capabilities.ts';
import { ServerError } from './errors.ts';
import type { ClientPool, Endpoint } from './pool.ts';
import { generateBody, yesNoBody, type ChatBody } from './requests.ts';
import type { ServerScorer, ScoringMode } from './scoring.ts';
import type { HttpBackendSettings } from './settings.ts';
import { chat } from './transport.ts';

/** What the run will call; only those capabilities are checked. */
export interface ProbeNeeds {
  generate?: boolean;
  yesNo?: boolean;
  logProbs?: boolean;
  /** Text-only chat (ChatModel.complete): no image is sent. */
  complete?: boolean;
}

export interface EndpointReport {
  url: string;
  engine: Engine;
  /** Whether n > 1 choices came back (checked when needs.generate and supportsN is 'auto'). */
  supportsN?: boolean;
  logprobsMode?: ScoringMode;
}

export interface ProbeContext {
  pool: ClientPool;
  settings: HttpBackendSettings;
  scorer: ServerScorer;
  model: string;
  engine: Engine;
}

/** Mid-grey 64x64: large enough for vision processors with a minimum size (Qwen2-VL needs 28 px). */
const PROBE_IMAGE: RgbImage = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(128) };

/** A refusal: the server answered, with a status no retry changes. */
function refused(err: unknown): err is ServerError {
  return err instanceof ServerError && err.status !== undefined && !err.retryable;
}

function said(err: ServerError): string {
  return `HTTP ${err.status}: ${err.detail}`;
}

/** Check one endpoint for what `needs` asks; throws CapabilityError on the first gap. */
export async function probeEndpoint(ctx: ProbeContext, ep: Endpoint, needs: ProbeNeeds): Promise<EndpointReport> {
  const { pool, settings, model, engine } = ctx;
  const pin = { endpoint: ep };
  const send = (body: ChatBody) => chat(pool, body, pin);
  const report: EndpointReport = { url: ep.url, engine };
  const imageUrl = toPngDataUrl(PROBE_IMAGE);
  const plain = (withImage: boolean) =>
    generateBody(model, withImage ? imageUrl : undefined, 'Describe the image.', { temperature: 0, topP: 1, maxTokens: 1 }, 0, 1);

  if (needs.generate || needs.yesNo || needs.logProbs) {
    const withLogprobs = Boolean(needs.yesNo);
    const first = withLogprobs ? yesNoBody(model, imageUrl, 'Is this image grey?', settings.topLogprobs) : plain(true);
    try {
      const res = await send(first);
      const step = res.choices[0]?.logprobs?.content?.[0];
      if (withLogprobs && !step?.top_logprobs?.length) {
        throw capabilityError('logprobs', ep.url, `asked for logprobs with top_logprobs = ${settings.topLogprobs}, the answer carries ${step ? 'no top_logprobs' : 'no logprobs'}`, engine);
      }
    } catch (err) {
      if (!refused(err)) throw err;
      if (withLogprobs && (await accepted(() => send(plain(true))))) {
        throw capabilityError('top-logprobs', ep.url, `logprobs: true, top_logprobs: ${settings.topLogprobs} was refused (${said(err)}); the same request without them was accepted`, engine);
      }
      if (await accepted(() => send(plain(false)))) {
        throw capabilityError('images', ep.url, `a message with an image_url part was refused (${said(err)}); the same message without the image was accepted`, engine);
      }
      throw err;
    }
  }

  if (needs.generate && settings.supportsN === 'auto') {
    try {
      // With the image: `rlaifv serve` refuses any request without one, which must not read as "n refused".
      const res = await send(generateBody(model, imageUrl, 'Describe the image.', { temperature: 0, topP: 1, maxTokens: 1 }, 0, 2));
      report.supportsN = res.choices.length >= 2;
    } catch (err) {
      if (!refused(err)) throw err;
      report.supportsN = false;
    }
  }

  if (needs.complete) await send({ model, messages: [{ role: 'user', content: 'Say yes.' }], max_tokens: 1, seed: 0 });

  if (needs.logProbs) {
    await ctx.scorer.score({ model, imageUrl, prompt: 'Describe the image.', response: 'A grey square.' }, pin);
    report.logprobsMode = ctx.scorer.modes.get(ep.url) ?? (settings.logprobsMode === 'auto' ? undefined : settings.logprobsMode);
  }
  return report;
}

/** True when `send` succeeds, false when refused; other failures (connection, 5xx) propagate. */
async function accepted(send: () => Promise<unknown>): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (err) {
    if (refused(err)) return false;
    throw err;
  }
}

/**
 * What the start-up check found, in one line per server, for the run's log:
 * `describeProbe('policy', report, { generate: true, yesNo: true })` ->
 * `policy llava-hf/llava-1.5-7b-hf at http://gpu1:8000/v1 (vllm): image input, n > 1 choices, yes/no logprobs`.
 */
export function describeProbe(role: string, report: { model: string; endpoints: readonly EndpointReport[] }, needs: ProbeNeeds): string[] {
  return report.endpoints.map((e) => {
    const found = [
      ...(needs.generate || needs.yesNo || needs.logProbs ? ['image input'] : []),
      ...(e.supportsN === true ? ['n > 1 choices'] : e.supportsN === false ? ['one choice per request (n > 1 sent as n requests)'] : []),
      ...(needs.yesNo ? ['yes/no logprobs'] : []),
      ...(needs.logProbs ? [`response scoring (${e.logprobsMode ?? 'checked on first use'})`] : []),
      ...(needs.complete ? ['text chat'] : []),
    ];
    return `${role} ${report.model} at ${e.url} (${e.engine}): ${found.join(', ')}`;
  });
}
