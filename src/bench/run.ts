/**
 * One benchmark run (`rlaifv bench NAME`): read the benchmark's files, ask the model every
 * question, score the answers (a judge model where the benchmark has one), and write
 *   results.json   the benchmark's own metrics, the decoding and judge settings, the data's checksum
 *   items.jsonl    per question: the answer, what was extracted, what counted as hallucinated and why
 *   run.sqlite     every model and judge call, so a rerun resumes and a finished run replays with no call
 * A benchmark plugs in as a `Benchmark`: how to load it and how to score it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatModel, Sampler } from '../backend/types.ts';
import { openStore } from '../store/index.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { answerAll, type BenchDecoding, type BenchQuestion } from './answers.ts';
import { cachedChat } from './cached-chat.ts';

/** A benchmark's questions as read from its files, with what identifies the data. */
export interface LoadedBenchmark<Q extends BenchQuestion = BenchQuestion> {
  questions: Q[];
  /** sha256 over the benchmark's files as read (annotations, question files; images by content). */
  checksum: string;
}

export interface ScoredBenchmark {
  /** The benchmark's own metrics, what `--json` prints. */
  metrics: Record<string, unknown>;
  /** One record per question, in question order: the lines of items.jsonl. */
  items: object[];
}

export interface Benchmark<Q extends BenchQuestion = BenchQuestion> {
  name: string;
  /** The judge the benchmark brings itself (the world's truth on a world export), recorded like a judge model. */
  judgeId?: string;
  /** Whether scoring needs a judge model (MMHal-Bench's rater; Object HalBench's llm extractor). */
  needsJudge(): boolean;
  load(): Promise<LoadedBenchmark<Q>>;
  score(questions: readonly Q[], answers: readonly string[], judge: ChatModel | undefined): Promise<ScoredBenchmark>;
}

export interface BenchRunOptions {
  model: Sampler;
  /** The run store's name for the model (a checkpoint's fingerprint, a served model's name). */
  modelId: string;
  /** How results and reports name the model (a checkpoint's folder); default `modelId`. */
  modelLabel?: string;
  outDir: string;
  decoding: BenchDecoding;
  /** Ask only the first `limit` questions. */
  limit?: number;
  judge?: ChatModel;
  /** The judge's served name, recorded with the results (it is part of the metric). */
  judgeId?: string;
  progress?: (done: number, total: number, stage: string) => void;
}

export interface BenchResults {
  benchmark: string;
  model: string;
  modelId: string;
  n: number;
  metrics: Record<string, unknown>;
  decoding: BenchDecoding;
  judge: string | null;
  data: { checksum: string };
}

/** Load, answer, score and write one benchmark run; returns what results.json holds. */
export async function runBench<Q extends BenchQuestion>(bench: Benchmark<Q>, o: BenchRunOptions): Promise<BenchResults> {
  mkdirSync(o.outDir, { recursive: true });
  const store = openStore(join(o.outDir, 'run.sqlite'));
  try {
    const loaded = await bench.load();
    const questions = o.limit === undefined ? loaded.questions : loaded.questions.slice(0, o.limit);
    const answers = await answerAll(o.model, questions, {
      store, modelId: o.modelId, decoding: o.decoding, ...(o.progress && { progress: (d, t) => o.progress!(d, t, 'answers') }),
    });
    const judge = o.judge && cachedChat(o.judge, store, o.judgeId ?? o.judge.name);
    const scored = await bench.score(questions, answers, judge);
    const results: BenchResults = {
      benchmark: bench.name, model: o.modelLabel ?? o.modelId, modelId: o.modelId, n: questions.length, metrics: scored.metrics, decoding: o.decoding,
      judge: bench.judgeId ?? (judge ? (o.judgeId ?? judge.name) : null), data: { checksum: loaded.checksum },
    };
    await writeFileAtomic(join(o.outDir, 'items.jsonl'), scored.items.map((item) => JSON.stringify(item)).join('\n') + (scored.items.length ? '\n' : ''));
    await writeFileAtomic(join(o.outDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
    return results;
  } finally {
    store.close();
  }
}
