/**
 * scoreAmber: the whole AMBER score of a set of answers, generative (CHAIR, Cover, Hal, Cog) and
 * discriminative (accuracy, precision, recall, F1 overall and per dimension), plus a record per
 * answer saying how it was counted.
 */
import { FileError } from '../../util/errors.ts';
import type { AmberData, DiscriminativeAnnotation } from './data.ts';
import {
  addDiscriminativeCounts, scoreDiscriminativeAnswer, yesNoMetrics,
  type AnswerMapping, type DiscriminativeItemRecord, type YesNoMetrics,
} from './discriminative.ts';
import { addGenerativeCounts, amberVocabulary, scoreGenerativeAnswer, type GenerativeContext, type GenerativeItemRecord } from './generative.ts';
import type { AmberNlp } from './nlp.ts';
import { pythonRound1 } from './python-round.ts';
import { identityOnly, similarityFromTable, DEFAULT_SIMILARITY_THRESHOLD, type SimilarityTable } from './similarity.ts';

/** One model answer, as upstream's inference file holds it. */
export interface AmberAnswer {
  id: number;
  response: string;
}

export interface AmberScoreOptions {
  /** spaCy similarity pairs; without it only identical words are similar (see docs). */
  similarity?: SimilarityTable;
  /** Upstream `--similarity_score` (default 0.8, strict `>`). */
  similarityThreshold?: number;
  /** How free-form yes/no answers are read (default `first-word`). */
  answerMapping?: AnswerMapping;
  /** Names the answers in error messages (a file name, a run id). */
  answersSource?: string;
}

export interface DimensionMetrics extends YesNoMetrics {
  /** Questions answered in this dimension. */
  n: number;
  /** Answers the mapping could read as neither yes nor no. */
  unmapped: number;
}

export interface AmberScores {
  /** Percent of kept nouns that are hallucinated (one decimal); null without generative answers. */
  chair: number | null;
  /** Percent of truth objects mentioned. */
  cover: number | null;
  /** Percent of answers with at least one hallucinated noun. */
  hal: number | null;
  /** Percent of hallucinatory targets mentioned. */
  cog: number | null;
  /** Discriminative, all dimensions pooled; null without discriminative answers. */
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** The AMBER paper's (100 - CHAIR + F1) / 2, unrounded; null unless both parts exist. */
  amberScore: number | null;
  /** Answers scored. */
  n: number;
  nGenerative: number;
  nDiscriminative: number;
  /** Discriminative answers read as neither yes nor no (counted wrong). */
  unmapped: number;
  /** Per dimension; attribute pools state, number and action. Null where no answer fell. */
  byType: {
    existence: DimensionMetrics | null;
    attribute: DimensionMetrics | null;
    state: DimensionMetrics | null;
    number: DimensionMetrics | null;
    action: DimensionMetrics | null;
    relation: DimensionMetrics | null;
  };
  /** The raw counters after scoring (upstream's names), for audit. */
  counters: Record<string, number>;
  similarity: { source: 'table'; model: string; threshold: number } | { source: 'identity-only'; threshold: number };
  answerMapping: AnswerMapping;
}

export type AmberItemRecord = GenerativeItemRecord | DiscriminativeItemRecord;

export interface AmberResult extends AmberScores {
  /** One record per answer, in input order. */
  items: AmberItemRecord[];
}

const DIMENSIONS = {
  existence: { prefixes: ['ha_'], epsilon: 0.001 },
  attribute: { prefixes: ['as_', 'an_', 'aa_'], epsilon: 0.0001 },
  state: { prefixes: ['as_'], epsilon: 0.0001 },
  number: { prefixes: ['an_'], epsilon: 0.0001 },
  action: { prefixes: ['aa_'], epsilon: 0.0001 },
  relation: { prefixes: ['asso_'], epsilon: 0.0001 },
} as const;

const DIMENSION_TYPES: Record<keyof typeof DIMENSIONS, readonly string[]> = {
  existence: ['discriminative-hallucination'],
  attribute: ['discriminative-attribute-state', 'discriminative-attribute-number', 'discriminative-attribute-action'],
  state: ['discriminative-attribute-state'],
  number: ['discriminative-attribute-number'],
  action: ['discriminative-attribute-action'],
  relation: ['discriminative-relation', 'relation'],
};

/**
 * Scores `answers` (any subset of AMBER's ids, each at most once) against `data`. Upstream's
 * counters start from metrics.txt's seeds (0.001 in every denominator) and are summed answer by
 * answer in input order, so results match upstream's float arithmetic exactly.
 */
export function scoreAmber(data: AmberData, answers: readonly AmberAnswer[], nlp: AmberNlp, options: AmberScoreOptions = {}): AmberResult {
  const threshold = options.similarityThreshold ?? DEFAULT_SIMILARITY_THRESHOLD;
  const mapping = options.answerMapping ?? 'first-word';
  const ctx: GenerativeContext = {
    nlp,
    relation: data.relation,
    vocabulary: amberVocabulary(data.relation),
    safeWords: new Set(data.safeWords),
    similar: options.similarity ? similarityFromTable(options.similarity, threshold) : identityOnly,
  };
  const counters = { ...data.seeds };
  const seen = new Set<number>();
  const source = options.answersSource ?? 'answers';

  const items = answers.map((answer, index): AmberItemRecord => {
    const annotation = data.annotations[answer.id - 1];
    if (!Number.isInteger(answer.id) || annotation === undefined || annotation.id !== answer.id) {
      throw new FileError(`${source}: answer ${index + 1} has id ${answer.id}, not an AMBER id (1-${data.annotations.length})`);
    }
    if (typeof answer.response !== 'string') throw new FileError(`${source}: answer ${index + 1} (id ${answer.id}): response must be a string`);
    if (seen.has(answer.id)) throw new FileError(`${source}: answer ${index + 1}: id ${answer.id} is answered twice; keep one answer per id`);
    seen.add(answer.id);
    if (annotation.type === 'generative') {
      const item = scoreGenerativeAnswer(annotation, answer.response, ctx);
      addGenerativeCounts(counters, item);
      return item;
    }
    const item = scoreDiscriminativeAnswer(annotation as DiscriminativeAnnotation, answer.response, mapping);
    addDiscriminativeCounts(counters, item);
    return item;
  });

  const generative = items.filter((i): i is GenerativeItemRecord => i.kind === 'generative');
  const discriminative = items.filter((i): i is DiscriminativeItemRecord => i.kind !== 'generative');
  const gen = generative.length > 0 ? generativeMetrics(counters) : null;
  const overall = discriminative.length > 0 ? yesNoMetrics(counters, ['']) : null;
  const dimension = (name: keyof typeof DIMENSIONS): DimensionMetrics | null => {
    const mine = discriminative.filter((i) => DIMENSION_TYPES[name].includes(i.kind));
    if (mine.length === 0) return null;
    const { prefixes, epsilon } = DIMENSIONS[name];
    return { ...yesNoMetrics(counters, prefixes, epsilon), n: mine.length, unmapped: mine.filter((i) => i.mapped === null).length };
  };

  return {
    chair: gen?.chair ?? null,
    cover: gen?.cover ?? null,
    hal: gen?.hal ?? null,
    cog: gen?.cog ?? null,
    accuracy: overall?.accuracy ?? null,
    precision: overall?.precision ?? null,
    recall: overall?.recall ?? null,
    f1: overall?.f1 ?? null,
    amberScore: gen && overall ? (100 - gen.chair + overall.f1) / 2 : null,
    n: items.length,
    nGenerative: generative.length,
    nDiscriminative: discriminative.length,
    unmapped: discriminative.filter((i) => i.mapped === null).length,
    byType: {
      existence: dimension('existence'),
      attribute: dimension('attribute'),
      state: dimension('state'),
      number: dimension('number'),
      action: dimension('action'),
      relation: dimension('relation'),
    },
    counters,
    similarity: options.similarity
      ? { source: 'table', model: options.similarity.model, threshold }
      : { source: 'identity-only', threshold },
    answerMapping: mapping,
    items,
  };
}

/** Upstream's four generative numbers; each rounded to one decimal, the seeds left in the denominators. */
export function generativeMetrics(counters: Record<string, number>): { chair: number; cover: number; hal: number; cog: number } {
  const c = (name: string) => counters[name]!;
  return {
    chair: pythonRound1((c('chair_score') / c('chair_num')) * 100),
    cover: pythonRound1((c('safe_cover_score') / c('safe_cover_num')) * 100),
    hal: pythonRound1(100 - (c('non_hallu_score') / c('non_hallu_num')) * 100),
    cog: pythonRound1((c('hallu_cover_score') / c('hallu_cover_num')) * 100),
  };
}
