/**
 * AMBER as a `Benchmark` of `rlaifv bench`: its queries (generative and discriminative) with the
 * user's images, scored by the official rules with this project's NLTK port.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage } from '../../image/codec.ts';
import { lemmatizeNoun, posTag, wordTokenize } from '../../nlp/index.ts';
import { FileError } from '../../util/errors.ts';
import type { BenchQuestion } from '../answers.ts';
import type { Benchmark } from '../run.ts';
import { worldExportIn, worldMetrics } from '../world-agreement.ts';
import { AMBER_DATA_DIR, readAmberData, type AmberData, type AmberQuery } from './data.ts';
import { mapYesNo } from './discriminative.ts';
import { amberQueries, type AmberEvaluationType } from './queries.ts';
import { scoreAmber } from './score.ts';
import { readSimilarityTable } from './similarity.ts';

export interface AmberQuestion extends BenchQuestion {
  query: AmberQuery;
}

export interface AmberBenchOptions {
  /** The images (`AMBER_<id>.jpg`, in the folder or its `images/`); annotations too when the folder has them (a world export). */
  dataDir: string;
  /** `--similarity FILE`: spaCy's similar word pairs (docs/benchmarks.md). */
  similarityFile?: string;
  evaluationType?: AmberEvaluationType;
}

export function amberBenchmark(o: AmberBenchOptions): Benchmark<AmberQuestion> {
  const annotationsDir = ['annotations.json', 'annotations.json.gz'].some((f) => existsSync(join(o.dataDir, f))) ? o.dataDir : AMBER_DATA_DIR;
  // Read once, when first needed: loading the questions and scoring the answers use the same data.
  let read: AmberData | undefined;
  const data = () => (read ??= readAmberData(annotationsDir));
  return {
    name: 'amber',
    needsJudge: () => false,
    async load() {
      const queries = amberQueries(data(), o.evaluationType ?? 'a');
      const hash = createHash('sha256');
      const images = new Map<string, Awaited<ReturnType<typeof decodeImage>>>();
      const questions: AmberQuestion[] = [];
      for (const query of queries) {
        let image = images.get(query.image);
        if (!image) {
          const path = imagePath(o.dataDir, query.image);
          const bytes = new Uint8Array(readFileSync(path));
          hash.update(bytes);
          image = await decodeImage(bytes, path);
          images.set(query.image, image);
        }
        questions.push({ id: String(query.id), prompt: query.query, image, query });
      }
      return { questions, checksum: hash.update(JSON.stringify(queries)).digest('hex') };
    },
    async score(questions, answers) {
      const r = scoreAmber(data(), questions.map((q, i) => ({ id: q.query.id, response: answers[i]! })),
        { wordTokenize, posTag, lemmatizeNoun }, { ...(o.similarityFile && { similarity: readSimilarityTable(o.similarityFile) }) });
      const manifest = worldExportIn(o.dataDir);
      const describe = questions.flatMap((q, i) => (q.query.type === 'generative' ? [{ key: q.query.image, text: answers[i]! }] : []));
      const yesNo = questions.flatMap((q, i) => (q.query.type === 'generative' ? [] : [{ id: q.query.id, predicted: mapYesNo(answers[i]!) === 'Yes' }]));
      return {
        metrics: {
          chair: r.chair, cover: r.cover, hal: r.hal, cog: r.cog, accuracy: r.accuracy, precision: r.precision, recall: r.recall, f1: r.f1,
          amberScore: r.amberScore, byType: r.byType, unmapped: r.unmapped, similarity: o.similarityFile ? 'table' : 'identity only', n: r.n,
          ...worldMetrics(manifest, describe, yesNo),
        },
        items: r.items,
      };
    },
  };
}

/** An image of the benchmark, in the folder or its `images/`; a clear error naming both when absent. */
function imagePath(dir: string, name: string): string {
  for (const path of [join(dir, name), join(dir, 'images', name)]) if (existsSync(path)) return path;
  throw new FileError(`AMBER image ${name} is in neither ${dir} nor ${join(dir, 'images')}; download AMBER's images and give their folder with --data`);
}
