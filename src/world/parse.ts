/**
 * Text -> what it says about the world: object mentions, negations, unknown words and the
 * sentences outside the grammar. Robust to degraded model output: nothing is silently dropped.
 */
import { isKnownWord } from './corpus.ts';
import { parseQuestion, parseStatement, scanDescriptions } from './grammar.ts';
import type { SentenceMeaning } from './grammar.ts';
import { isPunctuation, splitSentences, tokenize } from './tokens.ts';
import type { Description } from './vocab.ts';

/** One object mention; `sentence` is the 0-based index of its sentence in the text. */
export interface Mention extends Description {
  sentence: number;
}

export interface ParsedSentence {
  text: string;
  /** undefined when no grammar rule accepts the sentence (it is then listed in `unparsed`). */
  meaning: SentenceMeaning | undefined;
  mentions: Description[];
  negations: Description[];
}

export interface ParsedText {
  sentences: ParsedSentence[];
  /** Affirmative object mentions, repeats included (each repeat is its own mention). */
  mentions: Mention[];
  /** "There is no X." statements: not mentions. */
  negations: Mention[];
  /** Words outside the language, in order of appearance, repeats included. */
  unknownWords: string[];
  /** Sentences no rule accepts; their shape words still count as mentions (as in CHAIR). */
  unparsed: string[];
  /** Word tokens in the text, punctuation excluded (the denominator of an unknown-word rate). */
  words: number;
}

/**
 * Parse one sentence.
 * @example
 * parseSentence('There is a red circle at the top left.').meaning
 * // { kind: 'mention', target: { shape: 'circle', colour: 'red', row: 0, col: 0 } }
 */
export function parseSentence(text: string): ParsedSentence {
  const tokens = tokenize(text.toLowerCase());
  let n = tokens.length;
  let question = false;
  while (n > 0 && (tokens[n - 1] === '.' || tokens[n - 1] === '?' || tokens[n - 1] === '!')) {
    if (tokens[--n] === '?') question = true;
  }
  const body = tokens.slice(0, n);
  const meaning = question ? parseQuestion(body) : parseStatement(body);
  if (!meaning) return { text, meaning, ...scanDescriptions(body) };
  return { text, meaning, mentions: mentionsOf(meaning), negations: meaning.kind === 'negation' ? [meaning.target] : [] };
}

function mentionsOf(m: SentenceMeaning): Description[] {
  if (m.kind === 'mention') return [m.target];
  if (m.kind === 'list') return m.items;
  return []; // questions, answers and instructions assert nothing about the scene
}

/**
 * Parse a whole text (a description, an answer, degraded model output).
 * @example
 * const p = parseText('There is a red circle. There is no blue star. Blorp.');
 * p.mentions.length; // 1
 * p.negations[0].shape; // 'star'
 * p.unknownWords; // ['Blorp']
 * p.unparsed; // ['Blorp.']
 */
export function parseText(text: string): ParsedText {
  const sentences = splitSentences(text).map(parseSentence);
  const out: ParsedText = { sentences, mentions: [], negations: [], unknownWords: [], unparsed: [], words: 0 };
  sentences.forEach((s, i) => {
    for (const d of s.mentions) out.mentions.push({ ...d, sentence: i });
    for (const d of s.negations) out.negations.push({ ...d, sentence: i });
    if (!s.meaning) out.unparsed.push(s.text);
    for (const w of tokenize(s.text)) {
      if (isPunctuation(w)) continue;
      out.words++;
      if (!isKnownWord(w)) out.unknownWords.push(w);
    }
  });
  return out;
}
