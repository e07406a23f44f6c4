/**
 * Exact truth of sentence meanings and questions in a scene. A description is true of a scene
 * when some object has every stated attribute; "Is the circle red?" means "is there a red circle".
 */
import type { Query, SentenceMeaning } from './grammar.ts';
import { matches } from './vocab.ts';
import type { Description, Scene, WorldObject } from './vocab.ts';

export function exists(scene: Scene, d: Description): boolean {
  return scene.objects.some((o) => matches(o, d));
}

/**
 * Truth of a question; `where` questions are not yes/no and give undefined.
 * @example
 * queryTruth(scene, { kind: 'absent', target: { shape: 'star' } }); // true when no star is present
 */
export function queryTruth(scene: Scene, q: Query): boolean | undefined {
  switch (q.kind) {
    case 'exists': return exists(scene, q.target);
    case 'absent': return !exists(scene, q.target);
    case 'count': return scene.objects.length === q.count && (q.items === undefined || listMatches(scene.objects, q.items));
    case 'where': return undefined;
  }
}

/** Truth of a statement's meaning; undefined for sentences that assert nothing (questions, answers, instructions). */
export function meaningTruth(scene: Scene, m: SentenceMeaning): boolean | undefined {
  switch (m.kind) {
    case 'mention': return exists(scene, m.target);
    case 'negation': return !exists(scene, m.target);
    case 'list': return queryTruth(scene, { kind: 'count', count: m.count, items: m.items });
    default: return undefined;
  }
}

/** True when the items can be matched one-to-one onto all the objects (small sizes: backtracking). */
function listMatches(objects: readonly WorldObject[], items: readonly Description[]): boolean {
  if (objects.length !== items.length) return false;
  const used = new Array<boolean>(objects.length).fill(false);
  const assign = (i: number): boolean => {
    if (i === items.length) return true;
    for (let j = 0; j < objects.length; j++) {
      if (used[j] || !matches(objects[j]!, items[i]!)) continue;
      used[j] = true;
      if (assign(i + 1)) return true;
      used[j] = false;
    }
    return false;
  };
  return assign(0);
}
