import { parseBulletList } from '../divide/bullets.ts';

/**
 * Questions for one response. `ok: false` is the docs/method.md §2.4 mismatch: the LLM returned a different
 * number of questions than there are non-empty claims, so questions cannot be matched to claims and
 * the response must not be paired. It is a value, not an exception: one bad completion must not stop
 * a run. `raw` is the LLM output when an LLM produced the questions.
 */
export type Conversion =
  | { ok: true; questions: string[]; raw?: string }
  | { ok: false; questions: string[]; reason: 'count-mismatch'; detail: string; raw?: string };

/**
 * Parse `### Modified sentences:` then `- question` lines (same rules as `parseFacts`, duplicates
 * kept) and check the count against the number of non-empty claims.
 *
 * `parseQuestions('### Modified sentences:\n- Is there a dog?', 1) -> { ok: true, questions: ['Is there a dog?'] }`
 * `parseQuestions('- Is there a dog?', 2).ok === false`
 */
export function parseQuestions(llmOutput: string, expectedCount: number): Conversion {
  const questions = parseBulletList(llmOutput);
  if (questions.length === expectedCount) return { ok: true, questions };
  return {
    ok: false,
    questions,
    reason: 'count-mismatch',
    detail: `expected ${expectedCount} questions (one per non-empty claim), the convert model returned ${questions.length}; the response will not be paired`,
  };
}
