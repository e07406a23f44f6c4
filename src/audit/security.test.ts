/**
 * The feedback site refuses what it must, and stores nothing when it does: a cross-origin POST, no
 * session, another person's session with the wrong CSRF token, used and revoked invites, a revoked
 * person's session, a 1 MB comment, a rebinding Host, an annotator on an admin route, ids not in
 * the run, a flood of answers. Texts people or models wrote come back as JSON data, never markup.
 * All in-process through the app's `handle` (the Chromium tests of the page are the page's).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bodyText, type HttpResponse } from '../http/responses.ts';
import { FeedbackStore } from '../feedback/store.ts';
import { tempDir } from '../util/temp-dir.ts';
import type { AuditLimits } from './access.ts';
import { AuditRun } from './data.ts';
import { makeAuditFixture } from './fixture.ts';
import { escapeHtml } from './pages.ts';
import { createAuditApp, startAuditServer } from './server.ts';
import type { AuditInstruction } from './types.ts';

const BOUND = { host: '127.0.0.1', port: 8090 };
const HOST = '127.0.0.1:8090';
const ORIGIN = 'http://127.0.0.1:8090';
const XSS = '<img src=x onerror=alert(1)><script>alert(2)</script>"\'&';

const fixtureDir = tempDir('rlaifv-security-');
before(() => makeAuditFixture(fixtureDir));

/** A fresh copy of the fixture run (its own store), opened as the site: an admin and two annotators invited. */
async function campaign(o: { limits?: Partial<AuditLimits>; publicUrl?: string; edit?: (dir: string) => void } = {}) {
  const dir = tempDir('rlaifv-security-run-');
  cpSync(fixtureDir, dir, { recursive: true });
  o.edit?.(dir);
  const run = await AuditRun.open(dir);
  const store = FeedbackStore.open(dir);
  const app = createAuditApp(run, '<!doctype html><title>page</title>', () => BOUND, { store, ...(o.limits && { limits: o.limits }), ...(o.publicUrl && { publicUrl: o.publicUrl }) });
  const tokens = { admin: store.invite('Ada', 'admin').token, ann: store.invite('Bob', 'annotator').token, cat: store.invite('Cat', 'annotator').token };
  const send = (method: string, url: string, headers: Record<string, string>, body?: unknown) =>
    app.handle({ method, url, headers: { host: HOST, ...headers }, ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  /** Redeem an invite as a browser would; the session cookie and its CSRF token. */
  const signIn = async (token: string) => {
    const res = await send('GET', `/invite/${token}`, {});
    assert.equal(res.status, 303, bodyText(res.body));
    const cookie = res.headers['set-cookie']!.split(';')[0]!;
    const me = JSON.parse(bodyText((await send('GET', '/api/me', { cookie })).body)) as { csrf: string; person: { id: string } };
    return { cookie, csrf: me.csrf, id: me.person.id, setCookie: res.headers['set-cookie']! };
  };
  const post = (url: string, who: { cookie: string; csrf: string } | undefined, body: unknown, extra: Record<string, string> = {}) =>
    send('POST', url, { origin: ORIGIN, 'content-type': 'application/json', ...(who && { cookie: who.cookie, 'x-csrf-token': who.csrf }), ...extra }, body);
  const ins = run.instruction(run.ids()[0]!);
  const rating = { kind: 'rating', instructionId: ins.id, candidateId: ins.candidates[0]!.id, rating: 4 };
  return { dir, run, store, app, tokens, send, signIn, post, ins, rating };
}

const errorOf = (res: HttpResponse) => (JSON.parse(bodyText(res.body)) as { error: { message: string } }).error.message;

test('a session comes from a one-time invite link: HttpOnly, SameSite=Strict cookie; the link works once and not after a revoke', async () => {
  const c = await campaign();
  const ann = await c.signIn(c.tokens.ann);
  assert.match(ann.setCookie, /^rlaifv_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
  const me = JSON.parse(bodyText((await c.send('GET', '/api/me', { cookie: ann.cookie })).body));
  assert.deepEqual({ person: me.person, mode: me.mode }, { person: { id: ann.id, name: 'Bob', role: 'annotator' }, mode: 'campaign' });

  const again = await c.send('GET', `/invite/${c.tokens.ann}`, {});
  assert.equal(again.status, 403);
  assert.equal(again.headers['set-cookie'], undefined);
  assert.match(bodyText(again.body), /already used/);
  assert.equal(again.headers['content-security-policy'], "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");

  const cat = c.store.people().find((p) => p.name === 'Cat')!;
  c.store.revoke(cat.id);
  const revoked = await c.send('GET', `/invite/${c.tokens.cat}`, {});
  assert.deepEqual([revoked.status, /was revoked/.test(bodyText(revoked.body))], [403, true]);
  assert.equal((await c.send('GET', '/invite/not-a-token', {})).status, 403);

  // Behind TLS the cookie is Secure too.
  const tls = await campaign({ publicUrl: 'https://audit.example.org' });
  const res = await tls.send('GET', `/invite/${tls.tokens.ann}`, { host: 'audit.example.org' });
  assert.match(res.headers['set-cookie']!, /; HttpOnly; Secure; SameSite=Strict$/);
});

test('every refused change leaves the store as it was, with the status that says why', async () => {
  const c = await campaign({ edit: () => undefined });
  const admin = await c.signIn(c.tokens.admin);
  const ann = await c.signIn(c.tokens.ann);
  const cat = await c.signIn(c.tokens.cat);
  const before = c.store.count();
  const refusals: Array<[string, () => Promise<HttpResponse>, number, RegExp]> = [
    ['cross-origin POST', () => c.post('/api/feedback', ann, c.rating, { origin: 'http://evil.example' }), 403, /must come from this server's own page/],
    ['POST without Origin', () => c.send('POST', '/api/feedback', { 'content-type': 'application/json', cookie: ann.cookie, 'x-csrf-token': ann.csrf }, c.rating), 403, /no Origin header/],
    ['form-encoded POST', () => c.post('/api/feedback', ann, c.rating, { 'content-type': 'application/x-www-form-urlencoded' }), 415, /application\/json/],
    ['no session', () => c.post('/api/feedback', undefined, c.rating), 401, /no session: open the invite link/],
    ['a made-up session', () => c.post('/api/feedback', { cookie: 'rlaifv_session=AAAA', csrf: ann.csrf }, c.rating), 401, /no longer valid/],
    ["another person's session with the wrong CSRF", () => c.post('/api/feedback', { cookie: cat.cookie, csrf: ann.csrf }, c.rating), 403, /X-CSRF-Token/],
    ['no CSRF token', () => c.post('/api/feedback', { cookie: ann.cookie, csrf: '' }, c.rating), 403, /X-CSRF-Token/],
    ['a 1 MB comment', () => c.post('/api/feedback', ann, { kind: 'comment', instructionId: c.ins.id, candidateId: null, text: 'x'.repeat(1 << 20) }), 400, /the body is over 65536 bytes/],
    ['a comment over the store limit', () => c.post('/api/feedback', ann, { kind: 'comment', instructionId: c.ins.id, candidateId: null, text: 'x'.repeat(4001) }), 400, /comment: field "text" is 4001 characters, over the limit of 4000/],
    ['a rebinding Host', () => c.post('/api/feedback', ann, c.rating, { host: 'evil.example:8090', origin: 'http://evil.example:8090' }), 421, /does not answer to Host/],
    ['acting as someone else', () => c.post('/api/feedback', ann, { ...c.rating, personId: admin.id }), 400, /"personId" is not a field/],
    ['an instruction not in the run', () => c.post('/api/feedback', ann, { ...c.rating, instructionId: 'w0-999' }), 404, /no instruction "w0-999"/],
    ['a candidate of another instruction', () => c.post('/api/feedback', ann, { ...c.rating, candidateId: 'nope' }), 404, /has no candidate "nope"/],
    ['a pair that was not kept', () => c.post('/api/feedback', ann, { kind: 'pair', instructionId: c.ins.id, chosen: c.ins.candidates[0]!.id, rejected: c.ins.candidates[0]!.id, judgement: 'agree' }), 404, /has no kept pair/],
    ['a question no claim asks', () => c.post('/api/feedback', ann, { kind: 'verdict', instructionId: c.ins.id, question: 'Is there a unicorn?', answer: 'yes' }), 404, /has no claim asking/],
    ['an annotator changing the settings', () => c.post('/api/feedback', ann, { kind: 'settings', guidelines: 'mine now', perItem: 1, disputedFirst: false }), 403, /only an admin/],
    ['an annotator inviting', () => c.post('/api/admin/invite', ann, { name: 'Eve', role: 'admin' }), 403, /needs an admin; Bob is an annotator/],
    ['an annotator revoking', () => c.post('/api/admin/revoke', ann, { personId: admin.id }), 403, /needs an admin/],
    ['an annotator reading the summary', () => c.send('GET', '/api/admin/summary', { cookie: ann.cookie }), 403, /needs an admin/],
    ['an admin revoking themselves', () => c.post('/api/admin/revoke', admin, { personId: admin.id }), 400, /cannot revoke themselves/],
    ['revoking nobody', () => c.post('/api/admin/revoke', admin, { personId: 'p99' }), 404, /no person "p99"/],
  ];
  const peopleBefore = c.store.people().length;
  for (const [what, send, status, message] of refusals) {
    const res = await send();
    assert.equal(res.status, status, `${what}: ${bodyText(res.body)}`);
    assert.match(errorOf(res), message, what);
    assert.equal(c.store.count(), before, `${what}: nothing stored`);
  }
  assert.equal(c.store.people().length, peopleBefore, 'nobody was invited');
  assert.equal(c.store.people().every((p) => p.revokedAt === null), true, 'nobody was revoked');

  // Reads need a session too; the page without one says how to get in.
  for (const url of ['/api/me', '/api/run', '/api/queue', '/api/instructions', `/api/instructions/${c.ins.id}`, `/image/${c.ins.id}`]) {
    assert.equal((await c.send('GET', url, {})).status, 401, url);
  }
  const page = await c.send('GET', '/', {});
  assert.deepEqual([page.status, page.headers['content-type']], [401, 'text/html; charset=utf-8']);
  assert.match(bodyText(page.body), /Ask your admin for an invite link/);
  // ...unless the browser withheld a just-set SameSite=Strict cookie from a navigation another site started: one same-site reload.
  const bounce = await c.send('GET', '/', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' });
  assert.deepEqual([bounce.status, /<meta http-equiv="refresh" content="0;url=\/">/.test(bodyText(bounce.body))], [200, true]);
  assert.equal((await c.send('GET', '/', { cookie: ann.cookie })).status, 200);

  // The same requests done right are stored, each acknowledged with its place in the log.
  const ok = await c.post('/api/feedback', ann, c.rating);
  assert.deepEqual([ok.status, JSON.parse(bodyText(ok.body))], [200, { seq: before + 1 }]);
  assert.deepEqual(c.store.events({ afterSeq: before }).map((e) => [e.personId, e.kind]), [[ann.id, 'rating']]);
});

test("a revoked person's session stops working at once; an admin's invite and revoke work through the API", async () => {
  const c = await campaign();
  const admin = await c.signIn(c.tokens.admin);
  const ann = await c.signIn(c.tokens.ann);
  const invited = await c.post('/api/admin/invite', admin, { name: 'Dee', role: 'annotator' });
  const { link } = JSON.parse(bodyText(invited.body)) as { link: string };
  assert.match(link, /^http:\/\/127\.0\.0\.1:8090\/invite\/[A-Za-z0-9_-]{43}$/);
  const dee = await c.signIn(link.split('/').pop()!);
  assert.equal((await c.post('/api/feedback', dee, c.rating)).status, 200);

  const revoked = await c.post('/api/admin/revoke', admin, { personId: ann.id });
  assert.equal(revoked.status, 200);
  const count = c.store.count();
  const res = await c.post('/api/feedback', ann, c.rating);
  assert.deepEqual([res.status, c.store.count()], [401, count]);
  assert.equal((await c.send('GET', '/api/run', { cookie: ann.cookie })).status, 401);
});

test('answers past the rate limit per person, or per address behind the proxy, are refused with 429 and Retry-After; invite attempts too', async () => {
  const c = await campaign({ limits: { answersPerPerson: 3, answersPerAddress: 5, invitesPerAddress: 4 }, publicUrl: 'https://audit.example.org' });
  const headers = { host: 'audit.example.org', origin: 'https://audit.example.org' };
  const signIn = async (token: string, forwardedFor: string) => {
    const res = await c.app.handle({ method: 'GET', url: `/invite/${token}`, headers: { ...headers, 'x-forwarded-for': forwardedFor }, remoteAddress: '127.0.0.1' });
    const cookie = res.headers['set-cookie']!.split(';')[0]!;
    const me = JSON.parse(bodyText((await c.app.handle({ method: 'GET', url: '/api/me', headers: { ...headers, cookie } })).body)) as { csrf: string };
    return { cookie, csrf: me.csrf };
  };
  const ann = await signIn(c.tokens.ann, '203.0.113.7');
  const cat = await signIn(c.tokens.cat, '203.0.113.7');
  const answer = (who: { cookie: string; csrf: string }, forwardedFor: string) => c.app.handle({
    method: 'POST', url: '/api/feedback', remoteAddress: '127.0.0.1', body: JSON.stringify(c.rating),
    headers: { ...headers, 'content-type': 'application/json', cookie: who.cookie, 'x-csrf-token': who.csrf, 'x-forwarded-for': forwardedFor },
  });
  // The client may send its own X-Forwarded-For; only the last entry, the proxy's, is the address.
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await answer(ann, `10.0.0.${i}, 203.0.113.7`)).status);
  assert.deepEqual(statuses, [200, 200, 200, 429]);
  const limited = await answer(ann, '203.0.113.7');
  assert.equal(limited.headers['retry-after'], '20');
  assert.match(errorOf(limited), /too many changes from Bob \(p\d+\): at most 3 a minute/);
  const fromCat = [];
  for (let i = 0; i < 3; i++) fromCat.push((await answer(cat, '203.0.113.7')).status);
  assert.deepEqual(fromCat, [200, 200, 429], 'the address has had its 5 (a refused person spends none of it)');
  const admin = await signIn(c.tokens.admin, '198.51.100.1');
  assert.equal((await answer(admin, '198.51.100.1')).status, 200, 'another person at another address is not held back');
  assert.equal(c.store.count(), 6);

  const attempts = [];
  for (let i = 0; i < 5; i++) attempts.push((await c.app.handle({ method: 'GET', url: `/invite/guess${i}`, headers, remoteAddress: '198.51.100.9' })).status);
  assert.deepEqual(attempts, [403, 403, 403, 403, 429], 'a peer that is not the proxy is its own address: 4 attempts a minute');
});

test('what people and models wrote comes back as JSON data, byte for byte, never as markup', async () => {
  const c = await campaign({
    edit: (dir) => {
      // A model answer and a claim's question holding markup.
      const cands = readFileSync(join(dir, 'candidates.jsonl'), 'utf8').split('\n');
      const first = JSON.parse(cands[0]!);
      cands[0] = JSON.stringify({ ...first, text: `${first.text} ${XSS}`, prompt: `${first.prompt} ${XSS}` });
      writeFileSync(join(dir, 'candidates.jsonl'), cands.join('\n'));
      const verdicts = readFileSync(join(dir, 'verdicts.jsonl'), 'utf8').split('\n');
      verdicts[0] = JSON.stringify({ ...JSON.parse(verdicts[0]!), question: `Is there ${XSS}?` });
      writeFileSync(join(dir, 'verdicts.jsonl'), verdicts.join('\n'));
    },
  });
  const admin = await c.signIn(c.tokens.admin);
  const invited = await c.post('/api/admin/invite', admin, { name: XSS, role: 'annotator' });
  assert.equal(invited.status, 200);
  const ins = c.run.instruction(c.run.ids()[0]!);
  const cand = ins.candidates[0]!;
  for (const event of [
    { kind: 'comment', instructionId: ins.id, candidateId: cand.id, text: XSS },
    { kind: 'correction', instructionId: ins.id, candidateId: cand.id, original: 'whatever the page says', text: XSS },
    { kind: 'verdict', instructionId: ins.id, question: `Is there ${XSS}?`, answer: 'no' },
  ]) assert.equal((await c.post('/api/feedback', admin, event)).status, 200, event.kind);

  const res = await c.send('GET', `/api/instructions/${encodeURIComponent(ins.id)}`, { cookie: admin.cookie });
  assert.deepEqual([res.headers['content-type'], res.headers['x-content-type-options']], ['application/json', 'nosniff']);
  const detail = JSON.parse(bodyText(res.body)) as AuditInstruction & { mine: { comments: Record<string, string>; corrections: Record<string, string>; verdicts: Record<string, string> } };
  assert.equal(detail.candidates[0]!.text.endsWith(XSS), true);
  assert.equal(detail.question.endsWith(XSS), true);
  assert.equal(detail.candidates[0]!.claims[0]!.question, `Is there ${XSS}?`);
  assert.deepEqual(detail.mine.comments, { [cand.id]: XSS });
  assert.deepEqual(detail.mine.corrections, { [cand.id]: XSS });
  assert.equal(detail.mine.verdicts[`Is there ${XSS}?`], 'no');
  assert.equal(c.store.corrections()[0]!.original, cand.text, "a correction's original is the run's text, not the page's");
  const summary = JSON.parse(bodyText((await c.send('GET', '/api/admin/summary', { cookie: admin.cookie })).body)) as { people: Array<{ name: string }> };
  assert.equal(summary.people.some((p) => p.name === XSS), true);
  assert.equal(escapeHtml(XSS), '&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;&quot;&#39;&amp;');
});

test('local use needs no invite but still a CSRF token; bound beyond loopback, the server will not start without an admin', async () => {
  const dir = tempDir('rlaifv-security-local-');
  cpSync(fixtureDir, dir, { recursive: true });
  const run = await AuditRun.open(dir);
  const app = createAuditApp(run, '<!doctype html><title>page</title>', () => BOUND);
  const me = JSON.parse(bodyText((await app.handle({ method: 'GET', url: '/api/me', headers: { host: HOST } })).body));
  assert.deepEqual([me.mode, me.person.name, me.person.role], ['local', 'local', 'admin']);
  const ins = run.instruction(run.ids()[0]!);
  const send = (csrf: string) => app.handle({ method: 'POST', url: '/api/feedback', headers: { host: HOST, origin: ORIGIN, 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ kind: 'done', instructionId: ins.id }) });
  assert.equal((await send('forged')).status, 403);
  assert.equal((await send(me.csrf)).status, 200);

  await assert.rejects(startAuditServer({ dir, host: '0.0.0.0', port: 0 }), /needs an admin to sign in first: rlaifv audit invite --run .* --name NAME --role admin/);
  await assert.rejects(startAuditServer({ dir, port: 0, publicUrl: 'https://audit.example.org' }), /needs an admin/);
  await assert.rejects(startAuditServer({ dir, port: 0, publicUrl: 'https://audit.example.org/sub/' }), /must be the site's root/);
  const store = FeedbackStore.open(dir);
  store.invite('Ada', 'admin');
  store.close();
  const s = await startAuditServer({ dir, host: '0.0.0.0', port: 0 });
  assert.equal(s.mode(), 'campaign');
  const res = await fetch(`http://127.0.0.1:${new URL(s.url).port}/api/run`);
  assert.equal(res.status, 401);
  await s.close();
});
