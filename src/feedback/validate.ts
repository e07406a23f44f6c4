/**
 * Checking what a person sends before the store keeps it: every field's type and allowed values,
 * every text within `LIMITS`, no control character but newline and tab. Texts are kept as given
 * (escaping is the page's job); the error names the event kind and field in one line.
 */
import { FeedbackError } from './errors.ts';
import { LIMITS, type FeedbackEvent, type FeedbackKind, type Role } from './types.ts';

/** The fields each kind of event has, besides `kind`. */
const FIELDS: Record<FeedbackKind, readonly string[]> = {
  verdict: ['instructionId', 'question', 'answer'],
  rating: ['instructionId', 'candidateId', 'rating'],
  comment: ['instructionId', 'candidateId', 'text'],
  correction: ['instructionId', 'candidateId', 'original', 'text'],
  pair: ['instructionId', 'chosen', 'rejected', 'judgement'],
  flag: ['instructionId', 'badImage', 'badQuestion'],
  done: ['instructionId'],
  settings: ['guidelines', 'perItem', 'disputedFirst'],
};
const KINDS = Object.keys(FIELDS) as FeedbackKind[];
const ROLES: readonly Role[] = ['annotator', 'admin'];

/** C0 and C1 controls and DEL, except tab and newline. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** Names and ids are one line: no newline or tab either. */
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f]/;

function fail(where: string, field: string, problem: string): never {
  throw new FeedbackError(`${where}: field "${field}" ${problem}`, field);
}

function shown(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

/** A string of at most `max` characters; `oneLine` also refuses newline and tab; `nonEmpty` refuses '' and spaces only. */
function text(where: string, o: Record<string, unknown>, field: string, max: number, opts: { oneLine?: boolean; nonEmpty?: boolean } = {}): string {
  const v = o[field];
  if (typeof v !== 'string') fail(where, field, `must be a string, got ${shown(v)}`);
  if (v.length > max) fail(where, field, `is ${v.length} characters, over the limit of ${max}; shorten it`);
  if (opts.nonEmpty && v.trim() === '') fail(where, field, 'must not be empty');
  const bad = (opts.oneLine ? CONTROL_OR_BREAK : CONTROL).exec(v);
  if (bad) fail(where, field, `contains the control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} at ${bad.index}; remove it`);
  return v;
}

const id = (where: string, o: Record<string, unknown>, field: string) => text(where, o, field, LIMITS.id, { oneLine: true, nonEmpty: true });

function oneOf<T>(where: string, o: Record<string, unknown>, field: string, allowed: readonly T[]): T {
  const v = o[field] as T;
  if (!allowed.includes(v)) fail(where, field, `must be ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${shown(v)}`);
  return v;
}

function bool(where: string, o: Record<string, unknown>, field: string): boolean {
  const v = o[field];
  if (typeof v !== 'boolean') fail(where, field, `must be true or false, got ${shown(v)}`);
  return v;
}

function int(where: string, o: Record<string, unknown>, field: string, min: number, max: number): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(where, field, `must be a whole number from ${min} to ${max}, got ${shown(v)}`);
  return v;
}

/**
 * The event checked and rebuilt from its known fields only (an unknown field is an error, so a
 * typo is not silently dropped). `checkEvent({ kind: 'rating', instructionId: 'w0-1', candidateId: 'c0', rating: 6 })`
 * throws `rating: field "rating" must be 1, 2, 3, 4, 5, null, got 6`.
 */
export function checkEvent(input: unknown): FeedbackEvent {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FeedbackError(`event: expected an object, got ${shown(input)}`);
  const o = input as Record<string, unknown>;
  const kind = o.kind as FeedbackKind;
  if (!KINDS.includes(kind)) throw new FeedbackError(`event: field "kind" must be one of ${KINDS.join(', ')}, got ${shown(o.kind)}`, 'kind');
  const w = kind;
  const extra = Object.keys(o).find((k) => k !== 'kind' && !FIELDS[kind].includes(k));
  if (extra !== undefined) fail(w, extra, `is not a field of a ${kind} event (fields: ${FIELDS[kind].join(', ')})`);
  switch (kind) {
    case 'verdict':
      return { kind, instructionId: id(w, o, 'instructionId'), question: text(w, o, 'question', LIMITS.question, { oneLine: true, nonEmpty: true }), answer: oneOf(w, o, 'answer', ['yes', 'no', null] as const) };
    case 'rating':
      return { kind, instructionId: id(w, o, 'instructionId'), candidateId: id(w, o, 'candidateId'), rating: oneOf(w, o, 'rating', [1, 2, 3, 4, 5, null] as const) };
    case 'comment':
      return { kind, instructionId: id(w, o, 'instructionId'), candidateId: o.candidateId === null ? null : id(w, o, 'candidateId'), text: text(w, o, 'text', LIMITS.comment) };
    case 'correction':
      return {
        kind, instructionId: id(w, o, 'instructionId'), candidateId: id(w, o, 'candidateId'),
        original: text(w, o, 'original', LIMITS.correction), text: o.text === null ? null : text(w, o, 'text', LIMITS.correction),
      };
    case 'pair':
      return { kind, instructionId: id(w, o, 'instructionId'), chosen: id(w, o, 'chosen'), rejected: id(w, o, 'rejected'), judgement: oneOf(w, o, 'judgement', ['agree', 'disagree', 'tie', null] as const) };
    case 'flag':
      return { kind, instructionId: id(w, o, 'instructionId'), badImage: bool(w, o, 'badImage'), badQuestion: bool(w, o, 'badQuestion') };
    case 'done':
      return { kind, instructionId: id(w, o, 'instructionId') };
    case 'settings':
      return { kind, guidelines: text(w, o, 'guidelines', LIMITS.guidelines), perItem: int(w, o, 'perItem', 1, LIMITS.maxPerItem), disputedFirst: bool(w, o, 'disputedFirst') };
  }
}

/** A person's name: one line, 1..LIMITS.name characters. */
export function checkName(name: unknown): string {
  return text('person', { name }, 'name', LIMITS.name, { oneLine: true, nonEmpty: true });
}

export function checkRole(role: unknown): Role {
  return oneOf('person', { role }, 'role', ROLES);
}
