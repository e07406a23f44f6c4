/**
 * Other web pages against the audit server, in headless Chromium (skipped when it is not
 * installed): a page from another origin that posts a verdict every way a browser lets it, and a
 * page reached under another DNS name that resolves to the server (DNS rebinding). Neither may
 * record an answer or read the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditRun } from './data.ts';
import { makeAuditFixture } from './fixture.ts';
import { startAuditServer } from './server.ts';

const CHROMIUM = '/usr/bin/chromium';

/**
 * The hostile page: a `no-cors` fetch with a text/plain body, one with an untyped body, a CORS
 * fetch with a JSON body, and a text/plain form whose one field spells the JSON verdict. It marks
 * `document.body.dataset.done` when every attempt has settled.
 */
function hostilePage(target: string, verdict: string): string {
  // text/plain form encoding sends `name=value`: the name holds the JSON up to a last field whose value swallows the '='.
  const fieldName = `${verdict.slice(0, -1)},"pad":"`;
  const script = `
    const target = ${JSON.stringify(target)};
    const verdict = ${JSON.stringify(verdict)};
    const tries = {};
    async function attempt(name, run) { try { tries[name] = await run(); } catch (e) { tries[name] = 'failed: ' + e.message; } }
    (async () => {
      await attempt('no-cors text/plain', async () => (await fetch(target, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: verdict })).type);
      await attempt('no-cors blob', async () => (await fetch(target, { method: 'POST', mode: 'no-cors', body: new Blob([verdict]) })).type);
      await attempt('cors json', async () => (await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: verdict })).status);
      const sink = document.querySelector('iframe');
      await attempt('form text/plain', () => new Promise((done) => { sink.onload = () => done('submitted'); document.querySelector('form').submit(); }));
      document.body.dataset.tries = JSON.stringify(tries);
      document.body.dataset.done = 'yes';
    })();`;
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!doctype html><html><body>
    <iframe name="sink"></iframe>
    <form method="POST" action="${attr(target)}" enctype="text/plain" target="sink"><input type="hidden" name="${attr(fieldName)}" value="&quot;}"></form>
    <script>${script}</script></body></html>`;
}

test('another origin\'s page cannot record a verdict, and a rebound DNS name cannot read the run (headless Chromium)', {
  skip: existsSync(CHROMIUM) ? false : `chromium not installed (${CHROMIUM}); install it to run the browser tests`,
  timeout: 120_000,
}, async (t) => {
  const { chromium } = await import('playwright-core');
  const dir = await mkdtemp(join(tmpdir(), 'rlaifv-audit-xsite-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await makeAuditFixture(dir);
  const lines: string[] = [];
  const server = await startAuditServer({ dir, port: 0, log: (l) => lines.push(l) });
  t.after(() => server.close());

  const run = await AuditRun.open(dir);
  const detail = run.instruction(run.rows()[0]!.id);
  const question = detail.candidates.flatMap((c) => c.claims).find((k) => k.labelerAccepted)!.question;
  const verdict = JSON.stringify({ instructionId: detail.id, question, answer: 'no' });

  const hostile = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(hostilePage(`${server.url}/api/verdict`, verdict));
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => hostile.close(() => resolve())));
  const hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/`;

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // rebind.test resolves to the audit server, as an attacker's DNS name would once rebound.
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--host-resolver-rules=MAP rebind.test 127.0.0.1'],
  });
  t.after(() => browser.close());
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);

  await page.goto(hostileUrl);
  await page.locator('body[data-done=yes]').waitFor({ state: 'attached' });
  const tries = JSON.parse((await page.locator('body').getAttribute('data-tries'))!) as Record<string, unknown>;
  assert.deepEqual(Object.keys(tries), ['no-cors text/plain', 'no-cors blob', 'cors json', 'form text/plain'], JSON.stringify(tries));
  assert.match(String(tries['cors json']), /^failed/, 'the JSON post needs a CORS preflight, which the server does not grant');

  // Every post that reached the server was refused for its origin, and nothing was recorded.
  const posts = lines.filter((l) => l.startsWith('POST /api/verdict'));
  assert.equal(posts.length, 3, lines.join('\n'));
  for (const l of posts) assert.match(l, /^POST \/api\/verdict 403 a POST must come from this server's own page/);
  assert.equal((await AuditRun.open(dir)).agreement().judged, 0, 'no verdict was recorded');
  assert.equal(existsSync(join(dir, 'audit.jsonl')), false);
  assert.equal(server.store.count(), 0, 'no feedback event was stored');

  // DNS rebinding: the server under a name that resolves to it refuses to answer, page and API alike.
  const port = new URL(server.url).port;
  for (const path of ['/', '/api/run']) {
    const res = await page.goto(`http://rebind.test:${port}${path}`);
    assert.equal(res!.status(), 421, path);
    assert.match(await res!.text(), /does not answer to Host \\"rebind\.test:\d+\\"/);
  }

  // The same server still answers its own page.
  const own = await page.goto(`${server.url}/api/run`);
  assert.equal(own!.status(), 200);
});
