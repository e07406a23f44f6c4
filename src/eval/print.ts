/** Human-readable rendering of a world evaluation. */
import type { WorldEvalResult } from './world-bench.ts';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function printEval(r: WorldEvalResult, out: { write(s: string): unknown }): void {
  const rows: Array<[string, string]> = [
    ['model', r.model],
    ['world / split', `seed ${r.worldSeed} / ${r.split} (${r.n} descriptions)`],
    ['CHAIRi (hallucinated mentions)', pct(r.chairI)],
    ['CHAIRs (responses with a hallucination)', pct(r.chairS)],
    ['coverage (objects mentioned)', pct(r.coverage)],
    ['attribute errors (of present-shape mentions)', pct(r.attributeErrorRate)],
    ['mentions per description', r.meanMentions.toFixed(2)],
    ['yes/no accuracy', `${pct(r.yesNoAccuracy)} (F1 ${r.yesNoF1.toFixed(3)}, yes-rate ${pct(r.yesNo.yesRate)}, ${r.yesNo.n} questions)`],
    ['object at a cell (place questions)', r.placeAccuracy === null ? '-' : `${pct(r.placeAccuracy)} (${r.yesNoByKind.place?.n ?? 0} questions; no other question counted here)`],
    ['per kind (right when yes / when no)', Object.entries(r.yesNoByKind)
      .map(([k, a]) => `${k} ${a.yesAccuracy === null ? '-' : pct(a.yesAccuracy)} / ${a.noAccuracy === null ? '-' : pct(a.noAccuracy)}`).join(', ')],
    ['unknown words', pct(r.unknownWordRate)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) out.write(`${k.padEnd(w)}  ${v}\n`);
  out.write('\nsample descriptions:\n');
  for (const e of r.examples.slice(0, 3)) {
    out.write(`- ${e.text}${e.hallucinated.length ? `   [hallucinated: ${e.hallucinated.join(', ')}]` : ''}\n`);
  }
}
