/**
 * Host-side batch building: images, prompts and responses -> the integer and float arrays the
 * model consumes. Kept free of tensors so it is cheap to test.
 */
import type { RgbImage } from '../image/rgb.ts';
import { shapes, type ModelConfig } from './config.ts';
import { writePatches } from './patches.ts';
import { BOS, EOS, PAD, SEP, type Tokenizer } from './tokenizer.ts';

const MASKED = -1e9;

export interface HostBatch {
  B: number;
  T: number;
  patches: Float32Array; // (B, nPatches, P)
  tokens: Int32Array; // (B, T)
  textPos: Int32Array; // (B, T)
  valid: Uint8Array; // (B, T) 1 where the text position holds a real token
}

/** Patches for a batch of images, (B, nPatches, P) flattened. */
export function batchPatches(images: readonly RgbImage[], cfg: ModelConfig): Float32Array {
  const { nPatches, patchDim } = shapes(cfg);
  const out = new Float32Array(images.length * nPatches * patchDim);
  images.forEach((img, b) => writePatches(img, cfg.imageSize, cfg.patchSize, out, b * nPatches * patchDim));
  return out;
}

/** `<bos> prompt <sep>` ids, truncated from the left of the prompt if it cannot fit `room`. */
function promptIds(tok: Tokenizer, prompt: string, room: number): number[] {
  let ids = tok.encode(prompt);
  const maxPrompt = room - 2;
  if (maxPrompt < 1) throw new Error(`no room for a prompt: ${room} text positions`);
  if (ids.length > maxPrompt) ids = ids.slice(ids.length - maxPrompt);
  return [BOS, ...ids, SEP];
}

/**
 * Left-padded prompts for generation and yes/no: each row ends with `<sep>` at column T-1, so the
 * next token of every row is predicted from the last column.
 */
export function promptBatch(tok: Tokenizer, cfg: ModelConfig, images: readonly RgbImage[], prompts: readonly string[], room: number): HostBatch & { promptLens: number[] } {
  const ids = prompts.map((p) => promptIds(tok, p, room));
  const B = ids.length;
  const T = Math.max(...ids.map((r) => r.length));
  const tokens = new Int32Array(B * T);
  const textPos = new Int32Array(B * T);
  const valid = new Uint8Array(B * T);
  ids.forEach((row, b) => {
    const off = T - row.length;
    row.forEach((id, i) => {
      tokens[b * T + off + i] = id;
      textPos[b * T + off + i] = i;
      valid[b * T + off + i] = 1;
    });
  });
  return { B, T, patches: batchPatches(images, cfg), tokens, textPos, valid, promptLens: ids.map((r) => r.length) };
}

export interface ScoredBatch extends HostBatch {
  targets: Int32Array; // (B, T) the token each position predicts
  targetMask: Float32Array; // (B, T) 1 where the target is a response token or <eos>
  responseTokens: number[][]; // the scored ids per row, <eos> included
  truncated: boolean[];
}

/**
 * Right-padded `<bos> prompt <sep> response <eos>` rows; position i predicts token i+1, and only
 * the response tokens and <eos> are scored. A response that does not fit maxText is cut (and its
 * <eos> dropped), flagged in `truncated`.
 */
export function scoredBatch(tok: Tokenizer, cfg: ModelConfig, items: ReadonlyArray<{ image: RgbImage; prompt: string; response: string }>): ScoredBatch {
  const rows = items.map((it) => {
    const p = promptIds(tok, it.prompt, Math.min(cfg.maxText, Math.max(8, cfg.maxText >> 1)));
    let r = [...tok.encode(it.response), EOS];
    const room = cfg.maxText - p.length;
    const truncated = r.length > room;
    if (truncated) r = r.slice(0, room);
    return { p, r, truncated };
  });
  const B = rows.length;
  const T = Math.max(...rows.map((x) => x.p.length + x.r.length)) - 1; // last token is only a target
  const tokens = new Int32Array(B * T).fill(PAD);
  const textPos = new Int32Array(B * T);
  const valid = new Uint8Array(B * T);
  const targets = new Int32Array(B * T).fill(PAD);
  const targetMask = new Float32Array(B * T);
  rows.forEach(({ p, r }, b) => {
    const seq = [...p, ...r];
    for (let i = 0; i < seq.length - 1; i++) {
      tokens[b * T + i] = seq[i]!;
      textPos[b * T + i] = i;
      valid[b * T + i] = 1;
      targets[b * T + i] = seq[i + 1]!;
      if (i + 1 >= p.length) targetMask[b * T + i] = 1;
    }
  });
  return {
    B, T, patches: batchPatches(items.map((i) => i.image), cfg), tokens, textPos, valid, targets, targetMask,
    responseTokens: rows.map((x) => x.r), truncated: rows.map((x) => x.truncated),
  };
}

/**
 * Additive attention bias (B, 1, Lq, Lk) for a full sequence of nPatches visual tokens followed by
 * T text tokens: causal, and text keys that are padding are masked. Visual keys are always valid,
 * so no query row is fully masked (a fully masked softmax row would be NaN).
 */
export function causalBias(B: number, nPatches: number, T: number, valid: Uint8Array): Float32Array {
  const L = nPatches + T;
  const out = new Float32Array(B * L * L);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < L; i++) {
      const row = (b * L + i) * L;
      for (let j = 0; j < L; j++) {
        const ok = j <= i && (j < nPatches || valid[b * T + (j - nPatches)] === 1);
        out[row + j] = ok ? 0 : MASKED;
      }
    }
  }
  return out;
}

/** Bias (B, 1, 1, Lk) for one decoding step over `keyValid` (B, Lk). */
export function stepBias(keyValid: Uint8Array, B: number, Lk: number): Float32Array {
  const out = new Float32Array(B * Lk);
  for (let i = 0; i < B * Lk; i++) out[i] = keyValid[i] ? 0 : MASKED;
  return out;
}
