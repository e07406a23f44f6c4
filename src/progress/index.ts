/** Progress lines per stage and the closing summary table. */
export { ProgressReporter, type ProgressOptions, type ProgressStats, type ProgressStream } from './reporter.ts';
export { Summary, formatTable, STAGE_COLUMNS, type Cell, type CellRow, type Column } from './summary.ts';
export { SmoothedRate } from './rate.ts';
export { formatDuration, formatRate, formatPercent } from './format.ts';
export { ProgressSettingsSchema, type ProgressSettings } from './settings.ts';
