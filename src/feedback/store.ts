/**
 * The feedback store: `DIR/feedback.sqlite` beside a `generate` run, an append-only log of what
 * people said about it, and who they are. WAL with synchronous=FULL: `record` returns only after
 * its event is committed and synced, so an acknowledged answer survives `kill -9` and a power cut;
 * readers (the pipeline, `rlaifv audit --summary`) do not block the site writing.
 *
 * Invite and session tokens are 32 random bytes (base64url) handed out once; only their SHA-256
 * is stored. `secret()` is a per-store random key for the site's CSRF tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { readAuditLines } from './audit-import.ts';
import { FeedbackError } from './errors.ts';
import { checkVersion, migrate } from './schema.ts';
import { changedSpans } from './spans.ts';
import type { CampaignSettings, Correction, FeedbackEvent, MajorityPairJudgement, MajorityVerdict, PairJudgement, Person, RecordedEvent, Role, YesNo } from './types.ts';
import { checkEvent, checkName, checkRole } from './validate.ts';
import { FeedbackFold, type CommentInForce, type FlagInForce } from './views.ts';

export { FeedbackError } from './errors.ts';
export { pairKey, targetKey, verdictKey } from './keys.ts';

export const FEEDBACK_FILE = 'feedback.sqlite';
const LOCAL_NAME = 'local';
/** How long a write waits for another process's (the CLI inviting while the site runs). */
const BUSY_TIMEOUT_MS = 5_000;

export function feedbackPath(runDir: string): string {
  return join(runDir, FEEDBACK_FILE);
}

interface PersonRow { id: string; name: string; role: Role; created_at: string; revoked_at: string | null }
interface EventRow { seq: number; person_id: string; at: string; kind: string; body: string }

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

function toPerson(r: PersonRow): Person {
  return { id: r.id, name: r.name, role: r.role, createdAt: r.created_at, revokedAt: r.revoked_at };
}

function toEvent(r: EventRow): RecordedEvent {
  return { seq: r.seq, personId: r.person_id, at: r.at, kind: r.kind, ...JSON.parse(r.body) } as RecordedEvent;
}

export class FeedbackStore {
  private readonly fold = new FeedbackFold();

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
    private readonly readonly: boolean,
    private readonly now: () => Date,
  ) {}

  /** Opens (creates) DIR/feedback.sqlite; on creation, takes over DIR/audit.jsonl as the local person's verdicts. */
  static open(runDir: string, o: { now?: () => Date } = {}): FeedbackStore {
    mkdirSync(runDir, { recursive: true });
    const path = feedbackPath(runDir);
    const db = openDatabase(path, false);
    try {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new FeedbackError(`${path}: SQLite refused WAL mode (got '${String(mode)}'); keep the run folder on a local disk, not a network share`);
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrate(db, path);
      const store = new FeedbackStore(db, path, false, o.now ?? (() => new Date()));
      store.importAuditFileOnce(runDir);
      return store;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Read-only, for readers; undefined when the run has no feedback.sqlite. Does not import audit.jsonl. */
  static openIfExists(runDir: string): FeedbackStore | undefined {
    const path = feedbackPath(runDir);
    if (!existsSync(path)) return undefined;
    const db = openDatabase(path, true);
    try {
      checkVersion(db.prepare(`SELECT value FROM meta WHERE key = 'schema'`).pluck().get() as string | undefined, path);
      return new FeedbackStore(db, path, true, () => new Date());
    } catch (err) {
      db.close();
      throw err;
    }
  }

  close(): void {
    this.db.close();
  }

  /** The store's random key (32 bytes) for the site's CSRF HMACs; the same across restarts. */
  secret(): Buffer {
    return this.db.prepare(`SELECT value FROM meta WHERE key = 'secret'`).pluck().get() as Buffer;
  }

  // ---- people

  /** A new person and their one-time invite token (shown once; only its hash is kept). */
  invite(name: string, role: Role): { person: Person; token: string } {
    this.writable('invite');
    const checkedName = checkName(name), checkedRole = checkRole(role);
    const token = newToken();
    const person = this.db.transaction(() => {
      const p = this.addPerson(checkedName, checkedRole);
      this.db.prepare(`INSERT INTO invites (token_hash, person_id, created_at) VALUES (?, ?, ?)`).run(hashToken(token), p.id, this.isoNow());
      return p;
    }).immediate();
    return { person, token };
  }

  /** Trades an invite token for a session token, once. */
  redeemInvite(token: string): { person: Person; session: string } {
    this.writable('redeemInvite');
    const session = newToken();
    const person = this.db.transaction(() => {
      const invite = this.db.prepare(`SELECT person_id, used_at, revoked_at FROM invites WHERE token_hash = ?`).get(hashToken(String(token))) as
        { person_id: string; used_at: string | null; revoked_at: string | null } | undefined;
      if (!invite) throw new FeedbackError('invite: no such invite; ask an admin for a new link (rlaifv audit invite)', 'token');
      const p = this.person(invite.person_id)!;
      if (invite.revoked_at !== null || p.revokedAt !== null) throw new FeedbackError('invite: this invite was revoked; ask an admin for a new link', 'token');
      if (invite.used_at !== null) throw new FeedbackError('invite: this invite was already used; each link works once, ask an admin for a new one', 'token');
      const at = this.isoNow();
      this.db.prepare(`UPDATE invites SET used_at = ? WHERE token_hash = ?`).run(at, hashToken(token));
      this.db.prepare(`INSERT INTO sessions (token_hash, person_id, created_at) VALUES (?, ?, ?)`).run(hashToken(session), p.id, at);
      return p;
    }).immediate();
    return { person, session };
  }

  /** The person a session token belongs to; undefined for an unknown or revoked one. */
  personForSession(session: string): Person | undefined {
    if (typeof session !== 'string' || session === '') return undefined;
    const row = this.db.prepare(`SELECT p.* FROM sessions s JOIN people p ON p.id = s.person_id
      WHERE s.token_hash = ? AND s.revoked_at IS NULL AND p.revoked_at IS NULL`).get(hashToken(session)) as PersonRow | undefined;
    return row && toPerson(row);
  }

  /** The loopback single-user identity ("local", admin), created on first use. */
  localPerson(): Person {
    const id = this.db.prepare(`SELECT value FROM meta WHERE key = 'local_person'`).pluck().get() as string | undefined;
    if (id !== undefined) return this.person(id)!;
    if (this.readonly) throw new FeedbackError(`${this.path}: no local person yet (the store was opened read-only)`);
    return this.db.transaction(() => {
      const again = this.db.prepare(`SELECT value FROM meta WHERE key = 'local_person'`).pluck().get() as string | undefined;
      if (again !== undefined) return this.person(again)!;
      const p = this.addPerson(LOCAL_NAME, 'admin');
      this.db.prepare(`INSERT INTO meta (key, value) VALUES ('local_person', ?)`).run(p.id);
      return p;
    }).immediate();
  }

  /** Revokes the person, their open invites and their sessions; their events still count. */
  revoke(personId: string): Person {
    this.writable('revoke');
    return this.db.transaction(() => {
      const p = this.person(personId);
      if (!p) throw new FeedbackError(`revoke: no person "${personId}"; see rlaifv audit users`, 'personId');
      if (p.revokedAt !== null) return p;
      const at = this.isoNow();
      this.db.prepare(`UPDATE people SET revoked_at = ? WHERE id = ?`).run(at, p.id);
      this.db.prepare(`UPDATE invites SET revoked_at = ? WHERE person_id = ? AND used_at IS NULL AND revoked_at IS NULL`).run(at, p.id);
      this.db.prepare(`UPDATE sessions SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL`).run(at, p.id);
      return { ...p, revokedAt: at };
    }).immediate();
  }

  people(): Person[] {
    return (this.db.prepare(`SELECT * FROM people ORDER BY n`).all() as PersonRow[]).map(toPerson);
  }

  person(id: string): Person | undefined {
    const row = this.db.prepare(`SELECT * FROM people WHERE id = ?`).get(String(id)) as PersonRow | undefined;
    return row && toPerson(row);
  }

  // ---- events

  /** Checks and appends one event, committed and synced before it returns. Corrections get their changed spans. */
  record(personId: string, event: FeedbackEvent): RecordedEvent {
    this.writable('record');
    const p = this.person(personId);
    if (!p) throw new FeedbackError(`record: no person "${String(personId)}"`, 'personId');
    if (p.revokedAt !== null) throw new FeedbackError(`record: ${p.name} (${p.id}) was revoked and can no longer give feedback`, 'personId');
    const e = checkEvent(event);
    if (e.kind === 'settings' && p.role !== 'admin') throw new FeedbackError(`settings: only an admin can change the campaign's settings`, 'kind');
    return this.append(p.id, e, this.isoNow());
  }

  /** In log order; `afterSeq` and `limit` page through a long log. */
  events(o: { personId?: string; afterSeq?: number; limit?: number } = {}): RecordedEvent[] {
    const rows = this.db.prepare(`SELECT * FROM events WHERE seq > ? AND (? IS NULL OR person_id = ?) ORDER BY seq LIMIT ?`)
      .all(o.afterSeq ?? 0, o.personId ?? null, o.personId ?? null, o.limit ?? -1) as EventRow[];
    return rows.map(toEvent);
  }

  count(): number {
    return this.db.prepare(`SELECT COUNT(*) FROM events`).pluck().get() as number;
  }

  // ---- views (for each person and target the last event wins; null / empty withdraws)

  settings(): CampaignSettings { return { ...this.current().settings }; }
  verdicts(): Map<string, Map<string, YesNo>> { return this.current().verdicts(); }
  ratings(): Map<string, Map<string, number>> { return this.current().ratings(); }
  comments(): CommentInForce[] { return this.current().comments(); }
  corrections(): Correction[] { return this.current().corrections(); }
  pairJudgements(): Map<string, Map<string, PairJudgement>> { return this.current().pairJudgements(); }
  flags(): Map<string, Map<string, FlagInForce>> { return this.current().flags(); }
  done(): Map<string, Set<string>> { return this.current().done(); }
  /** Revoked people's events still count (they were given in good faith); ties are left out. */
  majorityVerdicts(): MajorityVerdict[] { return this.current().majorityVerdicts(); }
  majorityPairJudgements(): MajorityPairJudgement[] { return this.current().majorityPairJudgements(); }

  // ---- internals

  private current(): FeedbackFold {
    for (const e of this.events({ afterSeq: this.fold.lastSeq })) this.fold.apply(e);
    return this.fold;
  }

  private append(personId: string, e: FeedbackEvent, at: string): RecordedEvent {
    const { kind, ...fields } = e;
    const body = e.kind === 'correction' ? { ...fields, spans: e.text === null ? [] : changedSpans(e.original, e.text) } : fields;
    const seq = Number(this.db.prepare(`INSERT INTO events (person_id, at, kind, body) VALUES (?, ?, ?, ?)`).run(personId, at, kind, JSON.stringify(body)).lastInsertRowid);
    return { seq, personId, at, kind, ...body } as RecordedEvent;
  }

  private addPerson(name: string, role: Role): Person {
    const n = Number(this.db.prepare(`SELECT COALESCE(MAX(n), 0) + 1 FROM people`).pluck().get());
    const person: Person = { id: `p${n}`, name, role, createdAt: this.isoNow(), revokedAt: null };
    this.db.prepare(`INSERT INTO people (n, id, name, role, created_at) VALUES (?, ?, ?, ?, ?)`).run(n, person.id, name, role, person.createdAt);
    return person;
  }

  /** The single-person page's answers become the local person's verdicts, with their times, exactly once. */
  private importAuditFileOnce(runDir: string): void {
    if (this.db.prepare(`SELECT 1 FROM meta WHERE key = 'audit_imported'`).get()) return;
    const lines = readAuditLines(runDir); // read (and checked) before the write lock is taken
    this.db.transaction(() => {
      if (this.db.prepare(`SELECT 1 FROM meta WHERE key = 'audit_imported'`).get()) return;
      const local = lines.length > 0 ? this.localPerson() : undefined;
      for (const l of lines) {
        let e: FeedbackEvent;
        try {
          e = checkEvent({ kind: 'verdict', instructionId: l.line.instructionId, question: l.line.question, answer: l.line.answer });
        } catch (err) {
          throw err instanceof FeedbackError ? new FeedbackError(`${l.where}: ${err.message}; fix or delete that line`, err.field) : err;
        }
        this.append(local!.id, e, l.line.at ?? this.isoNow());
      }
      this.db.prepare(`INSERT INTO meta (key, value) VALUES ('audit_imported', ?)`).run(String(lines.length));
    }).immediate();
  }

  private writable(what: string): void {
    if (this.readonly) throw new FeedbackError(`${what}: ${this.path} was opened read-only`);
  }

  private isoNow(): string {
    return this.now().toISOString();
  }
}

function openDatabase(path: string, readonly: boolean): Database.Database {
  try {
    return new Database(path, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw new FeedbackError(`${path}: cannot open the feedback store (${(err as Error).message}); check the run folder's permissions`);
  }
}
