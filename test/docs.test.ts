/**
 * The README is for a newcomer: short, and every link in it and in docs/ leads to a file of this
 * repository (a clone has nothing outside it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function markdownFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) markdownFiles(p, out);
    else if (name.endsWith('.md')) out.push(p);
  }
  return out;
}

const DOCS = [join(ROOT, 'README.md'), join(ROOT, 'models', 'README.md'), ...markdownFiles(join(ROOT, 'docs'))];

/** Targets of Markdown links `[text](target)`, code spans and fenced blocks left out. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

test('the README reads in five minutes: under 8,000 characters', () => {
  const size = readFileSync(join(ROOT, 'README.md'), 'utf8').length;
  assert.ok(size < 8000, `README.md is ${size} characters; move details to docs/`);
});

test('every link in the README and docs/ leads to a file in this repository', () => {
  const broken: string[] = [];
  for (const file of DOCS) {
    for (const target of linkTargets(readFileSync(file, 'utf8'))) {
      if (/^https?:\/\//.test(target) || target.startsWith('#') || target.startsWith('mailto:')) continue;
      const path = resolve(dirname(file), decodeURIComponent(target.split('#')[0]!));
      const inside = !relative(ROOT, path).startsWith('..');
      if (!inside || !existsSync(path)) broken.push(`${relative(ROOT, file)}: ${target}${inside ? '' : ' (outside the repository)'}`);
    }
  }
  assert.deepEqual(broken, []);
});

test('the docs map names every page of docs/', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const missing = markdownFiles(join(ROOT, 'docs')).map((f) => relative(ROOT, f)).filter((f) => !f.includes('/notes/') && !readme.includes(f));
  assert.deepEqual(missing, []);
});
