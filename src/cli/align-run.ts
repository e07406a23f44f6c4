/** Shared by `rlaifv align` and `rlaifv demo`: settings from a file and flags, run, tell the user where the report is. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from './errors.ts';
import { formatRoundsTable, type RoundMetrics } from '../report/index.ts';
import { isNum, pct, type Maybe } from '../report/format.ts';
import { runAlign } from '../align/run.ts';
import { parseAlignSettings } from '../align/settings.ts';

export interface AlignFlags {
  out: string;
  config?: string;
  rounds?: number;
  instructions?: number;
  selfFeedback?: boolean;
  worldSeed?: number;
  ablation?: string;
  policy?: string;
  labeler?: string;
}

export async function runAlignCommand(o: AlignFlags): Promise<void> {
  let fromFile: Record<string, unknown> = {};
  if (o.config) {
    try {
      fromFile = JSON.parse(readFileSync(o.config, 'utf8'));
    } catch (err) {
      throw new UserError(`--config ${o.config}: ${(err as Error).message}`);
    }
  }
  const settings = userErrors(() => parseAlignSettings({
    ...fromFile,
    ...(o.rounds !== undefined && { rounds: o.rounds }),
    ...(o.instructions !== undefined && { instructionsPerRound: o.instructions }),
    ...(o.selfFeedback && { selfFeedback: true }),
    ...(o.worldSeed !== undefined && { worldSeed: o.worldSeed }),
    ...(o.ablation !== undefined && { ablation: o.ablation }),
    ...(o.policy && { policy: o.policy }),
    ...(o.labeler && { labeler: o.labeler }),
  }, o.config ?? 'align flags'));
  const t0 = performance.now();
  const metrics = await runAlign(settings, o.out, { log: (l) => process.stderr.write(l + '\n'), progressStream: process.stderr });
  process.stdout.write('\n' + formatRoundsTable(metrics) + '\n');
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(`\n${closingLine(metrics.rounds[0]!, metrics.rounds[metrics.rounds.length - 1]!)} ${elapsedPhrase(seconds, metrics.rounds.reduce((sum, r) => sum + (r.seconds ?? 0), 0))}\n`);
  process.stdout.write(`report: ${join(o.out, 'report.html')}  metrics: ${join(o.out, 'metrics.json')}\n`);
  if (metrics.rounds.length > 1) process.stdout.write(`check the AI feedback claim by claim: rlaifv audit --run ${join(o.out, 'round-1', 'data')}\n`);
}

/**
 * The three headline figures from round 0 to the last round; a figure not measured (written as
 * null) shows as a dash. `closingLine(r0, r4)` -> 'CHAIRi 16.5% -> 6.1% (-63%), CHAIRs 55.0% -> 30.0%, coverage 87.1% -> 85.0%'
 */
export function closingLine(first: RoundMetrics, last: RoundMetrics): string {
  const change = (a: Maybe, b: Maybe) => (isNum(a) && isNum(b) && a > 0 ? `${b > a ? '+' : ''}${(100 * (b - a) / a).toFixed(0)}%` : 'n/a');
  return `CHAIRi ${pct(first.chairI)} -> ${pct(last.chairI)} (${change(first.chairI, last.chairI)}), `
    + `CHAIRs ${pct(first.chairS)} -> ${pct(last.chairS)}, coverage ${pct(first.coverage)} -> ${pct(last.coverage)}`;
}

/**
 * How long the run took. A resumed run reads finished rounds back in no time, so the rounds' own
 * recorded times are named too. `elapsedPhrase(2, 690)` -> 'in 2 s (resumed; its rounds took 690 s when they ran)'.
 */
export function elapsedPhrase(invocationSeconds: number, roundSeconds: number): string {
  const now = `in ${invocationSeconds.toFixed(0)} s`;
  return roundSeconds > invocationSeconds + 1 ? `${now} (resumed; its rounds took ${roundSeconds.toFixed(0)} s when they ran)` : now;
}

/** A settings error is the user's to fix: shown as one line, without a stack trace. */
function userErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new UserError((err as Error).message);
  }
}
