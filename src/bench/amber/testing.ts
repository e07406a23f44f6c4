/** Small explicit fakes for AMBER tests: a whitespace tokenizer, a table tagger and a table lemmatizer. */
import { REQUIRED_COUNTERS, type AmberAnnotation, type AmberData } from './data.ts';
import type { AmberNlp } from './nlp.ts';

/** Tokens are whitespace-separated; a token's tag is `tags[token]` or `defaultTag`; lemmas from `lemmas` or the token. */
export function tableNlp(tags: Record<string, string>, lemmas: Record<string, string> = {}, defaultTag = 'DT'): AmberNlp {
  return {
    wordTokenize: (text) => text.split(/\s+/).filter((t) => t !== ''),
    posTag: (tokens) => tokens.map((t) => [t, Object.hasOwn(tags, t) ? tags[t]! : defaultTag]),
    lemmatizeNoun: (word) => (Object.hasOwn(lemmas, word) ? lemmas[word]! : word),
  };
}

/** Every token a noun, lemma = token: for tests about counting, not extraction. */
export const allNouns: AmberNlp = tableNlp({}, {}, 'NN');

/** Upstream's seeds: every `*_num` 0.001, every `*_score` 0. */
export function upstreamSeeds(): Record<string, number> {
  return Object.fromEntries(REQUIRED_COUNTERS.map((c) => [c, c.endsWith('_num') ? 0.001 : 0]));
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A hand-made data set; annotations get ids 1..n in order. */
export function tinyData(spec: { annotations: Array<WithoutId<AmberAnnotation>>; relation: Record<string, string[]>; safeWords?: string[] }): AmberData {
  const annotations = spec.annotations.map((a, i) => ({ ...a, id: i + 1 }) as AmberAnnotation);
  return {
    annotations,
    relation: new Map(Object.entries(spec.relation)),
    safeWords: spec.safeWords ?? [],
    seeds: upstreamSeeds(),
    queries: annotations.map((a) => ({ id: a.id, image: `AMBER_${a.id}.jpg`, query: a.type === 'generative' ? 'Describe this image.' : 'Is there a dog in this image?', type: a.type })),
  };
}
