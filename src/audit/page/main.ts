/**
 * The audit page's script (see ../page.ts for the page and its API). TypeScript, so that
 * `tsc -p .` checks it against the DOM and against the shapes the server sends (../types.ts);
 * ../page.ts strips the types and bundles it with the modules it imports into one inline classic
 * script with the esbuild that tsx brings, when the server starts: no build step, nothing fetched.
 *
 * This module holds the page's state and its parts: the header, the sidebar of instructions and
 * the instruction shown (its candidates are drawn by candidate.ts), and starts it all.
 * Model text reaches the page only through `textContent` and text nodes (see `h` in dom.ts), never
 * as markup. No template literals: the bundle is checked to hold no backtick, so none can hide markup.
 */
import type { Agreement, AuditInstruction, AuditInstructionRow, AuditRunInfo, HumanAnswer } from '../types.ts';
import { api, hideError, showError } from './api.ts';
import { renderCandidate, type Focus } from './candidate.ts';
import { byId, clear, h } from './dom.ts';
import { agreementText, imageScale, roundedPercent, plural, rowMatches, sameQuestion } from './helpers.ts';

const state = {
  run: null as AuditRunInfo | null,
  rows: [] as AuditInstructionRow[],
  filter: 'all',
  /** Id of the instruction shown (or being loaded). */
  currentId: null as string | null,
  current: null as AuditInstruction | null,
  /** Drops answers to superseded GETs. */
  openToken: 0,
  /** Verdicts are posted one after another, in click order. */
  saving: Promise.resolve(),
};


// ---- header ----

function renderHeader(): void {
  const run = state.run;
  if (!run) return;
  byId('run-dir').textContent = run.dir;
  byId('run-counts').textContent = plural(run.instructions, 'instruction') + ' · ' + plural(run.candidates, 'candidate') + ' · ' +
    plural(run.claims, 'claim') + ' · ' + plural(run.pairs, 'pair') + (run.fromWorld ? ' · world run (exact truth known)' : '');
  const a: Agreement | undefined = run.agreement;
  byId('agreement').textContent = agreementText(a);
  byId('false-accepts').textContent = 'false accepts: ' + (a ? a.falseAccepts : 0);
  byId('false-accepts').title = 'the labeler said yes where you said no: a hallucination let through';
  byId('false-rejects').textContent = 'false rejects: ' + (a ? a.falseRejects : 0);
  byId('false-rejects').title = 'the labeler said no where you said yes: a true claim held against the answer';
  const ht = byId('human-truth');
  if (run.fromWorld && a && a.humanMatchesTruth) {
    const m = a.humanMatchesTruth;
    ht.textContent = 'your answers match the exact truth on ' + m.agree + ' of ' + m.checked +
      (m.checked ? ' (' + roundedPercent(m.agree / m.checked) + ')' : '');
    ht.hidden = false;
  } else {
    ht.hidden = true;
  }
  byId('audit-file').textContent = 'your answers are saved to ' + run.auditFile;
}

// ---- sidebar ----

async function loadRows(): Promise<void> {
  state.rows = await api<AuditInstructionRow[]>('/api/instructions');
  renderSidebar();
}

function visibleRows(): AuditInstructionRow[] {
  return state.rows.filter((r) => rowMatches(r, state.filter));
}

function renderSidebar(): void {
  const list = byId('rows');
  clear(list);
  const rows = visibleRows();
  byId('shown').textContent = 'showing ' + rows.length + ' of ' + plural(state.rows.length, 'instruction');
  for (const r of rows) {
    const cls = 'row' + (r.disputed > 0 ? ' has-disputed' : '') + (r.judged > 0 && r.disputed === 0 ? ' judged-ok' : '');
    const counts = h('span', { class: 'counts' },
      plural(r.candidates, 'candidate') + ' · ' + plural(r.claims, 'claim') + ' · ' + r.rejected + ' rejected · ' +
      plural(r.pairs, 'pair') + ' · ' + r.judged + ' judged',
      r.disputed > 0 ? [' · ', h('span', { class: 'n-disputed' }, r.disputed + ' disputed')] : null);
    const btn = h('button', {
      type: 'button', class: cls, 'data-testid': 'instruction-row', 'data-id': r.id,
      'data-judged': r.judged, 'data-disputed': r.disputed, 'data-pairs': r.pairs, 'data-rejected': r.rejected,
      'aria-current': r.id === state.currentId ? 'true' : null,
      onclick: () => { void openInstruction(r.id); },
    }, h('span', { class: 'rid' }, r.id), h('span', { class: 'rq', title: r.question }, r.question), counts);
    list.appendChild(h('li', null, btn));
  }
  if (rows.length === 0) list.appendChild(h('li', { class: 'muted' }, 'no instruction matches this filter'));
}

function markCurrentRow(): void {
  for (const b of document.querySelectorAll('[data-testid=instruction-row]')) {
    if (b.getAttribute('data-id') === state.currentId) {
      b.setAttribute('aria-current', 'true');
      b.scrollIntoView({ block: 'nearest' });
    } else {
      b.removeAttribute('aria-current');
    }
  }
}

/** j / k: the next / previous instruction among those the filter shows. */
function step(delta: number): void {
  const rows = visibleRows();
  if (rows.length === 0) return;
  const at = rows.findIndex((r) => r.id === state.currentId);
  const next = rows[at < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, at + delta))]!;
  if (next.id !== state.currentId) void openInstruction(next.id);
}

// ---- main panel ----

function idFromHash(): string | null {
  if (location.hash.length < 2) return null;
  try {
    return decodeURIComponent(location.hash.slice(1));
  } catch {
    return null;
  }
}

async function openInstruction(id: string): Promise<void> {
  const token = ++state.openToken;
  state.currentId = id;
  markCurrentRow();
  if (idFromHash() !== id) history.replaceState(null, '', '#' + encodeURIComponent(id));
  const main = byId('main');
  main.setAttribute('aria-busy', 'true');
  let inst: AuditInstruction;
  try {
    inst = await api<AuditInstruction>('/api/instructions/' + encodeURIComponent(id));
  } catch (e) {
    if (token !== state.openToken) return;
    main.removeAttribute('aria-busy');
    showError('Could not load instruction ' + id, e);
    return;
  }
  if (token !== state.openToken) return;
  state.current = inst;
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

function renderInstruction(inst: AuditInstruction): void {
  const main = byId('main');
  clear(main);
  const pairs = inst.pairs.length
    ? h('div', { 'data-testid': 'pairs' }, h('strong', null, plural(inst.pairs.length, 'kept pair')),
      h('ul', { class: 'pairs' }, inst.pairs.map((p) =>
        h('li', null, 'chosen ' + candidateLabel(inst, p.chosen) + ' (score ' + p.scoreChosen + ') over ' +
          candidateLabel(inst, p.rejected) + ' (score ' + p.scoreRejected + ')'))))
    : h('p', { class: 'muted', 'data-testid': 'pairs' }, 'no kept pair comes from this instruction');
  const key = h('p', { class: 'key muted' },
    h('mark', { class: 'accepted' }, 'accepted'), h('mark', { class: 'rejected' }, 'rejected'),
    h('mark', { class: 'accepted disputed' }, 'dashed: disputed'),
    ' Highlights show your answer where you gave one, else the labeler\'s. Keys: j / k next / previous instruction.');
  main.appendChild(h('article', { 'data-testid': 'instruction', 'data-id': inst.id },
    h('h2', null, 'Instruction ', inst.id),
    h('div', { class: 'prompt' }, imageBlock(inst),
      h('div', null, h('p', { class: 'question', 'data-testid': 'question' }, inst.question), pairs)),
    key,
    inst.candidates.length ? inst.candidates.map((c) => renderCandidate(c, showTruth(inst), setVerdict))
      : h('p', { class: 'muted' }, 'this instruction has no candidates')));
}

/** Post one answer; when stored, apply it to every claim of the instruction asking the same question. */
function setVerdict(question: string, answer: HumanAnswer | null, focus: Focus): void {
  const inst = state.current;
  if (!inst) return;
  state.saving = state.saving.then(async () => {
    let res: { agreement?: Agreement };
    try {
      res = await api<{ agreement?: Agreement }>('/api/verdict', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instructionId: inst.id, question, answer }),
      });
    } catch (e) {
      showError('Could not save your answer', e);
      return;
    }
    for (const c of inst.candidates) {
      for (const k of c.claims) {
        if (!sameQuestion(k.question, question)) continue;
        if (answer === null) delete k.human;
        else k.human = answer;
      }
    }
    if (state.current === inst) rerenderCandidates(inst, focus);
    if (res && res.agreement && state.run) {
      state.run.agreement = res.agreement;
      renderHeader();
    }
    try {
      await loadRows();
    } catch (e) {
      showError('Could not refresh the instruction list', e);
    }
  });
}

function rerenderCandidates(inst: AuditInstruction, focus: Focus): void {
  const withTruth = showTruth(inst);
  for (const c of inst.candidates) {
    const old = document.querySelector('section.candidate[data-candidate="' + CSS.escape(c.id) + '"]');
    if (old) old.replaceWith(renderCandidate(c, withTruth, setVerdict));
  }
  const row = document.querySelector('[data-testid=claim-row][data-candidate="' + CSS.escape(focus.candidate) +
    '"][data-index="' + CSS.escape(String(focus.index)) + '"]');
  const btn = row && row.querySelector<HTMLElement>('[data-answer="' + focus.answer + '"]');
  if (btn) btn.focus();
}

// ---- start ----

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
  if (e.key === 'j') {
    e.preventDefault();
    step(1);
  } else if (e.key === 'k') {
    e.preventDefault();
    step(-1);
  }
});
byId('error-dismiss').addEventListener('click', hideError);
byId('filter').addEventListener('change', (e) => {
  state.filter = (e.target as HTMLSelectElement).value;
  renderSidebar();
});
window.addEventListener('hashchange', () => {
  const id = idFromHash();
  if (id && id !== state.currentId) void openInstruction(id);
});

async function boot(): Promise<void> {
  try {
    state.run = await api<AuditRunInfo>('/api/run');
    renderHeader();
  } catch (e) {
    showError('Could not load the run', e);
  }
  try {
    await loadRows();
  } catch (e) {
    showError('Could not load the instructions', e);
    return;
  }
  const wanted = idFromHash();
  const start = wanted && state.rows.some((r) => r.id === wanted) ? wanted : (state.rows[0] ? state.rows[0].id : null);
  if (start) await openInstruction(start);
  else {
    clear(byId('main'));
    byId('main').appendChild(h('p', { class: 'muted' }, 'This run has no instructions.'));
  }
}

void boot();
