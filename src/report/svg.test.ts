import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupedBarChart, lineChart, niceTicks, tickLabel } from './svg.ts';

const count = (s: string, needle: string | RegExp): number => (typeof needle === 'string' ? s.split(needle).length - 1 : (s.match(needle) ?? []).length);
const polylineVertices = (svg: string): number[] => [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1]!.split(' ').length);
/** Every number in every coordinate attribute parses: no NaN/Infinity leaked into the drawing. */
function assertFiniteGeometry(svg: string): void {
  assert.doesNotMatch(svg, /NaN|Infinity|undefined/);
  for (const m of svg.matchAll(/ (?:x|y|x1|y1|x2|y2|cx|cy|width|height)="([^"]*)"/g)) assert.ok(Number.isFinite(Number(m[1])), `bad coordinate ${m[0]}`);
}

test('niceTicks: round steps covering the range', () => {
  const cases: Array<[number, number, boolean, number[]]> = [
    [0, 0.27, false, [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]],
    [0, 900, false, [0, 200, 400, 600, 800, 1000]],
    [0, 3, true, [0, 1, 2, 3]],
    [-0.1, 0.12, false, [-0.1, -0.05, 0, 0.05, 0.1, 0.15]],
    [1, 12, true, [0, 2, 4, 6, 8, 10, 12]],
  ];
  for (const [lo, hi, integer, want] of cases) assert.deepEqual(niceTicks(lo, hi, 5, integer).values, want, `[${lo}, ${hi}]`);
});

test('niceTicks widens a zero-width range and rejects non-finite bounds', () => {
  const t = niceTicks(0.5, 0.5);
  assert.ok(t.min < 0.5 && t.max > 0.5, JSON.stringify(t));
  const z = niceTicks(0, 0);
  assert.ok(z.min <= 0 && z.max > 0);
  assert.throws(() => niceTicks(0, NaN), /finite/);
});

test('tickLabel uses the decimals the step needs', () => {
  assert.equal(tickLabel(0.25, 0.05), '0.25');
  assert.equal(tickLabel(400, 200), '400');
  assert.equal(tickLabel(-0.0000001, 0.1), '0.0'); // no '-0.0' from float noise
});

test('lineChart: one polyline vertex and one marker per finite point, per series', () => {
  const svg = lineChart({
    title: 'CHAIR', integerX: true,
    series: [
      { name: 'a', points: [{ x: 0, y: 0.3 }, { x: 1, y: 0.2 }, { x: 2, y: 0.1 }] },
      { name: 'b', points: [{ x: 0, y: 0.5 }, { x: 1, y: 0.4 }, { x: 2, y: 0.3 }] },
    ],
  });
  assert.equal(count(svg, '<svg'), 1);
  assert.deepEqual(polylineVertices(svg), [3, 3]);
  assert.equal(count(svg, '<circle class="pt"'), 6);
  assert.equal(count(svg, 'class="legend-item"'), 2);
  assertFiniteGeometry(svg);
});

test('lineChart skips undefined, null and NaN and breaks the line there', () => {
  const svg = lineChart({
    title: 'gaps',
    series: [{ name: 's', points: [{ x: 0, y: 1 }, { x: 1, y: 2 }, { x: 2, y: NaN }, { x: 3, y: null }, { x: 4, y: 3 }, { x: 5, y: 4 }, { x: 6, y: undefined }, { x: 7, y: 5 }] }],
  });
  assert.deepEqual(polylineVertices(svg), [2, 2]); // the lone point at x=7 gets a marker only
  assert.equal(count(svg, '<circle class="pt"'), 5);
  assertFiniteGeometry(svg);
});

test('lineChart edge cases: one point, empty, constant, all missing', () => {
  const one = lineChart({ title: 'one', series: [{ name: 's', points: [{ x: 0, y: 0.27 }] }], integerX: true });
  assert.equal(count(one, '<polyline'), 0);
  assert.equal(count(one, '<circle class="pt"'), 1);
  assertFiniteGeometry(one);

  for (const series of [[], [{ name: 'e', points: [] }], [{ name: 'm', points: [{ x: 0, y: NaN }, { x: 1, y: undefined }] }]]) {
    const svg = lineChart({ title: 'empty', series });
    assert.match(svg, /no data/);
    assert.equal(count(svg, '<circle'), 0);
    assertFiniteGeometry(svg);
  }

  const flat = lineChart({ title: 'flat', includeZero: false, series: [{ name: 'c', points: [0, 1, 2, 3].map((x) => ({ x, y: 0.5 })) }] });
  assert.deepEqual(polylineVertices(flat), [4]);
  assertFiniteGeometry(flat);
  const cy = [...flat.matchAll(/<circle class="pt" cx="[^"]*" cy="([^"]*)"/g)].map((m) => m[1]);
  assert.equal(new Set(cy).size, 1, 'a constant series is a horizontal line');
});

test('lineChart: markers off above 40 points, vertical lines labelled, text escaped', () => {
  const many = Array.from({ length: 100 }, (_, i) => ({ x: i + 1, y: Math.sin(i) }));
  const svg = lineChart({ title: 'a <b> & "c"', series: [{ name: '<i>x</i>', points: many }, { name: 'y', points: many }], vLines: [{ x: 50, label: 'best <ckpt>' }] });
  assert.deepEqual(polylineVertices(svg), [100, 100]);
  assert.equal(count(svg, '<circle'), 0);
  assert.equal(count(svg, 'class="vline"'), 1);
  assert.ok(svg.includes('a &lt;b&gt; &amp; &quot;c&quot;'));
  assert.ok(svg.includes('&lt;i&gt;x&lt;/i&gt;'));
  assert.ok(svg.includes('best &lt;ckpt&gt;'));
  assert.ok(!svg.includes('<b>') && !svg.includes('<i>') && !svg.includes('<ckpt>'));
  assert.equal(count(lineChart({ title: 't', markers: 'always', series: [{ name: 's', points: many }] }), '<circle class="pt"'), 100);
});

test('groupedBarChart: one bar per finite value; missing values draw no bar', () => {
  const svg = groupedBarChart({
    title: 'Pairs', categories: ['round 1', 'round 2', 'round <3>'],
    series: [{ name: 'all', values: [900, 700, undefined] }, { name: 'kept', values: [180, NaN, null] }, { name: 'neg', values: [-5, 0, 3] }],
  });
  assert.equal(count(svg, '<rect class="bar"'), 6);
  assert.equal(count(svg, 'class="legend-item"'), 3);
  assert.ok(svg.includes('round &lt;3&gt;'));
  assertFiniteGeometry(svg);
  // the negative bar hangs below the zero line: its top is below the positive bars' bottoms
  const bars = [...svg.matchAll(/<rect class="bar" x="[^"]*" y="([^"]*)" width="[^"]*" height="([^"]*)"/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
  const zeroY = bars[0]![0] + bars[0]![1];
  assert.ok(Math.abs(bars[2]![0] - zeroY) < 0.2, `negative bar starts at zero (${bars[2]![0]} vs ${zeroY})`);
});

test('groupedBarChart: empty input and single series', () => {
  for (const svg of [
    groupedBarChart({ title: 'e', categories: [], series: [] }),
    groupedBarChart({ title: 'e', categories: ['a'], series: [{ name: 's', values: [undefined] }] }),
  ]) {
    assert.match(svg, /no data/);
    assert.equal(count(svg, '<rect class="bar"'), 0);
    assertFiniteGeometry(svg);
  }
  const one = groupedBarChart({ title: 'Pairs per round', categories: ['1', '2'], series: [{ name: 'pairs', values: [180, 180] }] });
  assert.equal(count(one, '<rect class="bar"'), 2);
  assert.equal(count(one, 'class="legend-item"'), 0, 'one series needs no legend');
  assert.equal(count(one, 'class="bar-label"'), 2);
  assertFiniteGeometry(one);
});
