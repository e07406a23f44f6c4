/**
 * `rlaifv ablate`: the full method beside each ablation of the registry (ablations.ts), each an
 * align run of its own: no deconfounding, no divide-and-conquer, no iteration, and a ceiling, the
 * world's exact truth as the labeler. One table of pair precision (mean over rounds) and final
 * CHAIRi per variant.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.ts';
import { ABLATION_NAMES } from './ablations.ts';
import { runAlign, type AlignHooks } from './run.ts';
import { parseAlignSettings, type AlignSettingsInput } from './settings.ts';
import { percent } from '../util/format.ts';

export interface AblationRow {
  variant: string;
  pairPrecision: number | null;
  claimAccuracy: number | null;
  pairs: number;
  chairI: number | null;
  chairS: number | null;
  coverage: number | null;
}

export async function runAblations(input: AlignSettingsInput, outDir: string, hooks: AlignHooks = {}): Promise<AblationRow[]> {
  const rows: AblationRow[] = [];
  for (const variant of ABLATION_NAMES) {
    hooks.log?.(`ablation: ${variant === 'none' ? 'full method' : variant}`);
    const settings = parseAlignSettings({ ...input, ablation: variant });
    const m = await runAlign(settings, join(outDir, variant === 'none' ? 'full' : variant), hooks);
    const trained = m.rounds.slice(1);
    const mean = (xs: Array<number | null | undefined>) => {
      const v = xs.filter((x): x is number => typeof x === 'number');
      return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
    };
    const last = m.rounds[m.rounds.length - 1]!;
    rows.push({
      variant: variant === 'none' ? 'full' : variant,
      pairPrecision: mean(trained.map((r) => r.pairPrecision)),
      claimAccuracy: mean(trained.map((r) => r.claimAccuracy)),
      pairs: trained.reduce((a, r) => a + (r.pairs ?? 0), 0),
      chairI: last.chairI ?? null, chairS: last.chairS ?? null, coverage: last.coverage ?? null,
    });
    await writeFileAtomic(join(outDir, 'ablations.json'), JSON.stringify(rows, null, 2) + '\n');
  }
  return rows;
}

export function formatAblations(rows: readonly AblationRow[]): string {
  const pct = (x: number | null) => percent(x, 1, '-');
  const head = ['variant', 'pair precision', 'claim accuracy', 'pairs', 'CHAIRi', 'CHAIRs', 'coverage'];
  const body = rows.map((r) => [r.variant, pct(r.pairPrecision), pct(r.claimAccuracy), String(r.pairs), pct(r.chairI), pct(r.chairS), pct(r.coverage)]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  return [head, ...body].map((row) => row.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ')).join('\n');
}
