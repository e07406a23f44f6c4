/**
 * MMHal-Bench numbers published for the RLAIF-V paper's models, to compare a run with
 * (BENCHMARKS.md §4). Both come from the paper's v1 (arXiv 2405.17220v1) as quoted in another
 * paper's table, not read from the RLAIF-V paper itself; the CVPR version's MMHal numbers were not
 * retrievable. LLaVA-RLHF's authors report run-to-run differences of about 0.1 in score.
 */
export interface MmhalPublished {
  model: string;
  /** Mean rating, 0..6. */
  score: number;
  /** Fraction of ratings < 3. */
  hallucinationRate: number;
  judge: string;
  source: string;
}

export const MMHAL_PUBLISHED: readonly MmhalPublished[] = [
  {
    model: 'LLaVA 1.5 7B', score: 2.36, hallucinationRate: 0.51, judge: 'gpt-4-1106-preview',
    source: 'RLAIF-V v1 paper, as quoted by a later paper (secondary)',
  },
  {
    model: 'RLAIF-V 7B (v1, the released checkpoint)', score: 3.06, hallucinationRate: 0.292, judge: 'gpt-4-1106-preview',
    source: 'RLAIF-V v1 paper, as quoted by a later paper (secondary)',
  },
];
