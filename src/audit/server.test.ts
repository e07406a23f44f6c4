import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bodyText } from '../http/responses.ts';
import { decodeImage } from '../image/codec.ts';
import { createWorld, renderScene } from '../world/index.ts';
import { AuditRun } from './data.ts';
import { fixtureLabelerSaysYes, makeAuditFixture } from './fixture.ts';
import { createAuditApp, startAuditServer } from './server.ts';
import type { AuditInstruction, AuditInstructionRow, AuditRunInfo } from './types.ts';

const lines = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

/** What the audit page's own POST carries (a browser adds Origin by itself; the CSRF token is the page's from /api/me). */
const pageHeaders = (url: string, csrf: string) => ({ origin: url, 'content-type': 'application/json', 'x-csrf-token': csrf });
const csrfOf = async (url: string) => ((await (await fetch(`${url}/api/me`)).json()) as { csrf: string }).csrf;

async function fixture(t: { after(fn: () => unknown): void }): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-audit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await makeAuditFixture(dir);
  return dir;
}

test('the audit API shows a run as its files hold it, records answers in audit.jsonl and updates the agreement', async (t) => {
  const dir = await fixture(t);
  const s = await startAuditServer({ dir, port: 0 });
  t.after(() => s.close());
  const get = async <T>(path: string) => {
    const r = await fetch(`${s.url}${path}`);
    assert.equal(r.status, 200, `${path}: ${r.status}`);
    return (await r.json()) as T;
  };
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const verdicts = lines(dir, 'verdicts.jsonl');
  const info = await get<AuditRunInfo>('/api/run');
  assert.deepEqual(
    { instructions: info.instructions, candidates: info.candidates, claims: info.claims, pairs: info.pairs, fromWorld: info.fromWorld },
    { instructions: summary.instructions, candidates: summary.candidates, claims: verdicts.length, pairs: summary.pairs, fromWorld: true },
  );
  assert.deepEqual(info.agreement, { judged: 0, agree: 0, rate: null, falseAccepts: 0, falseRejects: 0, humanMatchesTruth: { checked: 0, agree: 0 } });

  const rows = await get<AuditInstructionRow[]>('/api/instructions');
  assert.deepEqual(rows.map((r) => r.id), [...new Set(verdicts.map((v) => v.instructionId))]);
  assert.equal(rows.reduce((a, r) => a + r.rejected, 0), verdicts.filter((v) => !v.accepted).length);
  // Unanswered, a claim is disputed when the labeler differs from the world's truth.
  assert.equal(rows.reduce((a, r) => a + r.disputed, 0), verdicts.filter((v) => typeof v.truth === 'boolean' && v.truth !== v.accepted).length);

  const id = rows[0]!.id;
  const detail = await get<AuditInstruction>(`/api/instructions/${encodeURIComponent(id)}`);
  assert.equal(detail.candidates.length, 4);
  const claim = detail.candidates.flatMap((c) => c.claims).find((c) => c.labelerAccepted)!;
  assert.equal(claim.labelerAccepted, fixtureLabelerSaysYes(claim.question));
  assert.equal(detail.candidates.reduce((a, c) => a + c.chosenIn, 0), detail.pairs.length);

  // The image is the world scene drawn again.
  const png = new Uint8Array(await (await fetch(`${s.url}${detail.image}`)).arrayBuffer());
  const scene = createWorld({ worldSeed: 0 }).scene('train', Number(id.split('-').pop()));
  assert.deepEqual((await decodeImage(png)).data, renderScene(scene).data);

  // An answer against the labeler: a false accept, stored, and the claim now counts as rejected.
  const csrf = await csrfOf(s.url);
  const post = (body: unknown) => fetch(`${s.url}/api/verdict`, { method: 'POST', headers: pageHeaders(s.url, csrf), body: JSON.stringify(body) });
  const r = await post({ instructionId: id, question: claim.question, answer: 'no' });
  assert.equal(r.status, 200);
  const { agreement } = (await r.json()) as { agreement: AuditRunInfo['agreement'] };
  assert.deepEqual({ judged: agreement.judged, agree: agreement.agree, falseAccepts: agreement.falseAccepts }, { judged: 1, agree: 0, falseAccepts: 1 });
  assert.deepEqual(lines(dir, 'audit.jsonl').map((l) => [l.instructionId, l.question, l.answer]), [[id, claim.question, 'no']]);
  const again = await get<AuditInstruction>(`/api/instructions/${encodeURIComponent(id)}`);
  const asked = again.candidates.flatMap((c) => c.claims).filter((c) => c.question === claim.question);
  assert.ok(asked.length >= 1 && asked.every((c) => c.human === 'no'), 'one answer covers every candidate asking the question');
  const row = (await get<AuditInstructionRow[]>('/api/instructions')).find((x) => x.id === id)!;
  assert.equal(row.judged, 1);
  assert.equal(row.rejected, rows[0]!.rejected + asked.length);

  // A fresh server over the same folder reads the answer back; clearing it restores the labeler's verdict.
  await s.close();
  const reopened = await AuditRun.open(dir);
  assert.equal(reopened.agreement().judged, 1);
  assert.equal(reopened.answer({ instructionId: id, question: claim.question, answer: null }).judged, 0);
});

test('the audit server refuses bad requests with a message, and a folder that is not a finished run with what to do', async (t) => {
  const dir = await fixture(t);
  const s = await startAuditServer({ dir, port: 0 });
  t.after(() => s.close());
  const csrf = await csrfOf(s.url);
  const post = async (body: string) => {
    const r = await fetch(`${s.url}/api/verdict`, { method: 'POST', headers: pageHeaders(s.url, csrf), body });
    return { status: r.status, message: ((await r.json()) as { error: { message: string } }).error.message };
  };
  const id = lines(dir, 'candidates.jsonl')[0].instructionId;
  assert.deepEqual(await post('{'), { status: 400, message: 'the body is not JSON; send {"instructionId","question","answer":"yes"|"no"|null}' });
  assert.equal((await post(JSON.stringify({ instructionId: 'nope', question: 'q?', answer: 'yes' }))).status, 404);
  assert.match((await post(JSON.stringify({ instructionId: id, question: 'Is there a unicorn?', answer: 'yes' }))).message, /has no claim asking "Is there a unicorn\?"/);
  const { question } = lines(dir, 'verdicts.jsonl')[0];
  assert.deepEqual(await post(JSON.stringify({ instructionId: id, question, answer: 'maybe' })), { status: 400, message: 'field "answer" must be "yes", "no" or null, got "maybe"' });
  assert.equal((await fetch(`${s.url}/api/instructions/nope`)).status, 404);
  assert.equal((await fetch(`${s.url}/image/nope`)).status, 404);
  assert.throws(() => readFileSync(join(dir, 'audit.jsonl')), /ENOENT/, 'nothing refused was written');

  const empty = mkdtempSync(join(tmpdir(), 'rlaifv-audit-'));
  t.after(() => rmSync(empty, { recursive: true, force: true }));
  await assert.rejects(AuditRun.open(empty), /no summary\.json, so this is not a finished generate run; run `rlaifv generate --out/);
  writeFileSync(join(dir, 'verdicts.jsonl'), `${readFileSync(join(dir, 'verdicts.jsonl'), 'utf8')}{oops\n`);
  const n = lines(dir, 'candidates.jsonl').length; // unchanged file: only the verdicts are broken
  assert.ok(n > 0);
  await assert.rejects(AuditRun.open(dir), (e: Error) => /verdicts\.jsonl:\d+: not JSON/.test(e.message));
});

test('when the run\'s instruction source is gone, an instruction comes without its image and says why', async (t) => {
  const dir = await fixture(t);
  const summaryPath = join(dir, 'summary.json');
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8'));
  writeFileSync(summaryPath, JSON.stringify({ ...summary, config: { ...summary.config, input: { ...summary.config.input, source: join(dir, 'moved.jsonl') } } }));
  const s = await startAuditServer({ dir, port: 0 });
  t.after(() => s.close());
  const id = lines(dir, 'candidates.jsonl')[0].instructionId;
  const detail = (await (await fetch(`${s.url}/api/instructions/${encodeURIComponent(id)}`)).json()) as AuditInstruction;
  assert.equal(detail.image, null);
  assert.match(detail.imageError!, /moved\.jsonl/);
  assert.equal(detail.candidates.length, 4, 'the claims are still there to audit');
});

const BOUND = { host: '127.0.0.1', port: 8090 };
/** The headers of the audit page's own POST, for a server at BOUND. */
const SAME_ORIGIN = { host: '127.0.0.1:8090', origin: 'http://127.0.0.1:8090', 'content-type': 'application/json' };

/** SAME_ORIGIN with the CSRF token the app gives its local page. */
async function withCsrf(app: { handle: (r: { method: string; url: string; headers: Record<string, string> }) => Promise<{ body: string | Uint8Array }> }) {
  const me = JSON.parse(bodyText((await app.handle({ method: 'GET', url: '/api/me', headers: { host: SAME_ORIGIN.host } })).body)) as { csrf: string };
  return { ...SAME_ORIGIN, 'x-csrf-token': me.csrf };
}

test('the audit app answers in-process, without a socket: routes, refusals and no-store on every answer', async (t) => {
  const dir = await fixture(t);
  const run = await AuditRun.open(dir);
  const app = createAuditApp(run, '<!doctype html><title>page</title>', () => BOUND);
  const id = run.rows()[0]!.id;
  const headers = await withCsrf(app);
  const call = async (method: string, url: string, body?: string) => {
    const res = await app.handle({ method, url, headers, ...(body !== undefined && { body }) });
    assert.equal(res.headers['cache-control'], 'no-store', `${method} ${url}`);
    const text = typeof res.body === 'string' ? res.body : '';
    return { status: res.status, type: res.headers['content-type'], json: res.headers['content-type'] === 'application/json' ? JSON.parse(text) : undefined };
  };
  assert.deepEqual(await call('GET', '/'), { status: 200, type: 'text/html; charset=utf-8', json: undefined });
  assert.equal((await call('GET', '/index.html?x=1')).status, 200);
  const { progress, ...info } = (await call('GET', '/api/run')).json;
  assert.deepEqual(info, JSON.parse(JSON.stringify(run.info())));
  assert.deepEqual(progress, { mine: { done: 0, queue: run.ids().length }, overall: { items: run.ids().length, doneByEnough: 0, events: 0 } });
  assert.equal((await call('GET', `/api/instructions/${encodeURIComponent(id)}`)).json.image, `/image/${encodeURIComponent(id)}`);
  assert.equal((await call('GET', `/image/${encodeURIComponent(id)}`)).type, 'image/png');
  const refusals: Array<[string, string, string | undefined, number, string]> = [
    ['POST', '/', undefined, 404, 'no route POST /'],
    ['GET', '/api/run/', undefined, 404, 'no route GET /api/run/'],
    ['GET', '/api/instructions/', undefined, 404, `no instruction "" in ${dir}`],
    ['GET', '/api/verdict', undefined, 400, 'POST a JSON {"instructionId","question","answer"} to /api/verdict'],
    ['POST', '/api/verdict', '', 400, 'the body is not JSON; send {"instructionId","question","answer":"yes"|"no"|null}'],
    ['POST', '/api/verdict', 'null', 400, 'the body must be a JSON object'],
    ['POST', '/api/verdict', 'x'.repeat(64 * 1024 + 1), 400, 'the body is over 65536 bytes'],
  ];
  for (const [method, url, body, status, message] of refusals) {
    assert.deepEqual(await call(method, url, body), { status, type: 'application/json', json: { error: { message } } }, `${method} ${url}`);
  }
});

test('only the page\'s own requests are answered: Host names the server, answers come same-origin as JSON', async (t) => {
  const dir = await fixture(t);
  const run = await AuditRun.open(dir);
  const app = createAuditApp(run, '<!doctype html><title>page</title>', () => BOUND);
  const SAME_ORIGIN = await withCsrf(app);
  const detail = run.instruction(run.rows()[0]!.id);
  const question = detail.candidates.flatMap((c) => c.claims)[0]!.question;
  const answer = JSON.stringify({ instructionId: detail.id, question, answer: 'no' });
  const call = async (method: string, url: string, headers: Record<string, string>, body?: string) => {
    const res = await app.handle({ method, url, headers, ...(body !== undefined && { body }) });
    assert.equal(res.headers['x-frame-options'], 'DENY', `${method} ${url}`);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', `${method} ${url}`);
    return { status: res.status, message: res.status === 200 ? undefined : JSON.parse(bodyText(res.body)).error.message as string };
  };

  // DNS rebinding: a page under another name that resolves here may not read the run.
  for (const host of [undefined, 'evil.example:8090', 'evil.example', '127.0.0.1:8091', '127.0.0.1.nip.io:8090']) {
    const got = await call('GET', '/api/run', host === undefined ? {} : { host });
    assert.equal(got.status, 421, `Host ${host}`);
    assert.match(got.message!, /this server does not answer to Host .*it listens on 127\.0\.0\.1:8090/);
  }
  for (const host of ['127.0.0.1:8090', 'localhost:8090', 'LOCALHOST:8090']) assert.equal((await call('GET', '/api/run', { host })).status, 200, `Host ${host}`);
  assert.equal((await call('POST', '/api/verdict', { ...SAME_ORIGIN, host: 'evil.example:8090', origin: 'http://evil.example:8090' }, answer)).status, 421);

  // Another page's form or no-cors fetch: its own Origin, or none, or a body that is not declared JSON.
  const refused: Array<[Record<string, string>, number, RegExp]> = [
    [{ ...SAME_ORIGIN, origin: 'http://evil.example' }, 403, /must come from this server's own page \(Origin http:\/\/127\.0\.0\.1:8090\); got Origin "http:\/\/evil\.example"/],
    [{ ...SAME_ORIGIN, origin: 'http://127.0.0.1:8091' }, 403, /got Origin/],
    [{ ...SAME_ORIGIN, origin: 'null' }, 403, /got Origin "null"/],
    [{ host: SAME_ORIGIN.host, 'content-type': 'application/json' }, 403, /got no Origin header/],
    [{ ...SAME_ORIGIN, 'content-type': 'text/plain' }, 415, /Content-Type: application\/json; got text\/plain/],
    [{ ...SAME_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, 415, /got application\/x-www-form-urlencoded/],
    [{ host: SAME_ORIGIN.host, origin: SAME_ORIGIN.origin }, 415, /got no Content-Type/],
  ];
  for (const [headers, status, message] of refused) {
    const got = await call('POST', '/api/verdict', headers, answer);
    assert.equal(got.status, status, JSON.stringify(headers));
    assert.match(got.message!, message);
  }
  assert.equal(run.agreement().judged, 0);
  assert.throws(() => readFileSync(join(dir, 'audit.jsonl')), /ENOENT/, 'nothing refused was written');

  // The page's own request is answered, a charset parameter and a localhost address included.
  assert.equal((await call('POST', '/api/verdict', { ...SAME_ORIGIN, 'content-type': 'application/json; charset=UTF-8' }, answer)).status, 200);
  assert.equal((await call('POST', '/api/verdict', { ...SAME_ORIGIN, host: 'localhost:8090', origin: 'http://localhost:8090' }, answer)).status, 200);
  assert.equal(run.agreement().judged, 1);
});

test('the page is sent with a Content-Security-Policy that allows only its own inline script and style, and no framing', async (t) => {
  const dir = await fixture(t);
  const run = await AuditRun.open(dir);
  const page = '<!doctype html><style>p{}</style><script>1</script>';
  const res = await createAuditApp(run, page, () => BOUND).handle({ method: 'GET', url: '/', headers: { host: SAME_ORIGIN.host } });
  const csp = res.headers['content-security-policy']!;
  const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
  assert.deepEqual(csp.split('; '), [
    "default-src 'none'", `script-src ${sha('1')}`, `style-src ${sha('p{}')}`, "img-src 'self' data:", "connect-src 'self'",
    "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
  ]);
  assert.equal(res.headers['x-frame-options'], 'DENY');
  const api = await createAuditApp(run, page, () => BOUND).handle({ method: 'GET', url: '/api/run', headers: { host: SAME_ORIGIN.host } });
  assert.equal(api.headers['content-security-policy'], undefined, 'the API answers JSON, not a page');
});

test('a malformed percent-escape in a path is the client\'s 400, in-process and on the socket', async (t) => {
  const dir = await fixture(t);
  const run = await AuditRun.open(dir);
  const app = createAuditApp(run, '<!doctype html><title>page</title>', () => BOUND);
  for (const url of ['/api/instructions/%E0%A4%A', '/image/%zz', '/%']) {
    const res = await app.handle({ method: 'GET', url, headers: { host: SAME_ORIGIN.host } });
    assert.deepEqual([res.status, JSON.parse(bodyText(res.body))], [400, { error: { message: `malformed URL path '${url}'` } }], url);
  }
  const s = await startAuditServer({ dir, port: 0 });
  t.after(() => s.close());
  const res = await fetch(`${s.url}/api/instructions/%E0%A4%A`);
  assert.deepEqual([res.status, await res.json()], [400, { error: { message: "malformed URL path '/api/instructions/%E0%A4%A'" } }]);
});
