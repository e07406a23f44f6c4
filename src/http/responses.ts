/**
 * Requests and responses as plain values, so an app answers without a socket
 * (`await app.handle({ method: 'GET', url: '/health' })`), and the helpers that build and read them.
 */
import { HttpError } from './errors.ts';

export type Body = string | Uint8Array;

export interface HttpRequest {
  method: string;
  /** Path, optionally with a query string (routing ignores it). */
  url: string;
  /**
   * Lower-case names, as node gives them (`host`, `origin`, `content-type`); several values of one
   * header joined by ', '. None (an in-process call) is the same as an empty set.
   */
  headers?: Readonly<Record<string, string>>;
  body?: Body;
  /**
   * The body's size in bytes as sent; default: the size of `body`. The node adapter stops keeping a
   * body once it passes the app's limit and says here how big it was, so the app answers its 413.
   */
  bodyBytes?: number;
  /** The peer's address (the node adapter fills it in); rate limits per address read it. */
  remoteAddress?: string;
}

export interface HttpResponse<B extends Body = Body> {
  status: number;
  /** Lower-case names; the node adapter adds `content-length`. */
  headers: Record<string, string>;
  body: B;
  /** For the request log only: the message of the error this response answers. */
  error?: string;
}

/** `json({ status: 'ok' })` -> a 200 `application/json` response. */
export function json(value: unknown, status = 200, headers: Record<string, string> = {}): HttpResponse<string> {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** A 200 HTML document. */
export function html(text: string): HttpResponse<string> {
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: text };
}

/** A 200 response of raw bytes, e.g. `bytes(png, 'image/png')`. */
export function bytes(data: Uint8Array, contentType: string): HttpResponse<Uint8Array> {
  return { status: 200, headers: { 'content-type': contentType }, body: data };
}

export function byteLength(body: Body | undefined): number {
  if (body === undefined) return 0;
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

/**
 * The media type of a Content-Type value, lower-cased and without parameters:
 * `mediaType('Application/JSON; charset=utf-8') === 'application/json'`; '' when absent.
 */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/** The body as UTF-8 text ('' when there is none). */
export function bodyText(body: Body | undefined): string {
  if (body === undefined) return '';
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

/**
 * Parse a JSON body; each app words its own 400, so `invalid` builds it from the parser's message.
 * Example: `parseJson(bodyText(c.body), (why) => new HttpError(400, `not JSON (${why})`))`.
 */
export function parseJson(text: string, invalid: (detail: string) => HttpError): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalid((err as Error).message);
  }
}
