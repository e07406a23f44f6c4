/**
 * Reference log-probabilities (docs/method.md §4): log π_ref of every chosen and rejected answer, computed
 * ONCE per round with the round's starting policy (π_ref = M_i) before training, stored with
 * the pairs and reused on resume. Computing them again later would be wrong, not just slow: by
 * then the policy has moved and is no longer M_i.
 *
 * Storage: the run store through `cached` when one is given (keyed by the reference model's
 * weights fingerprint, so another round's M_i never hits), else a `ref_logps.jsonl` file (the
 * same format an external trainer is handed beside its dataset, docs/formats.md):
 *
 *   {"format":2,"model":"weights:3f…","pairs":"<sha256 of the pairs' texts>","count":2}
 *   {"id":"ins-1.0-3","ref_chosen_logps":-41.2,"ref_rejected_logps":-57.9,"chosen_tokens":12,"rejected_tokens":17}
 *   …                                                       one row per pair, in dataset order
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ResponseScorer, ScoreRequest } from '../backend/types.ts';
import type { RgbImage } from '../image/rgb.ts';
import { EmbeddedModel } from '../model/index.ts';
import { cached, canonicalJson, sha256Hex, type RunStore } from '../store/index.ts';
import { weightsFingerprint } from '../model/weights.ts';
import { FileError } from '../util/errors.ts';

/** One preference pair as DPO trains on it. */
export interface DpoPair {
  /** The pair's id when its dataset names pairs (the parquet `idx`, an `id` field of a TRL row). */
  id?: string;
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
const FORMAT = 2;

/** The file name a round's reference log-probs take beside its dataset. */
export const REF_LOGPS_FILE = 'ref_logps.jsonl';

/**
 * Reference log-probs of every pair, in pair order; stored results are read back, never recomputed.
 *
 * ```ts
 * const ref = await referenceLogProbs(policy, pairs, { batchSize: 32, file: 'round-1/ref_logps.jsonl' });
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
    const stored = options.file && existsSync(options.file) ? cachedFile(options.file, modelId, pairs) : undefined;
    if (stored) return stored;
    scored = [];
    for (let i = 0; i < requests.length; i += options.batchSize) {
      scored.push(...(await compute(requests.slice(i, i + options.batchSize))));
      options.progress?.(scored.length, requests.length);
    }
    const out = toPairs(scored);
    if (options.file) writeReferenceFile(options.file, pairs, out, modelId);
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

/**
 * Summed reference log-probs given without token counts (TRL's `ref_*_logps` columns) completed
 * with the counts `model` scores each answer with (its tokenizer and length limit; no forward
 * pass): the counts a reference computed with that model would carry.
 * `withTokenCounts(policy, pairs, dataset.reference)`
 */
export function withTokenCounts(model: EmbeddedModel, pairs: readonly DpoPair[], sums: ReadonlyArray<{ chosen: number; rejected: number }>): ReferenceLogProbs[] {
  if (sums.length !== pairs.length) throw new Error(`withTokenCounts: ${sums.length} reference entries for ${pairs.length} pairs`);
  return pairs.map((p, i) => {
    const [c, r] = model.scoredBatch([
      { image: p.image, prompt: p.prompt, response: p.chosen },
      { image: p.image, prompt: p.prompt, response: p.rejected },
    ]).responseTokens;
    return { chosen: sums[i]!.chosen, rejected: sums[i]!.rejected, chosenTokens: c!.length, rejectedTokens: r!.length };
  });
}

/** What a reference file is checked against: each pair's texts, and its id when the dataset names pairs. */
export interface ReferencePairKey {
  id?: string;
  prompt: string;
  chosen: string;
  rejected: string;
}

/** First line of a reference file. */
export interface ReferenceFileHeader {
  format: number;
  /** The reference model: `weights:<fingerprint>` for an embedded model, else the served model's name. */
  model: string;
  /** sha256 of the pairs' [prompt, chosen, rejected] texts in order (images are not hashed: a dataset re-encodes them). */
  pairs: string;
  count: number;
}

/** One row of a reference file, as written (snake case, TRL's column names). */
interface ReferenceRow {
  id: string;
  ref_chosen_logps: number;
  ref_rejected_logps: number;
  chosen_tokens: number;
  rejected_tokens: number;
}

/** A reference file read back: its header and one entry per pair, with the pair id it was written for. */
export interface ReferenceFile {
  file: string;
  header: ReferenceFileHeader;
  rows: Array<ReferenceLogProbs & { id: string; line: number }>;
}

/** `referencePairsHash(pairs)`: the `pairs` field of a reference file's header. */
export function referencePairsHash(pairs: readonly ReferencePairKey[]): string {
  return sha256Hex(canonicalJson(pairs.map((p) => [p.prompt, p.chosen, p.rejected]), 'pairs'));
}

/**
 * Write `ref` (one entry per pair, in pair order) as a reference file, atomically. Rows are named by
 * the pairs' ids (their position when a pair has none).
 * `writeReferenceFile('round-2/ref_logps.jsonl', enginePairs, ref, 'llava-1.5-7b')`
 */
export function writeReferenceFile(file: string, pairs: readonly ReferencePairKey[], ref: readonly ReferenceLogProbs[], model: string): void {
  if (ref.length !== pairs.length) throw new Error(`writeReferenceFile: ${ref.length} reference entries for ${pairs.length} pairs`);
  const header: ReferenceFileHeader = { format: FORMAT, model, pairs: referencePairsHash(pairs), count: pairs.length };
  const rows = ref.map((r, i): ReferenceRow => ({
    id: pairs[i]!.id ?? String(i), ref_chosen_logps: r.chosen, ref_rejected_logps: r.rejected, chosen_tokens: r.chosenTokens, rejected_tokens: r.rejectedTokens,
  }));
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, [header, ...rows].map((r) => JSON.stringify(r)).join('\n') + '\n');
  renameSync(tmp, file); // a kill mid-write leaves no half file that would look complete
}

/** A reference file's header and rows; errors name the file, the line and the field. */
export function readReferenceFile(file: string): ReferenceFile {
  const fix = 'write it with writeReferenceFile (docs/formats.md, ref_logps.jsonl)';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new FileError(`${file}: cannot read the reference log-probs (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the path`);
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const parse = (i: number): Record<string, unknown> => {
    let v: unknown;
    try {
      v = JSON.parse(lines[i]!);
    } catch (err) {
      throw new FileError(`${file}:${i + 1}: not valid JSON (${(err as Error).message}); ${fix}`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FileError(`${file}:${i + 1}: must be a JSON object; ${fix}`);
    return v as Record<string, unknown>;
  };
  if (lines.length === 0) throw new FileError(`${file}: empty; the first line must be the header {"format":${FORMAT},"model",...}; ${fix}`);
  const h = parse(0);
  if (h['format'] !== FORMAT) throw new FileError(`${file}:1: reference file format ${JSON.stringify(h['format'])}, expected ${FORMAT}; ${fix}`);
  for (const [k, type] of [['model', 'string'], ['pairs', 'string'], ['count', 'number']] as const) {
    if (typeof h[k] !== type) throw new FileError(`${file}:1: header field '${k}' must be a ${type}; ${fix}`);
  }
  const header = h as unknown as ReferenceFileHeader;
  const rows = lines.slice(1).map((_, j) => {
    const line = j + 2;
    const r = parse(j + 1);
    if (typeof r['id'] !== 'string' || r['id'] === '') throw new FileError(`${file}:${line}: field 'id' must be a non-empty string; ${fix}`);
    for (const k of ['ref_chosen_logps', 'ref_rejected_logps'] as const) {
      if (typeof r[k] !== 'number' || !Number.isFinite(r[k])) throw new FileError(`${file}:${line}: field '${k}' must be a finite number, got ${JSON.stringify(r[k])}; ${fix}`);
    }
    for (const k of ['chosen_tokens', 'rejected_tokens'] as const) {
      if (!Number.isInteger(r[k]) || (r[k] as number) < 0) throw new FileError(`${file}:${line}: field '${k}' must be a whole number >= 0, got ${JSON.stringify(r[k])}; ${fix}`);
    }
    const row = r as unknown as ReferenceRow;
    return { id: row.id, line, chosen: row.ref_chosen_logps, rejected: row.ref_rejected_logps, chosenTokens: row.chosen_tokens, rejectedTokens: row.rejected_tokens };
  });
  if (rows.length !== header.count) throw new FileError(`${file}: has ${rows.length} rows, its header says ${header.count}; the file was cut short: ${fix}`);
  return { file, header, rows };
}

/**
 * The reference log-probs of `pairs` (a dataset's pairs in its order) from a file read back, after
 * checking that the file was written for exactly these pairs: the count, each pair's id when the
 * dataset names pairs, and the pairs' texts. `dataset` names the dataset in errors.
 */
export function matchReferenceFile(ref: ReferenceFile, pairs: readonly ReferencePairKey[], dataset: string): ReferenceLogProbs[] {
  const fix = `compute the reference log-probs for this dataset again (the round's starting model), or pass the file written with it`;
  if (ref.rows.length !== pairs.length) throw new FileError(`${ref.file}: has reference log-probs for ${ref.rows.length} pairs, the dataset ${dataset} has ${pairs.length}; ${fix}`);
  ref.rows.forEach((r, i) => {
    const id = pairs[i]!.id;
    if (id !== undefined && id !== r.id) throw new FileError(`${ref.file}:${r.line}: row ${i} is for pair '${r.id}', the dataset ${dataset} has pair '${id}' there; ${fix}`);
  });
  if (ref.header.pairs !== referencePairsHash(pairs)) {
    throw new FileError(`${ref.file}:1: was computed for other pairs than those of ${dataset} (same count, different prompts or answers); ${fix}`);
  }
  return ref.rows.map(({ chosen, rejected, chosenTokens, rejectedTokens }) => ({ chosen, rejected, chosenTokens, rejectedTokens }));
}

/** The cached rows when the file was computed for these pairs by this model; a file for anything else is an error. */
function cachedFile(file: string, model: string, pairs: readonly DpoPair[]): ReferenceLogProbs[] {
  const ref = readReferenceFile(file);
  const fix = `delete ${file} to recompute with the current reference model (only correct before any training step), or use another output folder`;
  if (ref.header.model !== model) throw new FileError(`${file}:1: reference log-probs were computed by model ${ref.header.model.slice(0, 20)}…, not the policy given (${model.slice(0, 20)}…); ${fix}`);
  try {
    return matchReferenceFile(ref, pairs, 'of this round');
  } catch (err) {
    throw new FileError(`${(err as Error).message.replace(/; compute the reference .*$/, '')}; ${fix}`);
  }
}
