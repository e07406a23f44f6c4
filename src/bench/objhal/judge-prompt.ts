/**
 * The object-extraction prompt of RLHF-V / RLAIF-V (BENCHMARKS.md §1.3; RLHF-V paper Table 7) and
 * the official rule for reading the judge's reply.
 */

/** The official template, blank lines and the literal `()` of rule 5 included. */
export const OBJHAL_JUDGE_TEMPLATE = `You are an expert in image objects extraction according to a question answer pair. We asked an examiner to answer a question about a picture.

[Start of Question]

<image> {question}

[End of Question]

[Start of Examiner's Answer]

{answer}

[End of Examiner's Answer]


Assume that the answer is correct, please identify all visible objects that are directly shown in the image. Please following the instructions in below:

1. You should only mention objects that are explicitly mentioned in the examiner's answer.
2. You should only extract the object names without the attributes of the objects.
3. You should not include the properties of the object, like the color, material, etc. as part of the object name in your result.
4. Make your answer precise. Present the results in a JSON list format: ["object_1", ..., "object_n"].
5. You should return an empty JSON list () if no visible objects can be found.
`;

/**
 * The prompt for one answer: plain substitution, `{question}` first and then `{answer}`, every
 * occurrence, as Python's `str.replace` does (so a question containing "{answer}" gets it too).
 */
export function buildJudgePrompt(question: string, answer: string): string {
  return OBJHAL_JUDGE_TEMPLATE.split('{question}').join(question).split('{answer}').join(answer);
}

export type JudgeReply = { ok: true; objects: string[] } | { ok: false; error: string };

/**
 * Reads the judge's list. In order: the whole reply as JSON; the body of a ```json fence (the form
 * a later upstream revision reads); if the reply contains `["`, its last line as JSON; a bare
 * `()` is the empty list rule 5 asks for. Anything else is unparsed. Non-string elements name no
 * object and are dropped.
 *
 * `parseJudgeReply('Objects:\n["dog", "frisbee"]')` -> `{ ok: true, objects: ['dog', 'frisbee'] }`;
 * `parseJudgeReply('a dog')` -> `{ ok: false, error: 'not a JSON list' }`.
 */
export function parseJudgeReply(content: string): JudgeReply {
  const text = content.trim();
  if (text === '') return { ok: false, error: 'empty reply' };
  if (text === '()') return { ok: true, objects: [] };
  const candidates = [text];
  const fence = /```json\n(.*?)\n```/s.exec(text);
  if (fence) candidates.push(fence[1]!);
  if (text.includes('["')) candidates.push(text.split('\n').at(-1)!);
  for (const c of candidates) {
    const value = tryJson(c);
    if (Array.isArray(value)) return { ok: true, objects: value.filter((v): v is string => typeof v === 'string') };
  }
  return { ok: false, error: 'not a JSON list' };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
