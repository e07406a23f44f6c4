/**
 * `tsc -p .` checks the page's script with node's types in scope, where `Buffer` or `process`
 * would pass; the browser has neither. This checks it again with the browser's libraries alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const HERE = dirname(fileURLToPath(import.meta.url));

test('the page script type-checks against the DOM alone, without node', () => {
  const program = ts.createProgram([join(HERE, 'main.ts')], {
    lib: ['lib.es2020.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const sources = program.getSourceFiles().map((f) => f.fileName);
  assert.ok(sources.includes(join(HERE, 'helpers.ts')), 'the helpers are checked with the script');
  // Server-side files reached through type-only imports (types.ts -> pipeline/) may use node; they are not shipped to the page.
  const problems = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || d.file.fileName.startsWith(HERE + '/'))
    .map((d) => `${d.file ? `${d.file.fileName}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  assert.deepEqual(problems, []);
});
