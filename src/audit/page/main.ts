/**
 * The feedback site's script (see ../page.ts for the page and its API). TypeScript, so that
 * `tsc -p .` checks it against the DOM and against the shapes the server sends (../types.ts,
 * ./wire.ts); ../page.ts strips the types and bundles it with the modules it imports into one
 * inline classic script with the esbuild that tsx brings, when the server starts.
 *
 * This module starts the page: who is at it (`/api/me`: name, role, CSRF token, guidelines), the
 * run, the person's queue, and the first instruction to annotate; it routes the keyboard
 * shortcuts (keys.ts) and switches between the annotator view and, for admins, the admin view
 * (`#/admin`). Text reaches the page only through `textContent` and text nodes (see `h` in
 * dom.ts), never as markup. No template literals: the bundle is checked to hold no backtick.
 */
import type { AuditRunInfo } from '../types.ts';
import { showAdmin } from './admin.ts';
import { api, hideError, setCsrfToken, showError, whenSessionEnds } from './api.ts';
import { idFromHash, open, openInstruction, rerenderSidebar, runAction } from './annotate.ts';
import { byId, clear, h } from './dom.ts';
import { renderHeader, renderWho } from './header.ts';
import { actionForKey, keyLabel, SHORTCUTS } from './keys.ts';
import { loadQueue, loadRows } from './sidebar.ts';
import { state } from './state.ts';
import type { Me } from './wire.ts';

// ---- views ----

function setView(view: 'annotate' | 'admin'): void {
  if (view === 'admin' && (!state.me || state.me.person.role !== 'admin')) view = 'annotate';
  state.view = view;
  document.body.classList.toggle('view-admin', view === 'admin');
  byId('admin').hidden = view !== 'admin';
  byId('main').hidden = view === 'admin';
  byId('side').hidden = view === 'admin';
  for (const b of document.querySelectorAll('#nav button')) b.setAttribute('aria-pressed', b.getAttribute('data-view') === view ? 'true' : 'false');
  if (view === 'admin') {
    if (location.hash !== '#/admin') history.replaceState(null, '', '#/admin');
    void showAdmin();
  } else if (state.currentId) {
    history.replaceState(null, '', '#' + encodeURIComponent(state.currentId));
  }
}

// ---- help ----

function renderHelp(): void {
  const list = byId('help-list');
  clear(list);
  for (const s of SHORTCUTS) {
    list.appendChild(h('tr', { 'data-action': s.action }, h('td', null, s.keys.map((k) => h('kbd', null, keyLabel(k)))), h('td', null, s.help)));
  }
}

function toggleHelp(show?: boolean): void {
  const help = byId('help');
  help.hidden = show === undefined ? !help.hidden : !show;
  if (!help.hidden) byId('help-close').focus();
}

// ---- keys ----

function typing(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable) return true;
  return t.tagName === 'INPUT' && (t as HTMLInputElement).type !== 'checkbox';
}

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (typing(e.target)) {
    // Escape leaves a text box, so the keys work again.
    if (e.key === 'Escape') (e.target as HTMLElement).blur();
    return;
  }
  const action = actionForKey(e.key);
  if (!action) return;
  // Enter keeps its usual meaning on a button, link or checkbox (pressing it); elsewhere it is "done".
  const t = e.target as HTMLElement | null;
  if (action === 'done' && t && (t.tagName === 'BUTTON' || t.tagName === 'A' || t.tagName === 'INPUT')) return;
  if (action === 'help') {
    e.preventDefault();
    toggleHelp();
    return;
  }
  if (action === 'escape') {
    toggleHelp(false);
    return;
  }
  if (state.view !== 'annotate' || !byId('help').hidden) return;
  e.preventDefault();
  runAction(action);
});

// ---- start ----

byId('error-dismiss').addEventListener('click', hideError);
byId('help-open').addEventListener('click', () => toggleHelp(true));
byId('help-close').addEventListener('click', () => toggleHelp(false));
for (const b of document.querySelectorAll<HTMLElement>('#nav button')) {
  b.addEventListener('click', () => setView(b.getAttribute('data-view') === 'admin' ? 'admin' : 'annotate'));
}
byId('filter').addEventListener('change', (e) => {
  state.filter = (e.target as HTMLSelectElement).value;
  rerenderSidebar();
});
window.addEventListener('hashchange', () => {
  if (location.hash === '#/admin') return setView('admin');
  const id = idFromHash();
  if (state.view === 'admin') setView('annotate');
  if (id && id !== state.currentId) void openInstruction(id);
});
whenSessionEnds(() => {
  byId('session-ended').hidden = false;
});

async function boot(): Promise<void> {
  renderHelp();
  try {
    state.me = await api<Me>('/api/me');
    setCsrfToken(state.me.csrf);
    renderWho();
  } catch (e) {
    showError('Could not tell who you are', e);
    return;
  }
  try {
    state.run = await api<AuditRunInfo>('/api/run');
    renderHeader();
  } catch (e) {
    showError('Could not load the run', e);
  }
  try {
    await loadQueue();
    await loadRows(open);
  } catch (e) {
    showError('Could not load the instructions', e);
    return;
  }
  if (location.hash === '#/admin') setView('admin');
  const wanted = idFromHash();
  const has = (id: string | null | undefined): id is string => !!id && state.rows.some((r) => r.id === id);
  const start = has(wanted) ? wanted : has(state.queue[0]) ? state.queue[0] : (state.rows[0] ? state.rows[0].id : null);
  if (start) await openInstruction(start);
  else {
    clear(byId('main'));
    byId('main').appendChild(h('p', { class: 'muted' }, 'This run has no instructions.'));
  }
}

void boot();
