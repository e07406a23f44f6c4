import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, formatPercent, formatRate } from './format.ts';
import { SmoothedRate } from './rate.ts';

test('durations, rates and percents', () => {
  const durations: Array<[number, string]> = [[0, '0s'], [7.4, '7s'], [59.6, '1m00s'], [185, '3m05s'], [3599, '59m59s'], [3720, '1h02m'],
    [90_000, '25h00m'], [Number.NaN, '--'], [Infinity, '--'], [-1, '--']];
  for (const [s, text] of durations) assert.equal(formatDuration(s), text, `formatDuration(${s})`);
  const rates: Array<[number | undefined, string]> = [[1234.5, '1235 it/s'], [12.345, '12.3 it/s'], [1, '1.00 it/s'], [0.25, '4.00 s/it'],
    [1 / 90, '90.0 s/it'], [0, '-- it/s'], [undefined, '-- it/s'], [Number.NaN, '-- it/s']];
  for (const [r, text] of rates) assert.equal(formatRate(r), text, `formatRate(${r})`);
  assert.equal(formatRate(3, 'req'), '3.00 req/s');
  assert.equal(formatPercent(1, 3), '33.3%');
  assert.equal(formatPercent(5, 0), '--%');
  assert.equal(formatPercent(5, undefined), '--%');
});

test('the smoothed rate is the mean at first, follows a change within a few half-lives, and ignores how often it is fed', () => {
  const r = new SmoothedRate(5);
  assert.equal(r.value, undefined);
  r.observe(0, 0);
  assert.equal(r.value, undefined);
  r.observe(10, 2);
  assert.ok(Math.abs(r.value! - 5) < 1e-9);

  // 10 items/s for 60 s, then 2 items/s: after 4 half-lives (20 s) the old rate keeps 1/16 of the weight.
  const fine = new SmoothedRate(5);
  const coarse = new SmoothedRate(5);
  let count = 0;
  for (let t = 0; t <= 60; t += 0.1) { fine.observe(count, t); count += 1; }
  assert.ok(Math.abs(fine.value! - 10) < 0.2, `steady rate ${fine.value}`);
  for (let t = 60.1; t <= 80; t += 0.5) { count += 1; fine.observe(count, t); }
  assert.ok(Math.abs(fine.value! - (2 + 8 / 16)) < 0.1, `after the change ${fine.value}`);

  // Bursts: 8 items land at once every 4 s, seen at every 0.01 s or only at the bursts: same ~2/s.
  let n = 0;
  coarse.observe(0, 0);
  const dense = new SmoothedRate(5);
  dense.observe(0, 0);
  for (let step = 1; step <= 6000; step++) {
    const t = step / 100;
    if (step % 400 === 0) { n += 8; coarse.observe(n, t); }
    dense.observe(n, t);
  }
  assert.ok(Math.abs(coarse.value! - 2) < 0.3, `coarse ${coarse.value}`);
  assert.ok(Math.abs(dense.value! - 2) < 0.7, `dense ${dense.value}`);
  assert.throws(() => new SmoothedRate(0), /halfLifeSeconds must be > 0, got 0/);
});
