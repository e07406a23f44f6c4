/**
 * The admin's view of the same page: the campaign's settings (guidelines shown on every page, how
 * many people see each instruction, disputed first), inviting people (the link is shown once),
 * the people with their progress and a revoke button, and the agreement between people, between
 * the labeler and their majority, and (world runs) each person's accuracy against the exact truth.
 */
import { LIMITS, type Person, type Role } from '../../feedback/types.ts';
import { api, post, postEvent, showError } from './api.ts';
import { barChart } from './chart.ts';
import { byId, clear, h } from './dom.ts';
import { personBars, stat } from './feedback-helpers.ts';
import { renderGuidelines } from './header.ts';
import { plural, roundedPercent } from './helpers.ts';
import { state } from './state.ts';
import { save, statusEl } from './status.ts';
import type { AdminSummary, FeedbackAgreement } from './wire.ts';

/** Draw the admin view and load its summary. */
export async function showAdmin(): Promise<void> {
  const root = byId('admin');
  clear(root);
  root.appendChild(h('h2', null, 'Campaign'));
  root.appendChild(settingsForm());
  root.appendChild(inviteForm());
  const slot = h('div', { 'data-testid': 'admin-summary', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'loading…'));
  root.appendChild(slot);
  await refreshSummary();
}

async function refreshSummary(): Promise<void> {
  const slot = document.querySelector<HTMLElement>('[data-testid=admin-summary]');
  if (!slot) return;
  let summary: AdminSummary;
  try {
    summary = await api<AdminSummary>('/api/admin/summary');
  } catch (e) {
    showError('Could not load the summary', e);
    return;
  }
  clear(slot);
  slot.appendChild(progressBlock(summary));
  slot.appendChild(peopleTable(summary));
  slot.appendChild(agreementBlock(summary.agreement, summary.people));
  slot.removeAttribute('aria-busy');
  slot.setAttribute('data-loaded', String(Date.now()));
}

function settingsForm(): HTMLElement {
  const s = state.me ? state.me.settings : { guidelines: '', perItem: 1, disputedFirst: true };
  const status = statusEl('settings-status');
  const guidelines = h('textarea', { id: 'set-guidelines', 'data-testid': 'settings-guidelines', rows: 5, maxlength: LIMITS.guidelines }) as HTMLTextAreaElement;
  guidelines.value = s.guidelines;
  const perItem = h('input', { id: 'set-per-item', 'data-testid': 'settings-per-item', type: 'number', min: 1, max: LIMITS.maxPerItem, step: 1 }) as HTMLInputElement;
  perItem.value = String(s.perItem);
  const disputed = h('input', { id: 'set-disputed', 'data-testid': 'settings-disputed-first', type: 'checkbox' }) as HTMLInputElement;
  disputed.checked = s.disputedFirst;
  const send = () => {
    const next = { guidelines: guidelines.value, perItem: Math.round(Number(perItem.value)), disputedFirst: disputed.checked };
    void save(status, 'settings', () => postEvent({ kind: 'settings', ...next }), () => {
      if (state.me) state.me.settings = next;
      renderGuidelines();
    });
  };
  return h('section', { class: 'panel', 'data-testid': 'settings' },
    h('h3', null, 'Settings'),
    h('label', { for: 'set-guidelines' }, 'Guidelines (plain text, shown on every page)'), guidelines,
    h('div', { class: 'row-actions' },
      h('label', { for: 'set-per-item' }, 'people per instruction '), perItem, ' ',
      h('label', null, disputed, ' disputed instructions first')),
    h('div', { class: 'row-actions' }, h('button', { type: 'button', class: 'primary', 'data-testid': 'settings-save', onclick: send }, 'save settings'), status));
}

function inviteForm(): HTMLElement {
  const status = statusEl('invite-status');
  const name = h('input', { id: 'invite-name', 'data-testid': 'invite-name', type: 'text', maxlength: LIMITS.name, placeholder: 'name' }) as HTMLInputElement;
  const role = h('select', { id: 'invite-role', 'data-testid': 'invite-role' },
    h('option', { value: 'annotator' }, 'annotator'), h('option', { value: 'admin' }, 'admin')) as HTMLSelectElement;
  const shown = h('div', { class: 'invite-result', 'data-testid': 'invite-result' });
  const local = state.me !== null && state.me.mode === 'local';
  const sendButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'invite-send' }, 'make invite link');
  const send = () => {
    const who = name.value.trim();
    if (!who) {
      name.focus();
      return;
    }
    // In local mode the first invitation makes this a campaign, where this page (no session) is signed out.
    if (local && sendButton.getAttribute('data-armed') !== 'true') {
      sendButton.setAttribute('data-armed', 'true');
      sendButton.textContent = 'invite anyway: this page will need an invite link too';
      return;
    }
    let link = '';
    void save(status, 'invite', async () => { link = (await post<{ link: string }>('/api/admin/invite', { name: who, role: role.value as Role })).link; }, async () => {
      clear(shown);
      const box = h('input', { type: 'text', readonly: true, class: 'link-box', 'data-testid': 'invite-link', 'aria-label': 'invite link for ' + who }) as HTMLInputElement;
      box.value = link;
      shown.appendChild(h('p', null, 'Send this link to ', h('strong', null, who), ' (' + role.value + '). It is shown only once and works once:'));
      shown.appendChild(box);
      box.select();
      name.value = '';
      await refreshSummary();
    });
  };
  sendButton.addEventListener('click', send);
  name.addEventListener('keydown', (e) => { if (e.key === 'Enter') send(); });
  return h('section', { class: 'panel', 'data-testid': 'invite' },
    h('h3', null, 'Invite someone'),
    h('div', { class: 'row-actions' }, h('label', { for: 'invite-name' }, 'name '), name, ' ', h('label', { for: 'invite-role' }, 'role '), role, ' ',
      sendButton, status),
    local ? h('p', { class: 'muted', 'data-testid': 'invite-local-note' },
      'This server runs without sign-in because nobody is invited yet. The first invitation makes it a campaign where everyone, you too, ' +
      'signs in through an invite link: first make yourself one with rlaifv audit invite --run DIR --name NAME --role admin.') : null,
    shown);
}

function progressBlock(s: AdminSummary): HTMLElement {
  const o = !s.progress ? undefined : 'overall' in s.progress ? s.progress.overall : s.progress;
  return h('section', { class: 'panel', 'data-testid': 'overall-progress' }, h('h3', null, 'Progress'),
    o ? h('p', null, o.doneByEnough + ' of ' + plural(o.items, 'instruction') + ' done by enough people · ' + plural(o.events, 'answer') + ' in all')
      : h('p', { class: 'muted' }, 'no progress reported'));
}

function cell(text: string | number, attrs?: Record<string, string>): HTMLElement {
  return h('td', attrs ?? null, String(text));
}

function numberCell(x: number | null | undefined, testid?: string): HTMLElement {
  return h('td', { class: 'num', 'data-value': typeof x === 'number' ? String(x) : '', 'data-testid': testid ?? null }, stat(x));
}

function peopleTable(s: AdminSummary): HTMLElement {
  const counts = new Map(s.agreement.perPerson.map((p) => [p.personId, p]));
  const rows = s.people.map((p) => {
    const c = counts.get(p.id);
    const status = statusEl('revoke-status');
    const self = state.me !== null && state.me.person.id === p.id;
    const revoke = p.revokedAt ? h('span', { class: 'muted' }, 'revoked') : self ? h('span', { class: 'muted' }, 'you') : h('button', {
      type: 'button', class: 'link', 'data-testid': 'revoke',
      onclick: (e: Event) => {
        const b = e.currentTarget as HTMLButtonElement;
        // Two steps instead of a confirm() dialog: one click cannot end someone's access by accident.
        if (b.getAttribute('data-armed') !== 'true') {
          b.setAttribute('data-armed', 'true');
          b.textContent = 'click again to revoke ' + p.name;
          return;
        }
        void save(status, 'revoke', () => post('/api/admin/revoke', { personId: p.id }), refreshSummary);
      },
    }, 'revoke');
    return h('tr', { 'data-testid': 'person', 'data-id': p.id, 'data-revoked': p.revokedAt ? 'true' : 'false' },
      cell(p.name, { 'data-testid': 'person-name' }), cell(p.role), cell(p.createdAt.slice(0, 16).replace('T', ' ')),
      cell(c ? c.verdicts : 0), cell(c ? c.ratings : 0), cell(c ? c.comments : 0), cell(c ? c.corrections : 0),
      cell(c ? c.pairs : 0), cell(c ? c.flags : 0), cell(c ? c.done : 0, { 'data-testid': 'person-done' }),
      h('td', null, revoke, ' ', status));
  });
  return h('section', { class: 'panel' }, h('h3', null, 'People'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid', 'data-testid': 'people' },
      h('thead', null, h('tr', null, ['name', 'role', 'invited', 'verdicts', 'ratings', 'comments', 'corrections', 'pairs', 'flags', 'done', ''].map((t) => h('th', null, t)))),
      h('tbody', null, rows))));
}

function agreementBlock(a: FeedbackAgreement, people: readonly Person[]): HTMLElement {
  const names = new Map(people.map((p) => [p.id, p.name]));
  const nameOf = (id: string) => names.get(id) ?? id;
  const kinds = h('table', { class: 'grid', 'data-testid': 'alpha' },
    h('thead', null, h('tr', null, h('th', null, 'kind'), h('th', null, 'items'), h('th', { title: 'Krippendorff\'s alpha over all people (interval for ratings, nominal otherwise)' }, 'alpha'))),
    h('tbody', null, a.people.map((k) => h('tr', { 'data-kind': k.kind }, cell(k.kind), cell(k.items), numberCell(k.alpha, 'alpha-value')))));
  const pairRows = a.people.flatMap((k) => k.pairs.map((p) => h('tr', { 'data-kind': k.kind, 'data-a': p.a, 'data-b': p.b },
    cell(k.kind), cell(nameOf(p.a)), cell(nameOf(p.b)), cell(p.items), numberCell(p.kappa, 'kappa-value'))));
  const kappas = h('table', { class: 'grid', 'data-testid': 'kappa' },
    h('thead', null, h('tr', null, ['kind', 'person', 'person', 'items both judged', 'Cohen\'s kappa'].map((t) => h('th', null, t)))),
    h('tbody', null, pairRows.length ? pairRows : h('tr', null, h('td', { colspan: 5, class: 'muted' }, 'no two people have judged the same item yet'))));
  const l = a.labelerVsMajority;
  const labeler = h('p', { 'data-testid': 'labeler-vs-majority', 'data-judged': l.judged, 'data-agree': l.agree, 'data-rate': l.rate === null ? '' : String(l.rate) },
    'The labeler agrees with the people\'s majority on ' + l.agree + ' of ' + plural(l.judged, 'claim question') + ' (' + roundedPercent(l.rate) + ').');
  const truth = a.accuracyVsTruth ? h('table', { class: 'grid', 'data-testid': 'accuracy' },
    h('thead', null, h('tr', null, ['person', 'checked', 'correct', 'accuracy'].map((t) => h('th', null, t)))),
    h('tbody', null, a.accuracyVsTruth.map((p) => h('tr', { 'data-id': p.personId },
      cell(p.name), cell(p.checked), cell(p.correct), cell(p.checked ? roundedPercent(p.correct / p.checked) : '–'))))) : null;
  const chart = personBars(a);
  return h('section', { class: 'panel', 'data-testid': 'agreement-panel' }, h('h3', null, 'Agreement'),
    h('h4', null, 'Between people, per kind of judgement'), kinds, kappas,
    h('h4', null, 'The labeler and the people'), labeler,
    truth ? [h('h4', null, 'Each person against the exact truth'), truth] : null,
    chart.bars.length ? [h('h4', null, chart.title), barChart(chart.title, chart.bars)] : null);
}
