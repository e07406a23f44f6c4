import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../../../util/temp-dir.ts';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./similarity_table.py', import.meta.url));
const python = spawnSync('python3', ['--version']);
const skip = python.error || python.status !== 0 ? 'python3 is not installed here' : false;

test('similarity_table.py compiles with python3 -m py_compile', { skip }, () => {
  // Write the bytecode to a temporary folder, not beside the script.
  const r = spawnSync('python3', ['-c', `import py_compile,sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)`, script, join(tempDir('amber-py-'), 's.pyc')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
