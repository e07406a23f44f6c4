import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAmberData, type GenerativeAnnotation } from './data.ts';
import { amberVocabulary, scoreGenerativeAnswer, type GenerativeContext } from './generative.ts';
import { scoreAmber } from './score.ts';
import { identityOnly, similarityFromTable } from './similarity.ts';
import { allNouns, tableNlp, tinyData } from './testing.ts';

const real = readAmberData();
const record = (id: number) => real.annotations[id - 1] as GenerativeAnnotation;

test('real record 1: association first-match, a global safe word, case, plurals and hallu coverage', () => {
  // Record 1: truth [sky, forest, grass, person, lake, mountain, road]; hallu [cloud, sun, bird, dog, flower].
  // Associations: forest [tree, leave, bush], grass [ground], person [people, individual, man, woman, boy, girl],
  // lake [water, sea, river], mountain [hill, rock, stone, reef], road [path, street, ground], bird [bill].
  assert.deepEqual(record(1).truth, ['sky', 'forest', 'grass', 'person', 'lake', 'mountain', 'road']);
  const nlp = tableNlp(
    { Dog: 'NNP', man: 'NN', ground: 'NN', lake: 'NN', birds: 'NNS', dog: 'NN', individual: 'NN', cars: 'NNS', walks: 'VBZ' },
    { birds: 'bird', cars: 'car' },
  );
  const answer = 'Dog walks on ground near lake with man , birds and dog and individual and cars';
  const result = scoreAmber(real, [{ id: 1, response: answer }], nlp);
  const item = result.items[0]!;
  assert.equal(item.kind, 'generative');
  if (item.kind !== 'generative') return;
  // Nouns: Dog ground lake man bird dog individual car; `Dog` is not in the (lowercase) vocabulary.
  assert.deepEqual(item.nouns, ['Dog', 'ground', 'lake', 'man', 'bird', 'dog', 'individual', 'car']);
  assert.deepEqual(item.kept, ['ground', 'lake', 'man', 'bird', 'dog', 'individual', 'car']);
  // ground: first in grass's list (before road's) -> credits grass only; man: person's list -> person.
  assert.deepEqual(item.verdicts.map((v) => [v.noun, v.verdict, 'credited' in v ? v.credited : '']), [
    ['ground', 'truth', 'grass'], ['lake', 'truth', 'lake'], ['man', 'truth', 'person'],
    ['bird', 'hallucinated', ''], ['dog', 'hallucinated', ''], ['individual', 'safe-word', ''], ['car', 'hallucinated', ''],
  ]);
  assert.deepEqual(item.truthCovered, [false, false, true, true, true, false, false]);
  assert.deepEqual(item.halluCovered, [false, false, true, true, false]);
  // CHAIR = 3 hallucinated / (7 kept + 0.001) = 42.851 -> 42.9; Cover = 3 / 7.001 -> 42.9;
  // Hal = 100 - 0 / 1.001 * 100 = 100.0; Cog = 2 / 5.001 = 39.992 -> 40.0.
  assert.deepEqual([result.chair, result.cover, result.hal, result.cog], [42.9, 42.9, 100, 40]);
});

test('a similarity pair rescues a noun and credits the truth object it resembles', () => {
  const nlp = tableNlp({ cars: 'NNS', dog: 'NN' }, { cars: 'car' });
  const table = { model: 'hand', threshold: 0.8, pairs: [['road', 'car', 0.85]] as Array<[string, string, number]> };
  const result = scoreAmber(real, [{ id: 1, response: 'cars dog' }], nlp, { similarity: table });
  const item = result.items[0]!;
  if (item.kind !== 'generative') assert.fail('generative');
  assert.deepEqual(item.verdicts[0], { noun: 'car', verdict: 'similar-to-truth', credited: 'road', matched: 'road', halluCovered: [] });
  // Kept 2 (car, dog), hallucinated 1 (dog): CHAIR = 1 / 2.001 = 49.975 -> 50.0; Cover = 1 (road) / 7.001 = 14.28 -> 14.3.
  assert.deepEqual([result.chair, result.cover, result.hal], [50, 14.3, 100]);
  // Without the table car is a hallucination: CHAIR = 2 / 2.001 = 99.95 -> 100.0, Cover 0.
  const plain = scoreAmber(real, [{ id: 1, response: 'cars dog' }], nlp);
  assert.deepEqual([plain.chair, plain.cover], [100, 0]);
});

test('real record 2: a repeated truth object is only ever covered at its first position', () => {
  // Record 2 truth: [sky, man, ship, ship, forest, bridge, mountain, cloud, lake, building] (ship twice).
  assert.deepEqual(record(2).truth.slice(2, 4), ['ship', 'ship']);
  const result = scoreAmber(real, [{ id: 2, response: 'ship ship boat' }], allNouns);
  const item = result.items[0]!;
  if (item.kind !== 'generative') assert.fail('generative');
  // ship -> truth position 2 (twice); boat is in ship's list -> also position 2; position 3 stays uncovered.
  assert.deepEqual(item.truthCovered.map((c, i) => (c ? i : -1)).filter((i) => i >= 0), [2]);
  // Cover = 1 / (10 + 0.001) = 9.999 -> 10.0; CHAIR = 0 / 3.001 = 0.
  assert.deepEqual([result.cover, result.chair], [10, 0]);
});

test('real record 2: an association word of a hallucinatory target covers that target (Cog)', () => {
  // Record 2 hallu [plane, bird, sun, paddle, ground]; ground's list is [floor]. `floor` is hallucinated and covers ground.
  const result = scoreAmber(real, [{ id: 2, response: 'floor' }], allNouns);
  const item = result.items[0]!;
  if (item.kind !== 'generative') assert.fail('generative');
  assert.deepEqual(item.verdicts, [{ noun: 'floor', verdict: 'hallucinated', halluCovered: ['ground'] }]);
  // Cog = 1 / 5.001 = 19.996 -> 20.0; CHAIR = 1 / 1.001 = 99.9; Hal = 100 - 0 = 100.
  assert.deepEqual([result.cog, result.chair, result.hal], [20, 99.9, 100]);
});

function ctx(relation: Record<string, string[]>, extra: Partial<GenerativeContext> = {}): GenerativeContext {
  const map = new Map(Object.entries(relation));
  return { nlp: allNouns, relation: map, vocabulary: amberVocabulary(map), safeWords: new Set(), similar: identityOnly, ...extra };
}

test('a truth object in another truth object\'s association list credits that other object (first match)', () => {
  // truth [table, chair], table's list [chair]: target list = [chair(table), table, chair] -> `chair` credits table.
  const a: GenerativeAnnotation = { id: 1, type: 'generative', truth: ['table', 'chair'], hallu: [] };
  const item = scoreGenerativeAnswer(a, 'chair', ctx({ table: ['chair'], chair: [] }));
  assert.deepEqual(item.truthCovered, [true, false]);
  assert.deepEqual(item.verdicts[0], { noun: 'chair', verdict: 'truth', credited: 'table', matched: 'chair', viaAssociation: true });
});

test('a word both in truth and hallu is safe: not hallucinated, hallu not covered', () => {
  const a: GenerativeAnnotation = { id: 1, type: 'generative', truth: ['cup'], hallu: ['cup', 'dog'] };
  const item = scoreGenerativeAnswer(a, 'cup', ctx({ cup: [], dog: [] }));
  assert.deepEqual([item.hallucinated, item.truthCovered, item.halluCovered], [[], [true], [false, false]]);
});

test('one noun may cover two hallucinatory targets: exact first match, then first similar word', () => {
  // hallu [cat, kitten]; target list [cat, kitten]; table says kitten~cat. Noun `kitten`:
  // exact match -> kitten (position 1); first similar word -> cat (position 0). Both covered.
  const a: GenerativeAnnotation = { id: 1, type: 'generative', truth: [], hallu: ['cat', 'kitten'] };
  const similar = similarityFromTable({ model: 'hand', threshold: 0.8, pairs: [['cat', 'kitten', 0.9]] });
  const item = scoreGenerativeAnswer(a, 'kitten', ctx({ cat: [], kitten: [] }, { similar }));
  assert.deepEqual(item.halluCovered, [true, true]);
  assert.deepEqual(item.hallucinated, ['kitten']);
  // Without the table only the exact match counts.
  assert.deepEqual(scoreGenerativeAnswer(a, 'kitten', ctx({ cat: [], kitten: [] })).halluCovered, [false, true]);
});

test('nouns outside the vocabulary are dropped; global safe words stay in CHAIR\'s denominator', () => {
  const data = tinyData({ annotations: [{ type: 'generative', truth: ['dog'], hallu: [] }], relation: { dog: [], light: [], cat: [] }, safeWords: ['light'] });
  // Kept: light, cat, cat (zebra is not in the vocabulary). Hallucinated: cat, cat. CHAIR = 2 / 3.001 = 66.64 -> 66.6.
  const result = scoreAmber(data, [{ id: 1, response: 'zebra light cat cat' }], allNouns);
  assert.equal(result.chair, 66.6);
  // Hal: 1 answer with a hallucination: 100 - 0 / 1.001 * 100 = 100.0.
  assert.equal(result.hal, 100);
});

test('the 0.001 seeds: an answer with no hallucination still gives Hal 0.1, and 3/16 gives CHAIR 18.7 not 18.8', () => {
  const data = tinyData({ annotations: [{ type: 'generative', truth: ['dog'], hallu: [] }], relation: { dog: [], cat: [] } });
  // Hal = 100 - 1 / 1.001 * 100 = 100 - 99.9001 = 0.0999 -> 0.1.
  assert.equal(scoreAmber(data, [{ id: 1, response: 'dog' }], allNouns).hal, 0.1);
  // 3 hallucinated of 16 kept: 3 / 16.001 * 100 = 18.7488 -> 18.7 (exactly 18.75 would round to 18.8).
  const answer = [...Array(13).fill('dog'), 'cat', 'cat', 'cat'].join(' ');
  assert.equal(scoreAmber(data, [{ id: 1, response: answer }], allNouns).chair, 18.7);
});

test('counters add answer by answer: two answers pool nouns, Hal counts answers', () => {
  const data = tinyData({
    annotations: [{ type: 'generative', truth: ['dog'], hallu: ['cat'] }, { type: 'generative', truth: ['cup', 'table'], hallu: ['cat'] }],
    relation: { dog: [], cat: [], cup: [], table: [] },
  });
  const result = scoreAmber(data, [{ id: 1, response: 'dog cat' }, { id: 2, response: 'cup' }], allNouns);
  // chair 1 / (0.001 + 2 + 1) = 33.32 -> 33.3; cover (1 + 1) / (0.001 + 1 + 2) = 66.64 -> 66.6;
  // Hal = 100 - 1 / 2.001 * 100 = 50.02 -> 50.0; Cog = 1 / (0.001 + 1 + 1) = 49.98 -> 50.0.
  assert.deepEqual([result.chair, result.cover, result.hal, result.cog], [33.3, 66.6, 50, 50]);
  assert.equal(result.counters.chair_num, 0.001 + 2 + 1);
});
