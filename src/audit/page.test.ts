/**
 * The audit page: the document itself (self-contained, script compiles, no HTML built from text)
 * and the page driving the real audit server over the fixture run in headless Chromium (skipped
 * when Chromium is not installed). Its pure helpers are tested in page/helpers.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { auditPageHtml, pageSecurityPolicy } from './page.ts';
import type { AuditInstruction, AuditInstructionRow, AuditRunInfo } from './types.ts';

const CHROMIUM = '/usr/bin/chromium';

function scriptOf(html: string): string {
  const open = html.indexOf('<script>');
  const close = html.indexOf('</script>');
  assert.ok(open >= 0 && close > open, 'the page has an inline <script>');
  return html.slice(open + '<script>'.length, close);
}

test('auditPageHtml is one self-contained document whose script compiles', () => {
  const html = auditPageHtml();
  assert.match(html, /^<!doctype html>\s*<html lang="en">/i);
  assert.match(html, /<\/html>\s*$/);
  for (const tag of ['html', 'head', 'body', 'style', 'script']) {
    assert.equal(html.match(new RegExp(`<${tag}[\\s>]`, 'g'))?.length, 1, `exactly one <${tag}>`);
  }
  assert.doesNotMatch(html, /\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i, 'no external src/href');
  assert.doesNotMatch(html, /@import|url\(\s*["']?(?:https?:)?\/\//i, 'no external CSS');
  assert.doesNotMatch(html, /<script[^>]*\ssrc=/i, 'no external script');
  const js = scriptOf(html);
  assert.doesNotThrow(() => new Script(js, { filename: 'audit-page.js' }), 'the inline script parses');
  assert.doesNotMatch(js, /\$\{|`/, 'no template-literal leftovers from the TS source');
  assert.doesNotMatch(js, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, 'text only ever goes in as text nodes');
  for (const s of ['/api/me', '/api/run', '/api/queue', '/api/instructions', '/api/feedback', '/api/admin/summary', 'x-csrf-token', 'data-testid']) assert.ok(html.includes(s), s);
  assert.ok(!html.includes('/* style.css */') && !html.includes('/* main.ts */'), 'both slots of index.html are filled');
  assert.match(html, /<style>[^]*--image-px: 192px[^]*<\/style>/, 'style.css is inlined');
  assert.match(js, /function findClaimSpans\(/, 'the helpers are bundled into the script');
  assert.doesNotMatch(js, /^\s*(?:import|export)\s/m, 'one classic script: no module syntax left');
});

test('the page\'s Content-Security-Policy runs its own script and style by hash and nothing else inline', () => {
  const html = auditPageHtml();
  const csp = pageSecurityPolicy(html);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|\*/, csp);
  const hash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
  const style = html.slice(html.indexOf('<style>') + '<style>'.length, html.indexOf('</style>'));
  assert.match(csp, new RegExp(`(^|; )script-src ${hash(scriptOf(html)).replace(/[+/]/g, '\\$&')}(;|$)`), 'script-src is exactly the inline script\'s hash');
  assert.match(csp, new RegExp(`(^|; )style-src ${hash(style).replace(/[+/]/g, '\\$&')}(;|$)`), 'style-src is exactly the inline style\'s hash');
  for (const d of ["default-src 'none'", "connect-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'", "form-action 'none'", "base-uri 'none'"]) assert.ok(csp.includes(d), d);
  // The document's own markup: no inline handlers or style attributes (the CSP would block them; they must not be needed).
  const markup = html.replace(/<script>[^]*?<\/script>/, '').replace(/<style>[^]*?<\/style>/, '');
  assert.doesNotMatch(markup, /\son[a-z]+\s*=/i, 'no inline event handler');
  assert.doesNotMatch(markup, /\sstyle\s*=/i, 'no style attribute');
  assert.doesNotMatch(scriptOf(html), /setAttribute\(\s*["']on|\.innerHTML|new Function|\beval\(/, 'the script adds no inline code');
});

test('the audit page drives the real server in headless Chromium', {
  skip: existsSync(CHROMIUM) ? false : `chromium not installed (${CHROMIUM}); install it to run the audit page in a browser`,
  timeout: 120_000,
}, async (t) => {
  const { chromium } = await import('playwright-core');
  const { startAuditServer } = await import('./server.ts');
  const { makeAuditFixture } = await import('./fixture.ts');
  const dir = await mkdtemp(join(tmpdir(), 'rlaifv-audit-page-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await makeAuditFixture(dir);
  const server = await startAuditServer({ dir, port: 0 });
  t.after(() => server.close());
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(server.url + path);
    assert.equal(res.status, 200, path);
    return (await res.json()) as T;
  };
  const rows = await api<AuditInstructionRow[]>('/api/instructions');
  assert.ok(rows.length >= 2, 'the fixture has several instructions');

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu'] });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // Chromium reports what the Content-Security-Policy blocks as console errors: there must be none.
  const blocked: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) blocked.push(m.text()); });
  page.setDefaultTimeout(15_000); // generous: CI runs this beside a training test on 2 cores

  const q = (s: string) => JSON.stringify(s); // a quoted CSS attribute value
  const agreement = page.locator('[data-testid=agreement]');
  const rowSel = (id: string) => `[data-testid=instruction-row][data-id=${q(id)}]`;

  // The sidebar lists the run's instructions in order, with their counts; the page runs under its CSP.
  const response = await page.goto(server.url);
  assert.match((await response!.allHeaders())['content-security-policy']!, /^default-src 'none'; script-src 'sha256-/);
  await page.locator('[data-testid=instruction]').waitFor();
  assert.deepEqual(await page.locator('[data-testid=instruction-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))), rows.map((r) => r.id));
  assert.match((await page.locator(rowSel(rows[0]!.id)).textContent())!, new RegExp(`${rows[0]!.claims} claims`));
  assert.equal(await page.locator(rowSel(rows[0]!.id)).getAttribute('aria-current'), 'true', 'the first instruction opens');
  assert.match((await agreement.textContent())!, /0 of 0 answered questions/);
  const run = await api<AuditRunInfo>('/api/run');
  assert.ok((await page.locator('[data-testid=audit-file]').textContent())!.includes(run.auditFile));

  // The "with pairs" filter keeps only instructions with kept pairs.
  await page.selectOption('[data-testid=filter]', 'pairs');
  assert.equal(await page.locator('[data-testid=instruction-row]').count(), rows.filter((r) => r.pairs > 0).length);
  await page.selectOption('[data-testid=filter]', 'all');

  // Open the second instruction: the image loads and is scaled up; every claim has a row; the text has marks.
  const id = rows[1]!.id;
  await page.locator(rowSel(id)).click();
  await page.locator(`[data-testid=instruction][data-id=${q(id)}]`).waitFor();
  assert.equal(decodeURIComponent(new URL(page.url()).hash.slice(1)), id);
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('[data-testid=image]');
    return !!img && img.complete && img.naturalWidth > 0;
  });
  const size = await page.locator('[data-testid=image]').evaluate((img: HTMLImageElement) => ({ natural: img.naturalWidth, shown: img.clientWidth }));
  assert.ok(size.shown >= 3 * size.natural, `the image is scaled up (${size.natural}px shown at ${size.shown}px)`);
  const detail = await api<AuditInstruction>(`/api/instructions/${encodeURIComponent(id)}`);
  const allClaims = detail.candidates.flatMap((c) => c.claims.map((k) => ({ c, k })));
  assert.equal(await page.locator('[data-testid=claim-row]').count(), allClaims.length);
  assert.ok(await page.locator('[data-testid=candidate-text] mark').count() > 0, 'claims are highlighted in the text');

  // Answer against the labeler on one claim: "no" where it accepted (or "yes" where it rejected).
  const target = allClaims.find(({ k }) => k.labelerAccepted) ?? allClaims[0]!;
  const accepted = target.k.labelerAccepted;
  const answer = accepted ? 'no' : 'yes';
  const sameQuestion = allClaims.filter(({ k }) => k.question.trim() === target.k.question.trim());
  const claimRow = (c: string, index: number) => page.locator(`[data-testid=claim-row][data-candidate=${q(c)}][data-index="${index}"]`);
  const mark = (c: string, index: number) => page.locator(`[data-testid=candidate-text] mark[data-candidate=${q(c)}][data-index="${index}"]`);
  const row = claimRow(target.c.id, target.k.index);
  assert.equal(await mark(target.c.id, target.k.index).getAttribute('class').then((s) => s!.split(' ')[0]), accepted ? 'accepted' : 'rejected');
  assert.equal(await row.locator(`[data-answer=${answer}]`).getAttribute('aria-pressed'), 'false');
  const before = await agreement.textContent();

  await row.locator(`[data-answer=${answer}]`).click();
  await row.locator(`[data-answer=${answer}][aria-pressed="true"]`).waitFor();
  assert.equal(await row.locator(`[data-answer=${accepted ? 'yes' : 'no'}]`).getAttribute('aria-pressed'), 'false');
  assert.match((await mark(target.c.id, target.k.index).getAttribute('class'))!, accepted ? /\brejected\b/ : /\baccepted\b/, 'the highlight follows the person');
  assert.equal(await row.getAttribute('data-disputed'), 'true');
  assert.match((await row.textContent())!, /disputed/);
  assert.ok((await row.getAttribute('class'))!.includes('disputed'), 'the row is flagged visually');
  await page.waitForFunction((b) => document.querySelector('[data-testid=agreement]')!.textContent !== b, before);
  assert.equal(await agreement.textContent(), 'labeler agrees with you on 0 of 1 answered question (0%)');
  assert.equal(await page.locator(`[data-testid=${accepted ? 'false-accepts' : 'false-rejects'}]`).textContent(), `false ${accepted ? 'accepts' : 'rejects'}: 1`);
  for (const { c, k } of sameQuestion) {
    assert.equal(await claimRow(c.id, k.index).locator(`[data-answer=${answer}]`).getAttribute('aria-pressed'), 'true', `one answer covers ${c.id} too`);
  }
  await page.locator(`${rowSel(id)}[data-judged="1"]`).waitFor();

  // The answer is stored by the server: a reload shows it.
  await page.reload();
  await page.locator(`[data-testid=instruction][data-id=${q(id)}]`).waitFor();
  assert.equal(await row.locator(`[data-answer=${answer}]`).getAttribute('aria-pressed'), 'true');
  assert.equal(await agreement.textContent(), 'labeler agrees with you on 0 of 1 answered question (0%)');

  // "clear" removes it, here and on the server.
  await row.locator('[data-answer=clear]').click();
  await page.waitForFunction(() => /0 of 0 answered/.test(document.querySelector('[data-testid=agreement]')!.textContent ?? ''));
  assert.equal(await row.locator('[aria-pressed="true"]').count(), 0);
  assert.match((await mark(target.c.id, target.k.index).getAttribute('class'))!, accepted ? /^accepted/ : /^rejected/);
  const cleared = await api<AuditInstruction>(`/api/instructions/${encodeURIComponent(id)}`);
  assert.equal(cleared.candidates.flatMap((c) => c.claims).filter((k) => k.human !== undefined).length, 0);

  // A server error shows in the banner, and the answer is not shown as given.
  const banner = page.locator('[data-testid=error-banner]');
  assert.equal(await banner.isVisible(), false);
  await page.route('**/api/feedback', (route) => route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: { message: 'boom' } }) }));
  await row.locator('[data-answer=yes]').click();
  await banner.waitFor({ state: 'visible' });
  assert.match((await banner.textContent())!, /boom/);
  assert.equal(await row.locator('[data-answer=yes]').getAttribute('aria-pressed'), 'false');
  await page.unroute('**/api/feedback');

  // j / k move through the list.
  await page.keyboard.press('j');
  await page.locator(`[data-testid=instruction][data-id=${q(rows[2]?.id ?? id)}]`).waitFor();
  await page.keyboard.press('k');
  await page.locator(`[data-testid=instruction][data-id=${q(id)}]`).waitFor();

  // Model text is shown as text, never parsed as markup.
  await page.route('**/api/instructions/*', async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as AuditInstruction;
    body.candidates[0]!.text = `<b id="injected">bold</b> ${body.candidates[0]!.text}`;
    await route.fulfill({ response: res, json: body });
  });
  await page.reload();
  await page.locator(`[data-testid=instruction][data-id=${q(id)}]`).waitFor();
  assert.equal(await page.locator('#injected').count(), 0);
  assert.ok((await page.locator('[data-testid=candidate-text]').first().textContent())!.startsWith('<b id="injected">bold</b> '));

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  assert.deepEqual(blocked, [], 'nothing the page does is blocked by its Content-Security-Policy');
});
