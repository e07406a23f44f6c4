/**
 * AMBER's generative score for one answer, step for step as upstream `inference.py` does it, with
 * a record of why each noun counted as it did. Quirks kept on purpose (they move published numbers):
 * - nouns are matched case-sensitively and every occurrence counts;
 * - a noun in the global safe words is never a hallucination but stays in CHAIR's denominator;
 * - the target list is the association words of every truth object (in order) followed by the
 *   truth objects; a noun credits the truth object owning its FIRST position in that list, so a
 *   noun that is itself a truth object may credit another object whose association list holds it;
 * - a noun that is not safe may cover hallucinatory targets twice over (exact first match, then
 *   first similar word) and is still rescued by a similar truth word.
 */
import { extractNouns, type AmberNlp } from './nlp.ts';
import type { GenerativeAnnotation } from './data.ts';
import type { Similar } from './similarity.ts';

/** What a kept noun counted as. */
export type NounVerdict =
  | { noun: string; verdict: 'safe-word' }
  | { noun: string; verdict: 'truth'; credited: string; matched: string; viaAssociation: boolean }
  | { noun: string; verdict: 'similar-to-truth'; credited: string; matched: string; halluCovered: string[] }
  | { noun: string; verdict: 'hallucinated'; halluCovered: string[] };

export interface GenerativeItemRecord {
  id: number;
  kind: 'generative';
  answer: string;
  /** Every noun extracted (lemmatized), in order. */
  nouns: string[];
  /** The nouns in AMBER's vocabulary: these are scored. */
  kept: string[];
  verdicts: NounVerdict[];
  /** Kept nouns counted as hallucinations (repeats included). */
  hallucinated: string[];
  /** Truth objects mentioned (by position in the annotation; repeats of one word are separate). */
  truthCovered: boolean[];
  /** Hallucinatory targets mentioned, by position. */
  halluCovered: boolean[];
}

export interface GenerativeContext {
  nlp: AmberNlp;
  relation: Map<string, string[]>;
  /** Every key of relation.json and every associated word. */
  vocabulary: Set<string>;
  safeWords: Set<string>;
  similar: Similar;
}

/** The union vocabulary H: relation keys and their associated words. */
export function amberVocabulary(relation: Map<string, string[]>): Set<string> {
  const words = new Set<string>();
  for (const [key, associated] of relation) {
    words.add(key);
    for (const w of associated) words.add(w);
  }
  return words;
}

/** Association words of each object, in order, then the objects; `owner[j]` = the object position entry j credits. */
interface TargetList {
  words: string[];
  owner: number[];
}

function targetList(objects: string[], relation: Map<string, string[]>): TargetList {
  const words: string[] = [];
  const owner: number[] = [];
  objects.forEach((object, i) => {
    for (const w of relation.get(object) ?? []) {
      words.push(w);
      owner.push(i);
    }
  });
  objects.forEach((object, i) => {
    words.push(object);
    owner.push(i);
  });
  return { words, owner };
}

export function scoreGenerativeAnswer(annotation: GenerativeAnnotation, answer: string, ctx: GenerativeContext): GenerativeItemRecord {
  const nouns = extractNouns(answer, ctx.nlp);
  const kept = nouns.filter((n) => ctx.vocabulary.has(n));
  const safe = targetList(annotation.truth, ctx.relation);
  const hallu = targetList(annotation.hallu, ctx.relation);
  const truthCovered = annotation.truth.map(() => false);
  const halluCovered = annotation.hallu.map(() => false);

  const verdicts = kept.map((noun): NounVerdict => {
    if (ctx.safeWords.has(noun)) return { noun, verdict: 'safe-word' };
    const exact = safe.words.indexOf(noun);
    if (exact >= 0) {
      const owner = safe.owner[exact]!;
      truthCovered[owner] = true;
      return { noun, verdict: 'truth', credited: annotation.truth[owner]!, matched: noun, viaAssociation: exact < safe.words.length - annotation.truth.length };
    }
    const halluHits = new Set<number>();
    const exactHallu = hallu.words.indexOf(noun);
    if (exactHallu >= 0) halluHits.add(hallu.owner[exactHallu]!);
    const similarHallu = hallu.words.findIndex((w) => ctx.similar(noun, w));
    if (similarHallu >= 0) halluHits.add(hallu.owner[similarHallu]!);
    for (const h of halluHits) halluCovered[h] = true;
    const halluNames = [...halluHits].map((h) => annotation.hallu[h]!);

    const similarSafe = safe.words.findIndex((w) => ctx.similar(noun, w));
    if (similarSafe >= 0) {
      const owner = safe.owner[similarSafe]!;
      truthCovered[owner] = true;
      return { noun, verdict: 'similar-to-truth', credited: annotation.truth[owner]!, matched: safe.words[similarSafe]!, halluCovered: halluNames };
    }
    return { noun, verdict: 'hallucinated', halluCovered: halluNames };
  });

  const hallucinated = verdicts.filter((v) => v.verdict === 'hallucinated').map((v) => v.noun);
  return { id: annotation.id, kind: 'generative', answer, nouns, kept, verdicts, hallucinated, truthCovered, halluCovered };
}

/** Adds one answer to the running counters, in the order upstream does (float sums depend on it). */
export function addGenerativeCounts(counters: Record<string, number>, item: GenerativeItemRecord): void {
  const count = (flags: boolean[]) => flags.filter(Boolean).length;
  counters.chair_score! += item.hallucinated.length;
  counters.chair_num! += item.kept.length;
  counters.safe_cover_score! += count(item.truthCovered);
  counters.safe_cover_num! += item.truthCovered.length;
  counters.hallu_cover_score! += count(item.halluCovered);
  counters.hallu_cover_num! += item.halluCovered.length;
  if (item.hallucinated.length === 0) counters.non_hallu_score! += 1;
  counters.non_hallu_num! += 1;
}
