/**
 * Inference on an embedded model: sequence log-probabilities (differentiable, for training, and
 * plain numbers, for scoring), yes/no probabilities, and sampling with a KV cache.
 *
 * TF.js computes on the main thread, and a batch of generations takes seconds, so the loops here
 * hand the event loop back between decoding steps and between chunks (`yieldToEventLoop`): a
 * server keeps answering /health and reading other requests while a long generation runs.
 */
import { tf } from '../tensor/tf.ts';
import { contextLengthMessage, PromptTooLongError, type PromptOverflow } from '../backend/context-length.ts';
import { YES_NO_SUFFIX, type Candidate, type ModelBackend, type GenerateOptions, type GenerateRequest, type ScoreRequest, type SequenceLogProbs, type YesNoQuery, type YesNoResult } from '../backend/types.ts';
import type { RgbImage } from '../image/rgb.ts';
import { Rng } from '../util/rng.ts';
import { shapes, type ModelConfig } from './config.ts';
import { causalBias, promptBatch, scoredBatch, stepBias, type HostBatch, type ScoredBatch } from './batch.ts';
import { logSoftmaxRow, sampleToken } from './sampling.ts';
import { BOS, EOS, PAD, SEP, UNK, type Tokenizer } from './tokenizer.ts';
import type { DecodeState, VisionLanguageModel } from './vlm.ts';

/** Rows per forward pass when callers pass larger batches. */
const DEFAULT_MAX_BATCH = 64;

export class EmbeddedModel implements ModelBackend {
  readonly cfg: ModelConfig;
  private readonly banned: Set<number>;

  constructor(readonly name: string, readonly net: VisionLanguageModel, readonly tokenizer: Tokenizer, readonly maxBatch = DEFAULT_MAX_BATCH) {
    this.cfg = net.cfg;
    if (tokenizer.size !== this.cfg.vocabSize) {
      throw new Error(`tokenizer has ${tokenizer.size} words, model config says vocabSize ${this.cfg.vocabSize}`);
    }
    this.banned = new Set([PAD, BOS, SEP, UNK]);
  }

  private inputs(hb: HostBatch): { patches: tf.Tensor3D; tokens: tf.Tensor2D; textPos: tf.Tensor2D; bias: tf.Tensor4D } {
    const { nPatches, patchDim } = shapes(this.cfg);
    const L = nPatches + hb.T;
    return {
      patches: tf.tensor3d(hb.patches, [hb.B, nPatches, patchDim]),
      tokens: tf.tensor2d(hb.tokens, [hb.B, hb.T], 'int32'),
      textPos: tf.tensor2d(hb.textPos, [hb.B, hb.T], 'int32'),
      bias: tf.tensor4d(causalBias(hb.B, nPatches, hb.T, hb.valid), [hb.B, 1, L, L]),
    };
  }

  /**
   * Per-position log-probabilities of the targets, (B, T), zero where not scored. Differentiable:
   * training losses are built on it. Summing a row gives log pi(response | image, prompt).
   */
  tokenLogProbs(batch: ScoredBatch): tf.Tensor2D {
    const { B, T } = batch;
    const { h } = this.net.forwardText(this.inputs(batch));
    const logits = this.net.logits(h.reshape([B * T, this.cfg.dModel]) as tf.Tensor2D); // (B*T, V)
    const logp = tf.logSoftmax(logits);
    const picked = logp.mul(tf.oneHot(tf.tensor1d(batch.targets, 'int32'), this.cfg.vocabSize).cast('float32')).sum(-1); // (B*T)
    return picked.mul(tf.tensor1d(batch.targetMask)).reshape([B, T]) as tf.Tensor2D;
  }

  scoredBatch(items: ReadonlyArray<{ image: RgbImage; prompt: string; response: string }>): ScoredBatch {
    return scoredBatch(this.tokenizer, this.cfg, items);
  }

  async logProbs(items: readonly ScoreRequest[]): Promise<SequenceLogProbs[]> {
    const out: SequenceLogProbs[] = [];
    for (const chunk of chunks(items, this.maxBatch)) {
      const sb = this.scoredBatch(chunk);
      const lp = tf.tidy(() => this.tokenLogProbs(sb));
      const data = await lp.data();
      lp.dispose();
      sb.responseTokens.forEach((ids, b) => {
        const start = sb.targetMask.indexOf(1, b * sb.T) - b * sb.T;
        const tokenLogProbs = ids.map((_, i) => data[b * sb.T + start + i]!);
        out.push({ sum: tokenLogProbs.reduce((a, x) => a + x, 0), tokenLogProbs, tokens: ids.map((id) => this.tokenizer.token(id)) });
      });
      await yieldToEventLoop();
    }
    return out;
  }

  /**
   * A prompt's length and the model's context, in tokens: the image's visual tokens (which have
   * their own positions) plus `<bos> prompt <sep>`, against the visual tokens plus `maxText` text
   * positions. It fits when at least one answer token is left: `promptTokens < contextTokens`.
   * Longer prompts used to be cut from the left and answered in one token; `generate` refuses them.
   */
  promptFit(prompt: string): { promptTokens: number; contextTokens: number } {
    const { nPatches } = shapes(this.cfg);
    return { promptTokens: nPatches + this.tokenizer.encode(prompt).length + 2, contextTokens: nPatches + this.cfg.maxText };
  }

  /** Log-softmax of the first answer token for each prompt, (rows of V), float64. */
  async firstTokenLogProbs(items: ReadonlyArray<{ image: RgbImage; prompt: string }>): Promise<Float64Array[]> {
    const out: Float64Array[] = [];
    const V = this.cfg.vocabSize;
    for (const chunk of chunks(items, this.maxBatch)) {
      const hb = promptBatch(this.tokenizer, this.cfg, chunk.map((c) => c.image), chunk.map((c) => c.prompt), this.cfg.maxText - 1);
      const logits = tf.tidy(() => {
        const { h } = this.net.forwardText(this.inputs(hb));
        const last = h.slice([0, hb.T - 1, 0], [-1, 1, -1]).reshape([hb.B, this.cfg.dModel]) as tf.Tensor2D;
        return this.net.logits(last);
      });
      const data = (await logits.data()) as Float32Array;
      logits.dispose();
      for (let b = 0; b < hb.B; b++) out.push(logSoftmaxRow(data, b * V, V));
      await yieldToEventLoop();
    }
    return out;
  }

  /** P(yes)+P(Yes) and P(no)+P(No) for `"<question> Please answer yes or no."` (docs/method.md §2.3). */
  async yesNo(items: readonly YesNoQuery[]): Promise<YesNoResult[]> {
    const rows = await this.firstTokenLogProbs(items.map((q) => ({ image: q.image, prompt: q.question + YES_NO_SUFFIX })));
    const ids = (words: string[]) => words.map((w) => this.tokenizer.id(w)).filter((id) => id !== UNK);
    const yesIds = ids(['yes', 'Yes']);
    const noIds = ids(['no', 'No']);
    return rows.map((lp) => ({
      yes: yesIds.reduce((a, id) => a + Math.exp(lp[id]!), 0),
      no: noIds.reduce((a, id) => a + Math.exp(lp[id]!), 0),
    }));
  }

  /** The k most likely first tokens, as an OpenAI-style server reports them. */
  async firstTokenTopLogprobs(image: RgbImage, prompt: string, k: number): Promise<Array<{ token: string; logprob: number }>> {
    const [lp] = await this.firstTokenLogProbs([{ image, prompt }]);
    return [...lp!.entries()]
      .filter(([id]) => !this.banned.has(id))
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([id, logprob]) => ({ token: this.tokenizer.token(id), logprob }));
  }

  /**
   * n candidates per request; candidate j is sampled with its own RNG seeded by
   * `(request.seed ?? options.seed) + j`, so a candidate does not depend on its batch.
   * Decoding uses a KV cache: each new token costs one position, not the whole sequence.
   * Throws PromptTooLongError, before computing anything, when a prompt does not fit (`promptFit`).
   */
  async generate(requests: readonly GenerateRequest[], options: GenerateOptions): Promise<Candidate[][]> {
    const overflows = requests.flatMap((r, index): PromptOverflow[] => {
      const { promptTokens, contextTokens } = this.promptFit(r.prompt);
      return promptTokens < contextTokens ? [] : [{ index, promptTokens, contextTokens, message: contextLengthMessage(contextTokens, promptTokens) }];
    });
    if (overflows.length > 0) throw new PromptTooLongError(this.name, overflows);
    const rows = requests.flatMap((r, i) =>
      Array.from({ length: options.n }, (_, j) => ({ req: i, image: r.image, prompt: r.prompt, seed: (r.seed ?? options.seed) + j })),
    );
    const settings = { temperature: options.temperature, topP: options.topP, maxTokens: options.maxTokens };
    const out: Candidate[][] = requests.map(() => []);
    for (const chunk of chunks(rows, this.maxBatch)) {
      const results = await this.sampleRows(chunk, options);
      chunk.forEach((row, b) => {
        const r = results[b]!;
        out[row.req]!.push({
          text: this.tokenizer.decode(r.ids), seed: row.seed, model: this.name, settings, tokens: r.ids.length,
          finishReason: r.finish, tokenLogProbs: r.logprobs,
        });
      });
    }
    return out;
  }

  private async sampleRows(rows: ReadonlyArray<{ image: RgbImage; prompt: string; seed: number }>, options: GenerateOptions) {
    const { nPatches } = shapes(this.cfg);
    const V = this.cfg.vocabSize;
    const hb = promptBatch(this.tokenizer, this.cfg, rows.map((r) => r.image), rows.map((r) => r.prompt), this.cfg.maxText - 1);
    const B = hb.B;
    const rngs = rows.map((r) => new Rng(r.seed));
    const limit = hb.promptLens.map((pl) => Math.max(0, Math.min(options.maxTokens, this.cfg.maxText - pl)));
    const ids: number[][] = rows.map(() => []);
    const logprobs: number[][] = rows.map(() => []);
    const finish: Array<'stop' | 'length' | undefined> = rows.map(() => undefined);
    let keyValid = new Uint8Array(B * (nPatches + hb.T));
    for (let b = 0; b < B; b++) {
      keyValid.fill(1, b * (nPatches + hb.T), b * (nPatches + hb.T) + nPatches);
      for (let t = 0; t < hb.T; t++) keyValid[b * (nPatches + hb.T) + nPatches + t] = hb.valid[b * hb.T + t]!;
    }
    let Lk = nPatches + hb.T;
    let { logits, state } = this.keep(() => {
      const { h, state } = this.net.forwardText(this.inputs(hb));
      const last = h.slice([0, hb.T - 1, 0], [-1, 1, -1]).reshape([B, this.cfg.dModel]) as tf.Tensor2D;
      return { logits: this.net.logits(last), state };
    });
    for (let step = 0; ; step++) {
      const data = (await logits.data()) as Float32Array;
      logits.dispose();
      const next = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        if (finish[b]) continue;
        if (ids[b]!.length >= limit[b]!) { finish[b] = 'length'; continue; }
        const id = sampleToken(data, b * V, V, options.temperature, options.topP, rngs[b]!, this.banned);
        logprobs[b]!.push(logSoftmaxRow(data, b * V, V)[id]!);
        if (id === EOS) finish[b] = 'stop';
        else { ids[b]!.push(id); next[b] = id; }
      }
      for (let b = 0; b < B; b++) if (!finish[b] && ids[b]!.length >= limit[b]!) finish[b] = 'length';
      if (finish.every(Boolean)) break;
      // Append one position per row; finished rows feed <pad>, masked out as a key.
      const grown = new Uint8Array(B * (Lk + 1));
      for (let b = 0; b < B; b++) {
        grown.set(keyValid.subarray(b * Lk, (b + 1) * Lk), b * (Lk + 1));
        grown[b * (Lk + 1) + Lk] = finish[b] ? 0 : 1;
      }
      keyValid = grown;
      Lk += 1;
      const pos = new Int32Array(B);
      for (let b = 0; b < B; b++) pos[b] = Math.min(this.cfg.maxText - 1, hb.promptLens[b]! + step);
      const prev = state;
      ({ logits, state } = this.keep(() => {
        const { h, state } = this.net.forwardText({
          patches: undefined as never,
          tokens: tf.tensor2d(next, [B, 1], 'int32'),
          textPos: tf.tensor2d(pos, [B, 1], 'int32'),
          bias: tf.tensor4d(stepBias(keyValid, B, Lk), [B, 1, 1, Lk]),
        }, prev);
        return { logits: this.net.logits(h.reshape([B, this.cfg.dModel]) as tf.Tensor2D), state };
      }));
      for (const c of prev.layers) { c.k.dispose(); c.v.dispose(); }
      await yieldToEventLoop();
    }
    for (const c of state.layers) { c.k.dispose(); c.v.dispose(); }
    state.global?.dispose();
    return rows.map((_, b) => ({ ids: ids[b]!, logprobs: logprobs[b]!, finish: finish[b] ?? 'length' }));
  }

  /** Free the weights (the model is unusable afterwards). */
  dispose(): void {
    this.net.dispose();
  }

  /** tf.tidy for a result holding logits and the decoding state (the state's tensors are kept). */
  private keep(fn: () => { logits: tf.Tensor2D; state: DecodeState }): { logits: tf.Tensor2D; state: DecodeState } {
    return tf.tidy(() => fn() as never);
  }
}

/**
 * Let the event loop run what is waiting (I/O, timers) before computing on: TF.js's `data()`
 * resolves as a microtask, so without this a generation holds the thread from its first step to
 * its last. Costs a few microseconds next to a decoding step's milliseconds.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
