/** The alignment report: `metrics.json` -> a self-contained HTML report and a terminal table. */
export { renderReport, type ReportOptions } from './html.ts';
export { formatRoundsTable } from './table.ts';
export { writeReport, readMetrics, type WrittenReport } from './write.ts';
export { lineChart, groupedBarChart, niceTicks, type LineSeries, type BarSeries, type LineChartOptions, type GroupedBarChartOptions } from './svg.ts';
export {
  MetricsSchema, RoundMetricsSchema, parseMetrics, MetricsFormatError,
  type Metrics, type MetricsInput, type RoundMetrics, type PairSample, type SampleAnswer, type ClaimVerdict, type DpoStep, type DpoSummary, type DataStats, type RoundBenchmark,
} from './metrics.ts';
