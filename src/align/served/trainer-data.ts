/**
 * A served round's trainer input: the kept pairs as a TRL dataset (train.jsonl + images/), the
 * RLAIF-V parquet (pairs.parquet) and a LLaMA-Factory dataset (llama-factory/), and log π_ref of every chosen and rejected answer,
 * computed once by the serving engine for the round's starting model (ref_logps.jsonl, and
 * columns of the TRL and parquet files), so that no trainer needs a second model in memory and a rerun trains on the same numbers.
 */
import { join } from 'node:path';
import type { ResponseScorer } from '../../backend/types.ts';
import { REF_LOGPS_FILE, referenceLogProbs } from '../../dpo/reference.ts';
import { writeLlamaFactoryDataset, writeRlaifvParquet, writeTrlDataset, type PairRecord } from '../../export/index.ts';
import type { EnginePair } from '../../pipeline/outputs/outputs.ts';

export interface TrainerData {
  /** The folder given as {dataset}. */
  dir: string;
  /** The file given as {ref_logps}. */
  refLogps: string;
}

/** Score the pairs under the round's starting model and write the trainer's dataset into `dir`. */
export async function writeTrainerData(dir: string, pairs: readonly EnginePair[], reference: ResponseScorer, meta: { generator: string; labeler: string },
  o: { batchSize: number; progress?: (done: number, total: number) => void }): Promise<TrainerData> {
  const refLogps = join(dir, REF_LOGPS_FILE);
  const refs = await referenceLogProbs(reference, pairs, { batchSize: o.batchSize, file: refLogps, ...(o.progress && { progress: o.progress }) });
  const records: PairRecord[] = pairs.map((p, k) => ({
    id: p.id, image: p.image, question: p.prompt, chosen: p.chosen, rejected: p.rejected, origin: p.origin,
    meta: { ...meta, instructionId: p.instructionId, chosenScore: p.chosenScore, rejectedScore: p.rejectedScore },
    reference: { chosen: refs[k]!.chosen, rejected: refs[k]!.rejected },
  }));
  await writeTrlDataset(dir, records);
  await writeRlaifvParquet(join(dir, 'pairs.parquet'), records);
  await writeLlamaFactoryDataset(join(dir, 'llama-factory'), records);
  return { dir, refLogps };
}
