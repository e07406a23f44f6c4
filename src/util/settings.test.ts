import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettingsFile, mergeSettings, parseSettings } from './settings.ts';

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

test('flags are laid over the config file, field by field; file errors name the file and the fix', (t) => {
  assert.deepEqual(mergeSettings({ a: { x: 1, y: [1, 2] }, b: 2 }, { a: { y: [3] }, c: undefined }), { a: { x: 1, y: [3] }, b: 2 });
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'run.json');
  writeFileSync(file, JSON.stringify({ n: 6, sampling: { topP: 0.5 } }));
  assert.deepEqual(loadSettingsFile(Schema, file, { n: 2, sampling: undefined }), { n: 2, sampling: { topP: 0.5 } });
  assert.deepEqual(loadSettingsFile(Schema, undefined, { n: 3 }), { n: 3, sampling: { topP: 1 } });

  writeFileSync(file, JSON.stringify({ sampling: { topP: 7 } }));
  assert.throws(() => loadSettingsFile(Schema, file), (e: Error) => e instanceof ConfigError && e.message.startsWith(`${file} (with command-line options): field 'sampling.topP'`));
  assert.throws(() => loadSettingsFile(Schema, undefined, { n: -1 }), /^ConfigError: command-line options: field 'n'/);
  writeFileSync(file, '{ "sampling": ');
  assert.throws(() => loadSettingsFile(Schema, file), (e: Error) => e.message.startsWith(`--config ${file}: not valid JSON`));
  writeFileSync(file, '[1]');
  assert.throws(() => loadSettingsFile(Schema, file), /must hold a JSON object of settings/);
  assert.throws(() => loadSettingsFile(Schema, join(dir, 'missing.json')), /cannot read the file \(ENOENT\); check the path/);
});
