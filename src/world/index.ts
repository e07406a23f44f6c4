/**
 * The procedurally generated visual world: scenes, images, the world's English, its parser,
 * rule-based claims and exact hallucination metrics.
 */
export * from './vocab.ts';
export { SPLITS, SftMixSchema, WorldSettingsSchema, createWorld } from './world.ts';
export type { SftMix, Split, World, WorldSettings, WorldSettingsInput } from './world.ts';
export { BACKGROUND, CELL_SIZE, IMAGE_SIZE, PALETTE, renderScene, sceneToPng } from './render.ts';
export * from './language.ts';
export { parseSentence, parseText } from './parse.ts';
export type { Mention, ParsedSentence, ParsedText } from './parse.ts';
export type { Query, SentenceMeaning } from './grammar.ts';
export { atomicClaims, claimTruth, questionTruth, splitClaims, toPolarQuestion } from './claims.ts';
export { exists, meaningTruth, queryTruth } from './truth.ts';
export { accuracyByKind, analyseResponse, chairMetrics, yesNoMetrics } from './metrics.ts';
export { WorldOracle } from './oracle.ts';
export type { ChairMetrics, KindAccuracy, ResponseAnalysis, YesNoMetrics } from './metrics.ts';
