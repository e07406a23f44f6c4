/**
 * The outputs stage: the files of a run. A run goes chunk by chunk, so they are written as a stream: the
 * intermediate records of each chunk are appended as soon as it is done, and each sampled pair
 * (with its image) waits in a spill file under `.spill/`, because length balancing can only decide
 * once every pair of the run is known. Memory holds a chunk's records plus a few numbers per pair.
 * Every file is written to `<name>.partial` and renamed into place when the run ends, and lines
 * follow instruction order, so an uninterrupted run and a killed-then-resumed one leave the same bytes:
 *
 *   pairs.parquet          RLAIF-V-Dataset schema          pairs.trl.jsonl + images/   TRL vision DPO
 *   llama-factory/         (optional) LLaMA-Factory        candidates.jsonl            every candidate, seed, settings, score
 *   claims.jsonl           claims + questions per answer   verdicts.jsonl              every labeler answer (yes/no probabilities)
 *   labeler.official.jsonl the official labeler records    decisions.jsonl             every pair decision
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RgbImage } from '../../image/rgb.ts';
import { streamJsonl } from '../../util/jsonl.ts';
import {
  JsonlWriter, toOfficialLabelerRecord, writeLlamaFactoryDataset, writeRlaifvParquet, writeTrlDataset, type PairRecord,
} from '../../export/index.ts';
import { decodeImage, encodePng } from '../../image/codec.ts';
import { finishPreferencePairs, type SampledPair } from '../pairs/decide.ts';
import { pairLengths, type PairLengths } from '../pairs/balance.ts';
import type { PairDecision } from '../pairs/types.ts';
import type { Instruction } from '../instructions/instructions.ts';
import { pairOutcome, summarisePairOutcomes, type PairOutcome } from './feedback-quality.ts';
import { candidateLines, claimLines, officialVerdicts, type RunData, type VerdictLine } from './records.ts';
import type { PairSettings } from '../pairs/settings.ts';
import type { PairingCandidate } from '../pairs/stage.ts';
import type { DatasetFormat, ExportSettings } from './settings.ts';
import type { PairTotals } from './summary.ts';

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

/** Where sampled pairs and pair decisions wait for the run-wide filters; removed when the run ends. */
const SPILL_DIR = '.spill';

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

/** A sampled pair in the spill file: the exporter record, its image as base64 PNG/JPEG bytes. */
interface SpilledPair {
  record: Omit<PairRecord, 'image'>;
  image: string;
}

export type OutputPaths = Partial<Record<keyof typeof OUTPUT_FILES, string>>;

/** What a dataset writer is given: the run folder, the kept pairs, the export settings, and `at(kind)`, which records and returns a file's path. */
interface DatasetJob {
  outDir: string;
  pairs: AsyncIterable<PairRecord>;
  settings: ExportSettings;
  at(kind: keyof typeof OUTPUT_FILES): string;
}

/** One writer per format of `export.formats`. */
const DATASET_WRITERS: Record<DatasetFormat, (job: DatasetJob) => Promise<unknown>> = {
  parquet: (j) => writeRlaifvParquet(j.at('parquet'), j.pairs, { dsName: j.settings.dsName }),
  trl: (j) => {
    j.at('trl');
    return writeTrlDataset(j.outDir, j.pairs, { fileName: OUTPUT_FILES.trl, imagesDir: 'images' });
  },
  'llama-factory': (j) => writeLlamaFactoryDataset(j.at('llamaFactory'), j.pairs),
};

export class RunOutputs {
  /** Per sampled pair, in run order: its lengths, and its outcome against the truth on world runs. */
  private readonly sampled: Array<PairLengths & { outcome?: PairOutcome }> = [];

  private constructor(
    private readonly outDir: string,
    private readonly models: { generator: string; labeler: string },
    private readonly writers: {
      candidates: JsonlWriter; claims: JsonlWriter; verdicts: JsonlWriter; officialLabeler: JsonlWriter;
      decisions: JsonlWriter<[number, PairDecision]>; pairs: JsonlWriter<SpilledPair>;
    },
  ) {}

  /** Start the files of a run in `outDir` (any `.partial` files or spill of a killed run are started over). */
  static async open(outDir: string, models: { generator: string; labeler: string }): Promise<RunOutputs> {
    const spill = join(outDir, SPILL_DIR);
    return new RunOutputs(outDir, models, {
      candidates: await JsonlWriter.open(join(outDir, OUTPUT_FILES.candidates)),
      claims: await JsonlWriter.open(join(outDir, OUTPUT_FILES.claims)),
      verdicts: await JsonlWriter.open(join(outDir, OUTPUT_FILES.verdicts)),
      officialLabeler: await JsonlWriter.open(join(outDir, OUTPUT_FILES.officialLabeler)),
      decisions: await JsonlWriter.open(join(spill, 'decisions.jsonl')),
      pairs: await JsonlWriter.open(join(spill, 'pairs.jsonl')),
    });
  }

  /** Append one chunk: its intermediate records, its pair decisions and its sampled pairs. */
  async addChunk(data: RunData, verdicts: readonly VerdictLine[], sampled: ReadonlyArray<SampledPair<PairingCandidate>>, decisions: readonly PairDecision[]): Promise<void> {
    const w = this.writers;
    await w.candidates.writeMany(candidateLines(data));
    await w.claims.writeMany(claimLines(data));
    await w.verdicts.writeMany(verdicts);
    await w.officialLabeler.writeMany(officialVerdicts(data, verdicts, this.models.labeler).map(toOfficialLabelerRecord));
    const index = new Map(sampled.map((s, i) => [s.decision, this.sampled.length + i]));
    await w.decisions.writeMany(decisions.map((d): [number, PairDecision] => [index.get(d) ?? -1, d]));

    const byId = new Map(data.instructions.map((i) => [i.id, i]));
    const images = new Map<string, Promise<string>>();
    for (const { pair: p } of sampled) {
      const ins: Instruction = byId.get(p.instructionId)!;
      if (!images.has(ins.id)) images.set(ins.id, ins.exportImage().then((img) => Buffer.from(img instanceof Uint8Array ? img : encodePng(img)).toString('base64')));
      const record: SpilledPair['record'] = {
        id: `${ins.id}.${p.chosen.index}-${p.rejected.index}`, question: ins.question, chosen: p.chosen.text, rejected: p.rejected.text,
        meta: {
          generator: this.models.generator, labeler: this.models.labeler, instructionId: ins.id, originDataset: ins.originDataset,
          chosenScore: p.chosen.score, rejectedScore: p.rejected.score, seeds: { chosen: p.chosen.seed, rejected: p.rejected.seed },
          ...(ins.questionType !== undefined && { questionType: ins.questionType }),
          ...(ins.imagePath !== undefined && { imagePath: ins.imagePath }),
        },
      };
      await w.pairs.write({ record, image: await images.get(ins.id)! });
      this.sampled.push({ ...pairLengths(p), ...(ins.scene && { outcome: pairOutcome(ins.scene, p.chosen.text, p.rejected.text) }) });
    }
  }

  /**
   * The run-wide filters (identical texts, length balancing), then decisions.jsonl and the
   * datasets from the spill. With `keepPairs`, the kept pairs come back with their pixels (for DPO).
   */
  async finish(pairSettings: PairSettings, exportSettings: ExportSettings, options: { keepPairs: boolean; fromWorld: boolean }): Promise<{ files: OutputPaths; pairs: EnginePair[]; totals: PairTotals }> {
    const w = this.writers;
    const files: OutputPaths = {};
    const at = (k: keyof typeof OUTPUT_FILES) => (files[k] = join(this.outDir, OUTPUT_FILES[k]));
    for (const k of ['candidates', 'claims', 'verdicts', 'officialLabeler'] as const) {
      await w[k].close();
      at(k);
    }
    await w.decisions.close();
    await w.pairs.close();

    const { drops, balance } = finishPreferencePairs(this.sampled, pairSettings);
    const decisions = await JsonlWriter.open<PairDecision>(at('decisions'));
    await decisions.writeMany((async function* () {
      for await (const { value: [i, d] } of streamJsonl<[number, PairDecision]>(w.decisions.path)) {
        if (i >= 0 && drops[i] !== undefined) d.outcome = drops[i]!;
        yield d;
      }
    })());
    await decisions.close();

    const pairsFile = w.pairs.path;
    const kept = async function* (): AsyncGenerator<PairRecord> {
      let i = 0;
      for await (const { value: s } of streamJsonl<SpilledPair>(pairsFile)) {
        if (drops[i++] === undefined) yield { ...s.record, image: new Uint8Array(Buffer.from(s.image, 'base64')) };
      }
    };
    // In the registry's order, whatever the order of the setting, so the files list reads the same.
    for (const [format, write] of Object.entries(DATASET_WRITERS)) {
      if (exportSettings.formats.includes(format as DatasetFormat)) await write({ outDir: this.outDir, pairs: kept(), settings: exportSettings, at });
    }

    const pairs: EnginePair[] = [];
    if (options.keepPairs) {
      const pixels = new Map<string, RgbImage>();
      for await (const r of kept()) {
        const m = r.meta;
        // No pixel limit here: the image passed input.maxImagePixels when its instruction was read.
        if (!pixels.has(m.instructionId!)) pixels.set(m.instructionId!, await decodeImage(r.image as Uint8Array, `pair ${r.id}`, { maxPixels: Infinity }));
        pairs.push({
          id: r.id, instructionId: m.instructionId!, image: pixels.get(m.instructionId!)!, prompt: r.question, chosen: r.chosen, rejected: r.rejected,
          chosenScore: m.chosenScore!, rejectedScore: m.rejectedScore!, chosenSeed: m.seeds!.chosen, rejectedSeed: m.seeds!.rejected,
        });
      }
    }
    const keptOutcomes = this.sampled.filter((_, i) => drops[i] === undefined).map((s) => s.outcome!);
    const totals: PairTotals = {
      kept: drops.filter((d) => d === undefined).length,
      identical: drops.filter((d) => d === 'identical-text').length,
      balance,
      precision: options.fromWorld ? summarisePairOutcomes(keptOutcomes) : undefined,
    };
    await rm(join(this.outDir, SPILL_DIR), { recursive: true, force: true });
    return { files, pairs, totals };
  }

  /** Drop what a failed run wrote (its `.partial` files and spill); finished files of an earlier run stay. */
  async abort(): Promise<void> {
    for (const writer of Object.values(this.writers)) await writer.discard().catch(() => {});
    await rm(join(this.outDir, SPILL_DIR), { recursive: true, force: true });
  }
}
