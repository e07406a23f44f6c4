/** What the annotator and admin views share: who is at the page, the run, and what is open and focused. */
import type { AuditInstructionRow } from '../types.ts';
import { emptyMine, type Instruction, type Me, type Mine, type RunInfo } from './wire.ts';

export const state = {
  me: null as Me | null,
  run: null as RunInfo | null,
  rows: [] as AuditInstructionRow[],
  /** The person's queue (GET /api/queue), instruction ids in the order to do them. */
  queue: [] as string[],
  filter: 'all',
  /** Id of the instruction shown (or being loaded). */
  currentId: null as string | null,
  current: null as Instruction | null,
  mine: emptyMine() as Mine,
  /** Drops answers to superseded GETs. */
  openToken: 0,
  /** What the keys act on: a candidate, one of its claims (by index), and a kept pair (by position). */
  focus: { candidate: null as string | null, claim: null as number | null },
  pair: 0,
  view: 'annotate' as 'annotate' | 'admin',
};
