/**
 * AdamW (decoupled weight decay) with global-norm gradient clipping, and the cosine schedule with
 * linear warm-up used by both SFT pretraining and DPO (the paper: cosine, 5% warm-up, decay 0.01).
 */
import { tf } from '../tensor/tf.ts';
import type { Params } from './vlm.ts';

export interface AdamWSettings {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Clip the global gradient norm to this value (0 = no clipping). */
  clipNorm: number;
}

const DEFAULT_ADAMW: AdamWSettings = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, clipNorm: 1 };

export class AdamW {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  step = 0;

  constructor(private readonly params: Params, readonly settings: AdamWSettings = DEFAULT_ADAMW) {
    for (const [name, p] of params) {
      this.m.set(name, tf.variable(tf.zerosLike(p), false));
      this.v.set(name, tf.variable(tf.zerosLike(p), false));
    }
  }

  /** One update with learning rate `lr`; returns the global gradient norm before clipping. */
  apply(grads: tf.NamedTensorMap, lr: number): number {
    this.step += 1;
    const { beta1, beta2, eps, weightDecay, clipNorm } = this.settings;
    const normT = tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => g.square().sum()))));
    const norm = normT.dataSync()[0]!;
    normT.dispose();
    const scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
    const bc1 = 1 - beta1 ** this.step;
    const bc2 = 1 - beta2 ** this.step;
    tf.tidy(() => {
      for (const [name, p] of this.params) {
        const g0 = grads[p.name];
        if (!g0) continue; // a parameter the loss does not touch
        const g = scale === 1 ? g0 : g0.mul(scale);
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(m.mul(beta1).add(g.mul(1 - beta1)));
        v.assign(v.mul(beta2).add(g.square().mul(1 - beta2)));
        const update = m.div(bc1).div(v.div(bc2).sqrt().add(eps));
        // Decay matrices only (weights and embeddings), not biases or norm gains, as nanoGPT does.
        const decayed = p.rank >= 2 && weightDecay > 0 ? p.mul(1 - lr * weightDecay) : p;
        p.assign(decayed.sub(update.mul(lr)));
      }
    });
    return norm;
  }

  /** Moments and step, for resumable training (`m.<name>`, `v.<name>`). */
  async state(): Promise<{ step: number; tensors: Map<string, { shape: number[]; data: Float32Array }> }> {
    const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [kind, map] of [['m', this.m], ['v', this.v]] as const) {
      for (const [name, t] of map) tensors.set(`${kind}.${name}`, { shape: t.shape, data: (await t.data()) as Float32Array });
    }
    return { step: this.step, tensors };
  }

  /** Restore what `state()` saved; a missing or misshapen moment is an error naming it. */
  restore(step: number, tensors: Map<string, { shape: number[]; data: Float32Array }>): void {
    for (const [kind, map] of [['m', this.m], ['v', this.v]] as const) {
      for (const [name, t] of map) {
        const saved = tensors.get(`${kind}.${name}`);
        if (!saved || saved.shape.join('x') !== t.shape.join('x')) throw new Error(`optimizer state lacks '${kind}.${name}' [${t.shape}]`);
        const value = tf.tensor(saved.data, saved.shape);
        t.assign(value);
        value.dispose();
      }
    }
    this.step = step;
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}

/**
 * Learning rate at `step` (0-based) of `total`: linear warm-up over `warmup` steps, then cosine
 * decay to `minRatio * base`. `cosineLr(0, 100, 5, 1e-3)` -> 2e-4.
 */
export function cosineLr(step: number, total: number, warmup: number, base: number, minRatio = 0): number {
  if (warmup > 0 && step < warmup) return (base * (step + 1)) / warmup;
  const span = Math.max(1, total - warmup);
  const progress = Math.min(1, (step - warmup) / span);
  return base * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
