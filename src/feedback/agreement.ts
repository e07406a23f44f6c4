/**
 * How far people agree with each other, with the labeler and (world runs) with the exact truth, over
 * the feedback in force in a store. Between people: Cohen's kappa for each two people over the items
 * both judged, Krippendorff's alpha over everyone, per kind of judgement (verdicts, ratings as
 * interval values, pair judgements, flags).
 */
import { cohenKappa, krippendorffAlpha } from './agreement-math.ts';
import { verdictKey } from './keys.ts';
import type { FeedbackStore } from './store.ts';
import type { Person, Role } from './types.ts';

export { cohenKappa, krippendorffAlpha } from './agreement-math.ts';

export interface KindAgreement {
  kind: 'verdict' | 'rating' | 'pair' | 'flag';
  /** Items judged by at least two people (the ones alpha counts). */
  items: number;
  alpha: number | null;
  /** Each two people with items in common, in the order of `people()`. */
  pairs: Array<{ a: string; b: string; items: number; kappa: number | null }>;
}

export interface FeedbackAgreement {
  people: KindAgreement[];
  labelerVsMajority: { judged: number; agree: number; rate: number | null };
  accuracyVsTruth?: Array<{ personId: string; name: string; checked: number; correct: number }>;
  perPerson: Array<{ personId: string; name: string; role: Role; verdicts: number; ratings: number; comments: number; corrections: number; pairs: number; flags: number; done: number }>;
}

/** person -> item -> value */
type Judgements<V> = ReadonlyMap<string, ReadonlyMap<string, V>>;

/** Alpha over all people and kappa for each two of them, for one kind of judgement. */
export function kindAgreement<V extends string | number>(kind: KindAgreement['kind'], people: readonly Person[], judged: Judgements<V>, metric: 'nominal' | 'interval'): KindAgreement {
  const units = new Map<string, V[]>();
  for (const byItem of judged.values()) {
    for (const [item, v] of byItem) {
      const unit = units.get(item);
      if (unit) unit.push(v);
      else units.set(item, [v]);
    }
  }
  const pairable = [...units.values()].filter((u) => u.length >= 2);
  const pairs: KindAgreement['pairs'] = [];
  const ids = people.map((p) => p.id).filter((id) => judged.has(id));
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = judged.get(ids[i]!)!, b = judged.get(ids[j]!)!;
      const common = [...a.keys()].filter((item) => b.has(item));
      if (common.length === 0) continue;
      pairs.push({ a: ids[i]!, b: ids[j]!, items: common.length, kappa: cohenKappa(common.map((k) => String(a.get(k))), common.map((k) => String(b.get(k)))) });
    }
  }
  return { kind, items: pairable.length, alpha: krippendorffAlpha(pairable, metric), pairs };
}

/**
 * A person's flag on an instruction as one nominal value, `badImage/badQuestion`: a person who is
 * done with an instruction without flagging it said `false/false`, so agreeing that an image is fine counts too.
 */
function flagValues(store: FeedbackStore): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const set = (person: string, item: string, v: string) => {
    if (!out.has(person)) out.set(person, new Map());
    out.get(person)!.set(item, v);
  };
  for (const [item, people] of store.done()) for (const p of people) set(p, item, 'false/false');
  for (const [p, byItem] of store.flags()) for (const [item, f] of byItem) set(p, item, `${f.badImage}/${f.badQuestion}`);
  return out;
}

/**
 * The agreement measures of a store's feedback. `labeler`: the labeler's verdict per
 * `verdictKey(instructionId, question)`, with the world's truth when known.
 */
export function feedbackAgreement(store: FeedbackStore, labeler: ReadonlyMap<string, { accepted: boolean; truth?: boolean | null }>): FeedbackAgreement {
  const people = store.people();
  const verdicts = store.verdicts(), ratings = store.ratings(), pairsJudged = store.pairJudgements(), flags = flagValues(store);
  const between = [
    kindAgreement('verdict', people, verdicts, 'nominal'),
    kindAgreement('rating', people, ratings, 'interval'),
    kindAgreement('pair', people, pairsJudged, 'nominal'),
    kindAgreement('flag', people, flags, 'nominal'),
  ];

  let judged = 0, agree = 0;
  for (const m of store.majorityVerdicts()) {
    const l = labeler.get(verdictKey(m.instructionId, m.question));
    if (!l) continue;
    judged++;
    if (l.accepted === (m.answer === 'yes')) agree++;
  }

  const fromWorld = [...labeler.values()].some((l) => typeof l.truth === 'boolean');
  const accuracyVsTruth = fromWorld
    ? people.filter((p) => verdicts.has(p.id)).map((p) => {
      let checked = 0, correct = 0;
      for (const [key, answer] of verdicts.get(p.id)!) {
        const truth = labeler.get(key)?.truth;
        if (typeof truth !== 'boolean') continue;
        checked++;
        if (truth === (answer === 'yes')) correct++;
      }
      return { personId: p.id, name: p.name, checked, correct };
    })
    : undefined;

  const comments = store.comments(), corrections = store.corrections(), done = store.done(), flagged = store.flags();
  const perPerson = people.map((p) => ({
    personId: p.id, name: p.name, role: p.role,
    verdicts: verdicts.get(p.id)?.size ?? 0,
    ratings: ratings.get(p.id)?.size ?? 0,
    comments: comments.filter((c) => c.personId === p.id).length,
    corrections: corrections.filter((c) => c.personId === p.id).length,
    pairs: pairsJudged.get(p.id)?.size ?? 0,
    flags: [...(flagged.get(p.id)?.values() ?? [])].filter((f) => f.badImage || f.badQuestion).length,
    done: [...done.values()].filter((s) => s.has(p.id)).length,
  }));

  return { people: between, labelerVsMajority: { judged, agree, rate: judged === 0 ? null : agree / judged }, ...(accuracyVsTruth && { accuracyVsTruth }), perPerson };
}
