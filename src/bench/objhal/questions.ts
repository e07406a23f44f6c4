/**
 * The official question file `obj_halbench_300_with_image.jsonl` (BENCHMARKS.md §1.1): one JSON
 * object per line with `image_id` (a COCO val2014 id), `question` (one of 8 description prompts),
 * `image` (base64 JPEG) and `org_idx`. Also the answer clean-up the official scorer applies.
 */
import { FileError } from '../../util/errors.ts';
import { streamJsonl } from '../../util/jsonl.ts';

export interface ObjhalQuestion {
  imageId: number;
  question: string;
  /** The base64 JPEG, absent when images come from a COCO val2014 folder instead. */
  imageBase64?: string;
  orgIdx?: number;
  /** 1-based line in the question file. */
  line: number;
}

const FIX = 'give the Object HalBench question file (obj_halbench_300_with_image.jsonl)';

/** COCO's val2014 file name of an image: `COCO_val2014_000000000042.jpg`. */
export function cocoVal2014FileName(imageId: number): string {
  return `COCO_val2014_${String(imageId).padStart(12, '0')}.jpg`;
}

/**
 * Reads the question file, streamed (the official one is ~63 MB of base64). `image_id` may be an
 * integer or a string of digits (upstream applies `int()`).
 */
export async function readObjhalQuestions(file: string): Promise<ObjhalQuestion[]> {
  const out: ObjhalQuestion[] = [];
  try {
    for await (const { value, line } of streamJsonl<unknown>(file, FIX)) out.push(toQuestion(value, file, line));
  } catch (err) {
    if (err instanceof FileError) throw err;
    throw new FileError(`${file}: cannot read (${(err as Error).message}); ${FIX}`);
  }
  if (out.length === 0) throw new FileError(`${file}: no questions; ${FIX}`);
  return out;
}

function toQuestion(value: unknown, file: string, line: number): ObjhalQuestion {
  const bad = (what: string): never => {
    throw new FileError(`${file}:${line}: ${what}; ${FIX}`);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return bad('not a JSON object');
  const r = value as Record<string, unknown>;
  const id = typeof r.image_id === 'string' && /^\d+$/.test(r.image_id) ? Number(r.image_id) : r.image_id;
  if (!Number.isInteger(id) || (id as number) < 0) bad(`image_id is ${JSON.stringify(r.image_id)}, expected a COCO image id (a non-negative integer)`);
  if (typeof r.question !== 'string' || r.question.trim() === '') bad(`question is ${JSON.stringify(r.question)}, expected the instruction text`);
  if (r.image !== undefined && (typeof r.image !== 'string' || r.image === '')) bad('image is not a base64 string');
  if (r.org_idx !== undefined && !Number.isInteger(r.org_idx)) bad(`org_idx is ${JSON.stringify(r.org_idx)}, expected an integer`);
  return {
    imageId: id as number,
    question: r.question as string,
    ...(r.image !== undefined ? { imageBase64: r.image as string } : {}),
    ...(r.org_idx !== undefined ? { orgIdx: r.org_idx as number } : {}),
    line,
  };
}

/** The official clean-up of an answer: every literal `Assistant:` removed, then trimmed. */
export function cleanAnswer(text: string): string {
  return text.split('Assistant:').join('').trim();
}
