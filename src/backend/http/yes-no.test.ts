import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseAnswerToken, yesNoFromTopLogprobs, yesNoScores, type TokenLogprob } from './yes-no.ts';

const lp = (token: string, p: number): TokenLogprob => ({ token, logprob: Math.log(p) });

test('normaliseAnswerToken strips leading spaces and tokenizer space markers only', () => {
  const table: Array<[string, string]> = [
    ['Yes', 'Yes'], [' Yes', 'Yes'], ['  no', 'no'], ['▁Yes', 'Yes'], ['Ġno', 'no'], ['\nYes', 'Yes'], ['Yes ', 'Yes '], ['YES', 'YES'],
  ];
  for (const [raw, want] of table) assert.equal(normaliseAnswerToken(raw), want, JSON.stringify(raw));
});

test('yes/no extraction table', () => {
  const table: Array<{ name: string; top: TokenLogprob[]; yes: number; no: number }> = [
    { name: 'plain tokens', top: [lp('Yes', 0.6), lp('No', 0.3)], yes: 0.6, no: 0.3 },
    { name: 'leading spaces', top: [lp(' yes', 0.5), lp(' No', 0.2)], yes: 0.5, no: 0.2 },
    { name: 'SentencePiece marker', top: [lp('▁Yes', 0.7), lp('▁no', 0.1)], yes: 0.7, no: 0.1 },
    { name: 'byte-level BPE marker', top: [lp('ĠYes', 0.4), lp('Ġno', 0.4)], yes: 0.4, no: 0.4 },
    { name: 'missing tokens count 0', top: [lp('Maybe', 0.9)], yes: 0, no: 0 },
    { name: 'only no', top: [lp('No', 0.8), lp('The', 0.1)], yes: 0, no: 0.8 },
    { name: 'duplicates after normalisation are summed', top: [lp('Yes', 0.3), lp('▁Yes', 0.2), lp(' yes', 0.1), lp('yes', 0.05)], yes: 0.65, no: 0 },
    { name: 'upper case and punctuation do not count', top: [lp('YES', 0.5), lp('NO', 0.2), lp('Yes.', 0.1), lp('no', 0.1)], yes: 0, no: 0.1 },
    { name: 'empty list', top: [], yes: 0, no: 0 },
  ];
  for (const row of table) {
    const r = yesNoFromTopLogprobs(row.top);
    assert.ok(Math.abs(r.yes - row.yes) < 1e-12, `${row.name}: yes ${r.yes} != ${row.yes}`);
    assert.ok(Math.abs(r.no - row.no) < 1e-12, `${row.name}: no ${r.no} != ${row.no}`);
  }
});

test('yesNoScores keeps the four spellings apart (official labeler records)', () => {
  const s = yesNoScores([lp('yes', 0.1), lp('▁Yes', 0.5), lp(' no', 0.15), lp('No', 0.2)]);
  assert.deepEqual(Object.keys(s).sort(), ['No', 'Yes', 'no', 'yes']);
  assert.ok(Math.abs(s.yes - 0.1) < 1e-12 && Math.abs(s.Yes - 0.5) < 1e-12);
  assert.ok(Math.abs(s.no - 0.15) < 1e-12 && Math.abs(s.No - 0.2) < 1e-12);
});

test('a non-finite log-probability is ignored rather than poisoning the sum', () => {
  const r = yesNoFromTopLogprobs([{ token: 'Yes', logprob: Number.NaN }, lp('No', 0.5)]);
  assert.equal(r.yes, 0);
  assert.ok(Math.abs(r.no - 0.5) < 1e-12);
});
