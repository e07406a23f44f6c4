/** The header on every view: the run, who is at the page, their progress, the labeler's agreement with them, and the guidelines. */
import type { Agreement } from '../types.ts';
import { byId } from './dom.ts';
import { progressText } from './feedback-helpers.ts';
import { agreementText, plural, roundedPercent } from './helpers.ts';
import { state } from './state.ts';

export function renderWho(): void {
  const me = state.me;
  if (!me) return;
  byId('who-name').textContent = me.person.name;
  byId('who-role').textContent = me.person.role + (me.mode === 'local' ? ' · local, no login' : '');
  byId('nav').hidden = me.person.role !== 'admin';
  renderGuidelines();
}

export function renderGuidelines(): void {
  const text = state.me ? state.me.settings.guidelines : '';
  byId('guidelines-text').textContent = text;
  byId('guidelines').hidden = text.trim() === '';
}

export function renderHeader(): void {
  const run = state.run;
  if (!run) return;
  byId('run-dir').textContent = run.dir;
  byId('run-counts').textContent = plural(run.instructions, 'instruction') + ' · ' + plural(run.candidates, 'candidate') + ' · ' +
    plural(run.claims, 'claim') + ' · ' + plural(run.pairs, 'pair') + (run.fromWorld ? ' · world run (exact truth known)' : '');
  byId('progress').textContent = progressText(run.progress);
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
  byId('audit-file').textContent = run.auditFile ? 'your answers are saved to ' + run.auditFile : '';
}
