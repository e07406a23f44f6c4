/**
 * A generic rule-based divider: one claim per declarative sentence. A fallback for when no divide
 * LLM is available; it does not make sentences self-contained (pronouns stay), so it is weaker.
 */
import type { Divider } from './divide.ts';
import { stripBullet } from './bullets.ts';

/**
 * Sentences of a text: a sentence ends at '.', '!' or '?' followed by whitespace or the end, and at
 * every line break (list items rarely end with a period). List bullets are stripped. Abbreviations
 * such as "Mr. Smith" are split wrongly; that is the price of having no model.
 *
 * `splitSentences('A dog runs. Is it happy? Yes!') -> ['A dog runs.', 'Is it happy?', 'Yes!']`
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .flatMap((line) => stripBullet(line).split(/(?<=[.!?])\s+/))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Claims of one answer: its sentences, without questions (they assert nothing) and without sentences that have no letter or digit. */
export function sentenceClaims(answer: string): string[] {
  return splitSentences(answer).filter((s) => !s.endsWith('?') && /[\p{L}\p{N}]/u.test(s));
}

/** `await sentenceDivider().divide([{ question: 'q', answer: 'A cat. A mat?' }]) -> [['A cat.']]` */
export function sentenceDivider(): Divider {
  return {
    async divide(items) {
      return items.map((it) => sentenceClaims(it.answer));
    },
  };
}
