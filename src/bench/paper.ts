/**
 * The published numbers each benchmark's report shows beside ours (docs/benchmarks.md lists their
 * sources). Percentages as published, 0..100; null where a paper gives none. Several come from
 * secondary sources (another paper's table quoting RLAIF-V): `source` says which.
 */
export interface PublishedRow {
  model: string;
  /** Metric name (as in results.json) -> the published value. */
  values: Record<string, number | null>;
  source: string;
}

export const PUBLISHED: Record<'objhal' | 'amber' | 'mmhal', PublishedRow[]> = {
  // Object HalBench: Resp. = CHAIRs over answers mentioning an object (chairSMentioning), Ment. = CHAIRi.
  objhal: [
    { model: 'LLaVA 1.5 7B', values: { chairSMentioning: 54.5, chairI: 27.8 }, source: 'RLAIF-V (CVPR), secondary' },
    { model: 'LLaVA 1.5 7B (v1 paper)', values: { chairSMentioning: 53.6, chairI: 25.2 }, source: 'RLAIF-V v1, quoted by another paper' },
    { model: 'RLAIF-V 7B', values: { chairSMentioning: 10.5, chairI: 5.2 }, source: 'RLAIF-V (CVPR), secondary' },
    { model: 'RLAIF-V 7B (released checkpoint)', values: { chairSMentioning: 8.5, chairI: 4.3 }, source: 'RLAIF-V v1 (repository issues #15, #28)' },
    { model: 'RLAIF-V 7B + best-of-N', values: { chairSMentioning: 6.8, chairI: 3.8 }, source: 'RLAIF-V (CVPR), secondary' },
    { model: 'OmniLMM 12B', values: { chairSMentioning: 19.4, chairI: 10.9 }, source: 'RLAIF-V (CVPR), secondary' },
    { model: 'RLAIF-V 12B', values: { chairSMentioning: 4.5, chairI: 2.9 }, source: 'RLAIF-V (CVPR), secondary' },
    { model: 'GPT-4V', values: { chairSMentioning: 13.6, chairI: 7.3 }, source: 'RLHF-V Table 1' },
  ],
  amber: [
    { model: 'LLaVA 1.5 7B (RLAIF-V\'s run)', values: { accuracy: 73.5, f1: 77.7 }, source: 'RLAIF-V (CVPR), secondary' },
    { model: 'LLaVA 1.5 (AMBER paper)', values: { chair: 7.8, cover: 51.0, hal: 36.4, cog: 4.2, accuracy: 72.0, precision: 93.2, recall: 62.4, f1: 74.7 }, source: 'AMBER README results table' },
    { model: 'RLAIF-V 7B', values: { accuracy: 76.8, f1: 84.5 }, source: 'RLAIF-V (CVPR), secondary' },
    { model: 'OmniLMM 12B', values: { accuracy: 86.5, f1: 89.5 }, source: 'RLAIF-V (CVPR), secondary' },
    { model: 'RLAIF-V 12B', values: { accuracy: 88.0, f1: 90.9 }, source: 'RLAIF-V (CVPR), secondary' },
    { model: 'GPT-4V (AMBER paper)', values: { chair: 4.6, cover: 67.1, hal: 30.7, cog: 2.6, accuracy: 83.4, precision: 84.9, recall: 90.1, f1: 87.4 }, source: 'AMBER README results table' },
  ],
  // MMHal-Bench: score on the 0-6 scale, hallucination rate in percent.
  mmhal: [
    { model: 'LLaVA 1.5 7B (v1 paper)', values: { score: 2.36, hallucinationRate: 51.0 }, source: 'RLAIF-V v1, quoted by another paper' },
    { model: 'RLAIF-V 7B (released checkpoint)', values: { score: 3.06, hallucinationRate: 29.2 }, source: 'RLAIF-V v1, quoted by another paper' },
  ],
};

/**
 * A benchmark's headline columns, as results.json names them. `unit`: 'share' = a 0..1 fraction
 * shown as a percentage; 'percent' = already a percentage (AMBER's own scorer rounds percentages);
 * 'score' = a rating scale.
 */
export interface BenchColumn {
  key: string;
  label: string;
  unit: 'share' | 'percent' | 'score';
  /** Whether a lower value is better (hallucination) or a higher one (accuracy, coverage, score). */
  lowerIsBetter: boolean;
}

export const COLUMNS: Record<keyof typeof PUBLISHED, BenchColumn[]> = {
  objhal: [
    { key: 'chairSMentioning', label: 'CHAIRs (Resp.)', unit: 'share', lowerIsBetter: true },
    { key: 'chairI', label: 'CHAIRi (Ment.)', unit: 'share', lowerIsBetter: true },
    { key: 'chairS', label: 'CHAIRs, all answers', unit: 'share', lowerIsBetter: true },
    { key: 'recall', label: 'recall', unit: 'share', lowerIsBetter: false },
  ],
  amber: [
    { key: 'chair', label: 'CHAIR', unit: 'percent', lowerIsBetter: true },
    { key: 'cover', label: 'Cover', unit: 'percent', lowerIsBetter: false },
    { key: 'hal', label: 'Hal', unit: 'percent', lowerIsBetter: true },
    { key: 'cog', label: 'Cog', unit: 'percent', lowerIsBetter: true },
    { key: 'accuracy', label: 'Acc', unit: 'percent', lowerIsBetter: false },
    { key: 'precision', label: 'P', unit: 'percent', lowerIsBetter: false },
    { key: 'recall', label: 'R', unit: 'percent', lowerIsBetter: false },
    { key: 'f1', label: 'F1', unit: 'percent', lowerIsBetter: false },
  ],
  mmhal: [
    { key: 'score', label: 'score (0-6)', unit: 'score', lowerIsBetter: false },
    { key: 'hallucinationRate', label: 'hallucination rate', unit: 'share', lowerIsBetter: true },
  ],
};
