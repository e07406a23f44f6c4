/**
 * Sentence splitting: an APPROXIMATION of the pretrained Punkt English model that
 * `nltk.word_tokenize` calls first (`sent_tokenize`). The model's learned parameters (abbreviations,
 * collocations, orthographic statistics) are not available offline, so this keeps Punkt's
 * decision structure (NLTK 3.8.1 `punkt.py`, Apache-2.0) with small hand-written tables:
 *
 * - a break may follow a whitespace-delimited token ending in `.`, `?` or `!` (closing quotes and
 *   brackets after the mark stay with the sentence);
 * - `?` and `!` always break; so does a plain word ending in `.`, whatever case follows (Punkt does);
 * - an abbreviation (`Mr.`, `e.g.`, `U.S.`), an ellipsis (`...`) or an initial (`J.`) breaks only
 *   before a capitalized common sentence starter (`The`, `It`, ...): Punkt's orthographic and
 *   frequent-sentence-starter heuristics, with a fixed word list standing in for its statistics;
 * - a number ending in `.` (`in 2019.`) breaks unless a lowercase word follows; an initial does
 *   not break before a lowercase word either;
 * - closing quotes/brackets right after the period are what Punkt sees as the next token, so
 *   `(see Dr.)` does not break there but `(in 2019.)` and `(plan B.)` do.
 */

/** Lower-cased, without the final period; Punkt also tries the part after the last hyphen. */
const ABBREVIATIONS: ReadonlySet<string> = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'jr', 'sr', 'mt', 'ft', 'gen', 'col', 'lt', 'sgt', 'capt',
  'gov', 'sen', 'rep', 'rev', 'hon', 'messrs', 'vs', 'etc', 'approx', 'inc', 'corp', 'co', 'ltd',
  'dept', 'univ', 'assn', 'bros', 'fig', 'figs', 'no', 'nos', 'vol', 'vols', 'ed', 'eds', 'pp',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun',
  'ave', 'blvd', 'rd', 'est', 'cf', 'al', 'ca', 'viz', 'ibid', 'op', 'pt', 'sq', 'oz', 'lb', 'lbs',
]);

/** Words that, capitalized after an abbreviation, start a new sentence (Punkt's learned starters). */
const COMMON_SENTENCE_STARTERS: ReadonlySet<string> = new Set([
  'the', 'a', 'an', 'this', 'that', 'these', 'those', 'it', 'its', 'there', 'they', 'he', 'she',
  'we', 'you', 'his', 'her', 'their', 'our', 'my', 'your', 'in', 'on', 'at', 'but', 'and', 'or',
  'however', 'also', 'as', 'if', 'when', 'while', 'what', 'which', 'who', 'how', 'why', 'where',
  'some', 'many', 'one', 'each', 'all', 'both', 'no', 'not', 'for', 'with', 'from', 'to', 'by',
  'after', 'before', 'then', 'so', 'another', 'other', 'several', 'overall', 'additionally',
]);

const CLOSERS = String.raw`['"”’»)\]}]*`;
const ENDS_SENTENCE_MARK = new RegExp(String.raw`[.?!]${CLOSERS}$`, 'u');
const CLOSERS_AT_END = new RegExp(`${CLOSERS}$`, 'u');
const NUMBER = /^-?[.,]?\d[\d,.-]*$/u;
const INITIAL = /^\p{L}$/u;
const DOTTED_LETTERS = /^(?:\p{L}\.)+\p{L}$/u;
const ELLIPSIS = /^(?:.*[^.])?\.{2,}$/u;
const TOKEN_WITH_SPACE = /(\S+)(\s*)/gu;

/** Punkt looks at the next token's first character only: a quote or bracket is neither case. */
function startsUpper(word: string): boolean {
  const first = word.charAt(0);
  return first !== first.toLowerCase() && first === first.toUpperCase();
}

function startsLower(word: string): boolean {
  const first = word.charAt(0);
  return first !== first.toUpperCase() && first === first.toLowerCase();
}

function isCommonStarter(word: string): boolean {
  const core = word.replace(/[^\p{L}]+$/u, '').toLowerCase();
  return startsUpper(word) && COMMON_SENTENCE_STARTERS.has(core);
}

function isAbbreviation(type: string): boolean {
  const lower = type.toLowerCase();
  const afterHyphen = lower.split('-').pop() ?? lower;
  return ABBREVIATIONS.has(lower) || ABBREVIATIONS.has(afterHyphen) || DOTTED_LETTERS.test(type);
}

/**
 * Whether a sentence ends after `token` (which ends in . ? or !, maybe then closers) when the token
 * `nextToken` follows. As in Punkt, closers right after the period are what "comes next".
 */
function breaksBetween(token: string, nextToken: string): boolean {
  const mark = token.replace(CLOSERS_AT_END, '');
  if (!mark.endsWith('.')) return true;
  const next = token.length > mark.length ? token.slice(mark.length) : nextToken;
  if (ELLIPSIS.test(mark)) return isCommonStarter(next);
  const type = mark.slice(0, -1);
  if (NUMBER.test(type)) return !startsLower(next);
  if (INITIAL.test(type)) return startsUpper(next) ? isCommonStarter(next) : !startsLower(next);
  if (isAbbreviation(type)) return isCommonStarter(next);
  return true;
}

/**
 * Splits text into sentences (approximating NLTK's Punkt English model; see the file comment).
 * `sentences('I saw Mr. Smith. He had 2 dogs!')` gives `['I saw Mr. Smith.', 'He had 2 dogs!']`.
 */
export function sentences(text: string): string[] {
  const tokens = [...text.matchAll(TOKEN_WITH_SPACE)];
  const out: string[] = [];
  let start = -1;
  tokens.forEach((m, i) => {
    const token = m[1] ?? '';
    if (start < 0) start = m.index;
    const next = tokens[i + 1];
    if (next !== undefined && ENDS_SENTENCE_MARK.test(token) && breaksBetween(token, next[1] ?? '')) {
      out.push(text.slice(start, m.index + token.length));
      start = -1;
    }
  });
  if (start >= 0) out.push(text.slice(start).trimEnd());
  return out;
}
