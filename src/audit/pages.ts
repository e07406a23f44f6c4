/**
 * The site's few server-written HTML pages (not signed in, a used invite): static text with every
 * value escaped, no script, and a policy that allows nothing but what they are.
 */
import type { HttpResponse } from '../http/responses.ts';

const POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Text as HTML text or attribute value. `escapeHtml('<b a="1">')` -> `&lt;b a=&quot;1&quot;&gt;`. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function page(status: number, title: string, body: string, head = ''): HttpResponse<string> {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': POLICY },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${head}</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  };
}

/** A page saying one thing, e.g. `messagePage(403, 'This invite link does not work', 'it was already used.')`. */
export function messagePage(status: number, title: string, text: string): HttpResponse<string> {
  return page(status, title, `<p>${escapeHtml(text)}</p>`);
}

/**
 * Loads `path` again from this origin: the browser then sends the session cookie it withheld from a
 * navigation another site started (SameSite=Strict). Without a cookie the reload is the 401 page.
 */
export function signInBounce(path: string): HttpResponse<string> {
  const to = path.startsWith('/') && !path.startsWith('//') ? path : '/';
  return page(200, 'Signing in', `<p><a href="${escapeHtml(to)}">Continue</a></p>`, `<meta http-equiv="refresh" content="0;url=${escapeHtml(to)}">`);
}
