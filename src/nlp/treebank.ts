/**
 * NLTK's improved Treebank word tokenizer (`NLTKWordTokenizer.tokenize`, the second step of
 * `nltk.word_tokenize`), ported from NLTK 3.8.1 `nltk/tokenize/destructive.py`.
 * NLTK is Apache-2.0 (Copyright (C) 2001-2023 NLTK Project); the rules below are restated, not copied.
 *
 * The tokenizer is a fixed sequence of regex substitutions on one sentence, then a split on
 * whitespace. JavaScript regexes differ from Python's `re` on str patterns, so the Python classes
 * are spelled out: `\w` is any letter, number or `_` (Python's Unicode `\w`, not JS's ASCII one),
 * `\b` the boundary between such a character and any other, `\d` a Unicode decimal digit, `\s`
 * and `str.split()` Python's whitespace, and `$` (no MULTILINE) the end or just before a final `\n`.
 */

const WORD = String.raw`[\p{L}\p{N}_]`;
const BOUNDARY = String.raw`(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
const PY_SPACE_CHARS = String.raw`\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;
const SPACE = `[${PY_SPACE_CHARS}]`;
const END = String.raw`(?=\n?$)`;
const DIGIT = String.raw`\p{Nd}`;

type Rule = readonly [RegExp, string];

function rule(source: string, replacement: string, flags = ''): Rule {
  return [new RegExp(source, `gu${flags}`), replacement];
}

/** Opening quotes become separate tokens; a `"` that opens (start, or after space/bracket) becomes ``. */
const STARTING_QUOTES: readonly Rule[] = [
  rule('([«“‘„]|`+)', ' $1 '),
  rule('^"', '``'),
  rule('(``)', ' $1 '),
  rule(String.raw`([ (\[{<])("|'')`, '$1 `` '),
  // a quote before a word that is not a clitic (re ve ll m t s d n) is split off: 'hello -> ' hello
  rule(`(')(?!re|ve|ll|m|t|s|d|n)(${WORD})${BOUNDARY}`, '$1 $2', 'i'),
];

const PUNCTUATION: readonly Rule[] = [
  // the sentence-final period, before any closing brackets/quotes, is split off (first pass)
  rule(String.raw`([^.])(\.)([\])}>"'»”’ ]*)${SPACE}*${END}`, '$1 $2 $3 '),
  // : and , split off unless a digit follows (3,36 and 10:30 stay whole)
  rule(`([:,])([^${DIGIT}])`, ' $1 $2'),
  rule(`([:,])${END}`, ' $1 '),
  rule(String.raw`\.{2,}`, ' $& '),
  rule('[;@#$%&]', ' $& '),
  // the final period again (second pass; its class has no space and no curly quotes)
  rule(String.raw`([^.])(\.)([\])}>"']*)${SPACE}*${END}`, '$1 $2$3 '),
  rule('[?!]', ' $& '),
  rule("([^'])' ", "$1 ' "),
  rule('[*]', ' $& '),
];

const PARENS_BRACKETS: Rule = rule(String.raw`[\][(){}<>]`, ' $& ');
const DOUBLE_DASHES: Rule = rule('--', ' -- ');

/** Closing quotes become '' tokens; possessive and contraction endings split from their word. */
const ENDING_QUOTES: readonly Rule[] = [
  rule('([»”’])', ' $1 '),
  rule("''", " '' "),
  rule('"', " '' "),
  rule("([^' ])('[sS]|'[mM]|'[dD]|') ", '$1 $2 '),
  rule("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", '$1 $2 '),
];

/** Robert MacIntyre's contractions: cannot -> can not, gimme -> gim me, 'tis -> 't is, ... */
const CONTRACTIONS: readonly Rule[] = [
  ...[
    ['can', 'not'], ['d', "'ye"], ['gim', 'me'], ['gon', 'na'],
    ['got', 'ta'], ['lem', 'me'], ['more', "'n"],
  ].map(([a, b]) => rule(`${BOUNDARY}(${a})(${b})${BOUNDARY}`, ' $1 $2 ', 'i')),
  rule(`${BOUNDARY}(wan)(na)(?=${SPACE})`, ' $1 $2 ', 'i'),
  rule(` ('t)(is)${BOUNDARY}`, ' $1 $2 ', 'i'),
  rule(` ('t)(was)${BOUNDARY}`, ' $1 $2 ', 'i'),
];

const PY_WHITESPACE_RUN = new RegExp(`${SPACE}+`, 'u');

function applyRules(text: string, rules: readonly Rule[]): string {
  return rules.reduce((t, [re, replacement]) => t.replace(re, replacement), text);
}

/**
 * Tokenizes ONE sentence the way NLTK's `NLTKWordTokenizer().tokenize(sentence)` does.
 * Only the sentence's final period is split off: `treebankTokenize('a dog. A cat.')` gives
 * `['a', 'dog.', 'A', 'cat', '.']` (split sentences first: see `wordTokenize`).
 */
export function treebankTokenize(sentence: string): string[] {
  let text = applyRules(sentence, STARTING_QUOTES);
  text = applyRules(text, PUNCTUATION);
  text = applyRules(text, [PARENS_BRACKETS, DOUBLE_DASHES]);
  text = ` ${text} `;
  text = applyRules(text, ENDING_QUOTES);
  text = applyRules(text, CONTRACTIONS);
  return text.split(PY_WHITESPACE_RUN).filter((t) => t.length > 0);
}
