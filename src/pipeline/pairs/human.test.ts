import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Correction } from '../../feedback/types.ts';
import type { JudgementInForce } from '../label/people-feedback.ts';
import { correctionPairs, indexJudgements, pairFate } from './human.ts';

const j = (chosen: string, rejected: string, judgement: JudgementInForce['judgement'], who = ['p1']): JudgementInForce => ({
  instructionId: 'i', chosen, rejected, judgement, votes: who.length, agreeing: who.length, who,
});

test('pairFate: unjudged stays ai, agree keeps, disagree reverses, tie drops; a pair judged the other way round counts flipped', () => {
  const index = indexJudgements([j('a', 'b', 'agree'), j('c', 'd', 'disagree'), j('e', 'f', 'tie'), j('h', 'g', 'agree')]);
  const table: Array<[string, string, string, string]> = [
    ['x', 'y', 'ai', 'nobody judged'],
    ['a', 'b', 'ai+human-agree', 'agree'],
    ['c', 'd', 'human-judgement', 'disagree'],
    ['e', 'f', 'human-tie', 'tie'],
    ['f', 'e', 'human-tie', 'a tie either way round'],
    ['g', 'h', 'human-judgement', 'people agreed with h over g, the AI now prefers g'],
    ['b', 'a', 'human-judgement', 'people agreed with a over b'],
  ];
  for (const [chosen, rejected, expected, why] of table) {
    const fate = pairFate(index, 'i', chosen, rejected);
    assert.equal(fate.drop === false ? fate.origin : fate.drop, expected, why);
  }
  assert.deepEqual(pairFate(index, 'other', 'a', 'b'), { drop: false, origin: 'ai' }, 'judgements are per instruction');
  assert.deepEqual(pairFate(index, 'i', 'a', 'b'), { drop: false, origin: 'ai+human-agree', judgement: j('a', 'b', 'agree') });
});

test('indexJudgements: of two judgements of one pair in opposite orders the first given wins', () => {
  const index = indexJudgements([j('a', 'b', 'agree'), j('b', 'a', 'agree')]);
  assert.equal(index.size, 1);
  assert.deepEqual(pairFate(index, 'i', 'a', 'b'), { drop: false, origin: 'ai+human-agree', judgement: j('a', 'b', 'agree') });
});

const cands = [{ id: 'i#0', index: 0, text: 'There is a red star.' }, { id: 'i#1', index: 1, text: 'There is a cat.' }];
const fix = (personId: string, candidateId: string, text: string, original = cands.find((c) => c.id === candidateId)?.text ?? 'gone'): Correction => ({
  personId, instructionId: 'i', candidateId, original, text, spans: [{ from: [11, 15], to: [11, 16] }], at: '2026-01-01T00:00:00Z',
});

test('correctionPairs: one pair per distinct text, in candidate order, with everyone who gave it', () => {
  const { pairs, unmatched } = correctionPairs(cands, [
    fix('p2', 'i#1', 'There is a dog.'),
    fix('p1', 'i#0', 'There is a red cross.'),
    fix('p3', 'i#0', ' There is a red cross. '),
    fix('p2', 'i#0', 'There is a blue star.'),
  ]);
  assert.equal(unmatched, 0);
  assert.deepEqual(pairs.map((p) => [p.candidate.id, p.text.trim(), p.n, p.who]), [
    ['i#0', 'There is a red cross.', 1, ['p1', 'p3']],
    ['i#0', 'There is a blue star.', 2, ['p2']],
    ['i#1', 'There is a dog.', 1, ['p2']],
  ]);
  assert.deepEqual(pairs[0]!.spans, [{ from: [11, 15], to: [11, 16] }]);
});

test('correctionPairs: an unknown candidate, a stale original and an unchanged text make no pair', () => {
  const { pairs, unmatched } = correctionPairs(cands, [
    fix('p1', 'i#7', 'Anything.'),
    fix('p1', 'i#0', 'There is a red cross.', 'An answer of an earlier run.'),
    fix('p1', 'i#1', ' There is a cat. '),
    fix('p2', 'i#1', 'There is no cat.'),
  ]);
  assert.equal(unmatched, 3);
  assert.deepEqual(pairs.map((p) => p.text), ['There is no cat.']);
  assert.deepEqual(correctionPairs([], []), { pairs: [], unmatched: 0 });
});
