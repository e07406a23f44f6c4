/** Shared by `rlaifv align` and `rlaifv demo`: run the loop, tell the user what it did and where the report is. */
import { join } from 'node:path';
import { formatRoundsTable, type RoundMetrics } from '../report/index.ts';
import { isNum, type Maybe } from '../report/format.ts';
import { percent } from '../util/format.ts';
import { runAlign } from '../align/run.ts';
import type { AlignSettings } from '../align/settings.ts';

/** Run the loop under `settings` in `out`, then print the rounds' table, the headline figures and where the report is. */
export async function runAlignCommand(settings: AlignSettings, out: string): Promise<void> {
  const t0 = performance.now();
  const metrics = await runAlign(settings, out, { log: (l) => process.stderr.write(l + '\n'), progressStream: process.stderr });
  process.stdout.write('\n' + formatRoundsTable(metrics) + '\n');
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(`\n${closingLine(metrics.rounds[0]!, metrics.rounds[metrics.rounds.length - 1]!)} ${elapsedPhrase(seconds, metrics.rounds.reduce((sum, r) => sum + (r.seconds ?? 0), 0))}\n`);
  process.stdout.write(`report: ${join(out, 'report.html')}  metrics: ${join(out, 'metrics.json')}\n`);
  if (metrics.rounds.length > 1) process.stdout.write(`check the AI feedback claim by claim: rlaifv audit --run ${join(out, 'round-1', 'data')}\n`);
}

/**
 * The three headline figures from round 0 to the last round; a figure not measured (written as
 * null) shows as a dash. `closingLine(r0, r4)` -> 'CHAIRi 16.5% -> 6.1% (-63%), CHAIRs 55.0% -> 30.0%, coverage 87.1% -> 85.0%'
 */
export function closingLine(first: RoundMetrics, last: RoundMetrics): string {
  const change = (a: Maybe, b: Maybe) => (isNum(a) && isNum(b) && a > 0 ? `${b > a ? '+' : ''}${(100 * (b - a) / a).toFixed(0)}%` : 'n/a');
  return `CHAIRi ${percent(first.chairI)} -> ${percent(last.chairI)} (${change(first.chairI, last.chairI)}), `
    + `CHAIRs ${percent(first.chairS)} -> ${percent(last.chairS)}, coverage ${percent(first.coverage)} -> ${percent(last.coverage)}`;
}

/**
 * How long the run took. A resumed run reads finished rounds back in no time, so the rounds' own
 * recorded times are named too. `elapsedPhrase(2, 690)` -> 'in 2 s (resumed; its rounds took 690 s when they ran)'.
 */
export function elapsedPhrase(invocationSeconds: number, roundSeconds: number): string {
  const now = `in ${invocationSeconds.toFixed(0)} s`;
  return roundSeconds > invocationSeconds + 1 ? `${now} (resumed; its rounds took ${roundSeconds.toFixed(0)} s when they ran)` : now;
}
