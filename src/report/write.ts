/** Reading and writing a run's `metrics.json` and `report.html`. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.ts';
import { renderReport, type ReportOptions } from './html.ts';
import { MetricsFormatError, parseMetrics, type Metrics, type MetricsInput } from './metrics.ts';

export interface WrittenReport { metricsPath: string; reportPath: string }

/**
 * Write `metrics.json` and `report.html` into `dir` (created if needed), each atomically
 * (temp file + rename), so a reader or a crash never sees half a file. The metrics are
 * validated first, so nothing is written for invalid input.
 * @example
 * const { reportPath } = await writeReport('runs/exp1', metrics);
 */
export async function writeReport(dir: string, metrics: MetricsInput | Metrics, options: ReportOptions = {}): Promise<WrittenReport> {
  const html = renderReport(metrics, options);
  const metricsPath = join(dir, 'metrics.json');
  const reportPath = join(dir, 'report.html');
  // metrics first: the report can always be regenerated from it (`readMetrics` + `renderReport`).
  await writeFileAtomic(metricsPath, `${JSON.stringify(metrics, null, 2)}\n`);
  await writeFileAtomic(reportPath, html);
  return { metricsPath, reportPath };
}

/**
 * Read and validate a `metrics.json`; errors name the file and the field.
 * @example const m = await readMetrics('runs/exp1/metrics.json');
 */
export async function readMetrics(path: string): Promise<Metrics> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new MetricsFormatError(`${path}: cannot read metrics (${(err as Error).message}); pass the run folder written by \`rlaifv align\``);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new MetricsFormatError(`${path}: not valid JSON (${(err as Error).message}); regenerate it with \`rlaifv align\``);
  }
  return parseMetrics(json, path);
}
