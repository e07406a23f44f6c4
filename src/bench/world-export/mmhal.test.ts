import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseResponse, createWorld, parseText } from '../../world/index.ts';
import { rateFromTruth } from './judge.ts';
import { MMHAL_EXPORT_FILES, MMHAL_TYPES, type MmhalTemplateRecord } from './mmhal.ts';
import { exportToTemp } from './testing.ts';

const world = createWorld({ worldSeed: 0 });
const N = 24;
const { dir } = exportToTemp('mmhal', { n: N });
const records = JSON.parse(readFileSync(join(dir, MMHAL_EXPORT_FILES.template), 'utf8')) as MmhalTemplateRecord[];

test('template records have the official fields and types, and the official type of position i % 8', () => {
  assert.equal(records.length, N);
  for (const [i, r] of records.entries()) {
    assert.deepEqual(Object.keys(r), ['question_type', 'question_topic', 'image_id', 'image_src', 'image_content', 'question', 'gt_answer', 'model_answer']);
    assert.equal(r.question_type, MMHAL_TYPES[i % 8]);
    for (const f of ['question_topic', 'image_id', 'image_src', 'question', 'gt_answer'] as const) assert.ok(typeof r[f] === 'string' && r[f] !== '', f);
    assert.equal(r.model_answer, '');
    assert.ok(Array.isArray(r.image_content) && r.image_content.every((x) => typeof x === 'string'));
  }
});

test('image ids are scene ids, image_src names an exported PNG, image_content lists the shapes', () => {
  for (const [i, r] of records.entries()) {
    const scene = world.scene('test', i);
    assert.equal(r.image_id, scene.id);
    assert.ok(existsSync(join(dir, r.image_src)), r.image_src);
    assert.deepEqual(r.image_content, [...new Set(scene.objects.map((o) => o.shape[0]!.toUpperCase() + o.shape.slice(1)))]);
  }
});

test('gt_answer is exact: no false claim, and the world judge rates it 6', () => {
  for (const [i, r] of records.entries()) {
    const scene = world.scene('test', i);
    const a = analyseResponse(scene, r.gt_answer);
    assert.equal(a.hallucinated.length + a.attributeErrors.length + a.falseNegations.length, 0, r.gt_answer);
    assert.equal(rateFromTruth(scene, r.gt_answer, r.gt_answer).rating, 6, r.gt_answer);
  }
});

test('adversarial records ask about an absent object and their answer denies it; describe records list every object', () => {
  for (const [i, r] of records.entries()) {
    const scene = world.scene('test', i);
    if (r.question_type === 'adversarial') {
      assert.match(r.gt_answer, /^There is no /);
      assert.equal(parseText(r.gt_answer).negations.length, 1);
    }
    if (r.question_type === 'environment' || r.question_type === 'holistic') {
      assert.equal(analyseResponse(scene, r.gt_answer).coveredObjects, scene.objects.length);
    }
  }
});
