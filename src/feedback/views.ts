/**
 * The feedback in force, folded from the event log: for each person and target the last event wins,
 * and `null` (an empty comment, a correction back to the original) withdraws. The store keeps one
 * fold and applies only the events after the last one it saw, so a view costs the new events only.
 */
import { pairKey, targetKey, verdictKey } from './keys.ts';
import {
  DEFAULT_SETTINGS, type CampaignSettings, type Correction, type MajorityPairJudgement, type MajorityVerdict,
  type PairJudgement, type RecordedEvent, type YesNo,
} from './types.ts';

export interface CommentInForce { personId: string; instructionId: string; candidateId: string | null; text: string; at: string }
export interface FlagInForce { badImage: boolean; badQuestion: boolean }
/** With the event's place in the log, to list comments and corrections in the order given. */
type Seq<T> = { seq: number; value: T };
interface VerdictInForce { instructionId: string; question: string; answer: YesNo }
interface PairInForce { instructionId: string; chosen: string; rejected: string; judgement: PairJudgement }

/** person -> target -> value */
type PerPerson<V> = Map<string, Map<string, V>>;

function put<V>(m: PerPerson<V>, person: string, key: string, value: V | undefined): void {
  let inner = m.get(person);
  if (value === undefined) { inner?.delete(key); return; }
  if (!inner) m.set(person, inner = new Map());
  inner.delete(key); // re-inserted last, so iteration order is the order of the events in force
  inner.set(key, value);
}

function project<V, W>(m: PerPerson<V>, f: (v: V) => W): Map<string, Map<string, W>> {
  return new Map([...m].filter(([, inner]) => inner.size > 0).map(([p, inner]) => [p, new Map([...inner].map(([k, v]) => [k, f(v)]))]));
}

/** The value most people gave, with its votes; undefined on a tie for the most. */
function majority<T>(values: readonly T[]): { value: T; votes: number; agreeing: number } | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const ranked = [...counts].sort((x, y) => y[1] - x[1]);
  const [top, second] = ranked;
  if (!top || (second && second[1] === top[1])) return undefined;
  return { value: top[0], votes: values.length, agreeing: top[1] };
}

/** Values by target across people, in order of first appearance. */
function byTarget<V>(m: PerPerson<V>): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const inner of m.values()) {
    for (const [k, v] of inner) {
      const list = out.get(k);
      if (list) list.push(v);
      else out.set(k, [v]);
    }
  }
  return out;
}

function inLogOrder<T>(m: PerPerson<Seq<T>>): T[] {
  return [...m.values()].flatMap((inner) => [...inner.values()]).sort((x, y) => x.seq - y.seq).map((s) => s.value);
}

export class FeedbackFold {
  lastSeq = 0;
  settings: CampaignSettings = { ...DEFAULT_SETTINGS };
  private readonly verdictsInForce: PerPerson<VerdictInForce> = new Map();
  private readonly ratingsInForce: PerPerson<number> = new Map();
  private readonly commentsInForce: PerPerson<Seq<CommentInForce>> = new Map();
  private readonly correctionsInForce: PerPerson<Seq<Correction>> = new Map();
  private readonly pairsInForce: PerPerson<PairInForce> = new Map();
  private readonly flagsInForce: PerPerson<FlagInForce> = new Map();
  private readonly doneBy = new Map<string, Set<string>>();

  apply(e: RecordedEvent): void {
    this.lastSeq = e.seq;
    const p = e.personId;
    switch (e.kind) {
      case 'verdict':
        put(this.verdictsInForce, p, verdictKey(e.instructionId, e.question), e.answer === null ? undefined : { instructionId: e.instructionId, question: e.question.trim(), answer: e.answer });
        break;
      case 'rating':
        put(this.ratingsInForce, p, targetKey(e.instructionId, e.candidateId), e.rating ?? undefined);
        break;
      case 'comment':
        put(this.commentsInForce, p, targetKey(e.instructionId, e.candidateId ?? ''), e.text.trim() === '' ? undefined : { seq: e.seq, value: { personId: p, instructionId: e.instructionId, candidateId: e.candidateId, text: e.text, at: e.at } });
        break;
      case 'correction': {
        const standing = e.text !== null && e.text.trim() !== '' && e.text !== e.original;
        put(this.correctionsInForce, p, targetKey(e.instructionId, e.candidateId), standing
          ? { seq: e.seq, value: { personId: p, instructionId: e.instructionId, candidateId: e.candidateId, original: e.original, text: e.text!, spans: e.spans ?? [], at: e.at } }
          : undefined);
        break;
      }
      case 'pair':
        put(this.pairsInForce, p, pairKey(e.instructionId, e.chosen, e.rejected), e.judgement === null ? undefined : { instructionId: e.instructionId, chosen: e.chosen, rejected: e.rejected, judgement: e.judgement });
        break;
      case 'flag':
        put(this.flagsInForce, p, e.instructionId, { badImage: e.badImage, badQuestion: e.badQuestion });
        break;
      case 'done': {
        const set = this.doneBy.get(e.instructionId) ?? new Set<string>();
        set.add(p);
        this.doneBy.set(e.instructionId, set);
        break;
      }
      case 'settings':
        this.settings = { guidelines: e.guidelines, perItem: e.perItem, disputedFirst: e.disputedFirst };
        break;
    }
  }

  verdicts(): Map<string, Map<string, YesNo>> { return project(this.verdictsInForce, (v) => v.answer); }
  ratings(): Map<string, Map<string, number>> { return project(this.ratingsInForce, (v) => v); }
  pairJudgements(): Map<string, Map<string, PairJudgement>> { return project(this.pairsInForce, (v) => v.judgement); }
  flags(): Map<string, Map<string, FlagInForce>> { return project(this.flagsInForce, (v) => ({ ...v })); }
  done(): Map<string, Set<string>> { return new Map([...this.doneBy].map(([k, s]) => [k, new Set(s)])); }

  /** Ordered by when they were given. */
  comments(): CommentInForce[] {
    return inLogOrder(this.commentsInForce).map((c) => ({ ...c }));
  }

  corrections(): Correction[] {
    return inLogOrder(this.correctionsInForce).map((c) => ({ ...c, spans: c.spans.map((s) => ({ from: [s.from[0], s.from[1]], to: [s.to[0], s.to[1]] })) }));
  }

  majorityVerdicts(): MajorityVerdict[] {
    const out: MajorityVerdict[] = [];
    for (const votes of byTarget(this.verdictsInForce).values()) {
      const m = majority(votes.map((v) => v.answer));
      if (m) out.push({ instructionId: votes[0]!.instructionId, question: votes[0]!.question, answer: m.value, votes: m.votes, agreeing: m.agreeing });
    }
    return out;
  }

  majorityPairJudgements(): MajorityPairJudgement[] {
    const out: MajorityPairJudgement[] = [];
    for (const votes of byTarget(this.pairsInForce).values()) {
      const m = majority(votes.map((v) => v.judgement));
      if (m) out.push({ instructionId: votes[0]!.instructionId, chosen: votes[0]!.chosen, rejected: votes[0]!.rejected, judgement: m.value, votes: m.votes, agreeing: m.agreeing });
    }
    return out;
  }
}
