/**
 * A LLaVA-shaped vision-language model small enough to train on a laptop CPU:
 *   image -> 16x16 patches -> 2-layer MLP projector (+ patch position) -> visual tokens,
 *   prepended to word tokens (+ text position) -> pre-LN decoder-only transformer -> tied LM head.
 *
 * Notation in shape comments: B batch, L = nPatches + T sequence, T text length, d model width,
 * H heads, hd head width, V vocabulary, P patch dimension.
 *
 * Embeddings are looked up as one-hot matmuls because the wasm backend has no gradient kernel
 * for gather (UnsortedSegmentSum); with V ~ 150 this costs little.
 */
import { tf } from '../tensor/tf.ts';
import { Rng } from '../util/rng.ts';
import { shapes, type ModelConfig } from './config.ts';

export type Params = Map<string, tf.Variable>;

/** The parameter names and shapes of a config, in a stable order (the checkpoint layout). */
export function parameterShapes(cfg: ModelConfig): Array<[string, number[]]> {
  const { nPatches, patchDim, dFf } = shapes(cfg);
  const d = cfg.dModel;
  const out: Array<[string, number[]]> = [
    ['proj.w1', [patchDim, d]], ['proj.b1', [d]], ['proj.w2', [d, d]], ['proj.b2', [d]],
    ['patch_pos', [nPatches, d]], ['tok_emb', [cfg.vocabSize, d]], ['text_pos', [cfg.maxText, d]],
  ];
  cfg.attributeTokens.forEach((classes, k) => out.push([`vis.head${k}`, [d, classes.length]]));
  if (cfg.globalImage) out.push(['glob.w', [nPatches * d, d]], ['glob.b', [d]], ['glob.gate', [1]]);
  for (let l = 0; l < cfg.nLayers; l++) {
    out.push(
      [`h${l}.ln1.g`, [d]], [`h${l}.ln1.b`, [d]],
      [`h${l}.attn.wqkv`, [d, 3 * d]], [`h${l}.attn.bqkv`, [3 * d]],
      [`h${l}.attn.wo`, [d, d]], [`h${l}.attn.bo`, [d]],
      [`h${l}.ln2.g`, [d]], [`h${l}.ln2.b`, [d]],
      [`h${l}.mlp.w1`, [d, dFf]], [`h${l}.mlp.b1`, [dFf]],
      [`h${l}.mlp.w2`, [dFf, d]], [`h${l}.mlp.b2`, [d]],
    );
  }
  out.push(['lnf.g', [d]], ['lnf.b', [d]]);
  return out;
}

/** GPT-2 style init: normal(0, initStd), residual output projections scaled by 1/sqrt(2 nLayers). */
export function initParams(cfg: ModelConfig, seed: number): Params {
  const rng = new Rng(seed);
  const params = new Map<string, tf.Tensor>();
  for (const [name, shape] of parameterShapes(cfg)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (name.endsWith('.g')) data.fill(1);
    else if (!/\.b\d?$|\.b(qkv|o)$/.test(name)) {
      const std = /attn\.wo|mlp\.w2/.test(name) ? cfg.initStd / Math.sqrt(2 * cfg.nLayers) : cfg.initStd;
      for (let i = 0; i < size; i++) data[i] = rng.normal() * std;
    }
    params.set(name, tf.tensor(data, shape));
  }
  return toParams(params);
}

let instance = 0;

/**
 * Wrap tensors as trainable variables. TF.js variable names are global, so each model instance
 * gets its own prefix (`m3/h0.attn.wqkv`); the map keys stay the plain parameter names.
 */
export function toParams(tensors: Map<string, tf.Tensor>): Params {
  const prefix = `m${++instance}/`;
  const params: Params = new Map();
  for (const [name, t] of tensors) params.set(name, tf.variable(t, true, prefix + name));
  return params;
}

/** Inputs of one forward pass. Text tokens may be padded anywhere as long as keyValid marks them. */
export interface ForwardInput {
  patches: tf.Tensor3D; // (B, nPatches, P)
  tokens: tf.Tensor2D; // (B, T) int32
  textPos: tf.Tensor2D; // (B, T) int32, position of each text token within its own text
  bias: tf.Tensor4D; // (B, 1, Lq, Lk) additive attention bias: 0 = may attend, -1e9 = masked
}

/** What incremental decoding carries between steps besides the layer caches. */
export interface DecodeState {
  layers: LayerCache[];
  /** The image vector added to every text position (B, 1, d), when cfg.globalImage. */
  global?: tf.Tensor3D;
}

export interface LayerCache {
  k: tf.Tensor4D; // (B, H, Lk, hd)
  v: tf.Tensor4D;
}

export class VisionLanguageModel {
  readonly nPatches: number;
  readonly headDim: number;
  /** Per vision head, (classes, V): row c picks the embedding of the word naming class c (none: zeros). */
  private readonly classWords: Float32Array[];
  /** (nPatches, V): row n sums the embeddings of the words naming patch n's place; undefined without them. */
  private readonly placeWords: Float32Array | undefined;

  constructor(readonly cfg: ModelConfig, readonly params: Params) {
    const s = shapes(cfg);
    this.nPatches = s.nPatches;
    this.headDim = s.headDim;
    this.classWords = cfg.attributeTokens.map((classes) => wordRows(classes.map((id) => [id]), cfg.vocabSize));
    this.placeWords = cfg.positionTokens.length > 0 ? wordRows(cfg.positionTokens, cfg.vocabSize) : undefined;
    for (const [name, shape] of parameterShapes(cfg)) {
      const p = params.get(name);
      if (!p) throw new Error(`model parameters lack '${name}'`);
      if (p.shape.join('x') !== shape.join('x')) {
        throw new Error(`parameter '${name}' has shape [${p.shape}], the config needs [${shape}]`);
      }
    }
  }

  private p(name: string): tf.Variable {
    return this.params.get(name)!;
  }

  /** Visual tokens (B, nPatches, d). */
  embedImage(patches: tf.Tensor3D): tf.Tensor3D {
    const [B, N, P] = patches.shape;
    const d = this.cfg.dModel;
    const h = gelu(tf.matMul(patches.reshape([B * N, P]), this.p('proj.w1')).add(this.p('proj.b1')) as tf.Tensor2D); // (B*N, d)
    let v = tf.matMul(h, this.p('proj.w2')).add(this.p('proj.b2')); // (B*N, d)
    // Vision heads: class probabilities (shape, colour, size, or none) times the embeddings of
    // the words that name the classes, tied to the live word embeddings.
    this.cfg.attributeTokens.forEach((classes, k) => {
      const probs = tf.softmax(tf.matMul(h, this.p(`vis.head${k}`))); // (B*N, classes)
      const select = tf.tensor2d(this.classWords[k]!, [classes.length, this.cfg.vocabSize]);
      v = v.add(tf.matMul(probs, tf.matMul(select, this.p('tok_emb')))); // (B*N, d)
    });
    return v.reshape([B, N, d]).add(this.patchPosition()) as tf.Tensor3D;
  }

  /** What each visual token carries about its place (N, d): patch_pos, plus the place words' embeddings. */
  private patchPosition(): tf.Tensor2D {
    const pos = this.p('patch_pos') as tf.Tensor2D;
    if (!this.placeWords) return pos;
    return pos.add(tf.matMul(tf.tensor2d(this.placeWords, [this.nPatches, this.cfg.vocabSize]), this.p('tok_emb'))) as tf.Tensor2D;
  }

  /** Text tokens (B, T, d). */
  embedText(tokens: tf.Tensor2D, textPos: tf.Tensor2D): tf.Tensor3D {
    const [B, T] = tokens.shape;
    const d = this.cfg.dModel;
    const oneHotTok = tf.oneHot(tokens.reshape([B * T]), this.cfg.vocabSize).cast('float32'); // (B*T, V)
    const oneHotPos = tf.oneHot(textPos.reshape([B * T]), this.cfg.maxText).cast('float32'); // (B*T, maxText)
    const e = tf.matMul(oneHotTok, this.p('tok_emb')).add(tf.matMul(oneHotPos, this.p('text_pos')));
    return e.reshape([B, T, d]) as tf.Tensor3D;
  }

  /**
   * Run the blocks over x (B, Lq, d). With `past`, the new keys/values are appended to it
   * (incremental decoding); the returned caches cover past + new positions.
   */
  blocks(x: tf.Tensor3D, bias: tf.Tensor4D, past?: LayerCache[]): { h: tf.Tensor3D; caches: LayerCache[] } {
    const caches: LayerCache[] = [];
    for (let l = 0; l < this.cfg.nLayers; l++) {
      const a = this.attention(layerNorm(x, this.p(`h${l}.ln1.g`), this.p(`h${l}.ln1.b`)), l, bias, past?.[l]);
      caches.push(a.cache);
      x = x.add(a.y);
      x = x.add(this.mlp(layerNorm(x, this.p(`h${l}.ln2.g`), this.p(`h${l}.ln2.b`)), l));
    }
    return { h: layerNorm(x, this.p('lnf.g'), this.p('lnf.b')), caches };
  }

  private attention(x: tf.Tensor3D, l: number, bias: tf.Tensor4D, past?: LayerCache) {
    const [B, Lq, d] = x.shape;
    const H = this.cfg.nHeads;
    const hd = this.headDim;
    const qkv = tf.matMul(x.reshape([B * Lq, d]), this.p(`h${l}.attn.wqkv`)).add(this.p(`h${l}.attn.bqkv`)); // (B*Lq, 3d)
    const [q, k, v] = tf.split(qkv, 3, 1).map((t) => t.reshape([B, Lq, H, hd]).transpose([0, 2, 1, 3]) as tf.Tensor4D) as [
      tf.Tensor4D, tf.Tensor4D, tf.Tensor4D,
    ]; // (B, H, Lq, hd)
    const kAll = past ? (tf.concat([past.k, k], 2) as tf.Tensor4D) : k; // (B, H, Lk, hd)
    const vAll = past ? (tf.concat([past.v, v], 2) as tf.Tensor4D) : v;
    const scores = tf.matMul(q, kAll, false, true).mul(1 / Math.sqrt(hd)).add(bias); // (B, H, Lq, Lk)
    const att = tf.softmax(scores);
    const y = tf.matMul(att, vAll).transpose([0, 2, 1, 3]).reshape([B * Lq, d]); // (B*Lq, d)
    const out = tf.matMul(y, this.p(`h${l}.attn.wo`)).add(this.p(`h${l}.attn.bo`)).reshape([B, Lq, d]) as tf.Tensor3D;
    return { y: out, cache: { k: kAll, v: vAll } };
  }

  private mlp(x: tf.Tensor3D, l: number): tf.Tensor3D {
    const [B, L, d] = x.shape;
    let h = tf.matMul(x.reshape([B * L, d]), this.p(`h${l}.mlp.w1`)).add(this.p(`h${l}.mlp.b1`)) as tf.Tensor2D;
    h = gelu(h);
    return tf.matMul(h, this.p(`h${l}.mlp.w2`)).add(this.p(`h${l}.mlp.b2`)).reshape([B, L, d]) as tf.Tensor3D;
  }

  /** Logits (N, V) of hidden states (N, d), with the LM head tied to the token embedding. */
  logits(h: tf.Tensor2D): tf.Tensor2D {
    return tf.matMul(h, this.p('tok_emb'), false, true);
  }

  /**
   * The image vector (B, 1, d) added to every text position: a linear map of all visual tokens
   * (each scaled to unit RMS), times a gate that starts at 0 as in Flamingo's gated cross-attention.
   * Without the gate and the scaling, Adam grows this term past the word embeddings within ten
   * steps and the words drown (measured: loss stuck at 3.3 instead of 0.9).
   */
  globalImage(visual: tf.Tensor3D): tf.Tensor3D {
    const [B, N, d] = visual.shape;
    const unit = visual.mul(visual.square().mean(-1, true).add(1e-5).rsqrt());
    const g = tf.matMul(unit.reshape([B, N * d]), this.p('glob.w')).add(this.p('glob.b'));
    return g.mul(tf.tanh(this.p('glob.gate'))).reshape([B, 1, d]) as tf.Tensor3D;
  }

  /**
   * Full forward: hidden states of the text positions (B, T, d). With `past` (incremental
   * decoding) only the new text positions run; `state` carries caches and the image vector.
   */
  forwardText(input: ForwardInput, past?: DecodeState): { h: tf.Tensor3D; state: DecodeState } {
    let text = this.embedText(input.tokens, input.textPos);
    let visual: tf.Tensor3D | undefined;
    let global = past?.global;
    if (!past) {
      visual = this.embedImage(input.patches);
      if (this.cfg.globalImage) global = this.globalImage(visual);
    }
    if (global) text = text.add(global) as tf.Tensor3D;
    const x = visual ? (tf.concat([visual, text], 1) as tf.Tensor3D) : text;
    const { h, caches } = this.blocks(x, input.bias, past?.layers);
    const T = input.tokens.shape[1];
    const L = h.shape[1];
    return { h: past ? h : (h.slice([0, L - T, 0], [-1, T, -1]) as tf.Tensor3D), state: { layers: caches, ...(global && { global }) } };
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }
}

/** (rows, V) counts of the word ids listed per row (negative ids, meaning none, are skipped): times tok_emb, the rows' summed embeddings. */
function wordRows(rows: readonly (readonly number[])[], V: number): Float32Array {
  const out = new Float32Array(rows.length * V);
  rows.forEach((ids, r) => ids.forEach((id) => { if (id >= 0) out[r * V + id]! += 1; }));
  return out;
}

function layerNorm(x: tf.Tensor3D, g: tf.Tensor, b: tf.Tensor): tf.Tensor3D {
  const mean = x.mean(-1, true);
  const c = x.sub(mean);
  const variance = c.square().mean(-1, true);
  return c.mul(variance.add(1e-5).rsqrt()).mul(g).add(b) as tf.Tensor3D;
}

/** GELU, sigmoid approximation x * sigmoid(1.702 x): three cheap kernels. */
function gelu<T extends tf.Tensor>(x: T): T {
  return x.mul(tf.sigmoid(x.mul(1.702))) as T;
}
