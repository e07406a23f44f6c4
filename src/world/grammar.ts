/**
 * The world's sentence grammar over lower-cased tokens (terminal punctuation removed).
 * Each rule either consumes the whole sentence or fails; parse.ts falls back to a lenient scan
 * for sentences no rule accepts. Rules accept a little more than the generators produce
 * (any preposition, a/an confusions, "can I see") so that slightly degraded output still parses.
 */
import { DESCRIBE_INSTRUCTIONS, OBJECTS_INSTRUCTIONS, WHERE_TEMPLATES } from './instructions.ts';
import { PREPOSITIONS } from './phrases.ts';
import { YES_NO_SUFFIX } from '../backend/types.ts';
import { tokenize } from './tokens.ts';
import { colIndex, isColour, isShape, isSize, NUMBERS, rowIndex } from './vocab.ts';
import type { Description, GridIndex } from './vocab.ts';

/** What a question asks, with exact truth given by truth.ts. */
export type Query =
  | { kind: 'exists'; target: Description }
  | { kind: 'absent'; target: Description }
  | { kind: 'count'; count: number; items?: Description[] }
  | { kind: 'where'; target: Description };

/** The meaning of one sentence. */
export type SentenceMeaning =
  | { kind: 'mention'; target: Description }
  | { kind: 'negation'; target: Description }
  | { kind: 'list'; count: number; items: Description[] }
  | { kind: 'answer'; yes: boolean }
  | { kind: 'question'; query: Query }
  | { kind: 'instruction' };

type Step<T> = { value: T; next: number } | undefined;
const INDEFINITE = ['a', 'an'];
const DEFINITE = ['the'];

/** `[size] [colour] shape` starting at i. */
function bare(t: readonly string[], i: number): Step<Description> {
  const d: Partial<Description> = {};
  let k = i;
  if (t[k] !== undefined && isSize(t[k]!)) d.size = t[k++] as Description['size'];
  if (t[k] !== undefined && isColour(t[k]!)) d.colour = t[k++] as Description['colour'];
  const shape = t[k];
  if (shape === undefined || !isShape(shape)) return undefined;
  return { value: { ...d, shape }, next: k + 1 };
}

function nounPhrase(t: readonly string[], i: number, articles: readonly string[]): Step<Description> {
  return articles.includes(t[i] ?? '') ? bare(t, i + 1) : undefined;
}

function positionPhrase(t: readonly string[], i: number): Step<{ row: GridIndex; col: GridIndex }> {
  if (!(PREPOSITIONS as readonly string[]).includes(t[i] ?? '') || t[i + 1] !== 'the') return undefined;
  const row = rowIndex(t[i + 2] ?? '');
  const col = colIndex(t[i + 3] ?? '');
  return row === undefined || col === undefined ? undefined : { value: { row, col }, next: i + 4 };
}

/** `words(t, i, 'there is')` -> index after the words, or undefined. */
function words(t: readonly string[], i: number, phrase: string): number | undefined {
  const ws = phrase.split(' ');
  return ws.every((w, k) => t[i + k] === w) ? i + ws.length : undefined;
}

/** Noun phrase with an optional trailing position, ending the sentence. */
function npToEnd(t: readonly string[], i: number | undefined, articles: readonly string[]): Description | undefined {
  if (i === undefined) return undefined;
  const np = nounPhrase(t, i, articles);
  return np ? withOptionalPosition(t, np) : undefined;
}

function bareToEnd(t: readonly string[], i: number | undefined): Description | undefined {
  if (i === undefined) return undefined;
  const np = bare(t, i);
  return np ? withOptionalPosition(t, np) : undefined;
}

function withOptionalPosition(t: readonly string[], np: { value: Description; next: number }): Description | undefined {
  if (np.next === t.length) return np.value;
  const pos = positionPhrase(t, np.next);
  return pos && pos.next === t.length ? { ...np.value, ...pos.value } : undefined;
}

/** `NP is POS` (or `NP POS` after a question's `is`). */
function npThenPosition(t: readonly string[], i: number, articles: readonly string[], copula: boolean): Description | undefined {
  const np = nounPhrase(t, i, articles);
  if (!np) return undefined;
  const at = copula ? words(t, np.next, 'is') : np.next;
  const pos = at === undefined ? undefined : positionPhrase(t, at);
  return pos && pos.next === t.length ? { ...np.value, ...pos.value } : undefined;
}

/** `there are NUM objects [: LIST]` or `there is one object [: NP]`, from index i. */
function countList(t: readonly string[], i: number, requireList: boolean): { count: number; items?: Description[] } | undefined {
  let k = words(t, i, 'one object');
  let count = 1;
  if (k === undefined) {
    count = (NUMBERS as readonly string[]).indexOf(t[i] ?? '') + 1;
    k = count > 0 && t[i + 1] === 'objects' ? i + 2 : undefined;
  }
  if (k === undefined) return undefined;
  if (k === t.length) return requireList ? undefined : { count };
  if (t[k] !== ':') return undefined;
  const items: Description[] = [];
  k++;
  for (;;) {
    const np = nounPhrase(t, k, INDEFINITE);
    if (!np) return undefined;
    items.push(np.value);
    k = np.next;
    if (k === t.length) break;
    if (t[k] !== ',' && t[k] !== 'and') return undefined;
    k++;
  }
  return { count, items };
}

const INSTRUCTION_KEYS = new Set(
  [...DESCRIBE_INSTRUCTIONS, ...OBJECTS_INSTRUCTIONS, YES_NO_SUFFIX].map((s) => key(tokenize(s.toLowerCase()))),
);

/** 'Where is {X}?' -> 'where is': the words before the noun phrase. */
const WHERE_PREFIXES = WHERE_TEMPLATES.map((t) => key(tokenize(t.replace('{X}', '').toLowerCase())));

function key(tokens: readonly string[]): string {
  return tokens.filter((w) => !['.', '?', '!'].includes(w)).join(' ');
}

/** Statement rules (sentences ending in '.', '!' or nothing). */
export function parseStatement(t: readonly string[]): SentenceMeaning | undefined {
  if (t.length === 1 && (t[0] === 'yes' || t[0] === 'no')) return { kind: 'answer', yes: t[0] === 'yes' };
  if (INSTRUCTION_KEYS.has(key(t))) return { kind: 'instruction' };
  const negated = bareToEnd(t, words(t, 0, 'there is no'));
  if (negated) return { kind: 'negation', target: negated };
  const target = npToEnd(t, words(t, 0, 'there is'), INDEFINITE)
    ?? npToEnd(t, words(t, 0, 'i can see'), INDEFINITE)
    ?? npThenPosition(t, 0, INDEFINITE, true)
    ?? npThenPosition(t, 0, DEFINITE, true)
    ?? frontedPosition(t);
  if (target) return { kind: 'mention', target };
  const listStart = words(t, 0, 'there is') ?? words(t, 0, 'there are');
  const list = listStart === undefined ? undefined : countList(t, listStart, true);
  return list ? { kind: 'list', count: list.count, items: list.items! } : undefined;
}

/** `POS , there is NP`. */
function frontedPosition(t: readonly string[]): Description | undefined {
  const pos = positionPhrase(t, 0);
  if (!pos || t[pos.next] !== ',') return undefined;
  const start = words(t, pos.next + 1, 'there is');
  const np = start === undefined ? undefined : nounPhrase(t, start, INDEFINITE);
  return np && np.next === t.length ? { ...np.value, ...pos.value } : undefined;
}

/** Question rules (sentences ending in '?'). */
export function parseQuestion(t: readonly string[]): SentenceMeaning | undefined {
  if (INSTRUCTION_KEYS.has(key(t))) return { kind: 'instruction' };
  const q = (query: Query): SentenceMeaning => ({ kind: 'question', query });
  const absent = bareToEnd(t, words(t, 0, 'is there no'));
  if (absent) return q({ kind: 'absent', target: absent });
  const exists = npToEnd(t, words(t, 0, 'is there'), INDEFINITE)
    ?? npToEnd(t, words(t, 0, 'can i see'), INDEFINITE)
    ?? (t[0] === 'is' ? npThenPosition(t, 1, INDEFINITE, false) ?? definitePredicate(t) : undefined);
  if (exists) return q({ kind: 'exists', target: exists });
  const count = words(t, 0, 'are there') ?? words(t, 0, 'is there');
  const counted = count === undefined ? undefined : countList(t, count, false);
  if (counted) return q({ kind: 'count', ...counted });
  for (const prefix of WHERE_PREFIXES) {
    const target = npToEnd(t, words(t, 0, prefix), DEFINITE);
    if (target && target.row === undefined) return q({ kind: 'where', target });
  }
  return undefined;
}

/** `is the [size] [colour] shape (colour | size | POS)`: the predicate joins the description. */
function definitePredicate(t: readonly string[]): Description | undefined {
  const np = nounPhrase(t, 1, DEFINITE);
  if (!np) return undefined;
  const w = t[np.next] ?? '';
  const d = np.value;
  if (np.next + 1 === t.length && isColour(w) && d.colour === undefined) return { ...d, colour: w };
  if (np.next + 1 === t.length && isSize(w) && d.size === undefined) return { ...d, size: w };
  const pos = positionPhrase(t, np.next);
  return pos && pos.next === t.length ? { ...d, ...pos.value } : undefined;
}

/**
 * Best-effort reading of a sentence no rule accepts: every shape word is a mention (or a
 * negation after "no"), with the size/colour words right before it and a position phrase
 * right after it. This is how CHAIR treats free text: every object word counts.
 */
export function scanDescriptions(t: readonly string[]): { mentions: Description[]; negations: Description[] } {
  const mentions: Description[] = [];
  const negations: Description[] = [];
  for (let k = 0; k < t.length; k++) {
    const shape = t[k]!;
    if (!isShape(shape)) continue;
    const d: Description = { shape };
    let j = k - 1;
    for (; j >= 0; j--) {
      const w = t[j]!;
      if (isColour(w) && d.colour === undefined) d.colour = w;
      else if (isSize(w) && d.size === undefined) d.size = w;
      else break;
    }
    const pos = positionPhrase(t, k + 1);
    if (pos) Object.assign(d, pos.value);
    (t[j] === 'no' ? negations : mentions).push(d);
  }
  return { mentions, negations };
}
