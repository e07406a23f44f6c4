/**
 * CSRF tokens bound to a session: the token is an HMAC of the session with a server secret, so a
 * page can only send one it was given by this server for this session (it cannot be guessed, and
 * another person's token does not fit one's own session). Compared in constant time.
 *
 * `const t = csrfToken(secret, session); csrfMatches(secret, session, t) === true`
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function csrfToken(secret: Uint8Array, session: string): string {
  return createHmac('sha256', secret).update(`csrf\u0000${session}`).digest('base64url');
}

export function csrfMatches(secret: Uint8Array, session: string, token: string | undefined): boolean {
  if (token === undefined) return false;
  const want = Buffer.from(csrfToken(secret, session));
  const got = Buffer.from(token);
  // timingSafeEqual needs equal lengths; the length of a valid token is public anyway.
  return got.length === want.length && timingSafeEqual(got, want);
}
