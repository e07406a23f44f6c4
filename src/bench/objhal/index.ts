/** Object HalBench (BENCHMARKS.md §1): data readers, the two object extractors, the CHAIR scores. */
export type { ObjhalNlp, ObjhalTaggingNlp } from './nlp.ts';
export type { ObjhalMention } from './mention.ts';
export { DEFAULT_SYNONYMS_FILE, parseSynonyms, readSynonyms, type ObjhalVocabulary } from './vocabulary.ts';
export { cleanAnswer, cocoVal2014FileName, readObjhalQuestions, type ObjhalQuestion } from './questions.ts';
export { cocoGroundTruth, readCocoCaptions, readCocoInstances, type CocoFiles } from './coco.ts';
export { parseByRules, type RuleParse } from './rules.ts';
export { buildJudgePrompt, OBJHAL_JUDGE_TEMPLATE, parseJudgeReply } from './judge-prompt.ts';
export {
  extractWithLlm, isShortAnswer, judgeInfo, judgeObjectsToMentions, ObjhalJudgeSettingsSchema,
  type LlmExtraction, type ObjhalJudgeInfo, type ObjhalJudgeSettings,
} from './llm.ts';
export { scoreObjhal, scoreObjhalItem, type ObjhalItemScore, type ObjhalMetrics, type ObjhalScoreInput } from './metrics.ts';
export {
  OBJHAL_EXTRACTORS, scoreObjhalAnswers,
  type ObjhalAnswer, type ObjhalExtractor, type ObjhalExtractorName, type ObjhalItemRecord, type ObjhalRun,
} from './score.ts';
