/** The data engine (`rlaifv generate`): configuration, the orchestrator and its record types. */
export {
  DataEngineConfigSchema, parseDataEngineConfig, loadDataEngineConfig, mergeConfig, ConfigError,
  type DataEngineConfig, type DataEngineConfigInput,
} from './config.ts';
export { runDataEngine, type DataEngineDeps, type DataEngineResult } from './run.ts';
export { OUTPUT_FILES, type EnginePair } from './export.ts';
export { instructionSeed, type CandidateRecord } from './generate.ts';
export { loadInstructions, worldInstructions, type Instruction, type InstructionSet } from './instructions.ts';
export { claimAccuracy, pairPrecision, checkedClaimTruth } from './metrics.ts';
export { withoutRun, type DataEngineSummary } from './summary.ts';
export type { CandidateLine, ClaimLine, VerdictLine } from './records.ts';
export type { ProgressEvent, StageStats } from './stage.ts';
