/**
 * The fact-extraction prompt of the divide step (docs/method.md §2.1), written in the spirit of the official
 * RLAIF-V pipeline: same task, same output format (`### Facts:` then `- fact` lines), same truncation.
 */

/**
 * Default wording. `{question}` and `{answer}` are the only placeholders; `{first fact}` etc. are
 * part of the format example the model is shown.
 */
export const DEFAULT_DIVIDE_TEMPLATE = [
  'You extract facts from a question-answer pair about an image. Rewrite every fact the answer states',
  'as a short, self-contained sentence that can be checked against the image on its own: name the thing',
  'instead of using a pronoun. Leave out opinions, feelings and subjective judgements.',
  '',
  'Write the result in exactly this format:',
  '### Facts:',
  '- {first fact}',
  '- {second fact}',
  '- ...',
  '',
  '### Question-answer pair:',
  'Question: {question}',
  'Answer: {answer}',
].join('\n');

/**
 * The official truncation, `' '.join(content.split(' ')[:n])`: split on the single space character
 * (a newline does not separate words, and each extra space of a run counts as an empty word), keep
 * the first `n` pieces. `truncateWords('a b  c', 3) === 'a b '`.
 */
export function truncateWords(text: string, n: number): string {
  return text.split(' ').slice(0, n).join(' ');
}

/**
 * Fill the template, then truncate the WHOLE filled prompt to its first `promptWords` words, as the
 * official pipeline does. Because the instructions and the question come first, what is cut is the
 * tail of the answer: with the default template (60 space-separated words) an answer keeps roughly its first
 * 300 - 60 - (question words) words, and facts past that point are never checked.
 *
 * `buildDividePrompt('What is shown?', 'A red car.', 300)` ends with `Answer: A red car.`
 */
export function buildDividePrompt(question: string, answer: string, promptWords: number, template = DEFAULT_DIVIDE_TEMPLATE): string {
  // One pass, so a question that itself contains "{answer}" is not substituted again.
  const filled = template.replace(/\{(question|answer)\}/g, (_, key: string) => (key === 'question' ? question : answer));
  return truncateWords(filled, promptWords);
}
