/**
 * Small, explicit stand-ins for the NLTK tools in tests of the Object HalBench scorer, so that each
 * expected number can be worked out by hand: words and punctuation split apart, a table of plurals,
 * a table of tags (capitalised words are proper nouns, unknown words nouns).
 */
import type { ChatModel, DecodingSettings } from '../../backend/types.ts';
import type { ObjhalTaggingNlp } from './nlp.ts';

const PLURALS: Record<string, string> = {
  dogs: 'dog', puppies: 'puppy', cats: 'cat', glasses: 'glass', tables: 'table', seats: 'seat', jets: 'jet', mugs: 'mug', trains: 'train',
};
const TAGS: Record<string, string> = {
  a: 'DT', an: 'DT', the: 'DT', two: 'CD', and: 'CC', of: 'IN', on: 'IN', near: 'IN', in: 'IN', with: 'IN',
  red: 'JJ', small: 'JJ', wooden: 'JJ', chase: 'VBP', sits: 'VBZ', is: 'VBZ', '.': '.', ',': ',',
};

export const fakeNlp: ObjhalTaggingNlp = {
  wordTokenize: (text) => text.match(/[A-Za-z0-9]+|[^\sA-Za-z0-9]/g) ?? [],
  lemmatizeNoun: (w) => PLURALS[w] ?? w,
  posTag: (tokens) => tokens.map((t): [string, string] => [t, TAGS[t.toLowerCase()] ?? (/^[A-Z]/.test(t) ? 'NNP' : 'NN')]),
};

export interface ChatCall {
  prompts: string[];
  options: DecodingSettings & { seed: number };
}

/** A judge that answers from a function and records its calls. */
export class ScriptedJudge implements ChatModel {
  readonly calls: ChatCall[] = [];
  constructor(private readonly answer: (prompt: string, call: number) => string, readonly name = 'scripted-judge') {}

  async complete(prompts: string[], options: DecodingSettings & { seed: number }): Promise<string[]> {
    this.calls.push({ prompts, options });
    const call = this.calls.length - 1;
    return prompts.map((p) => this.answer(p, call));
  }
}
