import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pythonRound1 } from './python-round.ts';

test('pythonRound1 matches Python round(x, 1) (values checked with python3)', () => {
  // 0.35 is stored as 0.34999999999999997...: Python gives 0.3; Math.round(3.5)/10 would give 0.4.
  assert.equal(pythonRound1(0.35), 0.3);
  // 1.45 is stored as 1.4499999999999999556: Python gives 1.4.
  assert.equal(pythonRound1(1.45), 1.4);
  // Exact ties go to the even digit: 0.25 -> 0.2, 0.75 -> 0.8, -0.25 -> -0.2, 18.75 -> 18.8.
  assert.equal(pythonRound1(0.25), 0.2);
  assert.equal(pythonRound1(0.75), 0.8);
  assert.equal(pythonRound1(-0.25), -0.2);
  assert.equal(pythonRound1(18.75), 18.8);
  // 3/16.001*100 = 18.7488... -> 18.7 (the 0.001 seed moves it off the tie above).
  assert.equal(pythonRound1((3 / 16.001) * 100), 18.7);
  assert.equal(pythonRound1((2 / 3) * 100), 66.7);
  assert.equal(pythonRound1(100), 100);
});
