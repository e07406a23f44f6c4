/**
 * Preference pairs from files in the openbmb/RLAIF-V-Dataset schema (the published parquet
 * shards, or the same rows as JSONL/JSON): each row gives the instruction and its pair.
 *
 * ```ts
 * for await (const p of readPreferencePairs('train-00000-of-00014.parquet')) {
 *   if (p.ok) console.log(p.instruction.question, p.chosen, p.meta.generator);
 * }
 * ```
 */
import { InputError, type FailedRecord } from './location.ts';
import type { ReadOptions } from './options.ts';
import { readRecords, type InstructionRecord } from './read-instructions.ts';

export interface ImportedPairMeta {
  dsName?: string;
  originDataset?: string;
  /** `origin_split` parsed as JSON when it is JSON, else the raw text. */
  originSplit?: Record<string, unknown> | string;
  imagePath?: string;
  /** From origin_split: `model` (published data) or `generator` (older exports). */
  generator?: string;
  /** From origin_split: `feedback_model` or `labeler`. */
  labeler?: string;
  /** From origin_split: `type` or `question_type`. */
  questionType?: string;
}

export interface ImportedPair {
  ok: true;
  instruction: InstructionRecord;
  chosen: string;
  rejected: string;
  meta: ImportedPairMeta;
}

/** Every row as an ImportedPair (or FailedRecord for an unreadable image). */
export async function* readPreferencePairs(path: string, options: ReadOptions = {}): AsyncGenerator<ImportedPair | FailedRecord> {
  for await (const r of readRecords(path, options)) {
    if (!('instruction' in r)) {
      yield r;
      continue;
    }
    const { parsed, instruction } = r;
    if (!parsed.pair) {
      throw new InputError(`field 'chosen' is missing: this record is an instruction, not a preference pair (expected the RLAIF-V-Dataset shape with chosen and rejected); read it with readInstructions`, instruction.location, 'chosen');
    }
    yield { ok: true, instruction, chosen: parsed.pair.chosen, rejected: parsed.pair.rejected, meta: pairMeta(parsed.meta) };
  }
}

/** `pairMeta({origin_split: '{"model":"m"}'})` → `{originSplit: {model: 'm'}, generator: 'm'}`. */
function pairMeta(meta: Record<string, unknown>): ImportedPairMeta {
  const out: ImportedPairMeta = {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  if (str(meta['ds_name']) !== undefined) out.dsName = str(meta['ds_name'])!;
  if (str(meta['origin_dataset']) !== undefined) out.originDataset = str(meta['origin_dataset'])!;
  if (str(meta['image_path']) !== undefined) out.imagePath = str(meta['image_path'])!;
  const split = parseSplit(meta['origin_split']);
  if (split !== undefined) out.originSplit = split;
  if (split !== undefined && typeof split === 'object') {
    const generator = str(split['model']) ?? str(split['generator']);
    const labeler = str(split['feedback_model']) ?? str(split['labeler']);
    const questionType = str(split['type']) ?? str(split['question_type']);
    if (generator !== undefined) out.generator = generator;
    if (labeler !== undefined) out.labeler = labeler;
    if (questionType !== undefined) out.questionType = questionType;
  }
  return out;
}

function parseSplit(value: unknown): Record<string, unknown> | string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value !== 'string') return String(value);
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Record<string, unknown> : value;
  } catch {
    return value; // origin_split is free text in some forks; keep it as given
  }
}
