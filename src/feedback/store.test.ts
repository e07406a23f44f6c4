import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../util/temp-dir.ts';
import { FeedbackError, FeedbackStore, feedbackPath, pairKey, targetKey, verdictKey } from './store.ts';
import { DEFAULT_SETTINGS, LIMITS, type FeedbackEvent } from './types.ts';

/** A fresh store with a fixed clock that ticks one second per reading. */
function freshStore(prefix = 'rlaifv-fb-') {
  const dir = tempDir(prefix);
  let t = Date.parse('2025-01-01T00:00:00.000Z');
  const store = FeedbackStore.open(dir, { now: () => new Date((t += 1000)) });
  return { dir, store };
}

const isFeedbackError = (pattern: RegExp) => (e: unknown) => e instanceof FeedbackError && pattern.test(e.message) && !e.message.includes('\n');

test('store: every kind of event round-trips, with its place, person and time, across a reopen', () => {
  const { dir, store } = freshStore();
  const { person: ann } = store.invite('Ann', 'annotator');
  const admin = store.localPerson();
  const events: FeedbackEvent[] = [
    { kind: 'verdict', instructionId: 'i1', question: 'Is there a red circle?', answer: 'no' },
    { kind: 'rating', instructionId: 'i1', candidateId: 'c0', rating: 4 },
    { kind: 'comment', instructionId: 'i1', candidateId: null, text: 'blurry <b>image</b>\nsecond line\t"quoted"' },
    { kind: 'correction', instructionId: 'i1', candidateId: 'c0', original: 'a red circle', text: 'a blue circle' },
    { kind: 'pair', instructionId: 'i1', chosen: 'c0', rejected: 'c1', judgement: 'tie' },
    { kind: 'flag', instructionId: 'i1', badImage: true, badQuestion: false },
    { kind: 'done', instructionId: 'i1' },
  ];
  const recorded = events.map((e) => store.record(ann.id, e));
  recorded.push(store.record(admin.id, { kind: 'settings', guidelines: 'Judge the image only.', perItem: 2, disputedFirst: false }));
  assert.deepEqual(recorded.map((r) => r.seq), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(recorded[3]!.kind === 'correction' && JSON.stringify(recorded[3]!.spans), JSON.stringify([{ from: [2, 5], to: [2, 6] }]));
  store.close();

  const again = FeedbackStore.open(dir);
  assert.deepEqual(again.events(), recorded);
  assert.deepEqual(again.events({ personId: ann.id }), recorded.slice(0, 7));
  assert.deepEqual(again.events({ afterSeq: 6 }).map((e) => e.seq), [7, 8]);
  assert.equal(again.count(), 8);
  assert.deepEqual(again.settings(), { guidelines: 'Judge the image only.', perItem: 2, disputedFirst: false });
  assert.deepEqual(again.verdicts(), new Map([[ann.id, new Map([[verdictKey('i1', 'Is there a red circle?'), 'no']])]]));
  assert.deepEqual(again.ratings(), new Map([[ann.id, new Map([[targetKey('i1', 'c0'), 4]])]]));
  assert.deepEqual(again.comments(), [{ personId: ann.id, instructionId: 'i1', candidateId: null, text: 'blurry <b>image</b>\nsecond line\t"quoted"', at: recorded[2]!.at }]);
  assert.deepEqual(again.corrections(), [{ personId: ann.id, instructionId: 'i1', candidateId: 'c0', original: 'a red circle', text: 'a blue circle', spans: [{ from: [2, 5], to: [2, 6] }], at: recorded[3]!.at }]);
  assert.deepEqual(again.pairJudgements(), new Map([[ann.id, new Map([[pairKey('i1', 'c0', 'c1'), 'tie']])]]));
  assert.deepEqual(again.flags(), new Map([[ann.id, new Map([['i1', { badImage: true, badQuestion: false }]])]]));
  assert.deepEqual(again.done(), new Map([['i1', new Set([ann.id])]]));
  again.close();
});

test('store: the last event per person and target wins, null or empty withdraws, and the log keeps everything', () => {
  const { store } = freshStore();
  const a = store.invite('A', 'annotator').person.id;
  const q = { kind: 'verdict', instructionId: 'i1', question: 'Red?' } as const;
  store.record(a, { ...q, answer: 'yes' });
  store.record(a, { ...q, question: '  Red?  ', answer: 'no' }); // the same question, trimmed
  assert.deepEqual(store.verdicts().get(a), new Map([[verdictKey('i1', 'Red?'), 'no']]));
  const before = store.count();
  store.record(a, { ...q, answer: null });
  assert.equal(store.verdicts().has(a), false);
  assert.equal(store.count(), before + 1, 'a withdrawal is one more event, nothing deleted');
  assert.deepEqual(store.events().filter((e) => e.kind === 'verdict').map((e) => e.kind === 'verdict' && e.answer), ['yes', 'no', null]);

  store.record(a, { kind: 'rating', instructionId: 'i1', candidateId: 'c0', rating: 2 });
  store.record(a, { kind: 'rating', instructionId: 'i1', candidateId: 'c0', rating: null });
  store.record(a, { kind: 'comment', instructionId: 'i1', candidateId: 'c0', text: 'wrong colour' });
  store.record(a, { kind: 'comment', instructionId: 'i1', candidateId: 'c0', text: '  ' });
  store.record(a, { kind: 'correction', instructionId: 'i1', candidateId: 'c0', original: 'x y', text: 'x z' });
  store.record(a, { kind: 'correction', instructionId: 'i1', candidateId: 'c0', original: 'x y', text: null });
  store.record(a, { kind: 'correction', instructionId: 'i1', candidateId: 'c1', original: 'same', text: 'same' });
  store.record(a, { kind: 'pair', instructionId: 'i1', chosen: 'c0', rejected: 'c1', judgement: 'agree' });
  store.record(a, { kind: 'pair', instructionId: 'i1', chosen: 'c0', rejected: 'c1', judgement: null });
  assert.deepEqual([store.ratings().size, store.comments().length, store.corrections().length, store.pairJudgements().size], [0, 0, 0, 0]);
  store.record(a, { kind: 'flag', instructionId: 'i1', badImage: true, badQuestion: true });
  store.record(a, { kind: 'flag', instructionId: 'i1', badImage: false, badQuestion: true });
  assert.deepEqual(store.flags().get(a)?.get('i1'), { badImage: false, badQuestion: true });
  assert.deepEqual(store.settings(), DEFAULT_SETTINGS);
});

test('store: the event log refuses UPDATE and DELETE, even from outside the store', () => {
  const { dir, store } = freshStore();
  store.record(store.localPerson().id, { kind: 'done', instructionId: 'i1' });
  store.close();
  const db = new Database(feedbackPath(dir));
  assert.throws(() => db.prepare(`UPDATE events SET body = '{}'`).run(), /append-only/);
  assert.throws(() => db.prepare(`DELETE FROM events`).run(), /append-only/);
  assert.equal(db.prepare('SELECT COUNT(*) FROM events').pluck().get(), 1);
  db.close();
});

test('store: majority verdicts and pair judgements leave ties out and count revoked people', () => {
  const { store } = freshStore();
  const [a, b, c] = ['A', 'B', 'C'].map((n) => store.invite(n, 'annotator').person.id) as [string, string, string];
  const v = (p: string, question: string, answer: 'yes' | 'no') => store.record(p, { kind: 'verdict', instructionId: 'i1', question, answer });
  v(a, 'Q1', 'yes'); v(b, 'Q1', 'yes'); v(c, 'Q1', 'no'); // 2:1 yes
  v(a, 'Q2', 'yes'); v(b, 'Q2', 'no'); // tie: left out
  v(c, 'Q3', 'no'); // one vote is a majority of one
  store.revoke(c);
  assert.deepEqual(store.majorityVerdicts(), [
    { instructionId: 'i1', question: 'Q1', answer: 'yes', votes: 3, agreeing: 2 },
    { instructionId: 'i1', question: 'Q3', answer: 'no', votes: 1, agreeing: 1 },
  ]);
  const j = (p: string, judgement: 'agree' | 'disagree' | 'tie', rejected = 'c1') => store.record(p, { kind: 'pair', instructionId: 'i1', chosen: 'c0', rejected, judgement });
  j(a, 'agree'); j(b, 'disagree'); // tie between the top two: left out
  j(a, 'tie', 'c2'); j(b, 'tie', 'c2');
  assert.deepEqual(store.majorityPairJudgements(), [{ instructionId: 'i1', chosen: 'c0', rejected: 'c2', judgement: 'tie', votes: 2, agreeing: 2 }]);
});

test('store: an invite works once; revoking ends the person\'s sessions and open invites, and they cannot record', () => {
  const { store } = freshStore();
  const { person, token } = store.invite('Ann', 'annotator');
  assert.match(token, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
  const { person: redeemed, session } = store.redeemInvite(token);
  assert.equal(redeemed.id, person.id);
  assert.equal(store.personForSession(session)?.name, 'Ann');
  assert.throws(() => store.redeemInvite(token), isFeedbackError(/already used/));
  assert.throws(() => store.redeemInvite('not-a-token'), isFeedbackError(/no such invite/));
  assert.equal(store.personForSession('not-a-session'), undefined);

  const second = store.redeemInvite(store.invite('Bob', 'admin').token);
  const { person: carol, token: carolToken } = store.invite('Carol', 'annotator');
  const revoked = store.revoke(person.id);
  assert.notEqual(revoked.revokedAt, null);
  assert.equal(store.personForSession(session), undefined);
  assert.equal(store.personForSession(second.session)?.name, 'Bob', 'others keep their sessions');
  assert.throws(() => store.record(person.id, { kind: 'done', instructionId: 'i1' }), isFeedbackError(/revoked/));
  store.revoke(carol.id);
  assert.throws(() => store.redeemInvite(carolToken), isFeedbackError(/revoked/));
  assert.throws(() => store.record('p99', { kind: 'done', instructionId: 'i1' }), isFeedbackError(/no person "p99"/));
  assert.throws(() => store.revoke('p99'), isFeedbackError(/no person/));
  assert.deepEqual(store.people().map((p) => [p.name, p.role, p.revokedAt !== null]), [['Ann', 'annotator', true], ['Bob', 'admin', false], ['Carol', 'annotator', true]]);
});

test('store: invite and session tokens are not in the file, only their hashes; the CSRF secret is stable', () => {
  const { dir, store } = freshStore();
  const { token } = store.invite('Ann', 'annotator');
  const unused = store.invite('Bob', 'annotator').token;
  const { session } = store.redeemInvite(token);
  const secret = store.secret();
  assert.equal(secret.length, 32);
  store.close();
  const bytes = Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('feedback.sqlite')).map((f) => readFileSync(join(dir, f))));
  for (const t of [token, unused, session]) {
    assert.equal(bytes.includes(Buffer.from(t)), false, 'a token in clear');
    assert.equal(bytes.includes(Buffer.from(t, 'base64url')), false, 'a token\'s raw bytes');
  }
  const again = FeedbackStore.open(dir);
  assert.equal(again.personForSession(session)?.name, 'Ann');
  assert.deepEqual(again.secret(), secret);
  again.close();
});

test('store: record checks every field: type, enum, size limit, control characters; nothing refused is stored', () => {
  const { store } = freshStore();
  const a = store.invite('Ann', 'annotator').person.id;
  const bad: Array<[unknown, RegExp]> = [
    [{ kind: 'comment', instructionId: 'i1', candidateId: null, text: 'x'.repeat(1 << 20) }, /^comment: field "text" is 1048576 characters, over the limit of 4000/],
    [{ kind: 'rating', instructionId: 'i1', candidateId: 'c0', rating: 6 }, /^rating: field "rating" must be 1, 2, 3, 4, 5, null, got 6/],
    [{ kind: 'rating', instructionId: 'i1', candidateId: 'c0', rating: '3' }, /field "rating"/],
    [{ kind: 'verdict', instructionId: 'i1', question: 'Q', answer: 'maybe' }, /field "answer"/],
    [{ kind: 'verdict', instructionId: 'i1', question: ' ', answer: 'yes' }, /field "question" must not be empty/],
    [{ kind: 'verdict', instructionId: 'x'.repeat(LIMITS.id + 1), question: 'Q', answer: 'yes' }, /field "instructionId" is 201 characters, over the limit of 200/],
    [{ kind: 'verdict', instructionId: 'i\u00001', question: 'Q', answer: 'yes' }, /field "instructionId" contains the control character U\+0000/],
    [{ kind: 'comment', instructionId: 'i1', candidateId: null, text: 'a\u001b[31m' }, /field "text" contains the control character U\+001B/],
    [{ kind: 'comment', instructionId: 'i1', candidateId: 7, text: 'x' }, /field "candidateId" must be a string/],
    [{ kind: 'correction', instructionId: 'i1', candidateId: 'c0', original: 'a', text: 'b'.repeat(LIMITS.correction + 1) }, /field "text" is 8001 characters/],
    [{ kind: 'pair', instructionId: 'i1', chosen: 'c0', rejected: 'c1', judgement: 'meh' }, /field "judgement"/],
    [{ kind: 'flag', instructionId: 'i1', badImage: 1, badQuestion: false }, /field "badImage" must be true or false/],
    [{ kind: 'done', instructionId: 'i1', extra: 1 }, /field "extra" is not a field of a done event/],
    [{ kind: 'vote', instructionId: 'i1' }, /field "kind" must be one of/],
    [null, /expected an object/],
  ];
  for (const [event, pattern] of bad) assert.throws(() => store.record(a, event as FeedbackEvent), isFeedbackError(pattern), JSON.stringify(event)?.slice(0, 80));
  const admin = store.localPerson().id;
  assert.throws(() => store.record(admin, { kind: 'settings', guidelines: '', perItem: 0, disputedFirst: true }), isFeedbackError(/field "perItem" must be a whole number from 1 to 50/));
  assert.throws(() => store.record(admin, { kind: 'settings', guidelines: '', perItem: LIMITS.maxPerItem + 1, disputedFirst: true }), isFeedbackError(/perItem/));
  assert.throws(() => store.record(a, { kind: 'settings', guidelines: '', perItem: 2, disputedFirst: true }), isFeedbackError(/only an admin/));
  assert.throws(() => store.invite('x'.repeat(LIMITS.name + 1), 'annotator'), isFeedbackError(/field "name" is 81 characters/));
  assert.throws(() => store.invite('Ann\nBob', 'annotator'), isFeedbackError(/field "name" contains the control character U\+000A/));
  assert.throws(() => store.invite('Eve', 'root' as 'admin'), isFeedbackError(/field "role" must be "annotator", "admin"/));
  assert.equal(store.count(), 0);
  // Tab, newline and any printable text are kept exactly as given.
  const kept = store.record(a, { kind: 'comment', instructionId: 'i1', candidateId: null, text: '<script>alert(1)</script>\n\t&amp; é 😀' });
  assert.equal(kept.kind === 'comment' && kept.text, '<script>alert(1)</script>\n\t&amp; é 😀');
});

test('store: audit.jsonl is imported once, as the local person with its times; a cut last line is skipped', () => {
  const dir = tempDir('rlaifv-fb-import-');
  writeFileSync(join(dir, 'audit.jsonl'), [
    { instructionId: 'i1', question: 'Red?', answer: 'yes', at: '2024-05-01T10:00:00.000Z' },
    { instructionId: 'i1', question: 'Blue?', answer: 'no', at: '2024-05-01T10:00:05.000Z' },
    { instructionId: 'i1', question: 'Red?', answer: null, at: '2024-05-01T10:00:09.000Z' },
  ].map((l) => JSON.stringify(l)).join('\n') + '\n{"instructionId":"i1","quest');
  const store = FeedbackStore.open(dir);
  const local = store.localPerson();
  assert.deepEqual([local.name, local.role], ['local', 'admin']);
  assert.deepEqual(store.events().map((e) => [e.personId, e.at]), [[local.id, '2024-05-01T10:00:00.000Z'], [local.id, '2024-05-01T10:00:05.000Z'], [local.id, '2024-05-01T10:00:09.000Z']]);
  assert.deepEqual(store.verdicts(), new Map([[local.id, new Map([[verdictKey('i1', 'Blue?'), 'no']])]]));
  store.record(local.id, { kind: 'done', instructionId: 'i1' });
  store.close();
  const again = FeedbackStore.open(dir);
  assert.equal(again.count(), 4, 'reopening does not import again');
  assert.equal(again.localPerson().id, local.id);
  again.close();
});

test('store: a malformed audit.jsonl line is an error naming file:line, and nothing is imported until it is fixed', () => {
  const dir = tempDir('rlaifv-fb-import-');
  const file = join(dir, 'audit.jsonl');
  writeFileSync(file, '{"instructionId":"i1","question":"Q","answer":"yes"}\n{not json}\n');
  assert.throws(() => FeedbackStore.open(dir), isFeedbackError(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: not JSON`)));
  writeFileSync(file, '{"instructionId":"i1","question":"Q","answer":"maybe"}\n');
  assert.throws(() => FeedbackStore.open(dir), isFeedbackError(/audit\.jsonl:1: field "answer" must be "yes", "no" or null/));
  writeFileSync(file, '{"instructionId":"i1","question":"Q","answer":"yes"}\n');
  const store = FeedbackStore.open(dir);
  assert.equal(store.count(), 1);
  store.close();
});

test('store: openIfExists is undefined without a store and read-only with one', () => {
  const dir = tempDir('rlaifv-fb-ro-');
  writeFileSync(join(dir, 'audit.jsonl'), '{"instructionId":"i1","question":"Q","answer":"yes"}\n');
  assert.equal(FeedbackStore.openIfExists(dir), undefined);
  const writer = FeedbackStore.open(dir);
  const ann = writer.invite('Ann', 'annotator').person.id;
  const reader = FeedbackStore.openIfExists(dir)!;
  assert.equal(reader.count(), 1);
  writer.record(ann, { kind: 'verdict', instructionId: 'i1', question: 'Q', answer: 'no' });
  assert.equal(reader.majorityVerdicts().length, 0, 'the reader sees the writer\'s new event: 1 yes, 1 no is a tie');
  assert.throws(() => reader.record(ann, { kind: 'done', instructionId: 'i1' }), isFeedbackError(/read-only/));
  assert.throws(() => reader.invite('Bob', 'annotator'), isFeedbackError(/read-only/));
  reader.close();
  writer.close();
});
