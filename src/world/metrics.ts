/**
 * Exact hallucination metrics against the world's ground truth: CHAIR (Object HalBench / AMBER
 * generative) per response and aggregated, and yes/no metrics (AMBER discriminative).
 * Every ratio with a zero denominator is 0, so empty inputs give all-zero metrics.
 */
import { parseText } from './parse.ts';
import type { Mention } from './parse.ts';
import { agreement, matches } from './vocab.ts';
import type { Scene } from './vocab.ts';

export interface ResponseAnalysis {
  mentions: Mention[];
  /** Mentions whose shape is absent from the scene. */
  hallucinated: Mention[];
  /** Mentions of a present shape where no object of that shape has all the stated attributes. */
  attributeErrors: Mention[];
  /** "There is no X." statements that are false (an X is present). Not mentions. */
  falseNegations: Mention[];
  /** Distinct scene objects matched by some mention. */
  coveredObjects: number;
  /** Objects in the scene. */
  objects: number;
  /** For each mention, the index of the scene object it was matched to (undefined when hallucinated). */
  matchedTo: Array<number | undefined>;
  unknownWords: string[];
  /** Word tokens (punctuation excluded), the denominator of the unknown-word rate. */
  words: number;
  unparsed: string[];
}

/**
 * Analyse one response against its scene. Each mention is matched to the best-agreeing object
 * of its shape: full agreement first, then most agreeing attributes, then an object not yet
 * covered (so "There is a circle. There is a circle." covers two circles), then reading order.
 * @example
 * analyseResponse(scene, 'There is a red circle. There is a star.').hallucinated.length // 1 if no star
 */
export function analyseResponse(scene: Scene, text: string): ResponseAnalysis {
  const parsed = parseText(text);
  const covered = new Set<number>();
  const out: ResponseAnalysis = {
    mentions: parsed.mentions, hallucinated: [], attributeErrors: [], falseNegations: [], coveredObjects: 0,
    objects: scene.objects.length, matchedTo: [], unknownWords: parsed.unknownWords, words: parsed.words, unparsed: parsed.unparsed,
  };
  for (const m of parsed.mentions) {
    let best: number | undefined;
    let bestScore = -Infinity;
    scene.objects.forEach((o, i) => {
      if (o.shape !== m.shape) return;
      const score = (matches(o, m) ? 100 : 0) + agreement(o, m) * 10 + (covered.has(i) ? 0 : 1);
      if (score > bestScore) { best = i; bestScore = score; }
    });
    out.matchedTo.push(best);
    if (best === undefined) { out.hallucinated.push(m); continue; }
    covered.add(best);
    if (!matches(scene.objects[best]!, m)) out.attributeErrors.push(m);
  }
  out.falseNegations = parsed.negations.filter((n) => scene.objects.some((o) => matches(o, n)));
  out.coveredObjects = covered.size;
  return out;
}

export interface ChairMetrics {
  /** Responses. */
  n: number;
  /** Hallucinated mentions / all mentions. */
  chairI: number;
  /** Responses with >= 1 hallucinated mention / responses. */
  chairS: number;
  /** Responses with >= 1 hallucinated mention / responses mentioning >= 1 object (official Object HalBench summary). */
  chairSMentioning: number;
  /** Covered objects / ground-truth objects, both summed over responses. */
  coverage: number;
  /** Attribute errors / mentions of present shapes. */
  attributeErrorRate: number;
  /** Unknown words / words. */
  unknownWordRate: number;
  /** Mentions per response. */
  meanMentions: number;
}

/**
 * Aggregate response analyses. Zero denominators give 0 (no mentions: chairI = 0).
 * @example
 * chairMetrics(pairs.map(([scene, text]) => analyseResponse(scene, text))).chairI
 */
export function chairMetrics(results: readonly ResponseAnalysis[]): ChairMetrics {
  const sum = (f: (r: ResponseAnalysis) => number) => results.reduce((s, r) => s + f(r), 0);
  const mentions = sum((r) => r.mentions.length);
  const hallucinated = sum((r) => r.hallucinated.length);
  const withHallucination = sum((r) => Number(r.hallucinated.length > 0));
  return {
    n: results.length,
    chairI: ratio(hallucinated, mentions),
    chairS: ratio(withHallucination, results.length),
    chairSMentioning: ratio(withHallucination, sum((r) => Number(r.mentions.length > 0))),
    coverage: ratio(sum((r) => r.coveredObjects), sum((r) => r.objects)),
    attributeErrorRate: ratio(sum((r) => r.attributeErrors.length), mentions - hallucinated),
    unknownWordRate: ratio(sum((r) => r.unknownWords.length), sum((r) => r.words)),
    meanMentions: ratio(mentions, results.length),
  };
}

export interface YesNoMetrics {
  n: number;
  accuracy: number;
  /** Of the 'yes' class, as AMBER reports. */
  precision: number;
  recall: number;
  f1: number;
  /** Share of 'yes' predictions (a yes-bias check). */
  yesRate: number;
}

/**
 * Yes/no metrics with 'yes' as the positive class. Zero denominators give 0.
 * @example
 * yesNoMetrics([{ predicted: true, truth: true }, { predicted: true, truth: false }]) // accuracy 0.5, precision 0.5, recall 1
 */
export function yesNoMetrics(items: ReadonlyArray<{ predicted: boolean; truth: boolean }>): YesNoMetrics {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const { predicted, truth } of items) {
    if (predicted && truth) tp++;
    else if (predicted) fp++;
    else if (truth) fn++;
    else tn++;
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    n: items.length,
    accuracy: ratio(tp + tn, items.length),
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    yesRate: ratio(tp + fp, items.length),
  };
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

export interface KindAccuracy {
  n: number;
  accuracy: number;
  /** Accuracy on the questions whose true answer is yes (null when there are none). */
  yesAccuracy: number | null;
  /** Accuracy on the questions whose true answer is no (null when there are none). */
  noAccuracy: number | null;
}

/**
 * Yes/no accuracy per question kind, split by the true answer.
 * @example
 * accuracyByKind([{ kind: 'place', predicted: true, truth: false }]) // { place: { n: 1, accuracy: 0, yesAccuracy: null, noAccuracy: 0 } }
 */
export function accuracyByKind<K extends string>(items: ReadonlyArray<{ kind: K; predicted: boolean; truth: boolean }>): Partial<Record<K, KindAccuracy>> {
  const counts = new Map<K, { yes: number; yesRight: number; no: number; noRight: number }>();
  for (const { kind, predicted, truth } of items) {
    const c = counts.get(kind) ?? { yes: 0, yesRight: 0, no: 0, noRight: 0 };
    if (truth) { c.yes++; if (predicted) c.yesRight++; } else { c.no++; if (!predicted) c.noRight++; }
    counts.set(kind, c);
  }
  const out: Partial<Record<K, KindAccuracy>> = {};
  for (const [kind, c] of counts) {
    out[kind] = {
      n: c.yes + c.no,
      accuracy: (c.yesRight + c.noRight) / (c.yes + c.no),
      yesAccuracy: c.yes === 0 ? null : c.yesRight / c.yes,
      noAccuracy: c.no === 0 ? null : c.noRight / c.no,
    };
  }
  return out;
}
