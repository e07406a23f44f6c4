/**
 * The `llm` extractor (BENCHMARKS.md §1.3-1.4): a judge LLM lists the objects an answer mentions;
 * each listed string is then reduced to COCO words (two-word phrases first, else runs of nouns)
 * and mapped to classes.
 */
import { z } from 'zod';
import type { ChatModel } from '../../backend/types.ts';
import { buildJudgePrompt, parseJudgeReply } from './judge-prompt.ts';
import type { ObjhalMention } from './mention.ts';
import type { ObjhalTaggingNlp } from './nlp.ts';
import { mergeDoubleWords, wordsToMentions } from './rules.ts';
import type { ObjhalVocabulary } from './vocabulary.ts';

export const ObjhalJudgeSettingsSchema = z.strictObject({
  temperature: z.number().min(0).default(0.2).describe("the judge's sampling temperature (the official extraction call uses 0.2)"),
  topP: z.number().gt(0).max(1).default(1).describe('nucleus mass (official: 1)'),
  maxTokens: z.number().int().positive().default(512).describe('max tokens of one judge reply (official: 512)'),
  attempts: z.number().int().positive().default(3)
    .describe('judge calls per answer until a reply parses (official: up to 100, then the run stops); an answer still unparsed counts as mentioning nothing'),
  seed: z.number().int().min(0).default(0).describe('seed of the first attempt; answer i of attempt k uses seed + k * answers + i'),
});
export type ObjhalJudgeSettings = z.infer<typeof ObjhalJudgeSettingsSchema>;

/** Answers of at most this many whitespace-separated words are never sent and mention nothing. */
export const SHORT_ANSWER_WORDS = 3;

export interface JudgeItem {
  question: string;
  answer: string;
}

export interface LlmExtraction {
  /** `short`: not sent (<= 3 words); `unparsed`: no reply parsed within the attempts. */
  status: 'parsed' | 'short' | 'unparsed';
  /** The judge's list as it returned it. */
  judgeObjects: string[];
  /** The strings kept from that list (double words, else noun runs), each once, first occurrence first. */
  objects: string[];
  mentions: ObjhalMention[];
  /** Every reply, in attempt order. */
  replies: string[];
  /** Why the last reply did not parse (status `unparsed`). */
  error?: string;
}

/** What a results file records about the judge: it is part of the metric. */
export interface ObjhalJudgeInfo {
  model: string;
  temperature: number;
  topP: number;
  maxTokens: number;
  attempts: number;
  /** The official sends the prompt as one system message; a ChatModel sends it as the user turn. */
  promptRole: 'user';
}

export function judgeInfo(chat: ChatModel, s: ObjhalJudgeSettings): ObjhalJudgeInfo {
  return { model: chat.name, temperature: s.temperature, topP: s.topP, maxTokens: s.maxTokens, attempts: s.attempts, promptRole: 'user' };
}

/** `answer.trim().split(/\s+/)` has at most 3 words (Python's `len(s.strip().split()) <= 3`). */
export function isShortAnswer(answer: string): boolean {
  const t = answer.trim();
  return (t === '' ? 0 : t.split(/\s+/).length) <= SHORT_ANSWER_WORDS;
}

/**
 * Extracts the mentions of every answer with the judge. All pending answers go in one
 * `complete` call per attempt; replies that do not parse are asked again, up to `attempts`.
 * A reply that is garbage or empty counts (status `unparsed`); an error thrown by the judge itself
 * (server down) propagates, because scoring on with no judge would report a clean model.
 */
export async function extractWithLlm(
  chat: ChatModel, items: readonly JudgeItem[], vocab: ObjhalVocabulary, nlp: ObjhalTaggingNlp, settings: ObjhalJudgeSettings,
): Promise<LlmExtraction[]> {
  const out: LlmExtraction[] = items.map((it) => ({
    status: isShortAnswer(it.answer) ? 'short' : 'unparsed', judgeObjects: [], objects: [], mentions: [], replies: [],
  }));
  let pending = out.flatMap((x, i) => (x.status === 'unparsed' ? [i] : []));
  for (let attempt = 0; attempt < settings.attempts && pending.length > 0; attempt++) {
    const prompts = pending.map((i) => buildJudgePrompt(items[i]!.question, items[i]!.answer));
    const replies = await chat.complete(prompts, {
      temperature: settings.temperature, topP: settings.topP, maxTokens: settings.maxTokens, seed: settings.seed + attempt * items.length,
    });
    const failed: number[] = [];
    pending.forEach((i, j) => {
      const reply = typeof replies[j] === 'string' ? replies[j] : '';
      const x = out[i]!;
      x.replies.push(reply);
      const parsed = parseJudgeReply(reply);
      if (parsed.ok) {
        const { objects, mentions } = judgeObjectsToMentions(parsed.objects, vocab, nlp);
        Object.assign(x, { status: 'parsed', judgeObjects: parsed.objects, objects, mentions, error: undefined });
      } else {
        x.error = parsed.error;
        failed.push(i);
      }
    });
    pending = failed;
  }
  return out;
}

const NOUN_TAGS = new Set(['NN', 'NNS', 'NNP', 'NNPS']);
const PROPER_TAGS = new Set(['NNP', 'NNPS']);

/**
 * The official `get_pred_objs_match` then `caption_objects_to_coco_objects`, with NLTK tools in
 * spaCy's place. Each string s is read as `"a " + s`: if adjacent lemmas form double words, those
 * are kept; otherwise each maximal run of nouns becomes one string of lemmas joined by spaces
 * (`coffee mug` stays whole and so matches nothing). Strings are deduplicated; the vocabulary
 * entries among them are the mentions, so `dog` and `puppy` are two mentions of class dog.
 * Lemmas as spaCy makes them: proper nouns keep their case (`Frisbee` matches nothing), others
 * are lowercased and noun-lemmatized.
 */
export function judgeObjectsToMentions(judgeObjects: readonly string[], vocab: ObjhalVocabulary, nlp: ObjhalTaggingNlp): { objects: string[]; mentions: ObjhalMention[] } {
  const objects: string[] = [];
  for (const s of judgeObjects) {
    for (const o of objectStrings(s, vocab, nlp)) if (!objects.includes(o)) objects.push(o);
  }
  return { objects, mentions: wordsToMentions(objects, vocab) };
}

function objectStrings(s: string, vocab: ObjhalVocabulary, nlp: ObjhalTaggingNlp): string[] {
  const tagged = nlp.posTag(nlp.wordTokenize(`a ${s}`));
  const lemmas = tagged.map(([tok, tag]) => (PROPER_TAGS.has(tag) ? tok : nlp.lemmatizeNoun(tok.toLowerCase())));
  const doubles = mergeDoubleWords(lemmas, vocab.doubleWords, false);
  if (doubles.length > 0) return doubles;
  const runs: string[] = [];
  let run: string[] = [];
  tagged.forEach(([, tag], k) => {
    if (NOUN_TAGS.has(tag)) run.push(lemmas[k]!);
    else if (run.length > 0) {
      runs.push(run.join(' '));
      run = [];
    }
  });
  if (run.length > 0) runs.push(run.join(' '));
  return runs;
}
