import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RgbImage } from '../image/rgb.ts';
import { decodeImage } from '../image/codec.ts';
import { BACKGROUND, CELL_SIZE, IMAGE_SIZE, renderScene, sceneToPng } from './render.ts';
import { createWorld } from './world.ts';
import { cellOf, COLOURS, SHAPES } from './vocab.ts';
import type { Colour, Scene, Shape, Size, WorldObject } from './vocab.ts';

const one = (o: Partial<WorldObject>): Scene => ({
  id: 'one', objects: [{ shape: 'circle', colour: 'red', size: 'large', row: 1, col: 1, ...o }],
});

/** Pixels of a cell that are clearly not background (any channel off by > 30). */
function objectMask(img: RgbImage, cell: number): boolean[] {
  const mask: boolean[] = [];
  const r0 = Math.floor(cell / 3) * CELL_SIZE, c0 = (cell % 3) * CELL_SIZE;
  for (let y = r0; y < r0 + CELL_SIZE; y++) {
    for (let x = c0; x < c0 + CELL_SIZE; x++) {
      const p = (y * IMAGE_SIZE + x) * 3;
      mask.push([0, 1, 2].some((c) => Math.abs(img.data[p + c]! - BACKGROUND[c]!) > 30));
    }
  }
  return mask;
}

function meanObjectColour(img: RgbImage, cell: number): number[] {
  const mask = objectMask(img, cell);
  const sum = [0, 0, 0];
  let n = 0;
  const r0 = Math.floor(cell / 3) * CELL_SIZE, c0 = (cell % 3) * CELL_SIZE;
  mask.forEach((on, i) => {
    if (!on) return;
    const p = ((r0 + Math.floor(i / CELL_SIZE)) * IMAGE_SIZE + c0 + (i % CELL_SIZE)) * 3;
    for (let c = 0; c < 3; c++) sum[c]! += img.data[p + c]!;
    n++;
  });
  return sum.map((v) => v / n);
}

const count = (m: boolean[]) => m.filter(Boolean).length;

test('48x48 RGB, deterministic per scene and seed', () => {
  const s = one({});
  const a = renderScene(s);
  assert.equal(a.width, 48);
  assert.equal(a.height, 48);
  assert.equal(a.data.length, 48 * 48 * 3);
  assert.deepEqual(renderScene(s), a);
  assert.notDeepEqual(renderScene(s, 99), a, 'the seed drives noise and jitter');
});

test('each shape gives a clearly different footprint (same size, cell and seed)', () => {
  for (const size of ['large', 'small'] as Size[]) {
    const masks = new Map<Shape, boolean[]>(SHAPES.map((shape) => [shape, objectMask(renderScene(one({ shape, size }), 7), 4)]));
    for (const [p, mp] of masks) {
      for (const [q, mq] of masks) {
        if (p >= q) continue;
        const diff = mp.filter((v, i) => v !== mq[i]).length;
        // At 6-8 px a shape covers ~25-50 pixels; 5 differing pixels is a visible difference.
        assert.ok(diff >= (size === 'large' ? 20 : 5), `${size} ${p} vs ${q}: only ${diff} pixels differ`);
      }
    }
  }
});

test('colours give clearly different object pixels', () => {
  const means = new Map<Colour, number[]>(COLOURS.map((colour) => [colour, meanObjectColour(renderScene(one({ shape: 'square', colour }), 3), 4)]));
  for (const [p, a] of means) {
    for (const [q, b] of means) {
      if (p >= q) continue;
      const dist = Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
      assert.ok(dist > 60, `${p} vs ${q}: mean colours only ${dist.toFixed(1)} apart`);
    }
  }
});

test('large objects cover several times the pixels of small ones', () => {
  for (const shape of SHAPES) {
    const large = count(objectMask(renderScene(one({ shape, size: 'large' }), 1), 4));
    const small = count(objectMask(renderScene(one({ shape, size: 'small' }), 1), 4));
    assert.ok(large > 2 * small && small > 0, `${shape}: large ${large} px vs small ${small} px`);
  }
});

test('objects stay inside their cell and empty cells stay background', () => {
  const world = createWorld();
  for (let i = 0; i < 150; i++) {
    const scene = world.scene('train', i);
    const img = renderScene(scene);
    const used = new Set(scene.objects.map(cellOf));
    for (let cell = 0; cell < 9; cell++) {
      const n = count(objectMask(img, cell));
      if (used.has(cell)) assert.ok(n >= 6, `${scene.id} cell ${cell}: object has only ${n} pixels`);
      else assert.equal(n, 0, `${scene.id} cell ${cell} is empty but has ${n} non-background pixels`);
    }
  }
});

test('sceneToPng round-trips through the codec', async () => {
  const scene = createWorld().scene('val', 3);
  assert.deepEqual(await decodeImage(sceneToPng(scene)), renderScene(scene));
});
