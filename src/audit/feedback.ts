/**
 * What the site does with a person's feedback before and after the store: the event as sent,
 * checked field by field (400), against the run (404: every id must be the run's), and against
 * the person's role (403); and the person's own feedback on an instruction, as the page shows it.
 */
import { HttpError } from '../http/errors.ts';
import { bodyText, parseJson, type Body } from '../http/responses.ts';
import { FeedbackError } from '../feedback/errors.ts';
import { pairKey, targetKey, verdictKey } from '../feedback/keys.ts';
import type { FeedbackStore } from '../feedback/store.ts';
import type { FeedbackEvent, Person, YesNo } from '../feedback/types.ts';
import { checkEvent } from '../feedback/validate.ts';
import { AuditRequestError, type AuditRun } from './data.ts';
import type { MyFeedback } from './types.ts';

/** The store's refusal of a field as the client's 400, saying which field. */
export function asRequestError(err: unknown): unknown {
  return err instanceof FeedbackError ? new HttpError(400, err.message, { code: 'invalid_feedback' }) : err;
}

/** The body as one JSON value; a 400 saying what to send when it is not. */
export function jsonOf(body: Body | undefined, expected: string): unknown {
  const parsed = parseJson(bodyText(body), () => new AuditRequestError(`the body is not JSON; send ${expected}`, 400));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AuditRequestError('the body must be a JSON object', 400);
  return parsed;
}

/**
 * The event a person sent, checked: its fields (400), the run's ids (404), the role (403). A
 * correction's `original` is the run's own text of the candidate, whatever the page sent.
 */
export function checkedEvent(run: AuditRun, person: Person, input: unknown): FeedbackEvent {
  let e: FeedbackEvent;
  try {
    e = checkEvent(input);
  } catch (err) {
    throw asRequestError(err);
  }
  switch (e.kind) {
    case 'settings':
      if (person.role !== 'admin') throw new HttpError(403, `only an admin can change the campaign's settings; ${person.name} is an ${person.role}`, { code: 'forbidden' });
      return e;
    case 'verdict':
      run.checkTarget(e.instructionId, { question: e.question });
      return e;
    case 'rating':
      run.checkTarget(e.instructionId, { candidateId: e.candidateId });
      return e;
    case 'comment':
      run.checkTarget(e.instructionId, { candidateId: e.candidateId });
      return e;
    case 'correction':
      return { ...e, original: run.candidateText(e.instructionId, e.candidateId) };
    case 'pair':
      run.checkTarget(e.instructionId, { pair: { chosen: e.chosen, rejected: e.rejected } });
      return e;
    case 'flag':
    case 'done':
      run.checkTarget(e.instructionId, {});
      return e;
  }
}

/** The person's feedback in force on one instruction. */
export function myFeedback(store: FeedbackStore, personId: string, instructionId: string, candidates: readonly string[], questions: readonly string[]): MyFeedback {
  const out: MyFeedback = { verdicts: {}, ratings: {}, comments: {}, corrections: {}, pairs: {}, flag: { badImage: false, badQuestion: false }, done: false };
  const verdicts = store.verdicts().get(personId);
  for (const q of questions) {
    const a = verdicts?.get(verdictKey(instructionId, q));
    if (a !== undefined) out.verdicts[q.trim()] = a;
  }
  const ratings = store.ratings().get(personId);
  for (const c of candidates) {
    const r = ratings?.get(targetKey(instructionId, c));
    if (r !== undefined) out.ratings[c] = r;
  }
  for (const c of store.comments()) {
    if (c.personId === personId && c.instructionId === instructionId) out.comments[c.candidateId ?? ''] = c.text;
  }
  for (const c of store.corrections()) {
    if (c.personId === personId && c.instructionId === instructionId) out.corrections[c.candidateId] = c.text;
  }
  const prefix = pairKey(instructionId, '', '').slice(0, -1);
  for (const [key, j] of store.pairJudgements().get(personId) ?? []) {
    if (key.startsWith(prefix)) out.pairs[key.slice(prefix.length)] = j;
  }
  const flag = store.flags().get(personId)?.get(instructionId);
  if (flag) out.flag = { badImage: flag.badImage, badQuestion: flag.badQuestion };
  out.done = store.done().get(instructionId)?.has(personId) ?? false;
  return out;
}

/** A person's verdicts by `humanKey` (what `AuditRun` shows as the person's answers). */
export function verdictsOf(store: FeedbackStore, personId: string): ReadonlyMap<string, YesNo> {
  return store.verdicts().get(personId) ?? new Map();
}
