/**
 * Tokenising and sentence splitting for the world's language, matching the model tokenizer:
 * words split on whitespace, and `. , ? ! : ;` are tokens of their own. Case is kept.
 */

const PUNCTUATION = ['.', ',', '?', '!', ':', ';'] as const;
const PUNCT = /([.,?!:;])/g;

/** `tokenize('A red circle.')` -> `['A', 'red', 'circle', '.']`. */
export function tokenize(text: string): string[] {
  return text.replace(PUNCT, ' $1 ').split(/\s+/).filter(Boolean);
}

export function isPunctuation(token: string): boolean {
  return (PUNCTUATION as readonly string[]).includes(token);
}

/**
 * Sentences of a text, each with its terminal punctuation; a trailing fragment without one
 * (a truncated answer) is a sentence too. Sentences with no word at all are dropped.
 * @example
 * splitSentences('There is a star. Is it red? There is a') // ['There is a star.', 'Is it red?', 'There is a']
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[^.?!]*(?:[.?!]+|$)/g)) {
    const s = m[0].trim();
    if (tokenize(s).some((t) => !isPunctuation(t))) out.push(s);
  }
  return out;
}
