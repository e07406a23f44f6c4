import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../util/errors.ts';
import { describeError, EXIT_BUG, EXIT_ERROR } from './report-error.ts';

test('a typed error prints its message and exits 1; anything else is one bounded line and exits 2', () => {
  assert.deepEqual(describeError(new ConfigError("field 'x': bad"), false), { text: "rlaifv: field 'x': bad\n", exitCode: EXIT_ERROR });
  const cases: Array<[unknown, string]> = [
    [new TypeError('x is undefined\n    at f (a.js:1:1)'), 'TypeError: x is undefined'],
    [new Error('plain'), 'plain'],
    ['a thrown string\nsecond line', 'a thrown string'],
    [{ code: 42 }, '{ code: 42 }'],
    [undefined, 'undefined'],
    [new Error(''), '(no message)'],
  ];
  for (const [err, line] of cases) {
    const { text, exitCode } = describeError(err, false);
    assert.equal(exitCode, EXIT_BUG);
    assert.equal(text, `rlaifv: internal error (a bug in rlaifv): ${line} (rerun with RLAIFV_DEBUG=1 to print the stack)\n`);
  }
  const long = describeError(new Error(`var Module=${'x'.repeat(40_000)}`), false).text;
  assert.ok(long.length < 400 && long.includes('...'), `${long.length} characters`);
});

test('with debug, the stack of either kind, and the same status', () => {
  const typed = describeError(new ConfigError('bad'), true);
  assert.equal(typed.exitCode, EXIT_ERROR);
  assert.match(typed.text, /^rlaifv: ConfigError: bad\n\s+at /);
  const bug = describeError(new Error('boom', { cause: new Error('root') }), true);
  assert.equal(bug.exitCode, EXIT_BUG);
  assert.match(bug.text, /^rlaifv: Error: boom\n\s+at [\s\S]*\[cause\]: Error: root/);
});
