/** Dataset exporters (docs/method.md §7): RLAIF-V parquet, TRL, LLaMA-Factory, official labeler records, JSONL. */
export { type PairRecord, type PairMeta, type PairSource, PairMetaSchema, checkPair, imageBytes, originSplit } from './pair-record.ts';
export { writeRlaifvParquet, toRlaifvRow, RlaifvParquetOptionsSchema, RLAIFV_COLUMNS, RLAIFV_SCHEMA, type RlaifvParquetOptions } from './rlaifv-parquet.ts';
export { writeTrlDataset, toTrlRow, TrlExportOptionsSchema, type TrlExportOptions, type TrlRow } from './trl.ts';
export {
  writeLlamaFactoryDataset, toLlamaFactoryRow, llamaFactoryDatasetInfo, LlamaFactoryExportOptionsSchema,
  IMAGE_MARKER, type LlamaFactoryExportOptions, type LlamaFactoryRow,
} from './llama-factory.ts';
export {
  toOfficialLabelerRecord, fromOfficialLabelerRecord, writeOfficialLabelerRecords, OfficialLabelerRecordSchema,
  type OfficialLabelerRecord, type LabelerVerdict, type FourWayScores,
} from './official-labeler.ts';
export { JsonlWriter, type JsonlWriterOptions } from './jsonl-writer.ts';
export { ImageFolder } from './image-folder.ts';
