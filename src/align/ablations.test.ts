import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ABLATION_NAMES, ABLATIONS, ablationVariant, ablationsHelp } from './ablations.ts';
import { AlignSettingsSchema, parseAlignSettings } from './settings.ts';

test('the registry holds the full method first, then one entry per ablation', () => {
  assert.deepEqual(ABLATION_NAMES, ['none', 'no-deconfounding', 'no-divide', 'no-iteration', 'oracle-feedback']);
  assert.deepEqual(ablationVariant('none'), { data: {}, sampler: 'current', judge: 'feedback', description: 'the full method' });
  for (const name of ABLATION_NAMES) assert.ok(ABLATIONS[name].description.length > 0, name);
  // Each ablation switches off one part of the method: exactly one of data, sampler, judge differs from the full method.
  for (const name of ABLATION_NAMES.filter((n) => n !== 'none')) {
    const v = ablationVariant(name);
    const changed = [Object.keys(v.data).length > 0, v.sampler !== 'current', v.judge !== 'feedback'].filter(Boolean).length;
    assert.equal(changed, 1, name);
  }
});

test('a variant not in the registry is refused with the list of names', () => {
  assert.throws(() => ablationVariant('no-labeler'), /ablation 'no-labeler' must be one of none, no-deconfounding, no-divide, no-iteration, oracle-feedback/);
  assert.throws(() => ablationVariant('toString'), /must be one of/);
});

test('the ablation setting takes exactly the registry\'s names, and describes the ablations', () => {
  assert.deepEqual(AlignSettingsSchema.shape.ablation.unwrap().options, ABLATION_NAMES);
  assert.equal(parseAlignSettings({}).ablation, 'none');
  assert.throws(() => parseAlignSettings({ ablation: 'nope' }), /field 'ablation': .*"oracle-feedback"/);
  assert.equal(ablationsHelp(), "'no-deconfounding': candidates under mixed decoding settings; 'no-divide': the labeler judges whole answers; "
    + "'no-iteration': every round samples from M_0; 'oracle-feedback': the world's exact truth answers every question (the ceiling of the feedback)");
  assert.equal(AlignSettingsSchema.shape.ablation.description, ablationsHelp());
});
