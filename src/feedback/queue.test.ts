import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queueFor } from './queue.ts';
import { DEFAULT_SETTINGS } from './types.ts';

const items = ['i1', 'i2', 'i3', 'i4', 'i5'];
const done = new Map([['i1', new Set(['p1'])], ['i2', new Set(['p2'])], ['i4', new Set(['p2', 'p3'])]]);
const disputed = new Set(['i5', 'i2', 'i4']);

test('queue: items the person has not done and fewer than perItem people have, disputed first', () => {
  // perItem 2: i1 (p1 only) and i2 (p2 only) still need one more; i4 has two. For p1: i1 is theirs.
  assert.deepEqual(queueFor('p1', items, { done, disputed, settings: { ...DEFAULT_SETTINGS, perItem: 2 } }), ['i2', 'i5', 'i3']);
  // perItem 1: anything someone finished is out.
  assert.deepEqual(queueFor('p1', items, { done, disputed, settings: { ...DEFAULT_SETTINGS, perItem: 1 } }), ['i5', 'i3']);
});

test('queue: run order when the admin turns disputed-first off; a person never gets back what they finished', () => {
  const settings = { ...DEFAULT_SETTINGS, perItem: 3, disputedFirst: false };
  assert.deepEqual(queueFor('p1', items, { done, disputed, settings }), ['i2', 'i3', 'i4', 'i5']);
  assert.deepEqual(queueFor('p2', items, { done, disputed, settings }), ['i1', 'i3', 'i5']);
  assert.deepEqual(queueFor('p9', [], { done, disputed, settings }), []);
});
