/**
 * What the feedback site's server sends the pages beyond the single-person shapes of ../types.ts
 * (the contract in docs/audit.md, "The pages"): who is at the page, their own feedback on an
 * instruction, their progress, and the admin's summary. Types only.
 */
import type { FeedbackAgreement } from '../../feedback/agreement.ts';
import type { CampaignSettings, Person, Role } from '../../feedback/types.ts';
import type { AuditInstruction, AuditRunInfo, MyFeedback } from '../types.ts';
import type { Progress } from './feedback-helpers.ts';

/** `GET /api/me` */
export interface Me {
  person: { id: string; name: string; role: Role };
  csrf: string;
  settings: CampaignSettings;
  mode: 'local' | 'campaign';
}

/** `GET /api/run` */
export type RunInfo = AuditRunInfo & { progress?: Progress };

/** The person's own standing feedback on one instruction (`GET /api/instructions/<id>`, field `mine`). */
export type Mine = MyFeedback;

export type Instruction = AuditInstruction & { mine?: Mine };

/** `GET /api/queue` */
export interface Queue {
  items: string[];
}

/** `GET /api/admin/summary` */
export interface AdminSummary {
  agreement: FeedbackAgreement;
  /** Overall progress: `{ items, doneByEnough, events }` (or a whole Progress, whose `overall` is read). */
  progress?: Progress['overall'] | Progress;
  people: Person[];
}

export type { FeedbackAgreement };

export function emptyMine(): Mine {
  return { verdicts: {}, ratings: {}, comments: {}, corrections: {}, pairs: {}, flag: { badImage: false, badQuestion: false }, done: false };
}
