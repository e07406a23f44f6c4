/**
 * Object HalBench as a `Benchmark` of `rlaifv bench`. The data folder holds the question file
 * (`obj_halbench_300_with_image.jsonl`, images inline; or any one `.jsonl` of that format, with
 * images in `val2014/` when not inline), the COCO 2014 `instances_*.json` and `captions_*.json`
 * (in the folder or its `annotations/`), and optionally a `synonyms_refine.txt` of its own.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatModel } from '../../backend/types.ts';
import { decodeImage } from '../../image/codec.ts';
import { lemmatizeNoun, posTag, wordTokenize } from '../../nlp/index.ts';
import { ConfigError, FileError } from '../../util/errors.ts';
import type { BenchQuestion } from '../answers.ts';
import type { Benchmark } from '../run.ts';
import { worldExportIn, worldMetrics } from '../world-agreement.ts';
import { cocoGroundTruth } from './coco.ts';
import { ObjhalJudgeSettingsSchema } from './llm.ts';
import { cocoVal2014FileName, readObjhalQuestions, type ObjhalQuestion } from './questions.ts';
import { scoreObjhalAnswers, type ObjhalExtractorName } from './score.ts';
import { DEFAULT_SYNONYMS_FILE, readSynonyms } from './vocabulary.ts';

export interface ObjhalBenchQuestion extends BenchQuestion {
  source: ObjhalQuestion;
}

export interface ObjhalBenchOptions {
  dataDir: string;
  /** 'rules' (CHAIR's word matching) or 'llm' (RLAIF-V's: a judge lists the objects). */
  extractor: ObjhalExtractorName;
}

const NLP = { wordTokenize, lemmatizeNoun, posTag };

export function objhalBenchmark(o: ObjhalBenchOptions): Benchmark<ObjhalBenchQuestion> {
  const synonymsFile = existsSync(join(o.dataDir, 'synonyms_refine.txt')) ? join(o.dataDir, 'synonyms_refine.txt') : DEFAULT_SYNONYMS_FILE;
  // COCO's annotations are large and the same for every scoring of the same images (best-of-N
  // scores the same questions once per selector and N): read them once per set of images.
  let synonyms: ReturnType<typeof readSynonyms> | undefined;
  let truth: { ids: string; read: Promise<Map<number, Set<string>>> } | undefined;
  const groundTruthOf = (ids: ReadonlySet<number>, vocab: ReturnType<typeof readSynonyms>) => {
    const key = [...ids].sort((a, b) => a - b).join(',');
    if (truth?.ids !== key) truth = { ids: key, read: cocoGroundTruth(cocoFiles(o.dataDir), ids, vocab, NLP) };
    return truth.read;
  };
  return {
    name: 'objhal',
    needsJudge: () => o.extractor === 'llm',
    async load() {
      const file = questionFile(o.dataDir);
      const hash = createHash('sha256').update(readFileSync(file));
      const questions: ObjhalBenchQuestion[] = [];
      for (const q of await readObjhalQuestions(file)) {
        const where = `${file}:${q.line}`;
        const bytes = q.imageBase64 !== undefined ? new Uint8Array(Buffer.from(q.imageBase64, 'base64')) : cocoImage(o.dataDir, q.imageId, hash);
        questions.push({ id: `${q.imageId}:${q.line}`, prompt: q.question, image: await decodeImage(bytes, where), source: q });
      }
      return { questions, checksum: hash.digest('hex') };
    },
    async score(questions, answers, judge: ChatModel | undefined) {
      const vocab = (synonyms ??= readSynonyms(synonymsFile));
      const groundTruth = await groundTruthOf(new Set(questions.map((q) => q.source.imageId)), vocab);
      if (o.extractor === 'llm' && !judge) throw new ConfigError('the llm extractor asks a judge model for the objects: give --judge URL and --judge-model NAME, or --extractor rules');
      const run = await scoreObjhalAnswers(questions.map((q, i) => ({ imageId: q.source.imageId, question: q.prompt, answer: answers[i]! })), groundTruth, vocab,
        o.extractor === 'llm' ? { name: 'llm', nlp: NLP, chat: judge!, settings: ObjhalJudgeSettingsSchema.parse({}) } : { name: 'rules', nlp: NLP });
      const describe = questions.map((q, i) => ({ key: String(q.source.imageId), text: answers[i]! }));
      return { metrics: { ...run.metrics, extractor: run.extractor, ...worldMetrics(worldExportIn(o.dataDir), describe) }, items: run.items };
    },
  };
}

/** The question file: the official name, or the one `.jsonl` in the folder. */
function questionFile(dir: string): string {
  if (!existsSync(dir)) throw new FileError(`${dir}: no such folder; give the folder with Object HalBench's question file and COCO annotations (docs/benchmarks.md)`);
  const jsonl = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  const official = jsonl.find((f) => f === 'obj_halbench_300_with_image.jsonl');
  if (official) return join(dir, official);
  if (jsonl.length === 1) return join(dir, jsonl[0]!);
  throw new FileError(`${dir}: ${jsonl.length === 0 ? 'no question file (.jsonl)' : `several .jsonl files (${jsonl.join(', ')})`}; put obj_halbench_300_with_image.jsonl there`);
}

/** COCO 2014 instances and captions files, in the folder or its `annotations/`. */
function cocoFiles(dir: string): { instances: string[]; captions: string[] } {
  const found = (prefix: string) => [dir, join(dir, 'annotations')].filter(existsSync)
    .flatMap((d) => readdirSync(d).filter((f) => f.startsWith(prefix) && f.endsWith('.json')).map((f) => join(d, f)));
  const files = { instances: found('instances'), captions: found('captions') };
  if (files.instances.length === 0 || files.captions.length === 0) {
    throw new FileError(`${dir}: no COCO ${files.instances.length === 0 ? 'instances' : 'captions'}_*.json (in the folder or its annotations/); download COCO 2014's annotations_trainval2014.zip and unpack it there`);
  }
  return files;
}

/** A question's image from COCO's val2014 folder, when the question file does not carry it. */
function cocoImage(dir: string, imageId: number, hash: ReturnType<typeof createHash>): Uint8Array {
  const name = cocoVal2014FileName(imageId);
  for (const path of [join(dir, 'val2014', name), join(dir, name)]) {
    if (!existsSync(path)) continue;
    const bytes = new Uint8Array(readFileSync(path));
    hash.update(bytes);
    return bytes;
  }
  throw new FileError(`Object HalBench image ${name} is in neither ${join(dir, 'val2014')} nor ${dir}; use the question file with inline images or COCO's val2014 folder`);
}
