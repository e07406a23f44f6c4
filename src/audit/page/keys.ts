/**
 * The annotator page's keyboard shortcuts: one table that both the key handler (main.ts) and the
 * help overlay (`?`) read, so the help cannot drift from what the keys do. Pure: no DOM.
 */

export type Action =
  | 'next-instruction' | 'prev-instruction'
  | 'next-claim' | 'prev-claim' | 'next-candidate' | 'prev-candidate'
  | 'answer-yes' | 'answer-no' | 'answer-clear'
  | 'rate-1' | 'rate-2' | 'rate-3' | 'rate-4' | 'rate-5' | 'rate-clear'
  | 'comment-candidate' | 'comment-instruction' | 'correct'
  | 'next-pair' | 'pair-agree' | 'pair-disagree' | 'pair-tie'
  | 'flag-image' | 'flag-question'
  | 'done' | 'help' | 'escape';

export interface Shortcut {
  /** `KeyboardEvent.key` values that trigger it. */
  keys: readonly string[];
  action: Action;
  /** What the help overlay says. */
  help: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['j'], action: 'next-instruction', help: 'next instruction' },
  { keys: ['k'], action: 'prev-instruction', help: 'previous instruction' },
  { keys: ['ArrowDown'], action: 'next-claim', help: 'focus the next claim' },
  { keys: ['ArrowUp'], action: 'prev-claim', help: 'focus the previous claim' },
  { keys: [']'], action: 'next-candidate', help: 'focus the next candidate' },
  { keys: ['['], action: 'prev-candidate', help: 'focus the previous candidate' },
  { keys: ['y'], action: 'answer-yes', help: 'answer yes to the question of the focused claim' },
  { keys: ['n'], action: 'answer-no', help: 'answer no to the question of the focused claim' },
  { keys: ['u'], action: 'answer-clear', help: 'clear your answer to the focused claim' },
  { keys: ['1'], action: 'rate-1', help: 'rate the focused candidate 1 (worst)' },
  { keys: ['2'], action: 'rate-2', help: 'rate the focused candidate 2' },
  { keys: ['3'], action: 'rate-3', help: 'rate the focused candidate 3' },
  { keys: ['4'], action: 'rate-4', help: 'rate the focused candidate 4' },
  { keys: ['5'], action: 'rate-5', help: 'rate the focused candidate 5 (best)' },
  { keys: ['0'], action: 'rate-clear', help: 'clear your rating of the focused candidate' },
  { keys: ['c'], action: 'comment-candidate', help: 'comment on the focused candidate (Ctrl+Enter saves)' },
  { keys: ['C'], action: 'comment-instruction', help: 'comment on the instruction (Ctrl+Enter saves)' },
  { keys: ['e'], action: 'correct', help: 'correct (edit) the focused candidate\'s answer (Ctrl+Enter saves)' },
  { keys: ['p'], action: 'next-pair', help: 'focus the next kept pair' },
  { keys: ['a'], action: 'pair-agree', help: 'agree with the focused pair (the chosen answer is better)' },
  { keys: ['d'], action: 'pair-disagree', help: 'disagree with the focused pair (the rejected answer is better)' },
  { keys: ['t'], action: 'pair-tie', help: 'the focused pair is a tie' },
  { keys: ['f'], action: 'flag-image', help: 'flag the instruction: bad image (again to unflag)' },
  { keys: ['F'], action: 'flag-question', help: 'flag the instruction: bad question (again to unflag)' },
  { keys: ['Enter'], action: 'done', help: 'done with this instruction: open the next in your queue' },
  { keys: ['?'], action: 'help', help: 'show or hide this list' },
  { keys: ['Escape'], action: 'escape', help: 'close this list, or leave a text box' },
];

const BY_KEY = new Map<string, Action>(SHORTCUTS.flatMap((s) => s.keys.map((k) => [k, s.action] as [string, Action])));

/** `actionForKey('y')` -> 'answer-yes'; a key without a shortcut -> undefined. */
export function actionForKey(key: string): Action | undefined {
  return BY_KEY.get(key);
}

/** How the help overlay spells a key: `ArrowDown` -> '↓', `Enter` -> '⏎ Enter'. */
export function keyLabel(key: string): string {
  const names: Record<string, string> = { ArrowDown: '↓', ArrowUp: '↑', Enter: '⏎ Enter', Escape: 'Esc', C: 'Shift+C', F: 'Shift+F' };
  return names[key] ?? key;
}
