/**
 * Reference log-probabilities (docs/method.md §4): log π_ref of every chosen and rejected answer, computed
 * ONCE per round with the round's starting policy (π_ref = M_i) before training, stored with
 * the pairs and reused on resume. Computing them again later would be wrong, not just slow: by
 * then the policy has moved and is no longer M_i.
 *
 * Storage: the run store through `cached` when one is given (keyed by the reference model's
 * weights fingerprint, so another round's M_i never hits), else a JSONL file whose first line
 * names the model and pairs it was computed for.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ResponseScorer, ScoreRequest } from '../backend/types.ts';
import type { RgbImage } from '../image/rgb.ts';
import { EmbeddedModel } from '../model/index.ts';
import { cached, canonicalJson, sha256Hex, type RunStore } from '../store/index.ts';
import { weightsFingerprint } from '../model/weights.ts';
import { readJsonl } from '../util/jsonl.ts';
import { FileError } from '../util/errors.ts';

/** One preference pair as DPO trains on it. */
export interface DpoPair {
  image: RgbImage;
  prompt: string;
  chosen: string;
  rejected: string;
}

/** Summed reference log-probs (end-of-sequence included) and scored-token counts of one pair. */
export interface ReferenceLogProbs {
  chosen: number;
  rejected: number;
  chosenTokens: number;
  rejectedTokens: number;
}

export interface ReferenceOptions {
  /** Responses per `logProbs` call. */
  batchSize: number;
  /** Keep results in the run store (resumable batch by batch). */
  store?: RunStore;
  /** Else keep them in this JSONL file (written once, when all are computed). */
  file?: string;
  /** Identity of the reference model; default: weights fingerprint of an EmbeddedModel, else its name. */
  modelId?: string;
  progress?: (done: number, total: number) => void;
}

/** Version of what is stored; bump when the meaning of a stored value changes. */
const FORMAT = 1;

/**
 * Reference log-probs of every pair, in pair order; stored results are read back, never recomputed.
 *
 * ```ts
 * const ref = await referenceLogProbs(policy, pairs, { batchSize: 32, file: 'round-1/reference.jsonl' });
 * ref[0].chosen // log π_ref(chosen_0 | image_0, prompt_0), summed over tokens
 * ```
 */
export async function referenceLogProbs(reference: ResponseScorer, pairs: readonly DpoPair[], options: ReferenceOptions): Promise<ReferenceLogProbs[]> {
  const modelId = options.modelId ?? (reference instanceof EmbeddedModel ? `weights:${await weightsFingerprint(reference)}` : reference.name);
  const requests: ScoreRequest[] = pairs.flatMap((p) => [
    { image: p.image, prompt: p.prompt, response: p.chosen },
    { image: p.image, prompt: p.prompt, response: p.rejected },
  ]);
  const compute = async (batch: ScoreRequest[]) => (await reference.logProbs(batch)).map((r) => ({ sum: r.sum, tokens: r.tokenLogProbs.length }));

  let scored: Array<{ sum: number; tokens: number }>;
  if (options.store) {
    const scope = { stage: 'dpo-reference', model: modelId, settings: { format: FORMAT } };
    const outcome = await cached(options.store, scope, requests, compute, {
      batchSize: options.batchSize,
      onProgress: (p) => options.progress?.(p.done, p.total),
    });
    scored = outcome.results;
  } else {
    const pairsId = sha256Hex(canonicalJson(pairs, 'pairs'));
    const stored = options.file ? readReferenceFile(options.file, modelId, pairsId, pairs.length) : undefined;
    if (stored) return stored;
    scored = [];
    for (let i = 0; i < requests.length; i += options.batchSize) {
      scored.push(...(await compute(requests.slice(i, i + options.batchSize))));
      options.progress?.(scored.length, requests.length);
    }
    const out = toPairs(scored);
    if (options.file) writeReferenceFile(options.file, { format: FORMAT, model: modelId, pairs: pairsId, count: pairs.length }, out);
    return out;
  }
  return toPairs(scored);
}

function toPairs(scored: ReadonlyArray<{ sum: number; tokens: number }>): ReferenceLogProbs[] {
  const out: ReferenceLogProbs[] = [];
  for (let i = 0; i < scored.length; i += 2) {
    const c = scored[i]!;
    const r = scored[i + 1]!;
    out.push({ chosen: c.sum, rejected: r.sum, chosenTokens: c.tokens, rejectedTokens: r.tokens });
  }
  return out;
}

interface FileHeader {
  format: number;
  model: string;
  pairs: string;
  count: number;
}

function writeReferenceFile(file: string, header: FileHeader, rows: readonly ReferenceLogProbs[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, [header, ...rows].map((r) => JSON.stringify(r)).join('\n') + '\n');
  renameSync(tmp, file); // a kill mid-write leaves no half file that would look complete
}

/** The stored rows, or undefined when the file does not exist; a file for other pairs or another model is an error. */
function readReferenceFile(file: string, model: string, pairs: string, count: number): ReferenceLogProbs[] | undefined {
  if (!existsSync(file)) return undefined;
  const lines = readJsonl<unknown>(file, 'delete the file to recompute reference log-probs');
  const header = (lines[0]?.value ?? null) as FileHeader | null;
  const fix = `delete ${file} to recompute with the current reference model (only correct before any training step), or use another output folder`;
  if (header?.format !== FORMAT) throw new FileError(`${file}:1: reference file format ${header?.format}, expected ${FORMAT}; ${fix}`);
  if (header.model !== model) throw new FileError(`${file}:1: reference log-probs were computed by model ${header.model.slice(0, 20)}…, not the policy given (${model.slice(0, 20)}…); ${fix}`);
  if (header.pairs !== pairs || header.count !== count) throw new FileError(`${file}:1: reference log-probs are for other pairs (${header.count} pairs, a different content hash); ${fix}`);
  if (lines.length - 1 !== count) throw new FileError(`${file}: has ${lines.length - 1} rows, header says ${count}; ${fix}`);
  return lines.slice(1).map(({ value, line }) => {
    const r = value as ReferenceLogProbs;
    for (const k of ['chosen', 'rejected', 'chosenTokens', 'rejectedTokens'] as const) {
      if (typeof r[k] !== 'number') throw new FileError(`${file}:${line}: field '${k}' must be a number; ${fix}`);
    }
    return r;
  });
}
