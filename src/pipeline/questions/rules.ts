/**
 * A generic rule-based converter, the fallback when no convert LLM is available. Every rule only
 * moves or adds words, never drops one, so negations ("not", "no", "n't") are always kept:
 *   `There is a X.`  -> `Is there a X?`       (also are / was / were)
 *   `X is Y.`        -> `Is X Y?`             (also are / was / were / can; the first such verb)
 *   anything else    -> `Is it true that x?`  (also when X has a relative clause: "The man who is ...")
 */
import { nonEmptyClaims } from '../divide/claims.ts';
import type { Converter } from './convert.ts';

const AUX = 'is|are|was|were|can';

/** First words that are not names, so lowering them reads naturally inside a question. */
const FUNCTION_WORDS = new Set([
  'the', 'a', 'an', 'this', 'that', 'these', 'those', 'it', 'its', 'he', 'she', 'they', 'we', 'you',
  'his', 'her', 'their', 'our', 'my', 'your', 'some', 'many', 'several', 'all', 'both', 'each', 'every',
  'no', 'one', 'two', 'three', 'four', 'five', 'another', 'other', 'most', 'few', 'there', 'in', 'on', 'at',
]);

/** Lower the first letter when the first word is a function word ("The dog" -> "the dog"); keep names ("John"). */
function lowerFirst(s: string): string {
  const first = /^\S+/.exec(s)?.[0] ?? '';
  return FUNCTION_WORDS.has(first.toLowerCase()) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/**
 * A yes/no question asking whether the claim holds.
 *
 * `toPolarQuestion('The cat is not black.') === 'Is the cat not black?'`
 * `toPolarQuestion("The dog isn't brown.") === "Is it true that the dog isn't brown?"`
 */
export function toPolarQuestion(claim: string): string {
  const body = claim.trim().replace(/[\s.!]+$/, '');
  if (body.endsWith('?')) return body;
  const there = new RegExp(`^there\\s+(${AUX})\\s+(.+)$`, 'is').exec(body);
  if (there && there[1]!.toLowerCase() !== 'can') return `${capitalise(there[1]!)} there ${there[2]}?`;
  const copula = new RegExp(`^(.+?)\\s+(${AUX})\\s+(.+)$`, 'is').exec(body);
  if (copula && !/\b(who|which|that|whose|where|when)\b/i.test(copula[1]!)) {
    return `${capitalise(copula[2]!)} ${lowerFirst(copula[1]!)} ${copula[3]}?`;
  }
  return `Is it true that ${lowerFirst(body)}?`;
}

/** `await ruleConverter().convert([['There is a dog.', '']]) -> [{ ok: true, questions: ['Is there a dog?'] }]` */
export function ruleConverter(): Converter {
  return {
    async convert(claimsPerItem) {
      return claimsPerItem.map((claims) => ({ ok: true as const, questions: nonEmptyClaims(claims).map(toPolarQuestion) }));
    },
  };
}
