/**
 * Checks (`app.use(...)`) for a server that a web page may reach: the browser sends requests to
 * it from any page the person visits, so the server itself must tell its own page's requests from
 * the rest.
 *
 * - `ownHost`: the Host header must name this server (a page from elsewhere cannot read the API
 *   by pointing its own DNS name at 127.0.0.1: DNS rebinding). 421 otherwise.
 * - `sameOrigin`: a request that changes state must carry `Origin: http://<its Host>`. Browsers
 *   send Origin with every POST, a page's own included; a form or `no-cors` fetch from another
 *   page carries that page's origin. A POST without Origin is refused too: no browser sends one,
 *   and what else posts (curl, a script) can add the header. 403 otherwise.
 * - `jsonBody`: a request that changes state must say `Content-Type: application/json`, which a
 *   form or a `no-cors` fetch cannot send, and a cross-site `fetch` can only after a CORS
 *   preflight this server does not grant. 415 otherwise.
 *
 * Example: `new HttpApp().use(ownHost(() => bound)).use(sameOrigin()).use(jsonBody())`.
 */
import { isIP } from 'node:net';
import type { Check, Incoming } from './app.ts';
import { HttpError } from './errors.ts';
import { mediaType } from './responses.ts';

/** Methods that read only; the others (POST, PUT, PATCH, DELETE...) change state. */
/** Whether a host name or address is this machine's loopback (`localhost`, `::1`, `127.x.y.z`). */
export const isLoopback = (name: string): boolean => {
  const n = name.replace(/^\[|\]$/g, '').toLowerCase();
  return n === 'localhost' || n === '::1' || (isIP(n) === 4 && n.startsWith('127.'));
};

export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Where a server listens: the host it was told to bind (name or address) and its port. */
export interface BoundAddress {
  host: string;
  port: number;
}

/** `http://127.0.0.1:8090` for Host `127.0.0.1:8090`: the origin a page loaded from that Host has. */
export function originOf(hostHeader: string): string {
  return `http://${hostHeader.toLowerCase()}`;
}

/**
 * The Host header's name (brackets dropped, lower case) and port (80 when absent); undefined when it
 * cannot be a host. `splitHost('[::1]:8090')` -> `{ name: '::1', port: 8090 }`.
 */
export function splitHost(hostHeader: string): { name: string; port: number } | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(hostHeader.trim());
  if (!m) return undefined;
  const port = m[2] === undefined ? 80 : Number(m[2]);
  if (port > 65535) return undefined;
  return { name: m[1]!.replace(/^\[|\]$/g, '').toLowerCase(), port };
}

const isWildcard = (name: string) => name === '0.0.0.0' || name === '::';

/**
 * Whether a Host header names a server bound to `bound`, in a way that no DNS answer can fake: the
 * port must be the server's, and the name the bound host itself, `localhost` or a loopback address
 * (when bound to loopback or to every interface), or any IP address (when bound to every
 * interface). A DNS name other than these is what a rebinding attack would send.
 */
export function namesServer(hostHeader: string, bound: BoundAddress): boolean {
  const host = splitHost(hostHeader);
  if (!host || host.port !== bound.port) return false;
  const boundName = bound.host.replace(/^\[|\]$/g, '').toLowerCase();
  if (host.name === boundName) return true;
  if (isLoopback(host.name) && (isLoopback(boundName) || isWildcard(boundName))) return true;
  return isWildcard(boundName) && isIP(host.name) !== 0;
}

/**
 * The Host headers that name a public URL's server: `publicHosts('https://a.example')` ->
 * `{'a.example', 'a.example:443'}` (a proxy in front passes the public name on).
 */
export function publicHosts(publicUrl: string): Set<string> {
  const u = new URL(publicUrl);
  const port = u.port === '' ? (u.protocol === 'https:' ? '443' : '80') : u.port;
  return new Set([u.host.toLowerCase(), `${u.hostname.toLowerCase()}:${port}`]);
}

/**
 * Refuse (421) a request whose Host does not name this server (`namesServer`), or, given
 * `publicUrl` (the address people open, on a proxy in front), that URL's host. `bound` is read per
 * request because a server bound to port 0 learns its port only once listening; while it returns
 * undefined every request is refused.
 */
export function ownHost(bound: () => BoundAddress | undefined, publicUrl?: string): Check {
  const pub = publicUrl === undefined ? undefined : publicHosts(publicUrl);
  return ({ headers }: Incoming) => {
    const host = headers.host;
    const b = bound();
    if (host !== undefined && b !== undefined && namesServer(host, b)) return;
    if (host !== undefined && pub?.has(host.trim().toLowerCase())) return;
    const shown = b === undefined ? 'it is not listening yet' : `it listens on ${b.host}:${b.port}`;
    throw new HttpError(421, `this server does not answer to Host ${host === undefined ? '(none)' : JSON.stringify(host)}: ${shown}; open the address it printed`, { code: 'misdirected_request' });
  };
}

/**
 * Refuse (403) a request that changes state unless its Origin is its Host's own origin, or
 * `publicUrl`'s origin (behind a TLS proxy the page's origin is `https://` and public); see the
 * file comment.
 */
export function sameOrigin(publicUrl?: string): Check {
  const pub = publicUrl === undefined ? undefined : new URL(publicUrl).origin.toLowerCase();
  return ({ method, headers }: Incoming) => {
    if (SAFE_METHODS.has(method)) return;
    const { origin, host } = headers;
    if (origin !== undefined && host !== undefined && origin.toLowerCase() === originOf(host)) return;
    if (origin !== undefined && pub !== undefined && origin.toLowerCase() === pub) return;
    const got = origin === undefined ? 'no Origin header' : `Origin ${JSON.stringify(origin)}`;
    const want = pub ?? (host === undefined ? 'of its address' : originOf(host));
    throw new HttpError(403, `a ${method} must come from this server's own page (Origin ${want}); got ${got}`, { code: 'cross_origin' });
  };
}

/** Refuse (415) a request that changes state unless its body is declared `application/json`. */
export function jsonBody(): Check {
  return ({ method, headers }: Incoming) => {
    if (SAFE_METHODS.has(method)) return;
    const type = mediaType(headers['content-type']);
    if (type === 'application/json') return;
    throw new HttpError(415, `send the body as Content-Type: application/json; got ${type === '' ? 'no Content-Type' : type}`, { code: 'unsupported_media_type' });
  };
}
