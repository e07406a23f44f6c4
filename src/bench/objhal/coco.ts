/**
 * Object HalBench's ground truth (BENCHMARKS.md §1.4, §10 item 2): per image, the classes of its
 * COCO instance annotations ∪ the classes the caption parser finds in its COCO reference captions,
 * over every file given (upstream reads train2014 and val2014 of both kinds).
 */
import { FileError } from '../../util/errors.ts';
import { scanTopLevelArrays } from './json-arrays.ts';
import type { ObjhalNlp } from './nlp.ts';
import { parseByRules } from './rules.ts';
import type { ObjhalVocabulary } from './vocabulary.ts';

export interface CocoFiles {
  /** `instances_train2014.json`, `instances_val2014.json` (or a world export's instances file). */
  instances: readonly string[];
  /** `captions_train2014.json`, `captions_val2014.json`. */
  captions: readonly string[];
}

const IMAGE_ID = /"image_id"\s*:\s*(\d+)/;

/** Cheap look at an annotation's text: only the benchmark's images are parsed. */
function forImages(imageIds: ReadonlySet<number>) {
  return (key: string, text: string) => {
    if (key !== 'annotations') return true;
    const m = IMAGE_ID.exec(text);
    return m === null || imageIds.has(Number(m[1])); // no id: parse it, so validation names it
  };
}

function field<T>(file: string, line: number, where: string, rec: unknown, name: string, ok: (v: unknown) => v is T, want: string): T {
  const v = rec !== null && typeof rec === 'object' ? (rec as Record<string, unknown>)[name] : undefined;
  if (!ok(v)) throw new FileError(`${file}:${line}: ${where}.${name} is ${v === undefined ? 'missing' : JSON.stringify(v)}, expected ${want}; is this a COCO 2014 annotation file?`);
  return v;
}
const isInt = (v: unknown): v is number => Number.isInteger(v);
const isString = (v: unknown): v is string => typeof v === 'string';

function requireArrays(file: string, seen: Set<string>, keys: string[], kind: string): void {
  const missing = keys.filter((k) => !seen.has(k));
  if (missing.length > 0) throw new FileError(`${file}: no "${missing.join('", "')}" array; expected a COCO ${kind} file (${kind}_val2014.json)`);
}

/**
 * The classes of each wanted image's instance annotations. Category names are mapped to classes
 * with the synonym list; a name not in it is an error (upstream would stop with a KeyError).
 */
export async function readCocoInstances(files: readonly string[], imageIds: ReadonlySet<number>, vocab: ObjhalVocabulary): Promise<Map<number, Set<string>>> {
  const out = new Map<number, Set<string>>();
  for (const file of files) {
    const names = new Map<number, { name: string; line: number }>();
    const pairs: Array<{ imageId: number; categoryId: number; line: number; index: number }> = [];
    const seen = await scanTopLevelArrays(file, { keys: ['annotations', 'categories'], keep: forImages(imageIds) }, ({ key, index, line, value }) => {
      const where = `${key}[${index}]`;
      if (key === 'categories') {
        names.set(field(file, line, where, value, 'id', isInt, 'an integer'), { name: field(file, line, where, value, 'name', isString, 'a string'), line });
      } else {
        const imageId = field(file, line, where, value, 'image_id', isInt, 'an integer');
        const categoryId = field(file, line, where, value, 'category_id', isInt, 'an integer');
        if (imageIds.has(imageId)) pairs.push({ imageId, categoryId, line, index });
      }
    });
    requireArrays(file, seen, ['annotations', 'categories'], 'instances');
    for (const p of pairs) {
      const cat = names.get(p.categoryId);
      if (!cat) throw new FileError(`${file}:${p.line}: annotations[${p.index}].category_id ${p.categoryId} is not in "categories"`);
      const cls = vocab.classOf.get(cat.name);
      if (cls === undefined) throw new FileError(`${file}:${cat.line}: category "${cat.name}" is not in the synonym list; give the synonym list that names this file's categories`);
      let set = out.get(p.imageId);
      if (!set) out.set(p.imageId, (set = new Set()));
      set.add(cls);
    }
  }
  return out;
}

/** The reference captions of each wanted image, in file order. */
export async function readCocoCaptions(files: readonly string[], imageIds: ReadonlySet<number>): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const file of files) {
    const seen = await scanTopLevelArrays(file, { keys: ['annotations'], keep: forImages(imageIds) }, ({ key, index, line, value }) => {
      const where = `${key}[${index}]`;
      const imageId = field(file, line, where, value, 'image_id', isInt, 'an integer');
      const caption = field(file, line, where, value, 'caption', isString, 'a string');
      if (!imageIds.has(imageId)) return;
      let list = out.get(imageId);
      if (!list) out.set(imageId, (list = []));
      list.push(caption);
    });
    requireArrays(file, seen, ['annotations'], 'captions');
  }
  return out;
}

/**
 * Ground truth of every wanted image: instance classes ∪ caption-parsed classes (an image with
 * neither gets an empty set, so each of its mentions counts as hallucinated).
 */
export async function cocoGroundTruth(files: CocoFiles, imageIds: ReadonlySet<number>, vocab: ObjhalVocabulary, nlp: ObjhalNlp): Promise<Map<number, Set<string>>> {
  const instances = await readCocoInstances(files.instances, imageIds, vocab);
  const captions = await readCocoCaptions(files.captions, imageIds);
  const out = new Map<number, Set<string>>();
  for (const id of imageIds) {
    const gt = new Set(instances.get(id) ?? []);
    for (const c of captions.get(id) ?? []) for (const m of parseByRules(c, vocab, nlp).mentions) gt.add(m.cls);
    out.set(id, gt);
  }
  return out;
}
