/** Instruction and preference-pair readers (docs/method.md §7): JSONL, JSON, parquet; every image source kind. */
export { readInstructions, countRecords, type InstructionRecord } from './read-instructions.ts';
export { readPreferencePairs, type ImportedPair, type ImportedPairMeta } from './read-pairs.ts';
export { ReadOptionsSchema, type ReadOptions } from './options.ts';
export { InputError, type FailedRecord, type RecordLocation } from './location.ts';
export { imageRef, ImageLoadError, type ImageRef } from './image-ref.ts';
export { imageSpecToSource, type ImageSource } from './image-spec.ts';
export { parseRecord, type ParsedRecord, type RecordFormat } from './record-shapes.ts';
