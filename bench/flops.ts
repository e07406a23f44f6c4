/**
 * Analytic FLOP counts of the embedded model, so throughput can be read as a fraction of the
 * machine's measured matmul peak. Counts multiply-adds as 2 FLOPs; the one-hot embedding
 * matmuls are left out (they are an implementation detail, not model work).
 */
import { shapes, type ModelConfig } from '../src/model/config.ts';

/** Forward FLOPs of one sequence with `textLen` text tokens. */
export function forwardFlops(cfg: ModelConfig, textLen: number): number {
  const { nPatches, patchDim, dFf } = shapes(cfg);
  const d = cfg.dModel;
  const L = nPatches + textLen;
  const projector = nPatches * 2 * (patchDim * d + d * d);
  const perLayer = L * 2 * (d * 3 * d + d * d + 2 * d * dFf) + 2 * 2 * L * L * d; // dense + QK^T and AV (full, not causal-halved)
  const head = textLen * 2 * d * cfg.vocabSize;
  const global = cfg.globalImage ? 2 * nPatches * d * d : 0;
  return projector + global + cfg.nLayers * perLayer + head;
}

/** Training = forward + backward (about twice the forward). */
export function trainFlops(cfg: ModelConfig, textLen: number): number {
  return 3 * forwardFlops(cfg, textLen);
}
