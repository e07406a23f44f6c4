/**
 * The world's English, a closed grammar: instructions, descriptions, answers, yes/no questions,
 * supervised examples and the corpus of every word. Each part lives in its own file; this
 * module gathers them.
 */
export { DESCRIBE_INSTRUCTIONS, OBJECTS_INSTRUCTIONS, WHERE_TEMPLATES, describeInstruction, objectsInstruction, whereInstruction } from './instructions.ts';
export { CaptionStyleSchema, describe, objectSentence, sentenceFor } from './describe.ts';
export type { Caption, CaptionStyle, DescribeOptions } from './describe.ts';
export { negationSentence, objectsAnswer, whereAnswer } from './answers.ts';
export { YES_NO_KINDS, YES_NO_KIND_WEIGHTS, absentShape, yesNoQuestion, yesNoQuestions } from './questions.ts';
export type { YesNoItem, YesNoKind, YesNoKindWeights } from './questions.ts';
export { SFT_KINDS, sftExample } from './sft.ts';
export type { SftExample, SftKind, SftOptions } from './sft.ts';
export { corpus, isKnownWord } from './corpus.ts';
export { splitSentences, tokenize } from './tokens.ts';
