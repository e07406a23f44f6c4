import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roundDataConfig, roundRoles, type RoundRoles } from './round-plan.ts';
import { parseAlignSettings, type AlignSettingsInput } from './settings.ts';

test('who samples and who judges each round, under every feedback and ablation', () => {
  const table: Array<[AlignSettingsInput, round: number, RoundRoles]> = [
    [{}, 1, { sampler: 'current', judge: 'labeler' }],
    [{}, 3, { sampler: 'current', judge: 'labeler' }],
    [{ selfFeedback: true }, 1, { sampler: 'current', judge: 'sampler' }],
    [{ selfFeedback: true }, 2, { sampler: 'current', judge: 'base' }],
    [{ selfFeedback: true, selfFeedbackJudge: 'current' }, 2, { sampler: 'current', judge: 'sampler' }],
    [{ ablation: 'no-iteration' }, 2, { sampler: 'base', judge: 'labeler' }],
    // M_0 samples every round, so under self-feedback it judges itself: no separate labeler.
    [{ ablation: 'no-iteration', selfFeedback: true }, 2, { sampler: 'base', judge: 'sampler' }],
    [{ ablation: 'oracle-feedback' }, 1, { sampler: 'current', judge: 'oracle' }],
    [{ ablation: 'oracle-feedback', selfFeedback: true }, 2, { sampler: 'current', judge: 'oracle' }],
    [{ ablation: 'no-divide' }, 2, { sampler: 'current', judge: 'labeler' }],
    [{ ablation: 'no-deconfounding' }, 2, { sampler: 'current', judge: 'labeler' }],
  ];
  for (const [input, round, expected] of table) {
    assert.deepEqual(roundRoles(parseAlignSettings(input), round), expected, `${JSON.stringify(input)} round ${round}`);
  }
});

test('each round\'s data engine reads its own slice of world instructions; self-feedback labels only where the sampler judges', () => {
  const table: Array<[AlignSettingsInput, round: number, offset: number, selfFeedback: boolean]> = [
    [{ instructionsPerRound: 10 }, 1, 0, false],
    [{ instructionsPerRound: 10 }, 3, 20, false],
    [{ instructionsPerRound: 10, selfFeedback: true }, 1, 0, true],
    // M_0 judges round 2 as a labeler apart from the sampler M_1.
    [{ instructionsPerRound: 10, selfFeedback: true }, 2, 10, false],
    [{ instructionsPerRound: 10, selfFeedback: true, selfFeedbackJudge: 'current' }, 2, 10, true],
    [{ instructionsPerRound: 10, selfFeedback: true, ablation: 'no-iteration' }, 2, 10, true],
  ];
  for (const [input, round, offset, selfFeedback] of table) {
    const c = roundDataConfig(parseAlignSettings({ worldSeed: 3, ...input }), round);
    const name = `${JSON.stringify(input)} round ${round}`;
    assert.deepEqual([c.input.source, c.input.worldSeed, c.input.split, c.input.offset, c.input.count], ['world', 3, 'train', offset, 10], name);
    assert.equal(c.label.selfFeedback, selfFeedback, name);
  }
});

test('a variant\'s data overrides are laid over the user\'s, which they leave standing elsewhere', () => {
  const full = roundDataConfig(parseAlignSettings({ data: { sampling: { n: 6 }, divide: { maxTokens: 100 } } }), 1);
  assert.equal(full.sampling.mixed, undefined);
  assert.equal(full.divide.method, 'rules');
  const mixed = roundDataConfig(parseAlignSettings({ ablation: 'no-deconfounding', data: { sampling: { n: 6 } } }), 1);
  assert.equal(mixed.sampling.n, 6);
  assert.deepEqual(mixed.sampling.mixed?.map((m) => m.temperature), [0.4, 0.7, 1, 1.3]);
  const whole = roundDataConfig(parseAlignSettings({ ablation: 'no-divide', data: { divide: { maxTokens: 100 } } }), 1);
  assert.deepEqual([whole.divide.method, whole.divide.maxTokens], ['whole', 100]);
  // The round's slice wins over a user's input settings, as the loop owns which instructions each round reads.
  const sliced = roundDataConfig(parseAlignSettings({ instructionsPerRound: 5, data: { input: { count: 99, strict: true } } }), 2);
  assert.deepEqual([sliced.input.count, sliced.input.offset, sliced.input.strict], [5, 5, true]);
  // A bad data section fails when the settings are read, before any model loads.
  assert.throws(() => parseAlignSettings({ data: { sampling: { n: 'four' } } }), /align settings: field 'data\.sampling\.n'/);
});

test('each round takes the next slice of the world, or of an instruction file given in the data section', () => {
  const world = roundDataConfig(parseAlignSettings({ instructionsPerRound: 10, worldSeed: 3 }), 2).input;
  assert.deepEqual([world.source, world.worldSeed, world.split, world.offset, world.count], ['world', 3, 'train', 10, 10]);
  const file = roundDataConfig(parseAlignSettings({ instructionsPerRound: 10, data: { input: { source: 'mine.jsonl' } } }), 3).input;
  assert.deepEqual([file.source, file.offset, file.count], ['mine.jsonl', 20, 10]);
});
