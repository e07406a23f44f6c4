/**
 * Rule-based divide and convert (docs/method.md §2.1-2.2) for the world's language, usable as a cheap
 * fallback for any English text: split into one claim per asserting sentence, turn each into a
 * polar question (negations kept), and give the exact truth of a claim in a scene.
 */
import { parseSentence } from './parse.ts';
import type { ParsedSentence } from './parse.ts';
import { bareNoun, indefinite, indefiniteWithPosition, listJoin, numberWord, position } from './phrases.ts';
import { splitSentences } from './tokens.ts';
import { meaningTruth, queryTruth } from './truth.ts';
import type { Scene } from './vocab.ts';

/**
 * One claim per sentence that asserts something; questions, bare yes/no answers and
 * instructions are dropped.
 * @example
 * splitClaims('There is a red circle. Is it big? There is no star.') // ['There is a red circle.', 'There is no star.']
 */
export function splitClaims(text: string): string[] {
  return splitSentences(text).filter((s) => {
    if (/\?\s*$/.test(s)) return false;
    const kind = parseSentence(s).meaning?.kind;
    return kind !== 'answer' && kind !== 'instruction' && kind !== 'question';
  });
}

/**
 * Atomic claims: splitClaims, then each sentence that mentions an object with attributes becomes
 * one claim that the object exists plus one per stated attribute, each a self-contained sentence.
 * An object that is not there then fails every one of its claims, while a wrong colour or place
 * fails one: the score (minus rejected claims) weighs a hallucinated object above a misplaced one,
 * as the fine-grained facts of the paper's divide step do. Other sentences stay whole.
 * @example
 * atomicClaims('There is a small red circle at the top left.')
 * // ['There is a circle.', 'There is a small circle.', 'There is a red circle.', 'There is a circle at the top left.']
 */
export function atomicClaims(text: string): string[] {
  return splitClaims(text).flatMap((claim) => {
    const m = parseSentence(claim).meaning;
    if (m?.kind !== 'mention') return [claim];
    const { shape, colour, size, row, col } = m.target;
    const out = [`There is ${indefinite({ shape })}.`];
    if (size) out.push(`There is ${indefinite({ shape, size })}.`);
    if (colour) out.push(`There is ${indefinite({ shape, colour })}.`);
    if (row !== undefined && col !== undefined) out.push(`There is ${indefiniteWithPosition({ shape, row, col })}.`);
    return out;
  });
}

/**
 * A claim as a yes/no question. World sentences get the canonical form the labeler is trained
 * on; negations stay negations; other English moves its auxiliary forward or asks "Is it true".
 * @example
 * toPolarQuestion('A small blue star is in the middle centre.') // 'Is there a small blue star at the middle centre?'
 * toPolarQuestion('There is no red square.')                    // 'Is there no red square?'
 * toPolarQuestion('The sky is blue.')                           // 'Is the sky blue?'
 * toPolarQuestion('The cat sleeps.')                            // 'Is it true that the cat sleeps?'
 */
export function toPolarQuestion(claim: string): string {
  const m = parseSentence(claim).meaning;
  if (m?.kind === 'mention') return `Is there ${indefiniteWithPosition(m.target)}?`;
  if (m?.kind === 'negation') {
    const pos = position(m.target);
    return `Is there no ${bareNoun(m.target)}${pos ? ` ${pos}` : ''}?`;
  }
  if (m?.kind === 'list') {
    const head = m.count === 1 ? 'Is there one object' : `Are there ${numberWord(m.count)} objects`;
    return `${head}: ${listJoin(m.items.map(indefinite))}?`;
  }
  return genericPolar(claim);
}

/** Exact truth of one claim (a statement or a yes/no question) in the scene; undefined if it cannot be parsed. */
export function claimTruth(scene: Scene, claim: string): boolean | undefined {
  return sentenceTruth(scene, parseSentence(claim));
}

/**
 * Exact answer to a yes/no question such as the labeler gets (a trailing
 * "Please answer yes or no." is ignored); undefined when the question is outside the grammar.
 * @example
 * questionTruth(scene, 'Is there a star? Please answer yes or no.') // true | false
 */
export function questionTruth(scene: Scene, question: string): boolean | undefined {
  const first = splitSentences(question).map(parseSentence).find((s) => s.meaning?.kind !== 'instruction');
  return first?.meaning?.kind === 'question' ? queryTruth(scene, first.meaning.query) : undefined;
}

function sentenceTruth(scene: Scene, s: ParsedSentence): boolean | undefined {
  if (!s.meaning) return undefined;
  return s.meaning.kind === 'question' ? queryTruth(scene, s.meaning.query) : meaningTruth(scene, s.meaning);
}

const AUXILIARIES = new Set(['is', 'are', 'was', 'were', 'can', 'could', 'will', 'would', 'should', 'has', 'have', 'does', 'do', 'did']);
/** First words that are safe to lower-case when they move (determiners, pronouns, numbers). */
const COMMON_FIRST = new Set([
  'the', 'a', 'an', 'this', 'that', 'these', 'those', 'there', 'it', 'he', 'she', 'they', 'we', 'you',
  'my', 'his', 'her', 'their', 'its', 'our', 'some', 'all', 'each', 'every', 'both', 'no', 'in', 'on', 'at',
  'one', 'two', 'three', 'four', 'five', 'many', 'most', 'few',
]);
/** How far into the sentence an auxiliary may be and still be the main verb of a short subject. */
const MAX_SUBJECT_WORDS = 6;

/** Generic English: 'The sky is blue.' -> 'Is the sky blue?'; 'The cat sleeps.' -> 'Is it true that the cat sleeps?'. */
function genericPolar(claim: string): string {
  const body = claim.trim().replace(/[.!?\s]+$/, '');
  const ws = body.split(/\s+/).filter(Boolean);
  if (ws.length === 0) return 'Is it true?';
  // Only words known not to be names are lower-cased when they stop being first ('The' -> 'the', 'Paris' stays).
  const lowerFirst = (w: string) => (COMMON_FIRST.has(w.toLowerCase()) ? w.toLowerCase() : w);
  const k = ws.findIndex((w, i) => i > 0 && i <= MAX_SUBJECT_WORDS && AUXILIARIES.has(w.toLowerCase()));
  if (k > 0 && !ws.slice(0, k).some((w) => /[,;:]$/.test(w))) {
    const aux = ws[k]!.toLowerCase();
    const rest = [lowerFirst(ws[0]!), ...ws.slice(1, k), ...ws.slice(k + 1)];
    return `${aux.charAt(0).toUpperCase()}${aux.slice(1)} ${rest.join(' ')}?`;
  }
  return `Is it true that ${lowerFirst(ws[0]!)}${ws.length > 1 ? ` ${ws.slice(1).join(' ')}` : ''}?`;
}
