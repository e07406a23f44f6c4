/** MMHal-Bench as a `Benchmark` of `rlaifv bench`: the template's questions with the user's images, rated by a judge. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ChatModel } from '../../backend/types.ts';
import { ConfigError } from '../../util/errors.ts';
import type { BenchQuestion } from '../answers.ts';
import type { Benchmark } from '../run.ts';
import { resolveMmhalImages, readMmhalImage } from './images.ts';
import { llmMmhalJudge, type MmhalJudge } from './judge.ts';
import { scoreMmhal } from './score.ts';
import { MMHAL_TEMPLATE_FILE, readMmhalTemplate, type MmhalItem } from './template.ts';

export interface MmhalQuestion extends BenchQuestion {
  item: MmhalItem;
}

export interface MmhalBenchOptions {
  /** The folder with the questions' images. */
  dataDir: string;
  /** The 96-question template; default the vendored one. */
  templateFile?: string;
  /** A judge other than an LLM (the world's exact truth on a world export); default: the LLM given to `score`. */
  judge?: MmhalJudge;
}

export function mmhalBenchmark(o: MmhalBenchOptions): Benchmark<MmhalQuestion> {
  const templateFile = o.templateFile ?? MMHAL_TEMPLATE_FILE;
  return {
    name: 'mmhal',
    ...(o.judge && { judgeId: o.judge.id }),
    needsJudge: () => o.judge === undefined,
    async load() {
      const items = readMmhalTemplate(templateFile);
      const paths = resolveMmhalImages(items, o.dataDir);
      const hash = createHash('sha256').update(readFileSync(templateFile));
      const questions: MmhalQuestion[] = [];
      for (const [k, item] of items.entries()) {
        hash.update(readFileSync(paths[k]!));
        questions.push({ id: String(item.index), prompt: item.question, image: await readMmhalImage(paths[k]!), item });
      }
      return { questions, checksum: hash.digest('hex') };
    },
    async score(questions, answers, chat: ChatModel | undefined) {
      const judge = o.judge ?? (chat ? llmMmhalJudge(chat) : undefined);
      if (!judge) throw new ConfigError('MMHal-Bench answers are rated by a judge: give --judge URL (an OpenAI-compatible chat model) and --judge-model NAME');
      const r = await scoreMmhal({ items: questions.map((q) => q.item), answers, judge });
      return {
        metrics: { score: r.score, hallucinationRate: r.hallucinationRate, byType: r.byType, unparsedRatings: r.unparsedRatings.length, n: r.n },
        items: r.records,
      };
    },
  };
}
