/**
 * The one error type a handler throws to answer with a status: `throw new HttpError(404, 'no
 * instruction "x"')`. Anything else thrown while handling a request goes through the app's
 * `onError`, which turns it into one of these (a 500 by default).
 */
import { STATUS_CODES } from 'node:http';

export interface HttpErrorOptions {
  /**
   * Whether the client may read `message`. Default: yes below 500 (the client's own mistake, told
   * so it can fix it), no from 500 (the body says only "Internal Server Error"; the request log
   * still has the message).
   */
  expose?: boolean;
  /** A machine-readable name for the problem, e.g. `request_too_large`; error bodies may carry it. */
  code?: string;
  /** Extra response headers, e.g. `allow` on a 405. Lower-case names. */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class HttpError extends Error {
  override name = 'HttpError';
  readonly expose: boolean;
  readonly code: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(readonly status: number, message: string, options: HttpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`an HttpError's status must be an integer from 400 to 599, got ${status}; answer other statuses with a response`);
    }
    this.expose = options.expose ?? status < 500;
    this.code = options.code;
    this.headers = options.headers ?? {};
  }

  /** What the client reads: the message when exposed, else the status's standard text. */
  get publicMessage(): string {
    return this.expose ? this.message : STATUS_CODES[this.status] ?? 'Error';
  }
}
