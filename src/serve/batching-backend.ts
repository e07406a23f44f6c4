/**
 * A `ModelBackend` that micro-batches concurrent calls to another one. Results are identical to
 * unbatched calls because every generate request carries its own seed into the merged call (the
 * specification makes a request's samples independent of its batch) and calls whose decoding
 * settings differ are never merged.
 */
import type {
  Candidate, GenerateOptions, GenerateRequest, ModelBackend, ScoreRequest, SequenceLogProbs, YesNoQuery, YesNoResult,
} from '../backend/types.ts';
import { Gate, MicroBatcher } from './micro-batcher.ts';

export class BatchingBackend implements ModelBackend {
  private readonly generations: MicroBatcher<GenerateRequest, Candidate[]>;
  private readonly judgements: MicroBatcher<YesNoQuery, YesNoResult>;
  private readonly scores: MicroBatcher<ScoreRequest, SequenceLogProbs>;

  /**
   * `new BatchingBackend(backend, 8, 5)`: up to 8 requests per backend call, 5 ms window, and one
   * backend call at a time (`calls`: a count, or a Gate shared with the batchers of the other models
   * one server serves), because the embedded model computes on the one thread: a second call would
   * only interleave with the first, each in smaller batches.
   */
  constructor(readonly inner: ModelBackend, maxBatch: number, windowMs: number, calls: number | Gate = 1) {
    const gate = typeof calls === 'number' ? new Gate(calls) : calls;
    this.generations = new MicroBatcher(maxBatch, windowMs, gate);
    this.judgements = new MicroBatcher(maxBatch, windowMs, gate);
    this.scores = new MicroBatcher(maxBatch, windowMs, gate);
  }

  get name(): string {
    return this.inner.name;
  }

  generate(batch: GenerateRequest[], options: GenerateOptions): Promise<Candidate[][]> {
    const { n, temperature, topP, maxTokens } = options;
    const key = JSON.stringify([n, temperature, topP, maxTokens]);
    const seeded = batch.map((r) => ({ ...r, seed: r.seed ?? options.seed }));
    return this.generations.submit(key, seeded, (items) => this.inner.generate(items, options));
  }

  yesNo(batch: YesNoQuery[]): Promise<YesNoResult[]> {
    return this.judgements.submit('yesNo', batch, (items) => this.inner.yesNo(items));
  }

  logProbs(batch: ScoreRequest[]): Promise<SequenceLogProbs[]> {
    return this.scores.submit('logProbs', batch, (items) => this.inner.logProbs(items));
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}
