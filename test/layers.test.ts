/**
 * The house rule "the library below, the CLI on top", checked on every import under src/: each
 * top-level folder has a layer, and a file may import only from its own layer or lower ones. Also
 * no import cycle between files, and nothing but the CLI imports the audit site.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/** Lowest first. A folder may import from its own layer and the layers before it. */
const LAYERS: string[][] = [
  ['util', 'settings.ts', 'tensor', 'image', 'http', 'nlp'],
  ['backend', 'store', 'progress', 'world', 'feedback'],
  ['model', 'inputs', 'export', 'eval', 'bench', 'bon'],
  ['pipeline', 'dpo', 'pretrain'],
  ['report'],
  ['align', 'serve'],
  ['audit'],
  ['cli'],
];
const RANK = new Map(LAYERS.flatMap((names, rank) => names.map((n) => [n, rank] as const)));

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Relative module specifiers of a file: static, type-only, re-exports and dynamic `import()`. */
function imports(file: string): Array<{ target: string; typeOnly: boolean; dynamic: boolean }> {
  const text = readFileSync(file, 'utf8');
  const out: Array<{ target: string; typeOnly: boolean; dynamic: boolean }> = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(import|export)(\s+type)?[^'";]*?from\s+'(\.[^']+)'/g)) {
    out.push({ target: normalize(join(dirname(file), m[3]!)), typeOnly: Boolean(m[2]), dynamic: false });
  }
  for (const m of text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)) out.push({ target: normalize(join(dirname(file), m[1]!)), typeOnly: false, dynamic: true });
  return out;
}

const topFolder = (file: string) => relative(SRC, file).split('/')[0]!;
const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, imports(f)]));

test('every top-level folder under src/ has a layer', () => {
  const unknown = [...new Set(files.map(topFolder))].filter((f) => !RANK.has(f));
  assert.deepEqual(unknown, [], 'add new folders to LAYERS in test/layers.test.ts');
});

test('no import runs from a lower layer to a higher one (tests included)', () => {
  const upward: string[] = [];
  for (const [file, deps] of graph) {
    for (const d of deps) {
      if (!d.target.startsWith(SRC)) continue;
      const from = RANK.get(topFolder(file))!;
      const to = RANK.get(topFolder(d.target))!;
      if (to > from) upward.push(`${relative(ROOT, file)} -> ${relative(ROOT, d.target)}`);
    }
  }
  assert.deepEqual(upward, []);
});

test('nothing but the CLI imports the audit site or the CLI', () => {
  const bad: string[] = [];
  for (const [file, deps] of graph) {
    const top = topFolder(file);
    for (const d of deps) {
      const to = d.target.startsWith(SRC) ? topFolder(d.target) : '';
      if ((to === 'cli' && top !== 'cli') || (to === 'audit' && top !== 'audit' && top !== 'cli')) bad.push(`${relative(ROOT, file)} -> ${relative(ROOT, d.target)}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('no import cycle between source files', () => {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (!graph.has(d.target)) continue;
      const s = state.get(d.target);
      if (s === 'open') cycles.push([...stack.slice(stack.indexOf(d.target)), d.target].map((x) => relative(SRC, x)).join(' -> '));
      else if (s === undefined) visit(d.target);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});
