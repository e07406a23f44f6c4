/**
 * Who is asking, and may they: the audit site's sessions, CSRF tokens, modes and rate limits.
 *
 * - **local** (bound to loopback, no `--public-url`, nobody invited): no login; every request acts
 *   as the store's local person (an admin), as the single-person page always did.
 * - **campaign** (anything else): every request needs the session cookie an invite link set; a
 *   revoked person's or an unknown session is a 401.
 *
 * In both, every change carries `X-CSRF-Token`: an HMAC of the session (`local` in local mode)
 * with the store's secret, which only this server's own `/api/me` hands out (../http/csrf.ts).
 */
import type { Incoming } from '../http/app.ts';
import { parseCookies, serializeCookie } from '../http/cookies.ts';
import { csrfMatches, csrfToken } from '../http/csrf.ts';
import { HttpError } from '../http/errors.ts';
import { isLoopback } from '../http/guards.ts';
import { RateLimiter } from '../http/rate-limit.ts';
import type { FeedbackStore } from '../feedback/store.ts';
import type { Person } from '../feedback/types.ts';

export const SESSION_COOKIE = 'rlaifv_session';

export type AuditMode = 'local' | 'campaign';

/** Requests a minute; `Infinity` turns a limit off (the bench measures the server, not the limits). */
export interface AuditLimits {
  /** Changes (answers, comments, ...) per person. A fast person answers a claim a second with the keys. */
  answersPerPerson: number;
  /** Changes per address: several people behind one NAT. */
  answersPerAddress: number;
  /** `GET /invite/<token>` per address: a token cannot be guessed, and this keeps anyone from trying. */
  invitesPerAddress: number;
}

export const DEFAULT_LIMITS: AuditLimits = { answersPerPerson: 240, answersPerAddress: 1_200, invitesPerAddress: 20 };

export interface AccessOptions {
  /** Where people open the site (a TLS proxy in front): its https makes the cookie Secure. */
  publicUrl?: string;
  /** The interface the server binds. */
  host: string;
  limits?: Partial<AuditLimits>;
}

/** A person acting through a request, with the key their CSRF token is bound to. */
export interface Actor {
  person: Person;
  /** The session token, or `local` in local mode. */
  csrfKey: string;
}

/** What a request needs from the checks: its headers and the peer's address. */
type Asking = Pick<Incoming, 'headers'> & { remoteAddress: string | undefined };

export class Access {
  readonly secure: boolean;
  private readonly forcedCampaign: boolean;
  private readonly localId: string | undefined;
  private readonly answers: { person: RateLimiter; address: RateLimiter };
  private readonly invites: RateLimiter;
  private readonly secret: Buffer;

  constructor(private readonly store: FeedbackStore, private readonly o: AccessOptions) {
    this.secure = o.publicUrl?.startsWith('https:') ?? false;
    this.forcedCampaign = o.publicUrl !== undefined || !isLoopback(o.host);
    // The local identity exists only where local mode can happen, so a public campaign lists no "local" person.
    this.localId = this.forcedCampaign ? undefined : store.localPerson().id;
    this.secret = store.secret();
    const limits = { ...DEFAULT_LIMITS, ...o.limits };
    this.answers = { person: new RateLimiter(limits.answersPerPerson, 'changes'), address: new RateLimiter(limits.answersPerAddress, 'changes') };
    this.invites = new RateLimiter(limits.invitesPerAddress, 'invite attempts');
  }

  /** Campaign as soon as anyone was invited (read per request: `rlaifv audit invite` may run while the site does). */
  mode(): AuditMode {
    if (this.forcedCampaign) return 'campaign';
    return this.store.people().some((p) => p.id !== this.localId) ? 'campaign' : 'local';
  }

  /** The person a request acts as; a 401 without a live session in campaign mode. */
  actor(req: Asking): Actor {
    if (this.mode() === 'local') return { person: this.store.person(this.localId!)!, csrfKey: 'local' };
    const session = this.session(req);
    const person = session === undefined ? undefined : this.store.personForSession(session);
    if (!person) {
      throw new HttpError(401, session === undefined
        ? 'no session: open the invite link an admin gave you (rlaifv audit invite)'
        : 'this session is no longer valid (revoked, or from another run); ask an admin for a new invite link', { code: 'no_session' });
    }
    return { person, csrfKey: session! };
  }

  /** The actor of a change: its CSRF token must fit its session, and it must be within the rate limits. */
  changer(req: Asking): Actor {
    const actor = this.actor(req);
    if (!csrfMatches(this.secret, actor.csrfKey, req.headers['x-csrf-token'])) {
      throw new HttpError(403, 'missing or wrong X-CSRF-Token: send the csrf that GET /api/me gives this session (reload the page)', { code: 'csrf' });
    }
    this.answers.person.check(actor.person.id, `${actor.person.name} (${actor.person.id})`);
    this.answers.address.check(this.address(req));
    return actor;
  }

  csrf(actor: Actor): string {
    return csrfToken(this.secret, actor.csrfKey);
  }

  /** Checks an invite attempt against the per-address limit (429 past it). */
  inviteAttempt(req: Asking): void {
    this.invites.check(this.address(req));
  }

  /** The `Set-Cookie` value for a new session. */
  sessionCookie(session: string): string {
    return serializeCookie(SESSION_COOKIE, session, { httpOnly: true, sameSite: 'Strict', secure: this.secure, path: '/' });
  }

  /**
   * The client's address: the peer's, or behind a proxy on this machine (`--public-url`), the one the
   * proxy appended last to `X-Forwarded-For` (earlier entries are the client's to invent).
   */
  address(req: Asking): string {
    const peer = req.remoteAddress ?? 'in-process';
    if (this.o.publicUrl === undefined || !isLoopback(peer.replace(/^::ffff:/, ''))) return peer;
    const forwarded = req.headers['x-forwarded-for']?.split(',').map((s) => s.trim()).filter((s) => s !== '');
    return forwarded?.at(-1) ?? peer;
  }

  private session(req: Asking): string | undefined {
    const s = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    return s === undefined || s === '' ? undefined : s;
  }
}
