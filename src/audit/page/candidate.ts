/**
 * One candidate answer's verdicts on the annotator page: its heading, its text with each claim
 * marked by its final verdict, and a table of its claims with the person's yes / no / clear
 * buttons. The rest of what a person can say about it (rating, comment, correction) is in controls.ts.
 */
import type { AuditCandidate, AuditClaim, HumanAnswer } from '../types.ts';
import { h, type Child } from './dom.ts';
import { statusEl } from './status.ts';
import { findClaimSpans, finalAccepted, isDisputed, plural, prob } from './helpers.ts';

/** Which answer button gets the focus back after the candidates are drawn again. */
export interface Focus {
  candidate: string;
  index: number;
  answer: HumanAnswer;
}

/** Called when the person answers (or clears, `null`) a claim's question. */
export type OnAnswer = (question: string, answer: HumanAnswer | null, focus: Focus) => void;

function verdictTitle(k: AuditClaim): string {
  const parts = [
    (finalAccepted(k) ? 'accepted' : 'rejected') + (k.human ? ' by you' : ' by the labeler'),
    'labeler P(yes) ' + prob(k.yes) + ' / P(no) ' + prob(k.no),
  ];
  if (typeof k.truth === 'boolean') parts.push('truth: ' + k.truth);
  if (isDisputed(k)) parts.push('disputed');
  return parts.join('; ') + '\nQ: ' + k.question;
}

/** The answer text as nodes, each claim found in it wrapped in a mark of its final verdict. */
function highlighted(c: AuditCandidate): Child[] {
  const out: Child[] = [];
  let pos = 0;
  for (const sp of findClaimSpans(c.text, c.claims)) {
    const k = sp.claim;
    if (sp.start > pos) out.push(c.text.slice(pos, sp.start));
    out.push(h('mark', {
      class: (finalAccepted(k) ? 'accepted' : 'rejected') + (isDisputed(k) ? ' disputed' : ''),
      'data-index': k.index, 'data-candidate': c.id, title: verdictTitle(k),
    }, c.text.slice(sp.start, sp.end)));
    pos = sp.end;
  }
  if (pos < c.text.length) out.push(c.text.slice(pos));
  return out;
}

/** A candidate's heading: number, id, the run's score and its roles in kept pairs. */
export function candidateHeader(c: AuditCandidate): HTMLElement {
  const rejected = c.claims.filter((k) => !finalAccepted(k)).length;
  const badges: HTMLElement[] = [];
  if (c.chosenIn > 0) badges.push(h('span', { class: 'badge chosen', 'data-testid': 'badge-chosen' }, 'chosen in ' + plural(c.chosenIn, 'pair')));
  if (c.rejectedIn > 0) badges.push(h('span', { class: 'badge rejected', 'data-testid': 'badge-rejected' }, 'rejected in ' + plural(c.rejectedIn, 'pair')));
  return h('header', null,
    h('h3', null, 'Candidate #' + c.index), h('span', { class: 'muted' }, c.id),
    h('span', { 'data-testid': 'score', title: 'minus the claims the labeler rejected, as the run scored it' },
      c.score === null || c.score === undefined ? 'not scored' : 'score ' + c.score),
    h('span', { class: 'muted', 'data-testid': 'rejected-count' }, rejected + ' of ' + plural(c.claims.length, 'claim') + ' rejected'),
    badges.length ? badges : h('span', { class: 'muted' }, 'in no kept pair'));
}

/**
 * The part of a candidate that follows the verdicts: its text with the claims marked, and the
 * table of claims with yes / no / clear. `focused` is the index of the claim the keys act on.
 */
export function renderClaims(c: AuditCandidate, withTruth: boolean, onAnswer: OnAnswer, focused: number | null): HTMLElement {
  const table = c.claims.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'claims' },
    h('thead', null, h('tr', null,
      h('th', null, '#'), h('th', null, 'claim'), h('th', null, 'question'),
      h('th', { title: 'the labeler\'s P(yes)+P(Yes); P(no) in the tooltip' }, 'labeler P(yes)'),
      h('th', null, 'labeler'), withTruth ? h('th', { title: 'the scene\'s exact truth' }, 'truth') : null,
      h('th', null, 'your answer'), h('th', null, 'status'))),
    h('tbody', null, c.claims.map((k) => claimRow(c, k, withTruth, onAnswer, k.index === focused)))))
    : h('p', { class: 'muted no-claims' }, 'no claims were extracted from this answer');
  return h('div', { class: 'claims-part', 'data-candidate': c.id },
    h('p', { class: 'text', 'data-testid': 'candidate-text' }, highlighted(c)), table);
}

function claimRow(c: AuditCandidate, k: AuditClaim, withTruth: boolean, onAnswer: OnAnswer, focused: boolean): HTMLElement {
  const disputed = isDisputed(k);
  const fin = finalAccepted(k);
  const answerButton = (answer: HumanAnswer) => h('button', {
    type: 'button', 'data-answer': answer, 'aria-pressed': k.human === answer ? 'true' : 'false',
    title: 'answer "' + answer + '" to: ' + k.question,
    onclick: () => onAnswer(k.question, answer, { candidate: c.id, index: k.index, answer }),
  }, answer);
  let truth: HTMLElement | null = null;
  if (withTruth) {
    truth = typeof k.truth === 'boolean' ? h('td', { class: k.truth ? 'v-yes' : 'v-no' }, k.truth ? 'true' : 'false')
      : h('td', { class: 'muted', title: k.truth === null ? 'the claim could not be parsed against the scene' : 'no truth recorded' },
        k.truth === null ? 'unparsed' : '–');
  }
  let status: Child;
  if (disputed) {
    status = h('span', {
      class: 'flag', 'data-testid': 'disputed-flag',
      title: k.human ? 'the labeler disagrees with your answer' : 'the labeler disagrees with the exact truth',
    }, '⚠ disputed');
  } else if (k.human) {
    status = h('span', { class: 'agrees' }, 'labeler agrees');
  } else {
    status = '';
  }
  return h('tr', {
    class: 'claim-row ' + (fin ? 'final-accepted' : 'final-rejected') + (disputed ? ' disputed' : '') + (focused ? ' focused' : ''),
    tabindex: -1, 'aria-current': focused ? 'true' : null,
    'data-testid': 'claim-row', 'data-candidate': c.id, 'data-index': k.index, 'data-question': k.question,
    'data-human': k.human || null, 'data-disputed': disputed ? 'true' : 'false',
  },
  h('td', { class: 'num' }, k.index),
  h('td', { class: 'claim' }, k.claim),
  h('td', { class: 'q' }, k.question),
  h('td', { class: 'num', title: 'P(no) ' + prob(k.no) }, prob(k.yes)),
  h('td', { class: k.labelerAccepted ? 'v-yes' : 'v-no', title: 'P(yes) ' + prob(k.yes) + ' vs P(no) ' + prob(k.no) },
    k.labelerAccepted ? 'accepted' : 'rejected'),
  truth,
  h('td', { class: 'answer' }, h('span', { role: 'group', 'aria-label': 'your answer to: ' + k.question },
    answerButton('yes'), ' ', answerButton('no'), ' ',
    h('button', {
      type: 'button', class: 'link', 'data-answer': 'clear', disabled: !k.human,
      title: 'clear your answer to: ' + k.question,
      onclick: () => onAnswer(k.question, null, { candidate: c.id, index: k.index, answer: 'yes' }),
    }, 'clear'))),
  h('td', null, status, ' ', statusEl('verdict-status')));
}

