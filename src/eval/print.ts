/** Human-readable rendering of a world evaluation. */
import type { WorldEvalResult } from './world-bench.ts';
import { percent } from '../util/format.ts';

export function printEval(r: WorldEvalResult, out: { write(s: string): unknown }): void {
  const rows: Array<[string, string]> = [
    ['model', r.model],
    ['world / split', `seed ${r.worldSeed} / ${r.split} (${r.n} descriptions)`],
    ['CHAIRi (hallucinated mentions)', percent(r.chairI)],
    ['CHAIRs (responses with a hallucination)', percent(r.chairS)],
    ['coverage (objects mentioned)', percent(r.coverage)],
    ['attribute errors (of present-shape mentions)', percent(r.attributeErrorRate)],
    ['mentions per description', r.meanMentions.toFixed(2)],
    ['yes/no accuracy', `${percent(r.yesNoAccuracy)} (F1 ${r.yesNoF1.toFixed(3)}, yes-rate ${percent(r.yesNo.yesRate)}, ${r.yesNo.n} questions)`],
    ['object at a cell (place questions)', r.placeAccuracy === null ? '-' : `${percent(r.placeAccuracy)} (${r.yesNoByKind.place?.n ?? 0} questions; no other question counted here)`],
    ['per kind (right when yes / when no)', Object.entries(r.yesNoByKind)
      .map(([k, a]) => `${k} ${a.yesAccuracy === null ? '-' : percent(a.yesAccuracy)} / ${a.noAccuracy === null ? '-' : percent(a.noAccuracy)}`).join(', ')],
    ['unknown words', percent(r.unknownWordRate)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) out.write(`${k.padEnd(w)}  ${v}\n`);
  out.write('\nsample descriptions:\n');
  for (const e of r.examples.slice(0, 3)) {
    out.write(`- ${e.text}${e.hallucinated.length ? `   [hallucinated: ${e.hallucinated.join(', ')}]` : ''}\n`);
  }
}
