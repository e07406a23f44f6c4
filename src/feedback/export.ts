/**
 * All human feedback of a run as JSONL for other tools (`rlaifv audit export`): one line per event
 * in log order, `{seq, at, who: {id, name, role}, kind, ...the event's fields}`, withdrawals
 * included (the reader folds them as the store does). Written to a temp file, synced, then renamed
 * over `outFile`, so a reader never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FeedbackStore } from './store.ts';

/** Events per read and write, to keep memory flat on a long log. */
const BATCH = 1_000;

/** `exportFeedback(store, 'feedback.jsonl')` -> `{ lines: 1234 }` */
export function exportFeedback(store: FeedbackStore, outFile: string): { lines: number } {
  mkdirSync(dirname(outFile), { recursive: true });
  const tmp = join(dirname(outFile), `.${basename(outFile)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const who = new Map(store.people().map((p) => [p.id, { id: p.id, name: p.name, role: p.role }]));
  let lines = 0;
  const fd = openSync(tmp, 'w');
  try {
    for (let after = 0; ;) {
      const batch = store.events({ afterSeq: after, limit: BATCH });
      if (batch.length === 0) break;
      const text = batch.map(({ seq, at, personId, kind, ...fields }) => JSON.stringify({ seq, at, who: who.get(personId) ?? { id: personId }, kind, ...fields })).join('\n');
      writeSync(fd, `${text}\n`);
      lines += batch.length;
      after = batch[batch.length - 1]!.seq;
    }
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, outFile);
  } catch (err) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(tmp, { force: true });
    throw err;
  }
  return { lines };
}
