/**
 * `rlaifv audit`: a web server over one `generate` folder, where people read every candidate with
 * its claims highlighted by verdict and give feedback: claim verdicts, ratings, comments,
 * corrections, pair judgements, flags. Feedback goes to `DIR/feedback.sqlite` (../feedback/store.ts),
 * acknowledged only once committed; `rlaifv generate` rerun on the folder trains on it.
 * Binds 127.0.0.1 unless told otherwise.
 *
 * Any page a person visits can send requests here, and on a public campaign anyone can, so the
 * server trusts no client (./access.ts for sessions, CSRF and rate limits):
 * - every request must name this server (or `--public-url`'s host) in Host (421: DNS rebinding);
 * - a change must come from the site's own origin (403) as JSON (415), carry the session's CSRF
 *   token (403), stay within the rate limits (429) and the body limit (400);
 * - in campaign mode every request needs a live session (401); admin routes need an admin (403);
 * - every id must be the run's (404), every field within the store's LIMITS (400), and a person
 *   acts only as themselves (the person comes from the session, never from the body);
 * - the page is sent with a Content-Security-Policy that runs only its own script and style, and
 *   no page may frame it.
 *
 * `createAuditApp` is the socket-free app (routes below); `startAuditServer` puts it on node:http.
 */
import { HttpApp, type Context } from '../http/app.ts';
import { HttpError } from '../http/errors.ts';
import { isLoopback, jsonBody, originOf, ownHost, sameOrigin, type BoundAddress } from '../http/guards.ts';
import { listen } from '../http/node.ts';
import { bytes, html, json, type HttpResponse } from '../http/responses.ts';
import { FeedbackError } from '../feedback/errors.ts';
import { feedbackAgreement } from '../feedback/agreement.ts';
import { queueFor } from '../feedback/queue.ts';
import { FeedbackStore } from '../feedback/store.ts';
import type { Person, Role } from '../feedback/types.ts';
import { RlaifvError } from '../util/errors.ts';
import { Access, type Actor, type AuditLimits, type AuditMode } from './access.ts';
import { AuditRequestError, AuditRun } from './data.ts';
import { asRequestError, checkedEvent, jsonOf, myFeedback, verdictsOf } from './feedback.ts';
import { auditPageHtml, pageSecurityPolicy } from './page.ts';
import { messagePage, signInBounce } from './pages.ts';
import type { VerdictRequest } from './types.ts';

export interface AuditServerOptions {
  /** The `generate` output folder. */
  dir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Where people open the site, on a TLS proxy in front (`https://audit.example.org`): its host and origin are the server's too, and https makes the session cookie Secure. */
  publicUrl?: string;
  limits?: Partial<AuditLimits>;
  /** Request lines (method, path, status); default: none. */
  log?: (line: string) => void;
}

export interface RunningAuditServer {
  url: string;
  run: AuditRun;
  store: FeedbackStore;
  mode(): AuditMode;
  close(): Promise<void>;
}

export interface AuditAppOptions {
  /** Default: `FeedbackStore.open(run.dir)`. */
  store?: FeedbackStore;
  /** The interface bound; default the `bound()` host, else 127.0.0.1. Beyond loopback is campaign mode. */
  host?: string;
  publicUrl?: string;
  limits?: Partial<AuditLimits>;
}

/** A change is a few hundred bytes; the longest, a settings event, is 20,000 characters of guidelines. */
const MAX_BODY = 64 * 1024;

/**
 * The audit routes over an opened run, answered in-process for a server at `bound` (read per
 * request: a server on port 0 knows its port once listening):
 * `await createAuditApp(run, page, () => ({ host: '127.0.0.1', port: 8090 }))
 *   .handle({ method: 'GET', url: '/api/run', headers: { host: '127.0.0.1:8090' } })`.
 */
export function createAuditApp(run: AuditRun, page: string, bound: () => BoundAddress | undefined, o: AuditAppOptions = {}): HttpApp {
  return buildAuditApp(run, page, bound, o).app;
}

/** `createAuditApp`, with the access checks it answers through (their `mode()`). */
export function buildAuditApp(run: AuditRun, page: string, bound: () => BoundAddress | undefined, o: AuditAppOptions = {}): { app: HttpApp; access: Access } {
  const publicUrl = o.publicUrl === undefined ? undefined : checkPublicUrl(o.publicUrl);
  const store = o.store ?? FeedbackStore.open(run.dir);
  const access = new Access(store, { host: o.host ?? bound()?.host ?? '127.0.0.1', ...(publicUrl !== undefined && { publicUrl }), ...(o.limits && { limits: o.limits }) });
  const pageHeaders = { 'content-security-policy': pageSecurityPolicy(page) };

  const progress = (personId: string) => {
    const items = run.ids();
    const done = store.done();
    const settings = store.settings();
    const queue = queueFor(personId, items, { done, disputed: run.disputedIds(store.verdicts().values()), settings });
    return {
      queue,
      progress: {
        mine: { done: items.filter((id) => done.get(id)?.has(personId)).length, queue: queue.length },
        overall: { items: items.length, doneByEnough: items.filter((id) => (done.get(id)?.size ?? 0) >= settings.perItem).length, events: store.count() },
      },
    };
  };
  const admin = (c: Context, change: boolean): Actor => {
    const actor = change ? access.changer(c) : access.actor(c);
    if (actor.person.role !== 'admin') throw new HttpError(403, `this needs an admin; ${actor.person.name} is an ${actor.person.role}`, { code: 'forbidden' });
    return actor;
  };
  const thePage = (c: Context): HttpResponse<string> => {
    try {
      access.actor(c);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 401) throw err;
      // After an invite link opened from another site, the browser withholds the SameSite=Strict
      // cookie it has just stored; a same-site reload sends it.
      if (c.headers['sec-fetch-site'] === 'cross-site' && c.headers['sec-fetch-mode'] === 'navigate') return signInBounce(c.path);
      return messagePage(401, 'Not signed in', 'This feedback site is open to invited people only. Ask your admin for an invite link, and open it in this browser.');
    }
    return withHeaders(html(page), pageHeaders);
  };

  const app = new HttpApp({
    maxBodyBytes: MAX_BODY,
    tooLarge: () => new AuditRequestError(`the body is over ${MAX_BODY} bytes`, 400),
    headers: {
      // The page reads every answer fresh: a cached /api/instructions would hide the person's own answers.
      'cache-control': 'no-store',
      // No other page may frame this one (clickjacking the answer buttons); the CSP says it too, for newer browsers.
      'x-frame-options': 'DENY',
      // JSON stays JSON: never sniffed into a script or a page.
      'x-content-type-options': 'nosniff',
      // An invite link's token never travels on as a Referer.
      'referrer-policy': 'no-referrer',
    },
    // The store's refusal of a field is the client's 400; anything else is shown to the person at
    // the page, who is the one who can act on it (a moved input file, say).
    onError: (err) => (err instanceof FeedbackError ? asRequestError(err) as HttpError : new HttpError(500, (err as Error).message, { expose: true, cause: err })),
    notFound: (miss) => new AuditRequestError(`no route ${miss.method} ${miss.rawPath}`, 404),
    methodNotAllowed: (miss) => new AuditRequestError(`no route ${miss.method} ${miss.rawPath}`, 404),
  })
    .use(ownHost(bound, publicUrl))
    .use(sameOrigin(publicUrl))
    .use(jsonBody())
    .get('/', thePage)
    .get('/index.html', thePage)
    .get('/invite/:token', ({ params: { token }, ...c }) => {
      access.inviteAttempt({ headers: c.headers, remoteAddress: c.remoteAddress });
      let session: string;
      try {
        session = store.redeemInvite(token!).session;
      } catch (err) {
        if (err instanceof FeedbackError) return messagePage(403, 'This invite link does not work', `${err.message.replace(/^invite: /, '')}.`);
        throw err;
      }
      return { status: 303, headers: { location: '/', 'set-cookie': access.sessionCookie(session), 'content-type': 'text/plain' }, body: 'signed in; go to /' };
    })
    .get('/api/me', (c) => {
      const actor = access.actor(c);
      return json({ person: publicPerson(actor.person), csrf: access.csrf(actor), settings: store.settings(), mode: access.mode() });
    })
    .get('/api/run', (c) => {
      const { person } = access.actor(c);
      return json({ ...run.info(verdictsOf(store, person.id)), progress: progress(person.id).progress });
    })
    .get('/api/queue', (c) => json({ items: progress(access.actor(c).person.id).queue }))
    .get('/api/instructions', (c) => {
      const { person } = access.actor(c);
      const done = store.done();
      return json(run.rows(verdictsOf(store, person.id)).map((r) => ({ ...r, done: done.get(r.id)?.has(person.id) ?? false })));
    })
    .get('/api/instructions/*id', async (c) => {
      const { person } = access.actor(c);
      const id = c.params.id!;
      const detail = run.instruction(id, verdictsOf(store, person.id));
      // Say here why an image cannot be served (a moved input file), so that the page can show it.
      const problem = await run.imageProblem(id);
      const questions = [...new Set(detail.candidates.flatMap((cd) => cd.claims.map((cl) => cl.question)))];
      const mine = myFeedback(store, person.id, id, detail.candidates.map((cd) => cd.id), questions);
      return json({ ...detail, ...(problem === undefined ? { image: `/image/${encodeURIComponent(id)}` } : { image: null, imageError: problem }), mine });
    })
    .get('/image/*id', async (c) => {
      access.actor(c);
      return bytes(await run.imagePng(c.params.id!), 'image/png');
    })
    .post('/api/feedback', (c) => {
      const { person } = access.changer(c);
      const event = checkedEvent(run, person, jsonOf(c.body, 'one feedback event, e.g. {"kind":"rating","instructionId","candidateId","rating":4}'));
      return json({ seq: store.record(person.id, event).seq });
    })
    .post('/api/verdict', (c) => {
      const { person } = access.changer(c);
      const req = jsonOf(c.body, '{"instructionId","question","answer":"yes"|"no"|null}') as VerdictRequest;
      run.checkTarget(String(req.instructionId), { question: typeof req.question === 'string' ? req.question : '' });
      if (req.answer !== 'yes' && req.answer !== 'no' && req.answer !== null) {
        throw new AuditRequestError(`field "answer" must be "yes", "no" or null, got ${JSON.stringify(req.answer)}`, 400);
      }
      store.record(person.id, checkedEvent(run, person, { kind: 'verdict', instructionId: req.instructionId, question: req.question, answer: req.answer }));
      // The single-person page's file stays in step for the local person, as before the store.
      if (access.mode() === 'local') run.answer(req);
      return json({ agreement: run.agreement(verdictsOf(store, person.id)) });
    })
    .all('/api/verdict', () => {
      throw new AuditRequestError('POST a JSON {"instructionId","question","answer"} to /api/verdict', 400);
    })
    .get('/api/admin/summary', (c) => {
      admin(c, false);
      return json({ agreement: feedbackAgreement(store, run.labelerVerdicts()), progress: progress('').progress.overall, people: store.people() });
    })
    .post('/api/admin/invite', (c) => {
      admin(c, true);
      const body = jsonOf(c.body, '{"name","role":"annotator"|"admin"}') as { name?: unknown; role?: unknown };
      const { person, token } = store.invite(body.name as string, (body.role ?? 'annotator') as Role);
      return json({ link: inviteLink(publicUrl ?? originOf(c.headers.host!), token), person });
    })
    .post('/api/admin/revoke', (c) => {
      const actor = admin(c, true);
      const { personId } = jsonOf(c.body, '{"personId"}') as { personId?: unknown };
      if (typeof personId !== 'string' || store.person(personId) === undefined) throw new AuditRequestError(`no person ${JSON.stringify(personId)}; see GET /api/admin/summary`, 404);
      if (personId === actor.person.id) throw new AuditRequestError('an admin cannot revoke themselves (another admin can, or rlaifv audit users --revoke)', 400);
      return json({ person: store.revoke(personId) });
    });
  return { app, access };
}

/** `https://audit.example.org/invite/<token>` */
export function inviteLink(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/invite/${token}`;
}

/** What other people may see of a person. */
function publicPerson(p: Person): Pick<Person, 'id' | 'name' | 'role'> {
  return { id: p.id, name: p.name, role: p.role };
}

/**
 * A public URL as the site needs it: http(s), the site at its root (the page asks for `/api/...`),
 * nothing else. Throws saying what to give.
 */
export function checkPublicUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RlaifvError(`--public-url ${JSON.stringify(url)} is not a URL; give the address people open, e.g. https://audit.example.org`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new RlaifvError(`--public-url must be http:// or https://, got ${u.protocol}`);
  if (u.pathname !== '/' || u.search !== '' || u.hash !== '' || u.username !== '' || u.password !== '') {
    throw new RlaifvError(`--public-url must be the site's root (${u.origin}), got ${JSON.stringify(url)}: the site needs a host of its own, or a proxy that serves it at /`);
  }
  return u.origin;
}

/**
 * Whether the store has an admin who can sign in: not revoked, and not the loopback identity
 * (which has no session to give). Asked only when some admin is named `local`.
 */
function hasAdmin(store: FeedbackStore): boolean {
  const admins = store.people().filter((p) => p.role === 'admin' && p.revokedAt === null);
  if (admins.some((p) => p.name !== 'local')) return true;
  if (admins.length === 0) return false;
  const local = store.localPerson().id;
  return admins.some((p) => p.id !== local);
}

function withHeaders<R extends { headers: Record<string, string> }>(response: R, headers: Record<string, string>): R {
  return { ...response, headers: { ...response.headers, ...headers } };
}

/**
 * `const s = await startAuditServer({ dir: 'runs/gen', port: 0 }); // open s.url; later await s.close()`
 * Bound beyond loopback or given a public URL, it refuses to start without an admin to sign in.
 */
export async function startAuditServer(options: AuditServerOptions): Promise<RunningAuditServer> {
  const run = await AuditRun.open(options.dir);
  const host = options.host ?? '127.0.0.1';
  const publicUrl = options.publicUrl === undefined ? undefined : checkPublicUrl(options.publicUrl);
  const store = FeedbackStore.open(options.dir);
  try {
    if ((publicUrl !== undefined || !isLoopback(host)) && !hasAdmin(store)) {
      throw new RlaifvError(`a campaign (--host ${host}${publicUrl ? ` --public-url ${publicUrl}` : ''}) needs an admin to sign in first: rlaifv audit invite --run ${options.dir} --name NAME --role admin${publicUrl ? ` --public-url ${publicUrl}` : ''}`);
    }
    let bound: BoundAddress | undefined;
    const { app, access } = buildAuditApp(run, auditPageHtml(), () => bound, { store, host, ...(publicUrl !== undefined && { publicUrl }), ...(options.limits && { limits: options.limits }) });
    const { log } = options;
    const server = await listen(app, {
      host,
      port: options.port ?? 8090,
      ...(log && { log: (e) => log(`${e.method} ${e.url} ${e.status}${e.error === undefined ? '' : ` ${e.error}`}`) }),
      // The page keeps keep-alive connections open: cut them, or closing would wait for the browser.
      closing: 'drop',
    });
    bound = { host, port: server.port };
    return {
      url: server.url, run, store,
      mode: () => access.mode(),
      close: async () => {
        await server.close();
        store.close();
      },
    };
  } catch (err) {
    store.close();
    throw err;
  }
}
