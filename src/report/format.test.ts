import { test } from 'node:test';
import assert from 'node:assert/strict';
import { count, duration, escapeXml, fixed, relativeChange, signedPct } from './format.ts';
import { percent } from '../util/format.ts';

test('number formatting prints a dash for missing or non-finite values', () => {
  const cases: Array<[string, string]> = [
    [percent(0.273), '27.3%'], [percent(null), '–'], [percent(NaN), '–'], [percent(undefined), '–'],
    [fixed(3.14159), '3.14'], [fixed(Infinity), '–'], [count(3900), '3,900'], [count(undefined), '–'],
    [duration(45), '45s'], [duration(200), '3m 20s'], [duration(3900), '1h 05m'], [duration(null), '–'],
  ];
  for (const [got, want] of cases) assert.equal(got, want);
});

test('relativeChange and signedPct: signed, guarded against a zero start', () => {
  assert.equal(signedPct(relativeChange(0.27, 0.081)), '−70.0%');
  assert.equal(signedPct(relativeChange(0.5, 0.6)), '+20.0%');
  assert.equal(signedPct(relativeChange(0.5, 0.5)), '±0.0%');
  assert.equal(relativeChange(0, 0.1), undefined);
  assert.equal(relativeChange(0.2, null), undefined);
  assert.equal(signedPct(undefined), '–');
});

test('escapeXml escapes the five XML specials', () => {
  assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});
