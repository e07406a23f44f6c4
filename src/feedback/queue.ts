/**
 * Which instructions a person should see next: those they have not finished and that fewer than
 * `perItem` people have finished, disputed ones first when the admin asked for it, else run order.
 */
import type { CampaignSettings } from './types.ts';

/**
 * `queueFor('p2', ['i1', 'i2', 'i3'], { done: new Map([['i1', new Set(['p1'])]]), disputed: new Set(['i3']), settings: { guidelines: '', perItem: 1, disputedFirst: true } })`
 *   -> `['i3', 'i2']` (i1 has its one person)
 */
export function queueFor(
  personId: string,
  items: readonly string[],
  o: { done: ReadonlyMap<string, ReadonlySet<string>>; disputed: ReadonlySet<string>; settings: CampaignSettings },
): string[] {
  const open = items.filter((item) => {
    const doneBy = o.done.get(item);
    return !doneBy?.has(personId) && (doneBy?.size ?? 0) < o.settings.perItem;
  });
  if (!o.settings.disputedFirst) return open;
  return [...open.filter((i) => o.disputed.has(i)), ...open.filter((i) => !o.disputed.has(i))];
}
