/** A small but complete `metrics.json` for tests and for eyeballing the report. */
import { encodePng } from '../image/codec.ts';
import type { MetricsInput, RoundMetrics } from './metrics.ts';

/** A 48x48 PNG: a red disc top left and a blue square bottom right on grey, base64. */
export function fixturePng(): string {
  const w = 48;
  const data = new Uint8Array(w * w * 3).fill(200);
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      if ((x - 12) ** 2 + (y - 12) ** 2 < 64) data.set([220, 30, 30], i);
      if (x >= 30 && x < 42 && y >= 30 && y < 42) data.set([30, 60, 220], i);
    }
  }
  return Buffer.from(encodePng({ width: w, height: w, data })).toString('base64');
}

function steps(n: number, drift: number) {
  return Array.from({ length: n }, (_, i) => {
    const t = (i + 1) / n;
    const chosen = 0.02 * drift * t;
    const rejected = -0.1 * drift * t;
    return {
      step: i + 1, epoch: t, loss: 0.69 - 0.3 * t, gradNorm: 2 - t, 'rewards/chosen': chosen, 'rewards/rejected': rejected,
      'rewards/margins': chosen - rejected, 'rewards/accuracies': Math.min(1, 0.5 + 0.45 * t), lr: 1e-4,
    };
  });
}

const base: RoundMetrics = {
  round: 0, model: 'policy-base', chairI: 0.27, chairS: 0.55, coverage: 0.91, attributeErrorRate: 0.05,
  yesNoAccuracy: 0.93, yesNoF1: 0.93, meanMentions: 3.1, seconds: 12,
};

/** Base policy, two DPO rounds, a held-out world, and two sample pairs (one with hostile text). */
export function fixtureMetrics(): MetricsInput {
  const rounds: RoundMetrics[] = [
    base,
    {
      round: 1, model: 'round-1', chairI: 0.12, chairS: 0.31, coverage: 0.88, attributeErrorRate: 0.04, yesNoAccuracy: 0.94,
      yesNoF1: 0.94, meanMentions: 2.9, pairPrecision: 0.96, pairPrecisionDecisive: 0.97, pairTruthAgreement: 0.9, pairs: 180, claimAccuracy: 0.95, seconds: 200,
      data: { instructions: 120, candidates: 1200, claims: 3900, questions: 3900, pairsBeforeFilters: 900, pairsAfterSampling: 240, pairsAfterLengthBalance: 180, labelerYesRate: 0.8, lengthRatio: 0.1, seconds: 80 },
      dpo: { steps: steps(12, 1), best: { checkpoint: 'ckpt-3', step: 9, valScore: 0.1 } },
    },
    {
      round: 2, model: 'round-2', chairI: 0.081, chairS: 0.22, coverage: 0.87, attributeErrorRate: 0.03, yesNoAccuracy: 0.95,
      yesNoF1: 0.95, meanMentions: 2.8, pairPrecision: 0.93, pairPrecisionDecisive: 0.95, pairTruthAgreement: 0.88, pairs: 150, claimAccuracy: 0.94, seconds: 190,
      data: { instructions: 120, candidates: 1200, claims: 3700, questions: 3700, pairsBeforeFilters: 700, pairsAfterSampling: 220, pairsAfterLengthBalance: 150, labelerYesRate: 0.84, lengthRatio: 0.06, seconds: 75 },
      dpo: { steps: steps(12, 2), best: { checkpoint: 'ckpt-4', step: 12, valScore: 0.2 } },
    },
  ];
  return {
    rounds,
    heldOut: rounds.map((r) => ({ round: r.round, model: r.model, chairI: (r.chairI ?? 0) + 0.02, chairS: (r.chairS ?? 0) + 0.04, coverage: (r.coverage ?? 0) - 0.03 })),
    heldOutWorldSeed: 1,
    settings: { rounds: 2, beta: 0.1, backend: { baseUrl: 'http://127.0.0.1:8000/v1' } },
    worldSeed: 0,
    selfFeedback: false,
    samples: [
      {
        round: 1, instructionId: 'w0-train-12', question: 'Describe the image.', imagePng: fixturePng(),
        chosen: {
          text: 'There is a red circle at the top left. There is a blue square at the bottom right.', score: 0,
          claims: [
            { text: 'There is a red circle at the top left.', question: 'Is there a red circle at the top left?', yes: 0.97, no: 0.02, accepted: true, truth: true },
            { text: 'There is a blue square at the bottom right.', question: 'Is there a blue square at the bottom right?', yes: 0.9, no: 0.08, accepted: true, truth: true },
          ],
        },
        rejected: {
          text: 'There is a red circle at the top left. There is a green star in the middle. There is a blue square at the bottom right.', score: -1,
          claims: [
            { text: 'There is a red circle at the top left.', question: 'Is there a red circle at the top left?', yes: 0.97, no: 0.02, accepted: true, truth: true },
            { text: 'There is a green star in the middle.', question: 'Is there a green star in the middle?', yes: 0.1, no: 0.88, accepted: false, truth: false },
            { text: 'There is a blue square at the bottom right.', question: 'Is there a blue square at the bottom right?', yes: 0.4, no: 0.55, accepted: false, truth: true },
          ],
        },
      },
      {
        round: 2, instructionId: 'w0-train-40', question: 'What is <b>here</b>?', imagePng: `data:image/png;base64,${fixturePng()}`,
        chosen: { text: 'A red circle.', score: 0, claims: [{ text: 'There is a red circle.', yes: 0.8, no: 0.1, accepted: true }] },
        rejected: {
          text: 'A red circle and <script>alert("x")</script> a star.', score: -1,
          claims: [{ text: '<script>alert("x")</script>', question: 'Is <img src=x onerror=alert(1)> there?', yes: 0.2, no: 0.7, accepted: false, truth: false }],
        },
      },
    ],
  };
}
