/**
 * The feedback site in headless Chromium (Debian's, through playwright-core; skipped when it is not
 * installed): an admin invites two annotators who disagree, and the admin page shows the agreement
 * the store computes; XSS payloads in every text the pages show render as text; the keyboard
 * shortcuts drive a verdict, a rating and "done". One browser and one fixture run serve them all.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { feedbackAgreement } from '../feedback/agreement.ts';
import { verdictKey } from '../feedback/keys.ts';
import { tempDir } from '../util/temp-dir.ts';
import { runDataEngine } from '../pipeline/run.ts';
import { fixtureConfig, fixtureModels, makeAuditFixture } from './fixture.ts';
import { startAuditServer, type RunningAuditServer } from './server.ts';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `chromium not installed (${CHROMIUM}); install it to run the feedback site in a browser`;

let browser: Browser;
let fixture: string;

before(async () => {
  if (skip) return;
  // Not tempDir: its cleanup would attach to this hook and run as soon as the hook ends.
  fixture = mkdtempSync(join(tmpdir(), 'rlaifv-fb-site-fixture-'));
  await makeAuditFixture(fixture);
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu'] });
});
after(async () => {
  if (browser) await browser.close();
  if (fixture) rmSync(fixture, { recursive: true, force: true });
});

/** A fresh copy of the fixture run (no feedback yet). */
function runCopy(prefix: string): string {
  const dir = tempDir(prefix);
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

async function serve(dir: string, o: Partial<Parameters<typeof startAuditServer>[0]> = {}): Promise<RunningAuditServer> {
  const server = await startAuditServer({ dir, port: 0, ...o });
  after(() => server.close());
  return server;
}

/** What a page must never do: open a dialog, run injected code, or be refused something by its CSP. */
interface Watch {
  dialogs: string[];
  errors: string[];
  cspViolations(): Promise<number>;
}

async function watchedPage(context: BrowserContext): Promise<{ page: Page; watch: Watch }> {
  // Counts every Content-Security-Policy violation in the page (an injected handler or script would be one).
  await context.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __csp: string[] }).__csp.push(e.violatedDirective + ' ' + e.blockedURI);
    });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000); // generous: CI runs this beside a training test on 2 cores
  const watch: Watch = {
    dialogs: [],
    errors: [],
    cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp.length),
  };
  page.on('dialog', (d) => {
    watch.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => watch.errors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) watch.errors.push(m.text());
  });
  return { page, watch };
}

async function assertClean(page: Page, watch: Watch, who: string): Promise<void> {
  assert.deepEqual(watch.dialogs, [], `${who}: no dialog opened`);
  assert.deepEqual(watch.errors, [], `${who}: no page error and nothing blocked by the CSP`);
  assert.equal(await watch.cspViolations(), 0, `${who}: no CSP violation`);
}

const q = (s: string) => JSON.stringify(s); // a quoted CSS attribute value

/** Open a person's invite link in a fresh browser context (their own cookie jar). */
async function signIn(link: string): Promise<{ context: BrowserContext; page: Page; watch: Watch }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  after(() => context.close());
  const { page, watch } = await watchedPage(context);
  await page.goto(link);
  await page.locator('[data-testid=who-name]:not(:empty)').waitFor();
  return { context, page, watch };
}

async function openInstruction(page: Page, base: string, id: string): Promise<void> {
  await page.goto(`${base}/#${encodeURIComponent(id)}`);
  await page.locator(`[data-testid=instruction][data-id=${q(id)}]`).waitFor();
}

function claimRow(page: Page, candidate: string, index: number) {
  return page.locator(`[data-testid=claim-row][data-candidate=${q(candidate)}][data-index="${index}"]`);
}

/** Click an answer and wait until the page shows it as stored. */
async function answer(page: Page, candidate: string, index: number, yesNo: 'yes' | 'no'): Promise<void> {
  await claimRow(page, candidate, index).locator(`[data-answer=${yesNo}]`).click();
  await claimRow(page, candidate, index).locator(`[data-answer=${yesNo}][aria-pressed="true"]`).waitFor();
}

function section(page: Page, candidate: string) {
  return page.locator(`section.candidate[data-candidate=${q(candidate)}]`);
}

async function rate(page: Page, candidate: string, n: number): Promise<void> {
  await section(page, candidate).locator(`[data-rating="${n}"]`).click();
  await section(page, candidate).locator(`[data-testid=rating][data-value="${n}"]`).waitFor();
}

async function comment(page: Page, candidate: string, text: string): Promise<void> {
  const box = page.locator(`.comment-box:has([data-testid=comment][data-candidate=${q(candidate)}])`);
  await box.locator('[data-testid=comment]').fill(text);
  await box.locator('[data-testid=comment-save]').click();
  await box.locator('[data-testid=comment-status][data-state=saved]').waitFor();
}

async function correct(page: Page, candidate: string, text: string): Promise<void> {
  const s = section(page, candidate);
  await s.locator('[data-testid=correct]').click();
  await s.locator('[data-testid=correction]').fill(text);
  await s.locator('[data-testid=correction-save]').click();
  await s.locator('[data-testid=correction-status][data-state=saved]').waitFor();
  await s.locator('[data-testid=correction-diff]').waitFor();
}

test('an admin invites two annotators; they answer, rate, comment, correct and disagree; the admin sees the store\'s agreement; a rerun of generate trains on the majority and the correction', { skip, timeout: 90_000 }, async () => {
  const dir = runCopy('rlaifv-fb-site-flow-');
  const server = await serve(dir);
  const { token } = server.store.invite('Ada', 'admin');
  const admin = await signIn(`${server.url}/invite/${token}`);
  assert.equal(await admin.page.locator('[data-testid=who-name]').textContent(), 'Ada');
  assert.match((await admin.page.locator('[data-testid=who-role]').textContent())!, /^admin/);

  // The admin sets the guidelines and two people per instruction, then invites two annotators.
  await admin.page.locator('[data-testid=view-admin]').click();
  await admin.page.locator('[data-testid=agreement-panel]').waitFor();
  await admin.page.locator('[data-testid=settings-guidelines]').fill('Answer from the image only.\nRate 5 for a perfect answer.');
  await admin.page.locator('[data-testid=settings-per-item]').fill('2');
  await admin.page.locator('[data-testid=settings-save]').click();
  await admin.page.locator('[data-testid=settings-status][data-state=saved]').waitFor();
  assert.deepEqual(server.store.settings(), { guidelines: 'Answer from the image only.\nRate 5 for a perfect answer.', perItem: 2, disputedFirst: true });
  const links: string[] = [];
  for (const name of ['Bea', 'Cal']) {
    await admin.page.locator('[data-testid=invite-name]').fill(name);
    await admin.page.locator('[data-testid=invite-send]').click();
    await admin.page.locator(`[data-testid=invite-result]:has-text(${q(name)}) [data-testid=invite-link]`).waitFor();
    links.push(await admin.page.locator('[data-testid=invite-link]').inputValue());
    await admin.page.locator(`[data-testid=person] [data-testid=person-name]:text-is(${q(name)})`).waitFor();
  }
  assert.deepEqual(server.store.people().filter((p) => p.role === 'annotator').map((p) => p.name), ['Bea', 'Cal']);

  const bea = await signIn(links[0]!);
  const cal = await signIn(links[1]!);
  for (const [who, p] of [['Bea', bea], ['Cal', cal]] as const) {
    assert.equal(await p.page.locator('[data-testid=who-name]').textContent(), who);
    assert.equal(await p.page.locator('[data-testid=guidelines-text]').textContent(), 'Answer from the image only.\nRate 5 for a perfect answer.', `${who} sees the guidelines`);
    assert.equal(await p.page.locator('[data-testid=view-admin]').isVisible(), false, `${who} has no admin view`);
  }
  // A used invite works once.
  const reuse = await (await browser.newContext()).newPage();
  assert.equal((await reuse.goto(links[0]!))!.status(), 403);
  await reuse.context().close();

  // Both open the same instruction: one with kept pairs.
  assert.equal((await fetch(`${server.url}/api/instructions`)).status, 401, 'campaign mode: no session, no data');
  const rows = server.run.rows();
  const id = rows.find((r) => r.pairs > 0)!.id;
  const detail = server.run.instruction(id);
  const claims = detail.candidates.flatMap((c) => c.claims.map((k) => ({ c, k })));
  const accepted = claims.filter(({ k }) => k.labelerAccepted);
  const questions = [...new Set(claims.map(({ k }) => k.question.trim()))];
  assert.ok(accepted.length >= 1 && questions.length >= 2, 'the instruction has an accepted claim and two questions');
  const overturned = accepted[0]!; // both say no: the majority overturns the labeler
  const split = claims.find(({ k }) => k.question.trim() !== overturned.k.question.trim())!; // Bea yes, Cal no: a tie
  const c0 = detail.candidates[0]!;
  const pair = detail.pairs[0]!;
  const corrected = c0.text.replace(/\b(red|blue|green|yellow|orange|purple)\b/, (w) => (w === 'green' ? 'purple' : 'green'));
  assert.notEqual(corrected, c0.text);

  for (const [p, splitAnswer, rating, judgement] of [[bea, 'yes', 4, 'agree'], [cal, 'no', 2, 'disagree']] as const) {
    await openInstruction(p.page, server.url, id);
    await answer(p.page, overturned.c.id, overturned.k.index, 'no');
    await answer(p.page, split.c.id, split.k.index, splitAnswer);
    await rate(p.page, c0.id, rating);
    const li = p.page.locator(`[data-testid=pair][data-chosen=${q(pair.chosen)}][data-rejected=${q(pair.rejected)}]`);
    await li.locator(`[data-judgement=${judgement}]`).click();
    await li.locator(`[data-judgement=${judgement}][aria-pressed="true"]`).waitFor();
  }
  await comment(bea.page, c0.id, 'The second sentence names a shape that is not there.');
  await comment(bea.page, '', 'A clear image.');
  await correct(cal.page, c0.id, corrected);
  const changed = await cal.page.locator(`section.candidate[data-candidate=${q(c0.id)}] ins[data-testid=changed]`).allTextContents();
  assert.ok(changed.length >= 1 && changed.every((t) => corrected.includes(t)), `the changed spans are shown: ${JSON.stringify(changed)}`);
  await cal.page.locator('[data-testid=flag-bad-question]').check();
  await cal.page.locator('[data-testid=flag-status][data-state=saved]').waitFor();
  for (const p of [bea, cal]) {
    await p.page.locator('[data-testid=done]').click();
    await p.page.locator(`[data-testid=instruction]:not([data-id=${q(id)}]), [data-testid=queue-empty]`).waitFor();
  }

  // A reload shows each person their own answers, from the server.
  await openInstruction(bea.page, server.url, id);
  assert.equal(await claimRow(bea.page, split.c.id, split.k.index).locator('[data-answer=yes]').getAttribute('aria-pressed'), 'true');
  assert.equal(await section(bea.page, c0.id).locator('[data-testid=rating]').getAttribute('data-value'), '4');
  assert.equal(await bea.page.locator(`[data-testid=comment][data-candidate=${q(c0.id)}]`).inputValue(), 'The second sentence names a shape that is not there.');
  assert.ok(await bea.page.locator('[data-testid=done-already]').isVisible());

  // The store holds what they said: the majority overturns the labeler where both said no; the split is a tie (left out).
  const majority = server.store.majorityVerdicts();
  const m = majority.find((v) => v.instructionId === id && v.question.trim() === overturned.k.question.trim());
  assert.deepEqual(m && { answer: m.answer, votes: m.votes, agreeing: m.agreeing }, { answer: 'no', votes: 2, agreeing: 2 });
  assert.equal(majority.some((v) => v.instructionId === id && v.question.trim() === split.k.question.trim()), false, 'a 1-1 split is no majority');
  const corrections = server.store.corrections();
  assert.equal(corrections.length, 1);
  assert.deepEqual({ ...corrections[0]!, at: '' }, {
    personId: server.store.people().find((p) => p.name === 'Cal')!.id, instructionId: id, candidateId: c0.id,
    original: c0.text, text: corrected, spans: corrections[0]!.spans, at: '',
  });
  assert.ok(corrections[0]!.spans.length >= 1);
  assert.equal(server.store.comments().length, 2);
  assert.equal(server.store.done().get(id)?.size, 2);

  // The admin page shows the agreement the store computes, number for number.
  const expected = feedbackAgreement(server.store, server.run.labelerVerdicts());
  await admin.page.reload();
  await admin.page.locator('[data-testid=agreement-panel]').waitFor();
  const verdictKind = expected.people.find((k) => k.kind === 'verdict')!;
  assert.ok(verdictKind.pairs.length === 1 && verdictKind.pairs[0]!.items >= 2, 'Bea and Cal judged the same questions');
  for (const k of expected.people) {
    assert.equal(await admin.page.locator(`[data-testid=alpha] tr[data-kind=${k.kind}] [data-testid=alpha-value]`).getAttribute('data-value'), k.alpha === null ? '' : String(k.alpha), `alpha ${k.kind}`);
    for (const p of k.pairs) {
      const cell = admin.page.locator(`[data-testid=kappa] tr[data-kind=${k.kind}][data-a=${q(p.a)}][data-b=${q(p.b)}] [data-testid=kappa-value]`);
      assert.equal(await cell.getAttribute('data-value'), p.kappa === null ? '' : String(p.kappa), `kappa ${k.kind} ${p.a}/${p.b}`);
    }
  }
  const lvm = admin.page.locator('[data-testid=labeler-vs-majority]');
  assert.equal(await lvm.getAttribute('data-judged'), String(expected.labelerVsMajority.judged));
  assert.equal(await lvm.getAttribute('data-agree'), String(expected.labelerVsMajority.agree));
  assert.ok(expected.labelerVsMajority.judged >= 1 && expected.labelerVsMajority.agree < expected.labelerVsMajority.judged, 'the majority overturned the labeler once');
  const kappaText = await admin.page.locator('[data-testid=kappa] tr[data-kind=verdict] [data-testid=kappa-value]').textContent();
  assert.equal(kappaText, verdictKind.pairs[0]!.kappa === null ? '–' : verdictKind.pairs[0]!.kappa.toFixed(3));
  for (const name of ['Bea', 'Cal']) {
    assert.equal(await admin.page.locator(`[data-testid=person]:has([data-testid=person-name]:text-is(${q(name)})) [data-testid=person-done]`).textContent(), '1');
  }
  assert.ok(await admin.page.locator('[data-testid=chart] [data-testid=bar]').count() >= 2, 'a bar per annotator');
  assert.equal(await admin.page.locator('[data-testid=person]:has([data-testid=person-name]:text-is("Ada")) [data-testid=revoke]').count(), 0, 'no revoking oneself');
  assert.match((await admin.page.locator('[data-testid=overall-progress]').textContent())!, /1 of 3 instructions done by enough people/);

  // The admin revokes Cal: Cal's next save fails and the page says the session ended.
  const calRow = admin.page.locator(`[data-testid=person]:has([data-testid=person-name]:text-is("Cal"))`);
  await calRow.locator('[data-testid=revoke]').click();
  await calRow.locator('[data-testid=revoke]').click();
  await admin.page.locator(`[data-testid=person][data-revoked=true]:has([data-testid=person-name]:text-is("Cal"))`).waitFor();
  const before = server.store.count();
  const calRating = cal.page.locator('section.candidate').first();
  await calRating.locator('[data-rating="5"]').click();
  await cal.page.locator('[data-testid=session-ended]').waitFor();
  assert.equal(await calRating.locator('[data-testid=rating-status]').getAttribute('data-status'), '401');
  assert.match((await calRating.locator('[data-testid=rating-status]').textContent())!, /session has ended/);
  assert.equal(server.store.count(), before, 'nothing stored for a revoked person');

  for (const [who, p] of [['Ada', admin], ['Bea', bea], ['Cal', cal]] as const) await assertClean(p.page, p.watch, who);

  // A rerun of generate on the folder trains on the people's majority and on Cal's correction.
  await server.close();
  const { summary } = await runDataEngine(fixtureConfig(), { ...fixtureModels(), outDir: dir });
  assert.equal(summary.people.source, 'feedback.sqlite');
  const overturnedClaims = claims.filter(({ k }) => k.question.trim() === overturned.k.question.trim()).length;
  assert.equal(summary.humanVerdicts, overturnedClaims, 'the majority\'s verdict replaces the labeler\'s on every claim asking that question; the 1-1 split keeps the labeler\'s');
  assert.equal(summary.pairOrigins['human-correction'], 1);
  const trl = readFileSync(join(dir, 'pairs.trl.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const fromCorrection = trl.filter((r) => r.origin === 'human-correction');
  assert.equal(fromCorrection.length, 1);
  assert.ok(JSON.stringify(fromCorrection[0].chosen).includes(JSON.stringify(corrected).slice(1, -1)), 'the corrected text is the chosen answer');
  assert.ok(JSON.stringify(fromCorrection[0].rejected).includes(JSON.stringify(c0.text).slice(1, -1)), 'over the original');
});

const XSS = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2;alert(2)</script>"><svg onload="window.__xss=3;alert(3)">';
/** Names are at most 80 characters. */
const XSS_NAME = '<img src=x onerror=alert(1)><script>alert(2)</script>"><svg onload=alert(3)>';

test('XSS payloads in a name, a comment, a correction, the guidelines and a model answer render as text', { skip, timeout: 60_000 }, async () => {
  const dir = runCopy('rlaifv-fb-site-xss-');
  // A crafted run: the first candidate's answer is the payload.
  const file = join(dir, 'candidates.jsonl');
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; text: string });
  const victim = lines[0]!;
  victim.text = `${XSS} ${victim.text}`;
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const server = await serve(dir);
  const { token } = server.store.invite(`Ada ${XSS_NAME}`.slice(0, 80), 'admin');
  const admin = await signIn(`${server.url}/invite/${token}`);

  await admin.page.locator('[data-testid=view-admin]').click();
  await admin.page.locator('[data-testid=settings-guidelines]').fill(`Guidelines ${XSS}`);
  await admin.page.locator('[data-testid=settings-save]').click();
  await admin.page.locator('[data-testid=settings-status][data-state=saved]').waitFor();
  await admin.page.locator('[data-testid=invite-name]').fill(`Eve ${XSS_NAME}`.slice(0, 80));
  await admin.page.locator('[data-testid=invite-send]').click();
  const link = await admin.page.locator('[data-testid=invite-link]').inputValue();

  const eve = await signIn(link);
  const instId = server.run.rows()[0]!.id;
  await openInstruction(eve.page, server.url, instId);
  await comment(eve.page, victim.id, `Comment ${XSS}`);
  await correct(eve.page, victim.id, `Corrected ${XSS}`);
  // Everything again from the server, as another visit would show it.
  await eve.page.reload();
  await eve.page.locator(`[data-testid=instruction][data-id=${q(instId)}]`).waitFor();
  await admin.page.reload();
  await admin.page.locator('[data-testid=agreement-panel]').waitFor();

  const p = eve.page;
  assert.equal(await p.locator('[data-testid=who-name]').textContent(), `Eve ${XSS_NAME}`.slice(0, 80), 'the name as text');
  assert.equal(await p.locator('[data-testid=guidelines-text]').textContent(), `Guidelines ${XSS}`);
  assert.ok((await section(p, victim.id).locator('[data-testid=candidate-text]').textContent())!.startsWith(XSS), 'the model answer as text');
  assert.equal(await p.locator(`[data-testid=comment][data-candidate=${q(victim.id)}]`).inputValue(), `Comment ${XSS}`);
  assert.equal(await section(p, victim.id).locator('[data-testid=correction-diff] .now').textContent(), `now Corrected ${XSS}`);
  assert.ok((await admin.page.locator('[data-testid=people]').textContent())!.includes(`Eve ${XSS_NAME}`.slice(0, 80)), 'the name in the admin\'s people list');
  assert.equal(await admin.page.locator('[data-testid=who-name]').textContent(), `Ada ${XSS_NAME}`.slice(0, 80));
  for (const page of [p, admin.page]) {
    assert.equal(await page.locator('img[src=x], svg[onload], [onerror], [onload]').count(), 0, 'no payload became an element');
    assert.equal(await page.locator('script').count(), 1, 'only the page\'s own script');
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined, 'no payload ran');
  }
  await assertClean(p, eve.watch, 'Eve');
  await assertClean(admin.page, admin.watch, 'Ada');
});

test('the keyboard drives a verdict, a rating and done; a 429 says to wait', { skip, timeout: 60_000 }, async () => {
  const dir = runCopy('rlaifv-fb-site-keys-');
  // Local mode (loopback, nobody invited): the page acts as the local person. Three changes a minute, to see the limit.
  const server = await serve(dir, { limits: { answersPerPerson: 3 } });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  after(() => context.close());
  const { page, watch } = await watchedPage(context);
  await page.goto(server.url);
  const first = page.locator('[data-testid=instruction]');
  await first.waitFor();
  const id = (await first.getAttribute('data-id'))!;
  const detail = server.run.instruction(id);
  const c0 = detail.candidates[0]!;
  const k0 = c0.claims[0]!;

  // ? shows the list of keys, Esc hides it.
  await page.keyboard.press('?');
  await page.locator('[data-testid=help]').waitFor();
  assert.ok((await page.locator('[data-testid=help-list]').textContent())!.includes('done with this instruction'));
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=help]').waitFor({ state: 'hidden' });

  // The first claim of the first candidate is focused: y answers it, 4 rates its candidate, Enter is done.
  assert.equal(await claimRow(page, c0.id, k0.index).getAttribute('aria-current'), 'true');
  await page.keyboard.press('y');
  await claimRow(page, c0.id, k0.index).locator('[data-answer=yes][aria-pressed="true"]').waitFor();
  await page.keyboard.press('4');
  await section(page, c0.id).locator('[data-testid=rating][data-value="4"]').waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`[data-testid=instruction]:not([data-id=${q(id)}])`).waitFor();

  const local = server.store.localPerson().id;
  assert.equal(server.store.verdicts().get(local)?.get(verdictKey(id, k0.question)), 'yes');
  assert.equal(server.store.ratings().get(local)?.size, 1);
  assert.ok(server.store.done().get(id)?.has(local), 'done recorded');
  const next = (await first.getAttribute('data-id'))!;
  assert.ok(!(await (await fetch(`${server.url}/api/queue`)).json() as { items: string[] }).items.includes(id), 'done leaves the queue');

  // The fourth change in a minute is refused: the page says to wait, and shows no answer.
  const n0 = server.run.instruction(next).candidates[0]!;
  await page.keyboard.press('n');
  const status = claimRow(page, n0.id, n0.claims[0]!.index).locator('[data-testid=verdict-status][data-state=failed]');
  await status.waitFor();
  assert.equal(await status.getAttribute('data-status'), '429');
  assert.match((await status.textContent())!, /too many answers at once: wait \d+ s/);
  assert.equal(await claimRow(page, n0.id, n0.claims[0]!.index).locator('[data-answer=no]').getAttribute('aria-pressed'), 'false');

  // The local person is an admin; the first invitation would sign this page out, so one click does not send it.
  await page.locator('[data-testid=view-admin]').click();
  await page.locator('[data-testid=invite-local-note]').waitFor();
  await page.locator('[data-testid=invite-name]').fill('Dee');
  await page.locator('[data-testid=invite-send]').click();
  assert.equal(await page.locator('[data-testid=invite-send]').getAttribute('data-armed'), 'true');
  assert.deepEqual(server.store.people().map((p) => p.id), [local], 'nobody invited on the first click');
  await assertClean(page, watch, 'the local person');
});
