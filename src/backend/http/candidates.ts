/**
 * Chat choices -> Candidates. Token counts come from the server's `usage`; with n choices in
 * one answer `usage.completion_tokens` is their total, so it is split in proportion to text
 * length (exact when the server was asked for one choice per request).
 */
import type { Candidate, DecodingSettings } from '../types.ts';
import type { ChatChoice } from './wire.ts';

/** `finish_reason` 'length' is truncation; everything else (stop, eos, tool calls) ended the answer. */
export function finishReasonOf(reason: string | null | undefined): Candidate['finishReason'] {
  return reason === 'length' ? 'length' : 'stop';
}

/**
 * Split a total token count over texts in proportion to their lengths, by largest remainder so
 * the parts sum to the total; without a total, count whitespace-separated words.
 * `splitTokens(10, ['aaaa', 'a']) -> [8, 2]`.
 */
export function splitTokens(total: number | undefined, texts: readonly string[]): number[] {
  if (total === undefined) return texts.map((t) => t.split(/\s+/).filter(Boolean).length);
  if (texts.length === 1) return [total];
  const weights = texts.map((t) => Math.max(1, t.length));
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    parts[i]!++;
    left--;
  }
  return parts;
}

/**
 * Candidates from the choices of one answer; choice j (by its `index`) gets seed `firstSeed + j`.
 */
export function toCandidates(
  choices: readonly ChatChoice[], completionTokens: number | undefined, firstSeed: number, model: string, d: DecodingSettings,
): Candidate[] {
  const ordered = choices.map((c, pos) => ({ c, j: c.index ?? pos })).sort((a, b) => a.j - b.j);
  const texts = ordered.map(({ c }) => c.message.content ?? '');
  const tokens = splitTokens(completionTokens, texts);
  const settings: DecodingSettings = { temperature: d.temperature, topP: d.topP, maxTokens: d.maxTokens };
  return ordered.map(({ c }, j) => ({
    text: texts[j]!,
    seed: firstSeed + j,
    model,
    settings,
    tokens: tokens[j]!,
    finishReason: finishReasonOf(c.finish_reason),
  }));
}
