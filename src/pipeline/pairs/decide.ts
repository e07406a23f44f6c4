/**
 * The whole pair-building stage (docs/method.md §3) for a run: per instruction, candidate pairs and sampling;
 * then length balancing over all sampled pairs; and a `PairDecision` for every pair considered.
 */
import { deriveSeed, Rng } from '../../util/rng.ts';
import { balanceWordCounts, pairLengths, ratioGrid, wordCount, type PairLengths, type SweepRow } from './balance.ts';
import { checkDiff, orderPair, samplePairs, unorderedPairs } from './build.ts';
import type { PairSettings } from './settings.ts';
import type { CandidatePair, DropReason, PairDecision, PreferencePair } from './types.ts';

/** A response as scoring left it: `score` undefined for no-claims / verdict-mismatch (never paired). */
export interface ResponseForPairing {
  id: string;
  text: string;
  score: number | undefined;
}

export interface InstructionResponses<R extends ResponseForPairing> {
  instructionId: string;
  responses: readonly R[];
}

type Scored<R> = R & { score: number };

export interface PairingResult<R extends ResponseForPairing> {
  pairs: Array<PreferencePair<Scored<R>>>;
  /** One per unordered pair of scored responses, instruction by instruction, in pair order. */
  decisions: PairDecision[];
  /** The length-balance outcome; undefined when balancing is off. */
  balance: { ratio: number; fallback: boolean; sweep: SweepRow[] } | undefined;
}

/** A pair drawn for its instruction, with the decision line that records its fate. */
export interface SampledPair<R extends ResponseForPairing> {
  pair: PreferencePair<Scored<R>>;
  decision: PairDecision;
}

/**
 * Build the preference pairs of a run. Order of the filters, as officially: score difference >= diff,
 * sample at most maxPairsPerInstruction per instruction, then (over all instructions together) drop
 * identical texts and balance lengths. Sampling comes first, so an identical or length-dropped pair
 * is not replaced by another pair of its instruction.
 *
 * `buildPreferencePairs([{ instructionId: 'q1', responses }], parsePairSettings())`
 */
export function buildPreferencePairs<R extends ResponseForPairing>(
  instructions: ReadonlyArray<InstructionResponses<R>>, settings: PairSettings,
): PairingResult<R> {
  const { sampled, decisions } = samplePreferencePairs(instructions, settings);
  const finish = finishPreferencePairs(sampled.map((e) => pairLengths(e.pair)), settings);
  const pairs: Array<PreferencePair<Scored<R>>> = [];
  sampled.forEach((entry, i) => {
    const reason = finish.drops[i];
    if (reason === undefined) pairs.push(entry.pair);
    else entry.decision.outcome = reason;
  });
  return { pairs, decisions, balance: finish.balance };
}

/**
 * The per-instruction half of `buildPreferencePairs`: candidate pairs, the score filter and the
 * seeded sampling. Each instruction draws from its own seed, so a run cut into chunks samples the
 * same pairs as a run taken whole. Sampled pairs' decisions say 'kept' until `finishPreferencePairs`.
 */
export function samplePreferencePairs<R extends ResponseForPairing>(
  instructions: ReadonlyArray<InstructionResponses<R>>, settings: PairSettings,
): { sampled: Array<SampledPair<R>>; decisions: PairDecision[] } {
  checkDiff(settings.diff);
  const decisions: PairDecision[] = [];
  const sampled: Array<SampledPair<R>> = [];
  const seen = new Set<string>();

  for (const { instructionId, responses } of instructions) {
    if (seen.has(instructionId)) throw new Error(`pairs: instruction '${instructionId}' appears twice; group all of its responses into one entry`);
    seen.add(instructionId);
    const scored = responses.filter((r): r is Scored<R> => r.score !== undefined);
    const ids = new Set(scored.map((r) => r.id));
    if (ids.size !== scored.length) throw new Error(`pairs: instruction '${instructionId}' has two responses with the same id; ids must be unique within an instruction`);

    const candidates: Array<SampledPair<R>> = [];
    for (const [a, b] of unorderedPairs(scored)) {
      if (!Number.isFinite(a.score) || !Number.isFinite(b.score)) {
        throw new Error(`pairs: instruction '${instructionId}' has a non-finite score (${a.id}: ${a.score}, ${b.id}: ${b.score})`);
      }
      const ordered: CandidatePair<Scored<R>> | undefined = orderPair(a, b, settings.diff);
      const decision: PairDecision = {
        instructionId, a: a.id, b: b.id, scoreA: a.score, scoreB: b.score,
        chosen: ordered?.chosen.id ?? null, rejected: ordered?.rejected.id ?? null,
        chosenWords: ordered ? wordCount(ordered.chosen.text) : null,
        rejectedWords: ordered ? wordCount(ordered.rejected.text) : null,
        outcome: ordered ? 'kept' : 'score-tie',
      };
      decisions.push(decision);
      if (ordered) candidates.push({ pair: { instructionId, ...ordered }, decision });
    }
    const rng = new Rng(deriveSeed(settings.seed, 'pairs', instructionId));
    const picked = new Set(samplePairs(candidates, settings.maxPairsPerInstruction, rng));
    for (const entry of candidates) {
      if (picked.has(entry)) sampled.push(entry);
      else entry.decision.outcome = 'sampled-out';
    }
  }
  return { sampled, decisions };
}

/**
 * The run-wide half: identical texts and (when on) length balancing over all sampled pairs, given
 * only their lengths. `drops[i]` is why sampled pair i is dropped, undefined when it is kept.
 */
export function finishPreferencePairs(
  sampled: readonly PairLengths[], settings: PairSettings,
): { drops: Array<DropReason | undefined>; balance: PairingResult<ResponseForPairing>['balance'] } {
  if (!settings.lengthBalance) return { drops: sampled.map((p) => (p.identical ? 'identical-text' : undefined)), balance: undefined };
  const result = balanceWordCounts(sampled, ratioGrid(settings.ratioSteps));
  return { drops: result.drops, balance: { ratio: result.ratio, fallback: result.fallback, sweep: result.sweep } };
}
