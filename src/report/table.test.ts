import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRoundsTable } from './table.ts';
import { fixtureMetrics } from './metrics.fixture.ts';

test('formatRoundsTable: aligned columns with the values of every round', () => {
  const out = formatRoundsTable(fixtureMetrics());
  const [main, held] = out.trimEnd().split('\n\nheld-out world:\n');
  const lines = main!.split('\n');
  assert.equal(lines.length, 2 + 3);
  assert.match(lines[0]!, /^round\s+model\s+CHAIRi\s+CHAIRs\s+coverage\s+yes\/no acc\s+pairs\s+pair prec$/);
  assert.equal(new Set(lines.map((l) => l.length)).size, 1, 'right-aligned last column: every line equally long');
  // each value ends where its header ends
  const headerEnd = (name: string) => lines[0]!.indexOf(name) + name.length;
  const row1 = lines[3]!;
  assert.equal(row1.indexOf('12.0%') + 5, headerEnd('CHAIRi'));
  assert.equal(row1.indexOf('180') + 3, headerEnd('pairs'));
  assert.equal(row1.indexOf('96.0%') + 5, headerEnd('pair prec'));
  assert.ok(lines[2]!.startsWith('    0  policy-base'));
  assert.match(lines[2]!, /–\s+–$/, 'round 0 has no pairs: dashes');
  assert.ok(held!.includes('10.1%'));
});

test('formatRoundsTable: sorts rounds, tolerates missing values, no held-out block without held-out data', () => {
  const out = formatRoundsTable({ rounds: [{ round: 1, chairI: 0.1 }, { round: 0 }] });
  const lines = out.trimEnd().split('\n');
  assert.match(lines[2]!, /^\s+0\s+–/);
  assert.match(lines[3]!, /^\s+1\s+10\.0%/);
  assert.ok(!out.includes('held-out'));
  assert.doesNotMatch(out, /NaN|undefined/);
});
