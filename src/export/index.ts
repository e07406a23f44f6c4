/** Dataset exporters (docs/method.md §7): RLAIF-V parquet, TRL, LLaMA-Factory, official labeler records, JSONL. */
export {
  type PairRecord, type PairMeta, type PairSource, type PairOrigin, type PairPeople, PAIR_ORIGINS, checkPair, imageBytes, originSplit,
} from './pair-record.ts';
export { writeRlaifvParquet, RLAIFV_COLUMNS, RLAIFV_SCHEMA, type RlaifvParquetOptions } from './rlaifv-parquet.ts';
export { writeTrlDataset, type TrlExportOptions, type TrlRow } from './trl.ts';
export {
  writeLlamaFactoryDataset, type LlamaFactoryExportOptions, type LlamaFactoryRow,
} from './llama-factory.ts';
export {
  toOfficialLabelerRecord, fromOfficialLabelerRecord, type OfficialLabelerRecord, type LabelerVerdict, type FourWayScores,
} from './official-labeler.ts';
export { JsonlWriter, type JsonlWriterOptions } from './jsonl-writer.ts';
export { ImageFolder } from './image-folder.ts';
