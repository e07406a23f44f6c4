/** The feedback pages' pure helpers and shortcut table, imported as the page imports them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedSpans } from '../../feedback/spans.ts';
import { correctionSides, errorMessage, failureText, minePairKey, personBars, progressText, retryAfterSeconds, segments, stat } from './feedback-helpers.ts';
import { actionForKey, keyLabel, SHORTCUTS, type Action } from './keys.ts';

test('a refused save says what to do: the session ended (401), wait (429), or the server\'s reason', () => {
  assert.match(failureText(401, 'no session', null), /session has ended.*invite link/);
  assert.equal(failureText(429, 'slow down', 7), 'too many answers at once: wait 7 s, then try again');
  assert.equal(failureText(429, 'slow down', 0.2), 'too many answers at once: wait 1 s, then try again', 'rounded up, never "0 s"');
  assert.equal(failureText(429, 'slow down', null), 'too many answers at once: wait a moment, then try again');
  assert.equal(failureText(404, 'no instruction "x"', null), 'no instruction "x" (HTTP 404)');
  assert.equal(failureText(0, 'the server cannot be reached', null), 'the server cannot be reached');
  assert.equal(retryAfterSeconds('12', 0), 12);
  assert.equal(retryAfterSeconds(new Date(30_000).toUTCString(), 0), 30);
  assert.equal(retryAfterSeconds(null, 0), null);
  assert.equal(retryAfterSeconds('soon', 0), null);
  assert.equal(errorMessage({ error: 'one line' }), 'one line');
  assert.equal(errorMessage({ error: { message: 'nested' } }), 'nested');
  assert.equal(errorMessage({ nope: 1 }), null);
  assert.equal(errorMessage(null), null);
});

test('progress line, statistics and the pair key', () => {
  assert.equal(progressText({ mine: { done: 2, queue: 3 }, overall: { items: 3, doneByEnough: 1, events: 14 } }),
    'you: 2 done, 3 to go · everyone: 1 of 3 instructions covered · 14 answers');
  assert.equal(progressText({ mine: { done: 0, queue: 1 }, overall: { items: 1, doneByEnough: 0, events: 1 } }),
    'you: 0 done, 1 to go · everyone: 0 of 1 instruction covered · 1 answer');
  assert.equal(progressText(undefined), '');
  assert.deepEqual([stat(0.123456), stat(-1), stat(null), stat(NaN)], ['0.123', '-1.000', '–', '–']);
  assert.equal(minePairKey('a#1', 'a#0'), 'a#1\u0000a#0');
});

test('a correction is cut into changed and unchanged runs on both sides, as the store\'s changedSpans gives them', () => {
  const original = 'There is a red circle at the top left.';
  const corrected = 'There is a blue circle at the top left. Nothing else.';
  const spans = changedSpans(original, corrected);
  const sides = correctionSides(spans);
  const was = segments(original, sides.original);
  const now = segments(corrected, sides.corrected);
  assert.equal(was.map((s) => s.text).join(''), original, 'the runs cover the text exactly');
  assert.equal(now.map((s) => s.text).join(''), corrected);
  assert.deepEqual(was.filter((s) => s.changed).map((s) => s.text), ['red']);
  assert.deepEqual(now.filter((s) => s.changed).map((s) => s.text), ['blue', 'Nothing else.']);
  assert.deepEqual(segments('abc', [[1, 1]]), [{ text: 'abc', changed: false }], 'an empty range (an insertion on the other side) marks nothing');
  assert.deepEqual(segments('abc', [[2, 9]]), [{ text: 'abc', changed: false }], 'a range past the end is ignored');
});

test('the admin chart: accuracy against the truth where known, else mean verdict kappa per person', () => {
  const perPerson = [{ personId: 'p1', name: 'Ann' }, { personId: 'p2', name: 'Bob' }, { personId: 'p3', name: 'Cy' }];
  const people = [{ kind: 'verdict', pairs: [{ a: 'p1', b: 'p2', kappa: 0.5 }, { a: 'p1', b: 'p3', kappa: -0.2 }, { a: 'p2', b: 'p3', kappa: null }] }];
  const byKappa = personBars({ people, perPerson });
  assert.match(byKappa.title, /kappa/);
  assert.deepEqual(byKappa.bars.map((b) => [b.label, Number(b.value.toFixed(3))]), [['Ann', 0.15], ['Bob', 0.5], ['Cy', 0]], 'negative kappa drawn as 0; undefined kappa skipped');
  const byTruth = personBars({ people, perPerson, accuracyVsTruth: [{ personId: 'p1', name: 'Ann', checked: 10, correct: 9 }, { personId: 'p2', name: 'Bob', checked: 0, correct: 0 }] });
  assert.match(byTruth.title, /truth/);
  assert.deepEqual(byTruth.bars.map((b) => [b.label, b.value, b.note]), [['Ann', 0.9, '9 of 10 (90%)']]);
});

test('every action has exactly one shortcut, keys are unique, and the help names each key', () => {
  const actions: Action[] = [
    'next-instruction', 'prev-instruction', 'next-claim', 'prev-claim', 'next-candidate', 'prev-candidate',
    'answer-yes', 'answer-no', 'answer-clear', 'rate-1', 'rate-2', 'rate-3', 'rate-4', 'rate-5', 'rate-clear',
    'comment-candidate', 'comment-instruction', 'correct', 'next-pair', 'pair-agree', 'pair-disagree', 'pair-tie',
    'flag-image', 'flag-question', 'done', 'help', 'escape',
  ];
  assert.deepEqual(SHORTCUTS.map((s) => s.action).sort(), [...actions].sort());
  const keys = SHORTCUTS.flatMap((s) => s.keys);
  assert.equal(new Set(keys).size, keys.length, 'no key does two things');
  // The keys.
  const want: Record<string, Action> = {
    j: 'next-instruction', k: 'prev-instruction', y: 'answer-yes', n: 'answer-no', '1': 'rate-1', '5': 'rate-5', c: 'comment-candidate',
    e: 'correct', a: 'pair-agree', d: 'pair-disagree', t: 'pair-tie', f: 'flag-image', Enter: 'done', '?': 'help',
  };
  for (const [key, action] of Object.entries(want)) assert.equal(actionForKey(key), action, key);
  assert.equal(actionForKey('z'), undefined);
  assert.equal(keyLabel('ArrowDown'), '↓');
  assert.equal(keyLabel('F'), 'Shift+F');
  for (const s of SHORTCUTS) assert.ok(s.help.length > 5, s.action);
});
