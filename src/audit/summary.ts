/**
 * What `rlaifv audit --summary` prints, and the run's store as the CLI's `invite`, `users` and
 * `export` open it.
 */
import { feedbackAgreement, type FeedbackAgreement } from '../feedback/agreement.ts';
import { FeedbackStore } from '../feedback/store.ts';
import type { Person, YesNo } from '../feedback/types.ts';
import { verdictKey } from '../feedback/keys.ts';
import { AuditRun } from './data.ts';
import type { AuditRunInfo } from './types.ts';

export interface AuditSummary extends AuditRunInfo {
  /** Present once the run has a feedback store: agreement between people, with the labeler and the truth. */
  feedback?: FeedbackAgreement;
  progress?: { items: number; doneByEnough: number; events: number; people: number };
  /** Where the feedback is kept. */
  feedbackFile?: string;
}

/**
 * The run's counts and `agreement` (the labeler against the people's majority verdicts, which a
 * rerun trains on: with one person, that person's answers), and with a store the agreement
 * measures and progress. Read-only: it creates nothing.
 */
export async function auditSummary(dir: string): Promise<AuditSummary> {
  const run = await AuditRun.open(dir);
  const store = FeedbackStore.openIfExists(dir);
  if (!store) return run.info();
  try {
    const majority = new Map<string, YesNo>(store.majorityVerdicts().map((m) => [verdictKey(m.instructionId, m.question), m.answer]));
    const done = store.done();
    const { perItem } = store.settings();
    const items = run.ids();
    return {
      ...run.info(majority),
      feedback: feedbackAgreement(store, run.labelerVerdicts()),
      progress: { items: items.length, doneByEnough: items.filter((id) => (done.get(id)?.size ?? 0) >= perItem).length, events: store.count(), people: store.people().length },
      feedbackFile: store.path,
    };
  } finally {
    store.close();
  }
}

/** The run's store, opened for writing once the folder is known to be a finished run. */
export async function openRunStore(dir: string): Promise<FeedbackStore> {
  await AuditRun.open(dir);
  return FeedbackStore.open(dir);
}

/** `rlaifv audit users`: one line per person. */
export function peopleTable(people: readonly Person[]): string {
  const rows = [['id', 'name', 'role', 'since', 'revoked'], ...people.map((p) => [p.id, p.name, p.role, p.createdAt.slice(0, 16), p.revokedAt?.slice(0, 16) ?? ''])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}
