/**
 * Stage 8: the outputs of a run, written at the end from the stage results (never streamed while
 * stages run), each file atomically, so an uninterrupted run and a killed-then-resumed run leave
 * byte-identical files:
 *
 *   pairs.parquet          RLAIF-V-Dataset schema          pairs.trl.jsonl + images/   TRL vision DPO
 *   llama-factory/         (optional) LLaMA-Factory        candidates.jsonl            every candidate, seed, settings, score
 *   claims.jsonl           claims + questions per answer   verdicts.jsonl              every labeler answer (yes/no probabilities)
 *   labeler.official.jsonl the official labeler records    decisions.jsonl             every pair decision
 */
import { join } from 'node:path';
import type { RgbImage } from '../backend/types.ts';
import {
  JsonlWriter, writeLlamaFactoryDataset, writeOfficialLabelerRecords, writeRlaifvParquet, writeTrlDataset, type PairRecord,
} from '../export/index.ts';
import type { DataEngineConfig } from './config.ts';
import type { Instruction } from './instructions.ts';
import { candidateLines, claimLines, officialVerdicts, type RunData, type VerdictLine } from './records.ts';

/** File names inside the output folder. */
export const OUTPUT_FILES = {
  parquet: 'pairs.parquet',
  trl: 'pairs.trl.jsonl',
  llamaFactory: 'llama-factory',
  candidates: 'candidates.jsonl',
  claims: 'claims.jsonl',
  verdicts: 'verdicts.jsonl',
  officialLabeler: 'labeler.official.jsonl',
  decisions: 'decisions.jsonl',
  summary: 'summary.json',
  store: 'run.sqlite',
} as const;

/** A preference pair as the align loop trains on it (a superset of the DPO trainer's DpoPair). */
export interface EnginePair {
  /** The parquet `idx`: `<instruction id>.<chosen j>-<rejected j>`. */
  id: string;
  instructionId: string;
  image: RgbImage;
  prompt: string;
  chosen: string;
  rejected: string;
  chosenScore: number;
  rejectedScore: number;
  chosenSeed: number;
  rejectedSeed: number;
}

/** The kept pairs as exporter records and as training pairs, in run order. */
export async function collectPairs(data: RunData, models: { generator: string; labeler: string }): Promise<{ records: PairRecord[]; pairs: EnginePair[] }> {
  const byId = new Map(data.instructions.map((i) => [i.id, i]));
  const exportImages = new Map<string, Promise<RgbImage | Uint8Array>>();
  const pixels = new Map<string, Promise<RgbImage>>();
  const records: PairRecord[] = [];
  const pairs: EnginePair[] = [];
  for (const p of data.pairing.pairs) {
    const ins: Instruction = byId.get(p.instructionId)!;
    if (!exportImages.has(ins.id)) exportImages.set(ins.id, ins.exportImage());
    if (!pixels.has(ins.id)) pixels.set(ins.id, ins.loadImage());
    const id = `${ins.id}.${p.chosen.index}-${p.rejected.index}`;
    records.push({
      id, image: await exportImages.get(ins.id)!, question: ins.question, chosen: p.chosen.text, rejected: p.rejected.text,
      meta: {
        generator: models.generator, labeler: models.labeler, instructionId: ins.id, originDataset: ins.originDataset,
        chosenScore: p.chosen.score, rejectedScore: p.rejected.score, seeds: { chosen: p.chosen.seed, rejected: p.rejected.seed },
        ...(ins.questionType !== undefined && { questionType: ins.questionType }),
        ...(ins.scene && { imagePath: `${ins.id}.png` }),
      },
    });
    pairs.push({
      id, instructionId: ins.id, image: await pixels.get(ins.id)!, prompt: ins.question, chosen: p.chosen.text, rejected: p.rejected.text,
      chosenScore: p.chosen.score, rejectedScore: p.rejected.score, chosenSeed: p.chosen.seed, rejectedSeed: p.rejected.seed,
    });
  }
  return { records, pairs };
}

/** `await writeJsonl('out/candidates.jsonl', lines)`: one JSON value per line, the file in place at the end. */
export async function writeJsonl(path: string, lines: Iterable<unknown>): Promise<number> {
  const out = await JsonlWriter.open(path);
  try {
    await out.writeMany(lines);
  } catch (err) {
    await out.discard();
    throw err;
  }
  await out.close();
  return out.count;
}

/** Write the datasets and the intermediate records; returns the paths written, by kind. */
export async function writeOutputs(
  outDir: string, data: RunData, verdicts: readonly VerdictLine[], records: readonly PairRecord[], config: DataEngineConfig,
): Promise<Partial<Record<keyof typeof OUTPUT_FILES, string>>> {
  const files: Partial<Record<keyof typeof OUTPUT_FILES, string>> = {};
  const at = (k: keyof typeof OUTPUT_FILES) => (files[k] = join(outDir, OUTPUT_FILES[k]));
  await writeJsonl(at('candidates'), candidateLines(data));
  await writeJsonl(at('claims'), claimLines(data));
  await writeJsonl(at('verdicts'), verdicts);
  await writeOfficialLabelerRecords(at('officialLabeler'), officialVerdicts(verdicts));
  await writeJsonl(at('decisions'), data.pairing.decisions);
  const formats = new Set(config.export.formats);
  if (formats.has('parquet')) await writeRlaifvParquet(at('parquet'), records, { dsName: config.export.dsName });
  if (formats.has('trl')) {
    at('trl');
    await writeTrlDataset(outDir, records, { fileName: OUTPUT_FILES.trl, imagesDir: 'images' });
  }
  if (formats.has('llama-factory')) await writeLlamaFactoryDataset(at('llamaFactory'), records);
  return files;
}
