/**
 * AMBER's data files, read and checked: annotations (ground truth per id), the word association
 * lists (relation.json), the global safe words, the metric counter seeds (metrics.txt) and the
 * queries. `.json.gz` files are gunzipped. Every problem is a FileError naming the file, the record
 * and what is wrong.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PACKAGE_ROOT } from '../../settings.ts';
import { FileError } from '../../util/errors.ts';

/** The vendored copy (see its README for source and licence). */
export const AMBER_DATA_DIR = join(PACKAGE_ROOT, 'data', 'benchmarks', 'amber');

export const DISCRIMINATIVE_TYPES = [
  'discriminative-hallucination',
  'discriminative-attribute-state',
  'discriminative-attribute-number',
  'discriminative-attribute-action',
  'discriminative-relation',
  'relation',
] as const;
export type DiscriminativeType = (typeof DISCRIMINATIVE_TYPES)[number];
export type AmberType = 'generative' | DiscriminativeType;

export interface GenerativeAnnotation {
  id: number;
  type: 'generative';
  /** Objects in the image, in file order (repeats occur and count twice in Cover's denominator). */
  truth: string[];
  /** Hallucinatory target objects: plausible but absent. */
  hallu: string[];
}

export interface DiscriminativeAnnotation {
  id: number;
  type: DiscriminativeType;
  truth: 'yes' | 'no';
}

export type AmberAnnotation = GenerativeAnnotation | DiscriminativeAnnotation;

export interface AmberQuery {
  id: number;
  /** Image file name, e.g. `AMBER_1.jpg` (images are downloaded by the user). */
  image: string;
  /** The prompt, sent as is with the image. */
  query: string;
  type: AmberType;
}

export interface AmberData {
  /** annotations[id - 1] is the record of `id`. */
  annotations: AmberAnnotation[];
  /** word -> associated words, in file order. */
  relation: Map<string, string[]>;
  /** Words never counted as hallucinations (safe_words.txt). */
  safeWords: string[];
  /** Initial counter values from metrics.txt (`*_num` = 0.001, `*_score` = 0). */
  seeds: Record<string, number>;
  /** Every query, ordered by id. */
  queries: AmberQuery[];
}

export const AMBER_FILES = {
  annotations: 'annotations.json.gz',
  relation: 'relation.json',
  safeWords: 'safe_words.txt',
  metrics: 'metrics.txt',
  queries: ['query_generative.json.gz', 'query_discriminative.json.gz'],
} as const;

/** Reads the whole data set from `dir` (default: the vendored copy) and checks it hangs together. */
export function readAmberData(dir: string = AMBER_DATA_DIR): AmberData {
  const relationFile = join(dir, AMBER_FILES.relation);
  const annotationsFile = dataFile(dir, AMBER_FILES.annotations);
  const relation = readRelation(relationFile);
  const annotations = readAnnotations(annotationsFile);
  checkAnnotationWordsHaveAssociations(annotations, relation, annotationsFile, relationFile);
  return {
    annotations,
    relation,
    safeWords: readSafeWords(join(dir, AMBER_FILES.safeWords)),
    seeds: readMetricSeeds(join(dir, AMBER_FILES.metrics)),
    queries: readQueries(AMBER_FILES.queries.map((f) => dataFile(dir, f)), annotations),
  };
}

/** The vendored copy is gzipped; the official release and a world export are plain JSON: either is read. */
function dataFile(dir: string, gzName: string): string {
  const gz = join(dir, gzName);
  const plain = join(dir, gzName.replace(/\.gz$/, ''));
  return existsSync(gz) || !existsSync(plain) ? gz : plain;
}

function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new FileError(`${file}: cannot read (${(err as Error).message}); give the AMBER data folder that holds it`, { cause: err });
  }
  if (!file.endsWith('.gz')) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (err) {
    throw new FileError(`${file}: not a valid gzip file (${(err as Error).message}); replace it with a fresh copy`, { cause: err });
  }
}

function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FileError(`${file}: not valid JSON (${(err as Error).message}); replace it with a fresh copy`, { cause: err });
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((w) => typeof w === 'string');

/** annotations.json: a list whose record i has id i+1 (the scorer looks records up by id - 1). */
export function readAnnotations(file: string): AmberAnnotation[] {
  const value = readJson(file);
  if (!Array.isArray(value)) throw new FileError(`${file}: expected a JSON list of annotation records`);
  return value.map((record, index) => parseAnnotation(record, index, file));
}

function parseAnnotation(record: unknown, index: number, file: string): AmberAnnotation {
  const where = `${file}: record ${index + 1}`;
  if (!isObject(record)) throw new FileError(`${where}: expected an object {id, type, truth, ...}`);
  if (record.id !== index + 1) {
    throw new FileError(`${where}: id is ${JSON.stringify(record.id)}, expected ${index + 1} (record i must have id i, as the scorer looks ids up by position)`);
  }
  const type = record.type;
  if (type === 'generative') {
    if (!isStringList(record.truth)) throw new FileError(`${where} (id ${index + 1}): generative field truth must be a list of words`);
    if (!isStringList(record.hallu)) throw new FileError(`${where} (id ${index + 1}): generative field hallu must be a list of words`);
    return { id: index + 1, type, truth: record.truth, hallu: record.hallu };
  }
  if (!(DISCRIMINATIVE_TYPES as readonly unknown[]).includes(type)) {
    throw new FileError(`${where} (id ${index + 1}): type ${JSON.stringify(type)} is not one of generative, ${DISCRIMINATIVE_TYPES.join(', ')}`);
  }
  if (record.truth !== 'yes' && record.truth !== 'no') {
    throw new FileError(`${where} (id ${index + 1}): discriminative field truth must be "yes" or "no", got ${JSON.stringify(record.truth)}`);
  }
  return { id: index + 1, type: type as DiscriminativeType, truth: record.truth };
}

/** relation.json: an object word -> list of associated words. */
export function readRelation(file: string): Map<string, string[]> {
  const value = readJson(file);
  if (!isObject(value)) throw new FileError(`${file}: expected a JSON object mapping each word to its list of associated words`);
  const relation = new Map<string, string[]>();
  for (const [word, associated] of Object.entries(value)) {
    if (!isStringList(associated)) throw new FileError(`${file}: entry "${word}" must be a list of words, got ${JSON.stringify(associated)}`);
    relation.set(word, associated);
  }
  return relation;
}

/** The official scorer indexes relation.json by every truth and hallu word: a missing key would crash it. */
function checkAnnotationWordsHaveAssociations(annotations: AmberAnnotation[], relation: Map<string, string[]>, annotationsFile: string, relationFile: string): void {
  for (const a of annotations) {
    if (a.type !== 'generative') continue;
    for (const [field, words] of [['truth', a.truth], ['hallu', a.hallu]] as const) {
      const missing = words.find((w) => !relation.has(w));
      if (missing !== undefined) {
        throw new FileError(`${annotationsFile}: record ${a.id}: ${field} word "${missing}" is not a key of ${relationFile}; use the relation.json of the same AMBER release`);
      }
    }
  }
}

/** safe_words.txt: one word a line; a final newline adds no empty word (as Python's line loop). */
export function readSafeWords(file: string): string[] {
  const lines = readText(file).split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The counters the scorer uses; metrics.txt must seed every one. */
export const COUNTER_PREFIXES = ['', 'as_', 'an_', 'aa_', 'asso_', 'ha_'] as const;
export const GENERATIVE_COUNTERS = [
  'chair_score', 'chair_num', 'safe_cover_score', 'safe_cover_num', 'hallu_cover_score', 'hallu_cover_num', 'non_hallu_score', 'non_hallu_num',
] as const;
export const QA_COUNTER_SUFFIXES = ['qa_correct_score', 'qa_correct_num', 'qa_no_score', 'qa_no_num', 'qa_ans_no_score', 'qa_ans_no_num'] as const;
export const REQUIRED_COUNTERS: string[] = [
  ...GENERATIVE_COUNTERS,
  ...COUNTER_PREFIXES.flatMap((p) => QA_COUNTER_SUFFIXES.map((s) => p + s)),
];

/**
 * metrics.txt: `name=value` lines. The official reader `eval`s each value; here a value must be a
 * plain number. Lines without exactly one `=` are skipped, as upstream does.
 */
export function readMetricSeeds(file: string): Record<string, number> {
  const seeds: Record<string, number> = {};
  readText(file).split('\n').forEach((raw, i) => {
    const parts = raw.trim().split('=');
    if (parts.length !== 2) return;
    const name = parts[0]!.trim();
    const text = parts[1]!.trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) {
      throw new FileError(`${file}:${i + 1}: counter ${name} has value "${text}", expected a number such as 0 or 0.001`);
    }
    seeds[name] = value;
  });
  const missing = REQUIRED_COUNTERS.filter((c) => !(c in seeds));
  if (missing.length > 0) throw new FileError(`${file}: no seed for counter(s) ${missing.join(', ')}; use the metrics.txt of the AMBER release`);
  return seeds;
}

/** Query files ({id, image, query} lists); together they must give every annotation id exactly once. */
export function readQueries(files: readonly string[], annotations: AmberAnnotation[]): AmberQuery[] {
  const byId = new Map<number, AmberQuery>();
  for (const file of files) {
    const value = readJson(file);
    if (!Array.isArray(value)) throw new FileError(`${file}: expected a JSON list of {id, image, query} records`);
    value.forEach((record, index) => {
      const where = `${file}: record ${index + 1}`;
      if (!isObject(record) || typeof record.id !== 'number' || typeof record.image !== 'string' || typeof record.query !== 'string') {
        throw new FileError(`${where}: expected {"id": number, "image": string, "query": string}`);
      }
      const annotation = annotations[record.id - 1];
      if (annotation === undefined || annotation.id !== record.id) {
        throw new FileError(`${where}: id ${record.id} has no annotation (ids run 1-${annotations.length})`);
      }
      if (byId.has(record.id)) throw new FileError(`${where}: id ${record.id} is asked twice`);
      byId.set(record.id, { id: record.id, image: record.image, query: record.query, type: annotation.type });
    });
  }
  const missing = annotations.find((a) => !byId.has(a.id));
  if (missing !== undefined) throw new FileError(`${files.join(', ')}: no query for annotation id ${missing.id}; give the full query files`);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
