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
 *
 * People's feedback (docs/method.md §3.4) enters here: their corrections become pairs beside their
 * instruction's sampled pairs, and their judgements of kept pairs keep, reverse or drop them once
 * the run-wide filters have decided. Every exported pair carries its `origin`.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RgbImage } from '../../image/rgb.ts';
import { streamJsonl } from '../../util/jsonl.ts';
import {
  JsonlWriter, PAIR_ORIGINS, toOfficialLabelerRecord, writeLlamaFactoryDataset, writeRlaifvParquet, writeTrlDataset, type PairOrigin, type PairRecord,
} from '../../export/index.ts';
import { decodeImage, encodePng } from '../../image/codec.ts';
import { finishPreferencePairs, type SampledPair } from '../pairs/decide.ts';
import { correctionPairs, indexJudgements, pairFate, type JudgementIndex, type PairFate } from '../pairs/human.ts';
import { NO_PEOPLE_FEEDBACK, type PeopleFeedback } from '../label/people-feedback.ts';
import type { Correction } from '../../feedback/types.ts';
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
  /** Where the preference came from. A correction's scores are placeholders: 0 for the person's text, the original's score (0 when unscored). */
  origin: PairOrigin;
}

/** A pair in the spill file: the exporter record, its image as base64 PNG/JPEG bytes. */
interface SpilledPair {
  record: Omit<PairRecord, 'image'>;
  image: string;
  /** A sampled AI pair's place among the run's sampled pairs (the run-wide filters decide by it); absent for a correction's pair. */
  sampled?: number;
}

/** What `finish` keeps of a sampled AI pair: its lengths, its candidates, and its outcomes against the truth either way round on world runs. */
type SampledEntry = PairLengths & { instructionId: string; chosenId: string; rejectedId: string; outcome?: PairOutcome; reversed?: PairOutcome };

/** People's feedback as the outputs use it, and what became of it. */
interface PeopleInput {
  corrections: Map<string, Correction[]>;
  judgements: JudgementIndex;
  /** Counted over the run: corrections that made no pair, correction pairs and their outcomes against the truth. */
  correctionsUnmatched: number;
  correctionPairs: Array<{ outcome?: PairOutcome }>;
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
  /** Per sampled pair, in run order. */
  private readonly sampled: SampledEntry[] = [];

  private constructor(
    private readonly outDir: string,
    private readonly models: { generator: string; labeler: string },
    private readonly feedback: PeopleFeedback,
    private readonly people: PeopleInput,
    private readonly writers: {
      candidates: JsonlWriter; claims: JsonlWriter; verdicts: JsonlWriter; officialLabeler: JsonlWriter;
      decisions: JsonlWriter<[number, PairDecision]>; pairs: JsonlWriter<SpilledPair>;
    },
  ) {}

  /** Start the files of a run in `outDir` (any `.partial` files or spill of a killed run are started over). */
  static async open(outDir: string, models: { generator: string; labeler: string }, feedback: PeopleFeedback = NO_PEOPLE_FEEDBACK): Promise<RunOutputs> {
    const spill = join(outDir, SPILL_DIR);
    const corrections = new Map<string, Correction[]>();
    for (const c of feedback.corrections) corrections.set(c.instructionId, [...(corrections.get(c.instructionId) ?? []), c]);
    const people: PeopleInput = { corrections, judgements: indexJudgements(feedback.pairJudgements), correctionsUnmatched: 0, correctionPairs: [] };
    return new RunOutputs(outDir, models, feedback, people, {
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

    const images = new Map<string, Promise<string>>();
    const imageOf = (ins: Instruction) => {
      if (!images.has(ins.id)) images.set(ins.id, ins.exportImage().then((img) => Buffer.from(img instanceof Uint8Array ? img : encodePng(img)).toString('base64')));
      return images.get(ins.id)!;
    };
    // Instruction by instruction, its sampled pairs then its corrections' pairs: the same order however the run is cut into chunks.
    let next = 0;
    let scores: Map<string, number | undefined> | undefined;
    for (const [k, ins] of data.instructions.entries()) {
      for (; next < sampled.length && sampled[next]!.pair.instructionId === ins.id; next++) {
        const p = sampled[next]!.pair;
        await w.pairs.write({ record: this.sampledRecord(ins, p), image: await imageOf(ins), sampled: this.sampled.length });
        this.sampled.push({
          ...pairLengths(p), instructionId: ins.id, chosenId: p.chosen.id, rejectedId: p.rejected.id,
          ...(ins.scene && { outcome: pairOutcome(ins.scene, p.chosen.text, p.rejected.text), reversed: pairOutcome(ins.scene, p.rejected.text, p.chosen.text) }),
        });
      }
      const corrections = this.people.corrections.get(ins.id);
      if (!corrections) continue;
      scores ??= new Map(data.flat.map((c, i) => [c.id, data.scores[i]!.score]));
      const made = correctionPairs(data.candidates[k]!, corrections);
      this.people.correctionsUnmatched += made.unmatched;
      for (const fix of made.pairs) {
        const c = fix.candidate;
        const record: SpilledPair['record'] = {
          id: `${ins.id}.${c.index}c${fix.n}-${c.index}`, question: ins.question, chosen: fix.text, rejected: c.text, origin: 'human-correction',
          meta: {
            ...this.instructionMeta(ins), seeds: { chosen: c.seed, rejected: c.seed },
            ...(scores.get(c.id) !== undefined && { rejectedScore: scores.get(c.id)! }),
            people: { who: fix.who, spans: fix.spans },
          },
        };
        await w.pairs.write({ record, image: await imageOf(ins) });
        this.people.correctionPairs.push(ins.scene ? { outcome: pairOutcome(ins.scene, fix.text, c.text) } : {});
      }
    }
    if (next !== sampled.length) throw new Error(`outputs: sampled pair ${next} (instruction ${sampled[next]!.pair.instructionId}) is out of instruction order`);
  }

  /** The exporter record of a sampled AI pair, before people's judgement. */
  private sampledRecord(ins: Instruction, p: SampledPair<PairingCandidate>['pair']): SpilledPair['record'] {
    return {
      id: `${ins.id}.${p.chosen.index}-${p.rejected.index}`, question: ins.question, chosen: p.chosen.text, rejected: p.rejected.text,
      meta: { ...this.instructionMeta(ins), chosenScore: p.chosen.score, rejectedScore: p.rejected.score, seeds: { chosen: p.chosen.seed, rejected: p.rejected.seed } },
    };
  }

  /** The meta fields every pair of an instruction shares. */
  private instructionMeta(ins: Instruction): PairRecord['meta'] {
    return {
      generator: this.models.generator, labeler: this.models.labeler, instructionId: ins.id, originDataset: ins.originDataset,
      ...(ins.questionType !== undefined && { questionType: ins.questionType }),
      ...(ins.imagePath !== undefined && { imagePath: ins.imagePath }),
    };
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
    // People's judgements decide over the pairs the filters kept.
    const fates: Array<PairFate | undefined> = this.sampled.map((e, i) => (drops[i] === undefined ? pairFate(this.people.judgements, e.instructionId, e.chosenId, e.rejectedId) : undefined));
    const decisions = await JsonlWriter.open<PairDecision>(at('decisions'));
    await decisions.writeMany((async function* () {
      for await (const { value: [i, d] } of streamJsonl<[number, PairDecision]>(w.decisions.path)) {
        if (i >= 0 && drops[i] !== undefined) d.outcome = drops[i]!;
        const fate = i >= 0 ? fates[i] : undefined;
        if (fate) yield decisionWithFate(d, fate);
        else yield d;
      }
    })());
    await decisions.close();

    const pairsFile = w.pairs.path;
    const kept = async function* (): AsyncGenerator<PairRecord> {
      for await (const { value: s } of streamJsonl<SpilledPair>(pairsFile)) {
        let record = s.record;
        if (s.sampled !== undefined) {
          const fate = fates[s.sampled];
          if (fate === undefined || fate.drop !== false) continue;
          record = judgedRecord(record, fate);
        }
        yield { ...record, image: new Uint8Array(Buffer.from(s.image, 'base64')) };
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
          chosenScore: m.chosenScore ?? 0, rejectedScore: m.rejectedScore ?? 0, chosenSeed: m.seeds!.chosen, rejectedSeed: m.seeds!.rejected, origin: r.origin!,
        });
      }
    }
    const totals = this.pairTotals(drops, fates, balance, options.fromWorld);
    await rm(join(this.outDir, SPILL_DIR), { recursive: true, force: true });
    return { files, pairs, totals };
  }

  /** The counts of the pair filters and of people's pairs, and (world runs) the exported pairs' precision. */
  private pairTotals(drops: ReadonlyArray<string | undefined>, fates: ReadonlyArray<PairFate | undefined>, balance: PairTotals['balance'], fromWorld: boolean): PairTotals {
    const origins = Object.fromEntries(PAIR_ORIGINS.map((o) => [o, 0])) as Record<PairOrigin, number>;
    const outcomes: PairOutcome[] = [];
    let tiesDropped = 0;
    fates.forEach((fate, i) => {
      if (fate === undefined) return;
      if (fate.drop !== false) {
        tiesDropped++;
        return;
      }
      origins[fate.origin]++;
      const e = this.sampled[i]!;
      if (fromWorld) outcomes.push(fate.origin === 'human-judgement' ? e.reversed! : e.outcome!);
    });
    origins['human-correction'] = this.people.correctionPairs.length;
    if (fromWorld) outcomes.push(...this.people.correctionPairs.map((c) => c.outcome!));
    const judged = fates.filter((f) => f?.judgement !== undefined).length;
    return {
      kept: PAIR_ORIGINS.reduce((n, o) => n + origins[o], 0),
      afterLengthBalance: drops.filter((d) => d === undefined).length,
      identical: drops.filter((d) => d === 'identical-text').length,
      balance,
      precision: fromWorld ? summarisePairOutcomes(outcomes) : undefined,
      origins,
      people: {
        source: this.feedback.source,
        verdicts: this.feedback.verdicts.size,
        corrections: this.feedback.corrections.length,
        correctionsUnmatched: this.people.correctionsUnmatched,
        pairJudgements: this.feedback.pairJudgements.length,
        pairJudgementsUnmatched: this.feedback.pairJudgements.length - judged,
        tiesDropped,
      },
    };
  }

  /** Drop what a failed run wrote (its `.partial` files and spill); finished files of an earlier run stay. */
  async abort(): Promise<void> {
    for (const writer of Object.values(this.writers)) await writer.discard().catch(() => {});
    await rm(join(this.outDir, SPILL_DIR), { recursive: true, force: true });
  }
}

/** A decision line with people's judgement: a tie drops the pair; a kept pair says where its exported preference came from. */
function decisionWithFate(d: PairDecision, fate: PairFate): PairDecision {
  const j = fate.judgement;
  const people = j && { judgement: j.chosen === d.chosen ? j.judgement : j.judgement === 'tie' ? 'tie' as const : j.judgement === 'agree' ? 'disagree' as const : 'agree' as const, votes: j.votes, agreeing: j.agreeing, who: j.who };
  if (fate.drop !== false) return { ...d, outcome: fate.drop, ...(people && { people }) };
  return { ...d, origin: fate.origin, ...(people && { people }) };
}

/** A kept AI pair's record as people judged it: its origin, reversed when they disagreed, with who judged it. */
function judgedRecord(record: SpilledPair['record'], fate: Extract<PairFate, { drop: false }>): SpilledPair['record'] {
  const j = fate.judgement;
  const meta = j ? { ...record.meta, people: { who: j.who, votes: j.votes, agreeing: j.agreeing } } : record.meta;
  if (fate.origin !== 'human-judgement') return { ...record, origin: fate.origin, meta };
  const instructionId = meta.instructionId!;
  const [c, r] = record.id.slice(instructionId.length + 1).split('-');
  return {
    ...record, id: `${instructionId}.${r}-${c}`, chosen: record.rejected, rejected: record.chosen, origin: fate.origin,
    meta: {
      ...meta, chosenScore: meta.rejectedScore!, rejectedScore: meta.chosenScore!,
      seeds: { chosen: meta.seeds!.rejected, rejected: meta.seeds!.chosen },
    },
  };
}
