import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { parseSettings } from './settings.ts';

const Schema = z.strictObject({
  n: z.number().int().positive().default(10),
  sampling: z.strictObject({ topP: z.number().max(1).default(1) }).prefault({}),
});

test('parseSettings fills defaults and names the source, every field and the problem', () => {
  assert.deepEqual(parseSettings(Schema, undefined, 'x'), { n: 10, sampling: { topP: 1 } });
  assert.throws(() => parseSettings(Schema, { n: 0, sampling: { topP: 2, nn: 1 }, extra: true }, 'run.json'), (e: Error) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.field, 'n');
    assert.match(e.message, /^run\.json: field 'n': Too small: .*; field 'sampling\.topP': Too big: .*; field 'sampling\.nn': Unrecognized key: "nn"; field 'extra': Unrecognized key: "extra"$/);
    return true;
  });
  assert.throws(() => parseSettings(z.number(), 'a', 'flag'), /^ConfigError: flag: field '\(root\)': Invalid input/);
});
