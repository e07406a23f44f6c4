/**
 * Weights of an embedded model as data: a content fingerprint (which model computed these
 * reference log-probs?) and in-place loading of a checkpoint's weights into a model that is
 * being trained (resume, and restoring the best checkpoint at the end of a round).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../tensor/tf.ts';
import type { EmbeddedModel } from './index.ts';
import { decodeSafetensors } from './safetensors.ts';

/**
 * sha256 of the config, vocabulary and every weight, hex. Two models with the same fingerprint
 * compute the same log-probs, whatever they are named.
 * `await weightsFingerprint(model)` -> `'9f2c…'`
 */
export async function weightsFingerprint(model: EmbeddedModel): Promise<string> {
  const h = createHash('sha256');
  h.update(JSON.stringify(model.cfg));
  h.update(JSON.stringify(model.tokenizer.words));
  for (const [name, v] of model.net.params) {
    h.update(`${name}[${v.shape.join(',')}]`);
    const data = (await v.data()) as Float32Array;
    h.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return h.digest('hex');
}

/** Overwrite `model`'s weights with those in `dir/model.safetensors`; shapes must match exactly. */
export function assignWeights(model: EmbeddedModel, dir: string): void {
  const path = join(dir, 'model.safetensors');
  const { tensors } = decodeSafetensors(new Uint8Array(readFileSync(path)), path);
  for (const [name, v] of model.net.params) {
    const t = tensors.get(name);
    if (!t) throw new Error(`${path}: tensor '${name}' is missing; this checkpoint is not of the model being trained`);
    if (t.shape.join('x') !== v.shape.join('x')) {
      throw new Error(`${path}: tensor '${name}' has shape [${t.shape}] but the model has [${v.shape}]; this checkpoint is not of the model being trained`);
    }
    const value = tf.tensor(t.data, t.shape);
    v.assign(value);
    value.dispose();
  }
}
