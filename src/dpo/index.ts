/**
 * Feedback learning (docs/method.md §4): DPO on the embedded models, and the contract that hands large
 * models to external trainers.
 */
export { dpoLoss, dpoLossNumbers, dpoMetrics, negLogSigmoidNumber, type DpoLossOptions, type DpoLossOutput, type DpoMetrics } from './loss.ts';
export { sequenceLogProbs, tokenCounts, reduceNumber, type LogProbReduction } from './sequence.ts';
export { DpoSettingsSchema, parseDpoSettings, type DpoSettings, type DpoSettingsInput } from './settings.ts';
export { referenceLogProbs, type DpoPair, type ReferenceLogProbs, type ReferenceOptions } from './reference.ts';
export { dpoPlan, stepPairs, stepLr, type DpoPlan } from './plan.ts';
export { dpoStep, type DpoStepResult } from './step.ts';
export { trainDpo, pickBest, type TrainDpoOptions, type DpoResult } from './trainer.ts';
export type { CheckpointRecord, StepRecord } from './run-folder.ts';
export { heldOutPairsValidator, holdOut, worldValidator } from './validate.ts';
export { readTrlPairs } from './read-trl.ts';
export {
  trainWithCommand, trainedBefore, trainerFiles, placeholderValues, CommandTrainerSettingsSchema,
  type CommandTrainerSettings, type CommandTrainerSettingsInput, type CommandRound, type CommandResult, type CommandTrainerHooks,
} from './command-trainer.ts';
export { hotLoad, servedEverywhere, type HotLoadOptions, type LoadKind } from './hot-load.ts';
export { readTrainerLog, trainerLogWarnings, type TrainerLogStep } from './trainer-logs.ts';
export { splitCommand, fillPlaceholders, shellQuote, commandArgv, shellLine } from './command-template.ts';
export { loadLoraAdapter, loraRoute, UnreachableError, type LoraEngine, type LoadLoraOptions } from './lora-loading.ts';
export { runLogged, type RunLoggedOptions } from './run-logged.ts';
