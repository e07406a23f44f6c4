/**
 * A recording mock of the model specification, for unit tests of any consumer: every call is
 * recorded, and answers come from functions the test provides (or deterministic defaults).
 */
import type {
  Candidate, GenerateOptions, GenerateRequest, ModelBackend, ScoreRequest, SequenceLogProbs, YesNoQuery, YesNoResult,
} from './types.ts';

export interface MockCalls {
  generate: Array<{ batch: GenerateRequest[]; options: GenerateOptions }>;
  yesNo: YesNoQuery[][];
  logProbs: ScoreRequest[][];
}

export interface MockBehaviour {
  /** Text for one candidate; default `"<prompt> #<seed>"`. */
  text?: (request: GenerateRequest, seed: number) => string;
  yesNo?: (query: YesNoQuery) => YesNoResult;
  logProbs?: (request: ScoreRequest) => SequenceLogProbs;
}

export class MockBackend implements ModelBackend {
  readonly calls: MockCalls = { generate: [], yesNo: [], logProbs: [] };

  constructor(readonly name = 'mock', private readonly behaviour: MockBehaviour = {}) {}

  async generate(batch: GenerateRequest[], options: GenerateOptions): Promise<Candidate[][]> {
    this.calls.generate.push({ batch, options });
    const settings = { temperature: options.temperature, topP: options.topP, maxTokens: options.maxTokens };
    return batch.map((request) =>
      Array.from({ length: options.n }, (_, j) => {
        const seed = (request.seed ?? options.seed) + j;
        const text = this.behaviour.text?.(request, seed) ?? `${request.prompt} #${seed}`;
        return { text, seed, model: this.name, settings, tokens: text.split(/\s+/).filter(Boolean).length, finishReason: 'stop' as const };
      }),
    );
  }

  async yesNo(batch: YesNoQuery[]): Promise<YesNoResult[]> {
    this.calls.yesNo.push(batch);
    return batch.map((q) => this.behaviour.yesNo?.(q) ?? { yes: 0.5, no: 0.5 });
  }

  async logProbs(batch: ScoreRequest[]): Promise<SequenceLogProbs[]> {
    this.calls.logProbs.push(batch);
    return batch.map((r) => {
      if (this.behaviour.logProbs) return this.behaviour.logProbs(r);
      const tokens = r.response.split(/\s+/).filter(Boolean);
      const tokenLogProbs = tokens.map(() => -1);
      return { sum: -tokens.length, tokenLogProbs, tokens };
    });
  }
}
