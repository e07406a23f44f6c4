/** AMBER (Wang et al. 2023) scored as upstream `inference.py` does; see each module for the rules. */
export { extractNouns, type AmberNlp } from './nlp.ts';
export {
  AMBER_DATA_DIR, AMBER_FILES, DISCRIMINATIVE_TYPES, readAmberData, readAnnotations, readMetricSeeds, readQueries, readRelation, readSafeWords,
  type AmberAnnotation, type AmberData, type AmberQuery, type AmberType, type DiscriminativeAnnotation, type DiscriminativeType, type GenerativeAnnotation,
} from './data.ts';
export {
  DEFAULT_SIMILARITY_THRESHOLD, identityOnly, readSimilarityTable, similarityFromTable, type Similar, type SimilarityTable,
} from './similarity.ts';
export { amberVocabulary, scoreGenerativeAnswer, type GenerativeItemRecord, type NounVerdict } from './generative.ts';
export { ANSWER_MAPPINGS, mapYesNo, yesNoMetrics, type AnswerMapping, type DiscriminativeItemRecord, type YesNoMetrics } from './discriminative.ts';
export { generativeMetrics, scoreAmber, type AmberAnswer, type AmberItemRecord, type AmberResult, type AmberScoreOptions, type AmberScores, type DimensionMetrics } from './score.ts';
export { pythonRound1 } from './python-round.ts';
export { AMBER_EVALUATION_TYPES, amberQueries, type AmberEvaluationType } from './queries.ts';
