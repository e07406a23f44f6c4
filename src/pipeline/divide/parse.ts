import { parseBulletList } from './bullets.ts';

/**
 * The facts of a divide-step LLM output (docs/method.md §2.1): `### Facts:` then `- fact` lines. Robust to a
 * missing header, chatter before the header, trailing text, `*` / `1.` bullets; duplicates are kept.
 * See `parseBulletList` for the exact rules.
 *
 * `parseFacts('### Facts:\n- There is a dog.\n- The dog is brown.') -> ['There is a dog.', 'The dog is brown.']`
 */
export function parseFacts(llmOutput: string): string[] {
  return parseBulletList(llmOutput);
}
