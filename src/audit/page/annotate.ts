/**
 * The annotator's main panel: one instruction (its image, question, kept pairs, flags and comment)
 * and each candidate with its verdicts, rating, comment and correction; "done" moves on to the
 * next instruction in the person's queue. `runAction` is what the keyboard shortcuts do.
 */
import type { AuditCandidate, AuditInstruction, HumanAnswer } from '../types.ts';
import { api, postEvent, showError } from './api.ts';
import { candidateHeader, renderClaims, type Focus } from './candidate.ts';
import { commentBox, correctionEditor, flagsBlock, pairsBlock, ratingControl } from './controls.ts';
import { byId, clear, h } from './dom.ts';
import { renderHeader } from './header.ts';
import { imageScale, sameQuestion } from './helpers.ts';
import type { Action } from './keys.ts';
import { loadQueue, loadRows, markCurrentRow, renderSidebar, visibleRows } from './sidebar.ts';
import { state } from './state.ts';
import { save, setState, statusEl } from './status.ts';
import { emptyMine, type Instruction, type RunInfo } from './wire.ts';

export function idFromHash(): string | null {
  if (location.hash.length < 2 || location.hash === '#/admin') return null;
  try {
    return decodeURIComponent(location.hash.slice(1));
  } catch {
    return null;
  }
}

export function open(id: string): void {
  void openInstruction(id);
}

export async function openInstruction(id: string): Promise<void> {
  const token = ++state.openToken;
  state.currentId = id;
  markCurrentRow();
  if (state.view === 'annotate' && idFromHash() !== id) history.replaceState(null, '', '#' + encodeURIComponent(id));
  const main = byId('main');
  main.setAttribute('aria-busy', 'true');
  let inst: Instruction;
  try {
    inst = await api<Instruction>('/api/instructions/' + encodeURIComponent(id));
  } catch (e) {
    if (token !== state.openToken) return;
    main.removeAttribute('aria-busy');
    showError('Could not load instruction ' + id, e);
    return;
  }
  if (token !== state.openToken) return;
  state.current = inst;
  state.mine = inst.mine ?? emptyMine();
  const first = inst.candidates[0];
  state.focus = { candidate: first ? first.id : null, claim: first && first.claims[0] ? first.claims[0].index : null };
  state.pair = 0;
  renderInstruction(inst);
  main.removeAttribute('aria-busy');
  main.scrollTop = 0;
}

function showTruth(inst: AuditInstruction): boolean {
  if (state.run && state.run.fromWorld) return true;
  return inst.candidates.some((c) => c.claims.some((k) => k.truth !== undefined));
}

/** The box the image is scaled into: style.css's --image-px. */
function imageBox(): number {
  return parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--image-px'));
}

function imageBlock(inst: AuditInstruction): HTMLElement {
  if (!inst.image) {
    return h('div', { class: 'no-image', 'data-testid': 'image-error', role: 'img', 'aria-label': 'no image' },
      inst.imageError || 'the image cannot be loaded');
  }
  const src = inst.image;
  const img = h('img', { class: 'pixelated', 'data-testid': 'image', src, alt: 'the instruction\'s image' }) as HTMLImageElement;
  img.addEventListener('load', () => {
    const w = img.naturalWidth, ht = img.naturalHeight;
    if (!w || !ht) return;
    const k = imageScale(w, ht, imageBox());
    img.style.width = (w * k) + 'px';
    img.style.height = (ht * k) + 'px';
    img.alt = 'the instruction\'s image (' + w + '×' + ht + ', shown ' + k + '×)';
  });
  img.addEventListener('error', () => {
    img.replaceWith(h('div', { class: 'no-image', 'data-testid': 'image-error' }, 'the image did not load from ' + src));
  });
  return img;
}

function candidateLabel(inst: AuditInstruction, id: string): string {
  const c = inst.candidates.find((x) => x.id === id);
  return c ? 'candidate #' + c.index : id;
}

function candidateSection(inst: Instruction, c: AuditCandidate): HTMLElement {
  const focused = state.focus.candidate === c.id;
  const section = h('section', { class: 'candidate' + (focused ? ' focused' : ''), 'data-testid': 'candidate', 'data-candidate': c.id },
    candidateHeader(c),
    renderClaims(c, showTruth(inst), setVerdict, focused ? state.focus.claim : null),
    h('div', { class: 'feedback' }, ratingControl(inst, state.mine, c), commentBox(inst, state.mine, c.id), correctionEditor(inst, state.mine, c)));
  // Clicking into a candidate (or one of its claim rows) points the keys at it.
  section.addEventListener('focusin', (e) => focusFrom(c.id, e.target));
  section.addEventListener('click', (e) => focusFrom(c.id, e.target));
  return section;
}

function focusFrom(candidate: string, target: EventTarget | null): void {
  const row = target instanceof Element ? target.closest('[data-testid=claim-row]') : null;
  const claim = row ? Number(row.getAttribute('data-index')) : (state.focus.candidate === candidate ? state.focus.claim : null);
  if (state.focus.candidate !== candidate || state.focus.claim !== claim) setFocus(candidate, claim, false);
}

function renderInstruction(inst: Instruction): void {
  const main = byId('main');
  clear(main);
  const done = h('div', { class: 'done-bar' },
    h('button', { type: 'button', class: 'primary', 'data-testid': 'done', title: 'done with this instruction (key Enter)', onclick: () => { void markDone(); } },
      state.mine.done ? 'done again, next' : 'done, next'),
    statusEl('done-status'),
    state.mine.done ? h('span', { class: 'muted', 'data-testid': 'done-already' }, 'you marked this instruction done') : null);
  const key = h('p', { class: 'key muted' },
    h('mark', { class: 'accepted' }, 'accepted'), h('mark', { class: 'rejected' }, 'rejected'),
    h('mark', { class: 'accepted disputed' }, 'dashed: disputed'),
    ' Highlights show your answer where you gave one, else the labeler\'s. Press ? for the keys.');
  main.appendChild(h('article', { 'data-testid': 'instruction', 'data-id': inst.id },
    h('h2', null, 'Instruction ', inst.id),
    h('div', { class: 'prompt' }, imageBlock(inst),
      h('div', null, h('p', { class: 'question', 'data-testid': 'question' }, inst.question),
        h('div', { 'data-testid': 'pairs-slot' }, pairsBlock(inst, state.mine, (id) => candidateLabel(inst, id), state.pair)),
        flagsBlock(inst, state.mine), commentBox(inst, state.mine, null))),
    key,
    inst.candidates.length ? inst.candidates.map((c) => candidateSection(inst, c))
      : h('p', { class: 'muted' }, 'this instruction has no candidates'),
    done));
}

async function refreshRun(): Promise<void> {
  try {
    state.run = await api<RunInfo>('/api/run');
    renderHeader();
    await loadQueue();
    await loadRows(open);
  } catch (e) {
    showError('Could not refresh the run', e);
  }
}

/** Post one answer; when stored, apply it to every claim of the instruction asking the same question. */
function setVerdict(question: string, answer: HumanAnswer | null, focus: Focus): void {
  const inst = state.current;
  if (!inst) return;
  const row = document.querySelector<HTMLElement>(claimRowSelector(focus.candidate, focus.index));
  const status = row ? row.querySelector<HTMLElement>('[data-testid=verdict-status]') : null;
  void save(status, 'answer', () => postEvent({ kind: 'verdict', instructionId: inst.id, question, answer }), async () => {
    for (const c of inst.candidates) {
      for (const k of c.claims) {
        if (!sameQuestion(k.question, question)) continue;
        if (answer === null) delete k.human;
        else k.human = answer;
      }
    }
    if (answer === null) delete state.mine.verdicts[question.trim()];
    else state.mine.verdicts[question.trim()] = answer;
    if (state.current === inst) {
      state.focus = { candidate: focus.candidate, claim: focus.index };
      rerenderClaims(inst);
      focusClaimRow();
      const fresh = document.querySelector(claimRowSelector(focus.candidate, focus.index));
      setState(fresh ? fresh.querySelector<HTMLElement>('[data-testid=verdict-status]') : null, 'saved', 'saved');
    }
    await refreshRun();
  }).then((ok) => { if (!ok) showError('Could not save your answer', byId('save-status').textContent); });
}

function claimRowSelector(candidate: string, index: number): string {
  return '[data-testid=claim-row][data-candidate="' + CSS.escape(candidate) + '"][data-index="' + CSS.escape(String(index)) + '"]';
}

function rerenderClaims(inst: Instruction): void {
  const withTruth = showTruth(inst);
  for (const c of inst.candidates) {
    const old = document.querySelector('.claims-part[data-candidate="' + CSS.escape(c.id) + '"]');
    if (old) old.replaceWith(renderClaims(c, withTruth, setVerdict, state.focus.candidate === c.id ? state.focus.claim : null));
  }
}

function focusClaimRow(): void {
  const { candidate, claim } = state.focus;
  if (candidate === null || claim === null) return;
  const row = document.querySelector<HTMLElement>(claimRowSelector(candidate, claim));
  if (row) row.focus({ preventScroll: false });
}

/** Point the keys at a candidate (and one of its claims), and show it. */
function setFocus(candidate: string, claim: number | null, moveDomFocus: boolean): void {
  state.focus = { candidate, claim };
  for (const s of document.querySelectorAll('section.candidate')) s.classList.toggle('focused', s.getAttribute('data-candidate') === candidate);
  for (const r of document.querySelectorAll('[data-testid=claim-row]')) {
    const on = r.getAttribute('data-candidate') === candidate && claim !== null && r.getAttribute('data-index') === String(claim);
    r.classList.toggle('focused', on);
    if (on) r.setAttribute('aria-current', 'true');
    else r.removeAttribute('aria-current');
  }
  if (!moveDomFocus) return;
  if (claim !== null) focusClaimRow();
  else {
    const s = document.querySelector<HTMLElement>('section.candidate[data-candidate="' + CSS.escape(candidate) + '"]');
    if (s) s.scrollIntoView({ block: 'nearest' });
  }
}

function moveClaim(delta: number): void {
  const inst = state.current;
  if (!inst) return;
  const all = inst.candidates.flatMap((c) => c.claims.map((k) => ({ c: c.id, k: k.index })));
  if (all.length === 0) return;
  const at = all.findIndex((x) => x.c === state.focus.candidate && x.k === state.focus.claim);
  const next = all[at < 0 ? 0 : Math.min(all.length - 1, Math.max(0, at + delta))]!;
  setFocus(next.c, next.k, true);
}

function moveCandidate(delta: number): void {
  const inst = state.current;
  if (!inst || inst.candidates.length === 0) return;
  const at = inst.candidates.findIndex((c) => c.id === state.focus.candidate);
  const next = inst.candidates[at < 0 ? 0 : Math.min(inst.candidates.length - 1, Math.max(0, at + delta))]!;
  setFocus(next.id, next.claims[0] ? next.claims[0].index : null, true);
}

function focusedSection(): HTMLElement | null {
  const id = state.focus.candidate;
  return id === null ? null : document.querySelector<HTMLElement>('section.candidate[data-candidate="' + CSS.escape(id) + '"]');
}

function clickIn(root: ParentNode | null, selector: string): void {
  const el = root ? root.querySelector<HTMLElement>(selector) : null;
  if (el) el.click();
}

function focusedPair(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[data-testid=pair][data-index="' + state.pair + '"]');
}

function movePair(): void {
  const inst = state.current;
  if (!inst || inst.pairs.length === 0) return;
  state.pair = (state.pair + 1) % inst.pairs.length;
  for (const li of document.querySelectorAll('[data-testid=pair]')) li.classList.toggle('focused', li.getAttribute('data-index') === String(state.pair));
  const li = focusedPair();
  if (li) li.scrollIntoView({ block: 'nearest' });
}

function toggleFlag(testid: string): void {
  const box = document.querySelector<HTMLInputElement>('[data-testid=' + testid + ']');
  if (!box) return;
  box.checked = !box.checked;
  box.dispatchEvent(new Event('change'));
}

/** Done with the instruction: it leaves the queue, and the next queue item opens. */
async function markDone(): Promise<void> {
  const inst = state.current;
  if (!inst) return;
  const ok = await save(document.querySelector<HTMLElement>('[data-testid=done-status]'), 'done', () => postEvent({ kind: 'done', instructionId: inst.id }));
  if (!ok) return;
  await refreshRun();
  const next = state.queue.find((id) => id !== inst.id);
  if (next) await openInstruction(next);
  else {
    clear(byId('main'));
    byId('main').appendChild(h('p', { class: 'muted', 'data-testid': 'queue-empty' }, 'Your queue is empty: thank you. Pick any instruction on the left to look again.'));
    state.current = null;
    state.currentId = null;
    markCurrentRow();
  }
}

/** j / k: the next / previous instruction among those the sidebar shows. */
function step(delta: number): void {
  const rows = visibleRows();
  if (rows.length === 0) return;
  const at = rows.findIndex((r) => r.id === state.currentId);
  const next = rows[at < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, at + delta))]!;
  if (next.id !== state.currentId) void openInstruction(next.id);
}

function focusText(selector: string): void {
  const el = document.querySelector<HTMLTextAreaElement>(selector);
  if (!el) return;
  const editor = el.closest<HTMLElement>('.editor');
  if (editor) editor.hidden = false;
  el.focus();
}

/** What a shortcut does on the annotator view (help and escape are main.ts's). */
export function runAction(action: Action): void {
  const section = focusedSection();
  const row = state.focus.candidate !== null && state.focus.claim !== null
    ? document.querySelector<HTMLElement>(claimRowSelector(state.focus.candidate, state.focus.claim)) : null;
  switch (action) {
    case 'next-instruction': return step(1);
    case 'prev-instruction': return step(-1);
    case 'next-claim': return moveClaim(1);
    case 'prev-claim': return moveClaim(-1);
    case 'next-candidate': return moveCandidate(1);
    case 'prev-candidate': return moveCandidate(-1);
    case 'answer-yes': return clickIn(row, '[data-answer=yes]');
    case 'answer-no': return clickIn(row, '[data-answer=no]');
    case 'answer-clear': return clickIn(row, '[data-answer=clear]');
    case 'rate-1': case 'rate-2': case 'rate-3': case 'rate-4': case 'rate-5':
      return clickIn(section, '[data-rating="' + action.slice(5) + '"]');
    case 'rate-clear': return clickIn(section, '[data-rating=clear]');
    case 'comment-candidate':
      if (state.focus.candidate !== null) focusText('[data-testid=comment][data-candidate="' + CSS.escape(state.focus.candidate) + '"]');
      return;
    case 'comment-instruction': return focusText('[data-testid=comment][data-candidate=""]');
    case 'correct':
      if (state.focus.candidate !== null) focusText('[data-testid=correction][data-candidate="' + CSS.escape(state.focus.candidate) + '"]');
      return;
    case 'next-pair': return movePair();
    case 'pair-agree': return clickIn(focusedPair(), '[data-judgement=agree]');
    case 'pair-disagree': return clickIn(focusedPair(), '[data-judgement=disagree]');
    case 'pair-tie': return clickIn(focusedPair(), '[data-judgement=tie]');
    case 'flag-image': return toggleFlag('flag-bad-image');
    case 'flag-question': return toggleFlag('flag-bad-question');
    case 'done': void markDone(); return;
    default: return;
  }
}

export function rerenderSidebar(): void {
  renderSidebar(open);
}
