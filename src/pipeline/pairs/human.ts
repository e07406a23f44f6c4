/**
 * People's feedback turned into preference pairs (docs/method.md §3.4): a correction makes the
 * corrected text preferred over the candidate it corrects (RLHF-V's fine-grained corrections), and
 * people's majority judgement of a kept pair keeps it, reverses it or drops it. Pure functions of
 * the run's candidates and the feedback in force, so a rerun gives the same pairs.
 */
import type { PairOrigin } from '../../export/index.ts';
import type { ChangedSpan, Correction, PairJudgement } from '../../feedback/types.ts';
import type { JudgementInForce } from '../label/people-feedback.ts';

/** A kept pair as people judged it: its origin (reversed for `human-judgement`), or dropped on a tie. */
export type PairFate =
  | { drop: false; origin: Exclude<PairOrigin, 'human-correction'>; judgement?: JudgementInForce }
  | { drop: 'human-tie'; judgement: JudgementInForce };

/** Judgements by instruction and unordered pair, to find a pair whichever way round it was judged. */
export type JudgementIndex = ReadonlyMap<string, JudgementInForce>;

const unordered = (instructionId: string, a: string, b: string) => `${instructionId}\u0000${a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`}`;

/** Index judgements for `pairFate`; of two judgements of one pair in opposite orders, the first given wins. */
export function indexJudgements(judgements: readonly JudgementInForce[]): Map<string, JudgementInForce> {
  const index = new Map<string, JudgementInForce>();
  for (const j of judgements) {
    const key = unordered(j.instructionId, j.chosen, j.rejected);
    if (!index.has(key)) index.set(key, j);
  }
  return index;
}

const FLIPPED: Record<PairJudgement, PairJudgement> = { agree: 'disagree', disagree: 'agree', tie: 'tie' };

/**
 * What becomes of a kept AI pair (chosen and rejected candidate ids): nobody judged it -> `ai`;
 * the majority agreed -> `ai+human-agree`; disagreed -> `human-judgement` (export it reversed);
 * tie -> dropped (people saw no difference, so the pair teaches nothing). A judgement given on the
 * pair the other way round (a rerun with people's verdicts can reorder it) counts flipped.
 * `pairFate(index, 'w0-1', 'w0-1#0', 'w0-1#2')` -> `{ drop: false, origin: 'human-judgement', judgement }`
 */
export function pairFate(index: JudgementIndex, instructionId: string, chosen: string, rejected: string): PairFate {
  const j = index.get(unordered(instructionId, chosen, rejected));
  if (!j) return { drop: false, origin: 'ai' };
  const said = j.chosen === chosen ? j.judgement : FLIPPED[j.judgement];
  if (said === 'tie') return { drop: 'human-tie', judgement: j };
  return { drop: false, origin: said === 'agree' ? 'ai+human-agree' : 'human-judgement', judgement: j };
}

/** The candidate fields a correction needs. */
export interface CorrectedCandidate {
  id: string;
  index: number;
  text: string;
}

/** One pair from corrections of a candidate: `text` preferred over the candidate's; `n` counts its distinct corrections (1, 2, ...). */
export interface CorrectionPair<C extends CorrectedCandidate> {
  candidate: C;
  text: string;
  n: number;
  /** Everyone who gave this text, in the order they gave it. */
  who: string[];
  /** The first of them's changed spans. */
  spans: ChangedSpan[];
}

/**
 * The pairs from the corrections of one instruction's candidates, in candidate order, then in the
 * order the corrections were given; people who gave the same text (trimmed) make one pair. A
 * correction of a candidate the run does not have, or whose original is not the candidate's text
 * (the run was regenerated since), or that leaves the text unchanged, makes none: it is `unmatched`.
 */
export function correctionPairs<C extends CorrectedCandidate>(candidates: readonly C[], corrections: readonly Correction[]): { pairs: Array<CorrectionPair<C>>; unmatched: number } {
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const byCandidate = new Map<string, Array<CorrectionPair<C>>>();
  let unmatched = 0;
  for (const c of corrections) {
    const candidate = byId.get(c.candidateId);
    const text = c.text.trim();
    if (!candidate || candidate.text.trim() !== c.original.trim() || text === candidate.text.trim()) {
      unmatched++;
      continue;
    }
    const pairs = byCandidate.get(candidate.id) ?? [];
    byCandidate.set(candidate.id, pairs);
    const same = pairs.find((p) => p.text.trim() === text);
    if (same) {
      if (!same.who.includes(c.personId)) same.who.push(c.personId);
    } else {
      pairs.push({ candidate, text: c.text, n: pairs.length + 1, who: [c.personId], spans: c.spans });
    }
  }
  return { pairs: candidates.flatMap((c) => byCandidate.get(c.id) ?? []), unmatched };
}
