import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closingLine, elapsedPhrase } from './align-run.ts';

test('elapsed time names the rounds\' own time only when the run was resumed', () => {
  const table: Array<[number, number, string]> = [
    [697, 680, 'in 697 s'],
    [2.4, 690.2, 'in 2 s (resumed; its rounds took 690 s when they ran)'],
    [300, 300.5, 'in 300 s'],
  ];
  for (const [now, rounds, expected] of table) assert.equal(elapsedPhrase(now, rounds), expected);
});

test('the closing line: the headline figures from round 0 to the last, with CHAIRi\'s relative change', () => {
  const r0 = { round: 0, chairI: 0.165, chairS: 0.55, coverage: 0.871 };
  assert.equal(closingLine(r0, { round: 2, chairI: 0.167, chairS: 0.55, coverage: 0.887 }), 'CHAIRi 16.5% -> 16.7% (+1%), CHAIRs 55.0% -> 55.0%, coverage 87.1% -> 88.7%');
  assert.equal(closingLine(r0, { round: 4, chairI: 0.061, chairS: 0.3, coverage: 0.85 }), 'CHAIRi 16.5% -> 6.1% (-63%), CHAIRs 55.0% -> 30.0%, coverage 87.1% -> 85.0%');
  assert.equal(closingLine(r0, r0), 'CHAIRi 16.5% -> 16.5% (0%), CHAIRs 55.0% -> 55.0%, coverage 87.1% -> 87.1%');
  assert.equal(closingLine({ ...r0, chairI: 0 }, r0), 'CHAIRi 0.0% -> 16.5% (n/a), CHAIRs 55.0% -> 55.0%, coverage 87.1% -> 87.1%');
  // A figure written as null (NaN when measured) is not a number to compute with.
  assert.equal(closingLine({ ...r0, chairI: null }, { ...r0, coverage: null }), 'CHAIRi – -> 16.5% (n/a), CHAIRs 55.0% -> 55.0%, coverage 87.1% -> –');
});
