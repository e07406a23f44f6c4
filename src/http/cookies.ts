/**
 * Cookies as a server reads and sets them: `parseCookies(headers.cookie)` and
 * `serializeCookie('session', value, { httpOnly: true, sameSite: 'Strict', secure: true })`.
 */

export interface CookieAttributes {
  /** Not readable from the page's script (an injected script cannot steal it). */
  httpOnly?: boolean;
  /** Sent over TLS only; set it when the site is served over https. */
  secure?: boolean;
  /** `Strict`: never sent on a request another site starts (cross-site forms, links, fetches). */
  sameSite?: 'Strict' | 'Lax';
  /** Default `/`. */
  path?: string;
  /** Seconds; 0 deletes the cookie. Absent: a cookie for the browser session. */
  maxAge?: number;
}

/** Cookie names and values this server writes: a token alphabet that needs no quoting or escaping. */
const TOKEN = /^[A-Za-z0-9._~-]+$/;

/**
 * The cookies of a `Cookie` header; a name sent twice keeps its first value (the most specific path,
 * as browsers order them). `parseCookies('a=1; b=2')` -> `{ a: '1', b: '2' }`.
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (header === undefined) return out;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim().replace(/^"(.*)"$/, '$1');
    if (name !== '' && !(name in out)) out[name] = value;
  }
  return out;
}

/** A `Set-Cookie` value; throws for a name or value that would need escaping. */
export function serializeCookie(name: string, value: string, a: CookieAttributes = {}): string {
  if (!TOKEN.test(name)) throw new Error(`cookie name ${JSON.stringify(name)} must be letters, digits and ._~-`);
  if (value !== '' && !TOKEN.test(value)) throw new Error(`cookie ${name}: the value must be letters, digits and ._~- (base64url), got ${JSON.stringify(value.slice(0, 40))}`);
  const parts = [`${name}=${value}`, `Path=${a.path ?? '/'}`];
  if (a.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(a.maxAge))}`);
  if (a.httpOnly) parts.push('HttpOnly');
  if (a.secure) parts.push('Secure');
  if (a.sameSite) parts.push(`SameSite=${a.sameSite}`);
  return parts.join('; ');
}
