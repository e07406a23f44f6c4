/** Fixtures for the data-engine tests: tiny random embedded models and a small, fast configuration. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonl as readJsonlRecords } from '../util/jsonl.ts';
import type {
  Candidate, GenerateOptions, GenerateRequest, ModelBackend, ScoreRequest, SequenceLogProbs, YesNoQuery, YesNoResult,
} from '../backend/types.ts';
import { initEngine } from '../tensor/tf.ts';
import { createModel, type EmbeddedModel } from '../model/index.ts';
import { worldTokenizer } from '../pretrain/run.ts';
import { mergeSettings } from '../util/settings.ts';
import { parseDataEngineConfig, type DataEngineConfig } from './config.ts';
import type { DataEngineSummary } from './outputs/summary.ts';

/** The smallest model the embedded engine builds; random weights, so answers are word salad (with some claims). */
export const TINY_MODEL = { dModel: 16, nLayers: 1, nHeads: 2, maxText: 112 } as const;

/** A policy and a labeler with fixed random weights: the same seeds give the same models in any process. */
export async function tinyModels(): Promise<{ policy: EmbeddedModel; labeler: EmbeddedModel }> {
  await initEngine();
  const tokenizer = worldTokenizer();
  return {
    policy: createModel('tiny-policy', tokenizer, TINY_MODEL, 1),
    labeler: createModel('tiny-labeler', tokenizer, TINY_MODEL, 2),
  };
}

/** 4 world instructions, 3 candidates of at most 16 tokens, 2 requests per call: a run takes about a second. */
export function tinyConfig(overrides: unknown = {}): DataEngineConfig {
  return parseDataEngineConfig(mergeSettings({
    input: { count: 4 }, sampling: { n: 3, maxTokens: 16, seed: 5 }, batchSize: 2, inFlight: 2,
  }, overrides), 'test config');
}

/** Items each method was asked to compute, summed over calls. */
export interface CallCounts {
  generate: number;
  yesNo: number;
  logProbs: number;
  calls: number;
}

/**
 * A backend that forwards to another and counts what it was asked (and can be slowed down, so a
 * test can kill a run midway). Keeps the inner name, so cache keys are unchanged.
 */
export class CountingBackend implements ModelBackend {
  readonly counts: CallCounts = { generate: 0, yesNo: 0, logProbs: 0, calls: 0 };

  constructor(private readonly inner: ModelBackend, private readonly delayMs = 0) {}

  get name(): string {
    return this.inner.name;
  }

  async generate(batch: GenerateRequest[], options: GenerateOptions): Promise<Candidate[][]> {
    this.counts.generate += batch.length;
    return this.after(() => this.inner.generate(batch, options));
  }

  async yesNo(batch: YesNoQuery[]): Promise<YesNoResult[]> {
    this.counts.yesNo += batch.length;
    return this.after(() => this.inner.yesNo(batch));
  }

  async logProbs(batch: ScoreRequest[]): Promise<SequenceLogProbs[]> {
    this.counts.logProbs += batch.length;
    return this.after(() => this.inner.logProbs(batch));
  }

  private async after<T>(fn: () => Promise<T>): Promise<T> {
    this.counts.calls++;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return fn();
  }
}

/**
 * Every output file of a run folder as bytes, by relative path, for byte-identity checks: the run
 * store is left out, and summary.json is reduced to its deterministic part (without `run`).
 */
export function outputSnapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const rel = sub ? `${sub}/${name}` : name;
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else if (rel === 'summary.json') out.set(rel, JSON.stringify(withoutRun(JSON.parse(readFileSync(join(dir, rel), 'utf8')))));
      else if (!rel.startsWith('run.sqlite')) out.set(rel, readFileSync(join(dir, rel)).toString('base64'));
    }
  };
  walk('');
  return out;
}

/** `outputSnapshot` without the summary's `config.chunkSize`: what must match between runs cut into chunks differently. */
export function chunkFreeSnapshot(dir: string): Map<string, string> {
  const snap = outputSnapshot(dir);
  const summary = JSON.parse(snap.get('summary.json')!);
  delete summary.config.chunkSize;
  snap.set('summary.json', JSON.stringify(summary));
  return snap;
}

/** The lines of a JSONL file, parsed. */
export function readJsonl<T = Record<string, unknown>>(path: string): T[] {
  return readJsonlRecords<T>(path).map((r) => r.value);
}

/** summary.json's deterministic part: everything but `run`. */
export function withoutRun(summary: DataEngineSummary): Omit<DataEngineSummary, 'run'> {
  const { run: _run, ...rest } = summary;
  return rest;
}
