/**
 * The convert prompt (docs/method.md §2.2), in the spirit of the official pipeline: rewrite each declarative
 * claim as a yes/no question, same tense, nothing added, negations kept; answer with
 * `### Modified sentences:` then one `- question` line per claim, in order.
 */

/** Default wording; `{claims}` is the only placeholder (`{first question}` belongs to the format example). */
export const DEFAULT_CONVERT_TEMPLATE = [
  'You turn declarative sentences into general (yes/no) questions. Rewrite the given sentences one by one,',
  'in the same order, as yes/no questions. Do not change the tense and do not add any content.',
  'If a sentence contains "not", "no" or another negative word, the question must keep that negative word.',
  '',
  'Write the result in exactly this format, one question per sentence:',
  '### Modified sentences:',
  '- {first question}',
  '- {second question}',
  '- ...',
  '',
  '### Declarative sentences:',
  '{claims}',
].join('\n');

/**
 * The prompt for one response's claims (the caller passes the non-empty ones). Not truncated: the
 * official pipeline truncates only the divide prompt, and the claims are already short.
 *
 * `buildConvertPrompt(['There is a dog.'])` ends with `### Declarative sentences:\n- There is a dog.`
 */
export function buildConvertPrompt(claims: readonly string[], template = DEFAULT_CONVERT_TEMPLATE): string {
  // Newlines inside a claim would split it into two list items; flatten them.
  const list = claims.map((c) => `- ${c.replace(/\s*[\r\n]+\s*/g, ' ').trim()}`).join('\n');
  return template.replace('{claims}', () => list);
}
