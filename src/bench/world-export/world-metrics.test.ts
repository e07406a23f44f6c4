import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileError } from '../../util/errors.ts';
import type { WorldExportManifest } from './shared.ts';
import { worldAgreement } from './world-metrics.ts';

const manifest: WorldExportManifest = {
  format: 'rlaifv-world-export', benchmark: 'amber', worldSeed: 0, seed: 0, split: 'test', n: 2, files: [],
  scenes: [
    { key: 'AMBER_1.png', sceneId: 'w0-test-0', objects: [{ shape: 'circle', colour: 'red', size: 'large', row: 0, col: 0 }] },
    { key: 'AMBER_2.png', sceneId: 'w0-test-1', objects: [
      { shape: 'ring', colour: 'blue', size: 'small', row: 0, col: 1 },
      { shape: 'bar', colour: 'green', size: 'large', row: 2, col: 2 },
    ] },
  ],
  questions: [{ id: 3, sceneId: 'w0-test-0', kind: 'exists', truth: true }, { id: 4, sceneId: 'w0-test-0', kind: 'exists', truth: false }],
};

test('world metrics of answers to an export, by hand', () => {
  const r = worldAgreement(manifest,
    [{ key: 'AMBER_1.png', text: 'There is a red circle. There is a star.' }, { key: 'AMBER_2.png', text: 'There is a ring.' }],
    [{ id: 3, predicted: true }, { id: 4, predicted: true }]);
  // mentions: circle, star | ring; hallucinated: star -> CHAIRi 1/3, CHAIRs 1/2
  // covered: 1 of 1 | 1 of 2 -> coverage 2/3; yes/no: right, wrong -> 1/2
  assert.deepEqual(r, { chairI: 1 / 3, chairS: 1 / 2, coverage: 2 / 3, yesNoAccuracy: 1 / 2, descriptions: 2, yesNo: 2 });
  assert.equal(worldAgreement(manifest, []).yesNoAccuracy, null);
});

test('an answer to an image or question the export does not have is a FileError', () => {
  assert.throws(() => worldAgreement(manifest, [{ key: 'AMBER_9.png', text: 'x' }]), (e: unknown) => e instanceof FileError && /no scene for image 'AMBER_9.png'/.test(e.message));
  assert.throws(() => worldAgreement(manifest, [], [{ id: 99, predicted: true }]), (e: unknown) => e instanceof FileError && /no yes\/no question with id 99/.test(e.message));
});
