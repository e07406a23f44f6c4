/** The annotator page's sidebar: the run's instructions (or the person's queue), filterable, with their counts. */
import type { AuditInstructionRow } from '../types.ts';
import { api } from './api.ts';
import { byId, clear, h } from './dom.ts';
import { plural, rowMatches } from './helpers.ts';
import { state } from './state.ts';
import type { Queue } from './wire.ts';

export async function loadRows(onOpen: (id: string) => void): Promise<void> {
  state.rows = await api<AuditInstructionRow[]>('/api/instructions');
  renderSidebar(onOpen);
}

export async function loadQueue(): Promise<void> {
  state.queue = (await api<Queue>('/api/queue')).items;
}

/** The rows the filter keeps; `queue` lists the person's queue in its order. */
export function visibleRows(): AuditInstructionRow[] {
  if (state.filter === 'queue') {
    const byId = new Map(state.rows.map((r) => [r.id, r]));
    return state.queue.map((id) => byId.get(id)).filter((r): r is AuditInstructionRow => r !== undefined);
  }
  return state.rows.filter((r) => rowMatches(r, state.filter));
}

export function renderSidebar(onOpen: (id: string) => void): void {
  const list = byId('rows');
  clear(list);
  const rows = visibleRows();
  const queued = new Set(state.queue);
  byId('shown').textContent = 'showing ' + rows.length + ' of ' + plural(state.rows.length, 'instruction') + ' · ' + state.queue.length + ' in your queue';
  for (const r of rows) {
    const cls = 'row' + (r.disputed > 0 ? ' has-disputed' : '') + (r.judged > 0 && r.disputed === 0 ? ' judged-ok' : '');
    const counts = h('span', { class: 'counts' },
      plural(r.candidates, 'candidate') + ' · ' + plural(r.claims, 'claim') + ' · ' + r.rejected + ' rejected · ' +
      plural(r.pairs, 'pair') + ' · ' + r.judged + ' judged',
      r.disputed > 0 ? [' · ', h('span', { class: 'n-disputed' }, r.disputed + ' disputed')] : null,
      queued.has(r.id) ? null : [' · ', h('span', { class: 'n-done' }, 'not in your queue')]);
    const btn = h('button', {
      type: 'button', class: cls, 'data-testid': 'instruction-row', 'data-id': r.id,
      'data-judged': r.judged, 'data-disputed': r.disputed, 'data-pairs': r.pairs, 'data-rejected': r.rejected,
      'data-queued': queued.has(r.id) ? 'true' : 'false',
      'aria-current': r.id === state.currentId ? 'true' : null,
      onclick: () => onOpen(r.id),
    }, h('span', { class: 'rid' }, r.id), h('span', { class: 'rq', title: r.question }, r.question), counts);
    list.appendChild(h('li', null, btn));
  }
  if (rows.length === 0) list.appendChild(h('li', { class: 'muted' }, state.filter === 'queue' ? 'your queue is empty' : 'no instruction matches this filter'));
}

export function markCurrentRow(): void {
  for (const b of document.querySelectorAll('[data-testid=instruction-row]')) {
    if (b.getAttribute('data-id') === state.currentId) {
      b.setAttribute('aria-current', 'true');
      b.scrollIntoView({ block: 'nearest' });
    } else {
      b.removeAttribute('aria-current');
    }
  }
}
