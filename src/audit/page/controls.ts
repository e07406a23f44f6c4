/**
 * What a person says about an instruction beyond the claim verdicts: a rating 1-5 and a comment
 * per candidate, a correction of a candidate's answer (shown afterwards as its changed spans), a
 * comment on the instruction, a judgement of each kept pair, and the instruction's flags. Each
 * control posts one FeedbackEvent through `save` (status.ts) and updates `mine` once the server
 * has acknowledged it. Every text goes in as a text node or a form value, never as markup.
 */
import { changedSpans } from '../../feedback/spans.ts';
import { LIMITS, type PairJudgement } from '../../feedback/types.ts';
import type { AuditCandidate } from '../types.ts';
import { postEvent } from './api.ts';
import { clear, h } from './dom.ts';
import { correctionSides, minePairKey, segments } from './feedback-helpers.ts';
import { plural } from './helpers.ts';
import { save, statusEl } from './status.ts';
import type { Instruction, Mine } from './wire.ts';

const RATINGS = [1, 2, 3, 4, 5] as const;

function pressed(on: boolean): 'true' | 'false' {
  return on ? 'true' : 'false';
}

/** Five buttons and a clear, for one candidate. */
export function ratingControl(inst: Instruction, mine: Mine, c: AuditCandidate): HTMLElement {
  const status = statusEl('rating-status');
  const group = h('span', { class: 'rating', role: 'group', 'aria-label': 'your rating of candidate #' + c.index, 'data-testid': 'rating', 'data-candidate': c.id });
  const draw = () => {
    const now = mine.ratings[c.id];
    group.setAttribute('data-value', now === undefined ? '' : String(now));
    for (const b of group.querySelectorAll<HTMLButtonElement>('button[data-rating]')) {
      b.setAttribute('aria-pressed', pressed(b.getAttribute('data-rating') === String(now)));
    }
  };
  const rate = (rating: 1 | 2 | 3 | 4 | 5 | null) => save(status, 'rating', () => postEvent({ kind: 'rating', instructionId: inst.id, candidateId: c.id, rating }), () => {
    if (rating === null) delete mine.ratings[c.id];
    else mine.ratings[c.id] = rating;
    draw();
  });
  group.appendChild(h('span', { class: 'label' }, 'rating'));
  for (const n of RATINGS) {
    group.appendChild(h('button', { type: 'button', 'data-rating': n, title: 'rate ' + n + ' of 5 (key ' + n + ')', onclick: () => { void rate(n); } }, String(n)));
  }
  group.appendChild(h('button', { type: 'button', class: 'link', 'data-rating': 'clear', title: 'clear your rating (key 0)', onclick: () => { void rate(null); } }, 'clear'));
  group.appendChild(status);
  draw();
  return group;
}

/** A comment box on a candidate, or (`candidateId` null) on the instruction; an empty comment withdraws. */
export function commentBox(inst: Instruction, mine: Mine, candidateId: string | null): HTMLElement {
  const key = candidateId ?? '';
  const status = statusEl('comment-status');
  const area = h('textarea', {
    class: 'comment', 'data-testid': 'comment', 'data-candidate': candidateId ?? '', rows: 2, maxlength: LIMITS.comment,
    placeholder: candidateId === null ? 'a comment on the instruction (c / Shift+C; Ctrl+Enter saves)' : 'a comment on this answer (c; Ctrl+Enter saves)',
    'aria-label': candidateId === null ? 'your comment on the instruction' : 'your comment on this candidate',
  }) as HTMLTextAreaElement;
  area.value = mine.comments[key] ?? '';
  const send = () => {
    const text = area.value;
    void save(status, 'comment', () => postEvent({ kind: 'comment', instructionId: inst.id, candidateId, text }), () => {
      if (text === '') delete mine.comments[key];
      else mine.comments[key] = text;
    });
  };
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send();
    }
  });
  return h('div', { class: 'comment-box' }, area,
    h('div', { class: 'row-actions' }, h('button', { type: 'button', 'data-testid': 'comment-save', onclick: send }, 'save comment'), status));
}

/** The changed spans of a correction: the original with what was taken out, the correction with what was put in. */
export function correctionDiff(original: string, corrected: string): HTMLElement {
  const spans = changedSpans(original, corrected);
  const sides = correctionSides(spans);
  const line = (text: string, ranges: Array<[number, number]>, tag: 'del' | 'ins') =>
    segments(text, ranges).map((s) => (s.changed ? h(tag, { 'data-testid': 'changed' }, s.text) : s.text));
  return h('div', { class: 'diff', 'data-testid': 'correction-diff', 'data-spans': spans.length },
    h('p', { class: 'muted' }, plural(spans.length, 'changed span')),
    h('p', { class: 'was' }, h('span', { class: 'label' }, 'was '), line(original, sides.original, 'del')),
    h('p', { class: 'now' }, h('span', { class: 'label' }, 'now '), line(corrected, sides.corrected, 'ins')));
}

/** Edit a candidate's answer; the saved correction is preferred over the original in training. */
export function correctionEditor(inst: Instruction, mine: Mine, c: AuditCandidate): HTMLElement {
  const status = statusEl('correction-status');
  const shown = h('div', { class: 'diff-slot' });
  const drawDiff = () => {
    clear(shown);
    const now = mine.corrections[c.id];
    if (now !== undefined) shown.appendChild(correctionDiff(c.text, now));
  };
  const area = h('textarea', {
    class: 'correction', 'data-testid': 'correction', 'data-candidate': c.id, rows: 3, maxlength: LIMITS.correction,
    'aria-label': 'your corrected answer for candidate #' + c.index,
  }) as HTMLTextAreaElement;
  area.value = mine.corrections[c.id] ?? c.text;
  const editor = h('div', { class: 'editor', hidden: true }, area);
  const send = (text: string | null) => save(status, 'correction',
    () => postEvent({ kind: 'correction', instructionId: inst.id, candidateId: c.id, original: c.text, text }), () => {
      if (text === null) {
        delete mine.corrections[c.id];
        area.value = c.text;
      } else {
        mine.corrections[c.id] = text;
      }
      editor.hidden = true;
      drawDiff();
    });
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send(area.value);
    }
  });
  const open = () => {
    editor.hidden = false;
    area.focus();
  };
  editor.appendChild(h('div', { class: 'row-actions' },
    h('button', { type: 'button', 'data-testid': 'correction-save', onclick: () => { void send(area.value); } }, 'save correction'),
    h('button', { type: 'button', class: 'link', 'data-testid': 'correction-withdraw', onclick: () => { void send(null); } }, 'withdraw'),
    h('button', { type: 'button', class: 'link', onclick: () => { editor.hidden = true; } }, 'close')));
  drawDiff();
  return h('div', { class: 'correction-box', 'data-candidate': c.id },
    h('div', { class: 'row-actions' },
      h('button', { type: 'button', 'data-testid': 'correct', title: 'edit the answer (key e)', onclick: open }, 'correct the answer'), status),
    editor, shown);
}

const JUDGEMENTS: ReadonlyArray<[PairJudgement, string]> = [['agree', 'agree'], ['disagree', 'disagree'], ['tie', 'tie']];

/** The kept pairs, each with agree / disagree / tie; `focused` is the pair the keys a / d / t act on. */
export function pairsBlock(inst: Instruction, mine: Mine, label: (id: string) => string, focused: number): HTMLElement {
  if (inst.pairs.length === 0) return h('p', { class: 'muted', 'data-testid': 'pairs' }, 'no kept pair comes from this instruction');
  return h('div', { 'data-testid': 'pairs' }, h('strong', null, plural(inst.pairs.length, 'kept pair')),
    h('ul', { class: 'pairs' }, inst.pairs.map((p, i) => {
      const key = minePairKey(p.chosen, p.rejected);
      const status = statusEl('pair-status');
      const li = h('li', {
        'data-testid': 'pair', 'data-chosen': p.chosen, 'data-rejected': p.rejected, 'data-index': i,
        class: i === focused ? 'focused' : null, 'data-judgement': mine.pairs[key] ?? '',
      });
      const buttons = JUDGEMENTS.map(([j, text]) => h('button', {
        type: 'button', 'data-judgement': j, 'aria-pressed': pressed(mine.pairs[key] === j),
        title: j === 'agree' ? 'the chosen answer is better (key a)' : j === 'disagree' ? 'the rejected answer is better (key d)' : 'neither is better (key t)',
        onclick: () => {
          const next = mine.pairs[key] === j ? null : j;
          void save(status, 'pair judgement', () => postEvent({ kind: 'pair', instructionId: inst.id, chosen: p.chosen, rejected: p.rejected, judgement: next }), () => {
            if (next === null) delete mine.pairs[key];
            else mine.pairs[key] = next;
            li.setAttribute('data-judgement', next ?? '');
            for (const b of li.querySelectorAll('button[data-judgement]')) b.setAttribute('aria-pressed', pressed(b.getAttribute('data-judgement') === next));
          });
        },
      }, text));
      li.appendChild(h('span', null, 'chosen ' + label(p.chosen) + ' (score ' + p.scoreChosen + ') over ' + label(p.rejected) + ' (score ' + p.scoreRejected + ') '));
      li.appendChild(h('span', { class: 'judge', role: 'group', 'aria-label': 'your judgement of this pair' }, buttons, status));
      return li;
    })));
}

/** Bad image / bad question, posted together as one flag event whenever either changes. */
export function flagsBlock(inst: Instruction, mine: Mine): HTMLElement {
  const status = statusEl('flag-status');
  const box = (field: 'badImage' | 'badQuestion', text: string, testid: string) => {
    const input = h('input', { type: 'checkbox', 'data-testid': testid }) as HTMLInputElement;
    input.checked = mine.flag[field];
    input.addEventListener('change', () => {
      const next = { ...mine.flag, [field]: input.checked };
      void save(status, 'flag', () => postEvent({ kind: 'flag', instructionId: inst.id, badImage: next.badImage, badQuestion: next.badQuestion }), () => {
        mine.flag = next;
      }).then((ok) => { if (!ok) input.checked = mine.flag[field]; });
    });
    return h('label', null, input, ' ' + text);
  };
  return h('div', { class: 'flags', 'data-testid': 'flags', role: 'group', 'aria-label': 'flags on the instruction' },
    h('strong', null, 'flag: '), box('badImage', 'bad image (f)', 'flag-bad-image'), ' ', box('badQuestion', 'bad question (Shift+F)', 'flag-bad-question'), status);
}
