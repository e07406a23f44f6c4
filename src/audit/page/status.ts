/**
 * Saved / failed, shown where the person acted: every change goes through `save`, which posts in
 * click order (one after another), marks the control's status element `saving`, then `saved` or
 * `failed` with the reason (a 429 says how long to wait, a 401 that the session ended), and
 * repeats the last outcome in the header's live region for screen readers and for the person
 * whose eyes are elsewhere.
 */
import { ApiError } from './api.ts';
import { byId, h } from './dom.ts';

export type SaveState = 'idle' | 'saving' | 'saved' | 'failed';

/** A status element for one control: `<span class="save-status" data-state="idle">`. */
export function statusEl(testid: string, extra?: Record<string, string>): HTMLElement {
  return h('span', { class: 'save-status', 'data-testid': testid, 'data-state': 'idle', 'aria-live': 'polite', ...extra });
}

export function setState(el: HTMLElement | null, state: SaveState, text: string, status?: number): void {
  if (!el) return;
  el.setAttribute('data-state', state);
  if (status === undefined) el.removeAttribute('data-status');
  else el.setAttribute('data-status', String(status));
  el.textContent = text;
}

let chain: Promise<unknown> = Promise.resolve();

/**
 * Run `send` after every earlier save, showing its state on `el` and in the header; resolves true
 * once the server acknowledged it (then `after` ran), false when it failed.
 */
export function save(el: HTMLElement | null, what: string, send: () => Promise<unknown>, after?: () => void | Promise<void>): Promise<boolean> {
  const run = async (): Promise<boolean> => {
    setState(el, 'saving', 'saving…');
    setState(byId('save-status'), 'saving', 'saving ' + what + '…');
    try {
      await send();
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      const msg = e instanceof Error ? e.message : String(e);
      setState(el, 'failed', 'not saved: ' + msg, status);
      setState(byId('save-status'), 'failed', what + ' not saved: ' + msg, status);
      return false;
    }
    setState(el, 'saved', 'saved');
    setState(byId('save-status'), 'saved', what + ' saved');
    if (after) await after();
    return true;
  };
  const p = chain.then(run, run);
  chain = p.catch(() => undefined);
  return p;
}
