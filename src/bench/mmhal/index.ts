/** MMHal-Bench: the 96 questions, the judge (an LLM with the official prompt, or any MmhalJudge), the official scoring. */
export {
  MMHAL_QUESTION_COUNT, MMHAL_QUESTION_TYPES, MMHAL_TEMPLATE_FILE, parseMmhalTemplate, questionTypeAt, readMmhalTemplate,
  type MmhalItem, type MmhalQuestionType,
} from './template.ts';
export { imageCandidates, imageFileName, readMmhalImage, resolveMmhalImages } from './images.ts';
export { buildMmhalJudgePrompt, MMHAL_JUDGE_PROMPT_FILE } from './prompt.ts';
export { MMHAL_MAX_RATING, parseMmhalRating, unparsedReason, type ParsedRating } from './parse.ts';
export { llmMmhalJudge, MMHAL_JUDGE_DECODING, type LlmJudgeOptions, type LlmJudgeSettings, type MmhalJudge, type MmhalRating } from './judge.ts';
export { HALLUCINATION_BELOW, mmhalMetrics, type MmhalMetrics, type RatedQuestion, type TypeScore } from './metrics.ts';
export { mmhalBenchmark, type MmhalBenchOptions, type MmhalQuestion } from './benchmark.ts';
export { officialAnswerText, scoreMmhal, type MmhalRecord, type MmhalResult, type ScoreMmhalInput, type UnparsedRating } from './score.ts';
