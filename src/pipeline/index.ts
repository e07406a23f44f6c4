/** The data engine (`rlaifv generate`): configuration, the orchestrator and its record types. */
export {
  DataEngineConfigSchema, parseDataEngineConfig,
  type DataEngineConfig, type DataEngineConfigInput,
} from './config.ts';
export { runDataEngine, type DataEngineDeps, type DataEngineResult } from './run.ts';
export { OUTPUT_FILES, type EnginePair } from './outputs/outputs.ts';
export { instructionSeed, type CandidateRecord } from './sample/stage.ts';
export { loadInstructions, worldInstructions, type Instruction, type InstructionSet } from './instructions/instructions.ts';
export { claimAccuracy, pairPrecision, checkedClaimTruth } from './outputs/feedback-quality.ts';
export { type DataEngineSummary } from './outputs/summary.ts';
export type { CandidateLine, ClaimLine, VerdictLine } from './outputs/records.ts';
export type { ProgressEvent, StageStats } from './stage.ts';
