/**
 * Sample scenes written for a person to look at: one PNG per scene, a JSON of its objects,
 * captions and yes/no questions, and an index.html contact sheet (self-contained, images inline).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveSeed, Rng } from '../util/rng.ts';
import { sceneToPng } from './render.ts';
import { describe } from './describe.ts';
import { yesNoQuestions } from './questions.ts';
import { createWorld, type Split } from './world.ts';

export interface SampleOptions {
  n: number;
  split: Split;
  worldSeed: number;
  noise: number;
}

/** Returns the path of index.html. */
export function writeWorldSamples(dir: string, o: SampleOptions): string {
  mkdirSync(dir, { recursive: true });
  const world = createWorld({ worldSeed: o.worldSeed });
  const cards: string[] = [];
  for (let i = 0; i < o.n; i++) {
    const scene = world.scene(o.split, i);
    const rng = new Rng(deriveSeed('samples', scene.id));
    const caption = describe(scene, rng, { noise: o.noise, world });
    const questions = yesNoQuestions(world, scene, rng, 4);
    const png = sceneToPng(scene);
    writeFileSync(join(dir, `${scene.id}.png`), png);
    writeFileSync(join(dir, `${scene.id}.json`), JSON.stringify({ scene, caption, questions }, null, 2) + '\n');
    const b64 = Buffer.from(png).toString('base64');
    cards.push(`<figure><img src="data:image/png;base64,${b64}" width="192" height="192" alt="${scene.id}">
<figcaption><b>${scene.id}</b><br>${escape(caption.text)}${caption.inserted.length ? `<br><i>inserted (absent): ${caption.inserted.map((x) => `${x.colour} ${x.shape}`).join(', ')}</i>` : ''}
<ul>${questions.map((q) => `<li>${escape(q.question)} <b>${q.answer ? 'Yes' : 'No'}</b> <small>(${q.kind})</small></li>`).join('')}</ul></figcaption></figure>`);
  }
  const html = `<!doctype html><meta charset="utf-8"><title>rlaifv world ${o.worldSeed} / ${o.split}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px}main{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:16px}
figure{margin:0;border:1px solid #ddd;padding:8px;border-radius:6px}img{image-rendering:pixelated;border:1px solid #ccc}ul{padding-left:18px}</style>
<h1>World ${o.worldSeed}, ${o.split} split</h1><p>Co-occurrence groups: ${world.groups.map((g) => g.join(' + ')).join(' | ')}</p><main>${cards.join('\n')}</main>`;
  const index = join(dir, 'index.html');
  writeFileSync(index, html);
  return index;
}

function escape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
