/**
 * Report samples: a few preference pairs of a round with each claim's question, labeler
 * probabilities, verdict and (in the world) exact truth, read back from the data engine's JSONL.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from '../image/codec.ts';
import type { EnginePair } from '../pipeline/outputs/outputs.ts';
import type { VerdictLine } from '../pipeline/outputs/records.ts';
import type { ClaimVerdict, PairSample } from '../report/index.ts';

function readJsonl<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
}

/** The first `count` pairs of the round (pairs are in run order), with their verdicts. */
export function roundSamples(round: number, dataDir: string, pairs: readonly EnginePair[], count: number): PairSample[] {
  if (count === 0 || pairs.length === 0) return [];
  const verdicts = readJsonl<VerdictLine>(join(dataDir, 'verdicts.jsonl'));
  const byCandidate = new Map<string, ClaimVerdict[]>();
  for (const v of verdicts) {
    const list = byCandidate.get(v.candidateId) ?? [];
    list[v.claimIndex] = { text: v.claim, question: v.question, yes: v.yes, no: v.no, accepted: v.accepted, truth: v.truth };
    byCandidate.set(v.candidateId, list);
  }
  // Pair ids are `<instruction id>.<chosen j>-<rejected j>`; candidate ids `<instruction id>#<j>`.
  const claimsOf = (pair: EnginePair, which: 0 | 1) => {
    const js = pair.id.slice(pair.instructionId.length + 1).split('-');
    return byCandidate.get(`${pair.instructionId}#${js[which]}`) ?? [];
  };
  return pairs.slice(0, count).map((p) => ({
    round,
    instructionId: p.instructionId,
    question: p.prompt,
    imagePng: Buffer.from(encodePng(p.image)).toString('base64'),
    chosen: { text: p.chosen, score: p.chosenScore, claims: claimsOf(p, 0) },
    rejected: { text: p.rejected, score: p.rejectedScore, claims: claimsOf(p, 1) },
  }));
}
