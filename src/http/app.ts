/**
 * A small socket-free HTTP app, in the manner of hono: routes (method + path pattern), typed
 * errors, one body limit, every failure answered as a response. `handle()` never throws, so tests
 * call it in-process; node.ts puts it on a socket.
 *
 * Example:
 *   const app = new HttpApp().get('/items/:id', (c) => json({ id: c.params.id }));
 *   await app.handle({ method: 'GET', url: '/items/7' })  // -> { status: 200, body: '{"id":"7"}', ... }
 */
import { HttpError } from './errors.ts';
import { byteLength, json, type Body, type HttpRequest, type HttpResponse } from './responses.ts';
import { compilePattern, parseTarget, type RoutePattern } from './routes.ts';

/** What a handler sees of the request. */
export interface Context {
  /** As sent (routing compares it upper-cased). */
  method: string;
  /** The decoded path. */
  path: string;
  params: Record<string, string>;
  /** Lower-case names; empty for an in-process request that sent none. */
  headers: Readonly<Record<string, string>>;
  body: Body | undefined;
  /** The peer's address, when the request came over a socket. */
  remoteAddress: string | undefined;
}

export type Handler<B extends Body> = (c: Context) => HttpResponse<B> | Promise<HttpResponse<B>>;

/** What a check sees of a request before routing: enough to refuse it (see guards.ts). */
export interface Incoming {
  /** Upper-cased. */
  method: string;
  /** As sent, query string included. */
  url: string;
  headers: Readonly<Record<string, string>>;
}

/** A check on every request, before routing: it refuses one by throwing an HttpError, else returns. */
export type Check = (request: Incoming) => void;

/** A request no route answers, as the app's 404 / 405 builders see it. */
export interface Miss {
  method: string;
  /** Decoded (and without trailing slashes when `strict` is off). */
  path: string;
  /** As sent, without the query string. */
  rawPath: string;
}

export interface HttpAppOptions {
  /** Largest request body, checked before routing; default 1 MiB. */
  maxBodyBytes?: number;
  /** Whether `/a/` differs from `/a`; default true, as hono. */
  strict?: boolean;
  /** Headers on every response, errors included (over a route's own), e.g. `{ 'cache-control': 'no-store' }`. */
  headers?: Record<string, string>;
  /** The JSON body of an error response; `message` is what the client may read. Default `{ error: { message } }`. */
  errorBody?: (error: HttpError, message: string) => unknown;
  /** Turns anything else a handler throws into an HttpError; default a 500 that hides the message from the client. */
  onError?: (error: unknown) => HttpError;
  notFound?: (miss: Miss) => HttpError;
  methodNotAllowed?: (miss: Miss, allowed: string[]) => HttpError;
  tooLarge?: (bytes: number, limit: number) => HttpError;
}

/** Methods a route may name; `*` answers any method. */
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', '*'] as const;
export type Method = (typeof METHODS)[number];

const DEFAULTS: Required<HttpAppOptions> = {
  maxBodyBytes: 1024 * 1024,
  strict: true,
  headers: {},
  errorBody: (_error, message) => ({ error: { message } }),
  onError: (error) => new HttpError(500, error instanceof Error ? error.message : String(error), { cause: error }),
  notFound: (miss) => new HttpError(404, `no route ${miss.method} ${miss.path}`, { code: 'not_found' }),
  methodNotAllowed: (miss, allowed) => new HttpError(405, `${miss.method} is not allowed on ${miss.path}; use ${allowed.join(', ')}`, {
    code: 'method_not_allowed', headers: { allow: allowed.join(', ') },
  }),
  tooLarge: (bytes, limit) => new HttpError(413, `request body of ${bytes} bytes exceeds the limit of ${limit} bytes`, { code: 'request_too_large' }),
};

interface Route<B extends Body> {
  method: Method;
  pattern: RoutePattern;
  handler: Handler<B>;
}

/**
 * `B` is what the app's handlers answer with: `HttpApp<string>` for an app whose every body is text.
 * Options are checked here, routes when added; both throw saying what to fix.
 */
export class HttpApp<B extends Body = Body> {
  readonly maxBodyBytes: number;
  private readonly options: Required<HttpAppOptions>;
  private readonly routes: Route<B>[] = [];
  private readonly checks: Check[] = [];

  constructor(options: HttpAppOptions = {}) {
    const unknown = Object.keys(options).filter((k) => !(k in DEFAULTS));
    if (unknown.length > 0) throw new Error(`unknown HttpApp option ${unknown.map((k) => `'${k}'`).join(', ')}; options are ${Object.keys(DEFAULTS).join(', ')}`);
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.options = { ...DEFAULTS, ...defined };
    const { maxBodyBytes, headers } = this.options;
    if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) throw new Error(`HttpApp option maxBodyBytes must be a positive whole number of bytes, got ${maxBodyBytes}`);
    const badHeader = Object.keys(headers).find((h) => !/^[a-z0-9-]+$/.test(h));
    if (badHeader !== undefined) throw new Error(`HttpApp option headers: '${badHeader}' must be a lower-case header name`);
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Add a check that every request passes before routing (and before the body limit), in the order
   * added: `app.use(allowedHosts(() => ['127.0.0.1:8090']))`. The first that throws answers.
   */
  use(check: Check): this {
    if (typeof check !== 'function') throw new Error(`use() takes a check function (request) => void, got ${typeof check}`);
    this.checks.push(check);
    return this;
  }

  get(pattern: string, handler: Handler<B>): this {
    return this.on('GET', pattern, handler);
  }

  post(pattern: string, handler: Handler<B>): this {
    return this.on('POST', pattern, handler);
  }

  /** A route for every method; it answers the methods that the routes added before it on the same path do not. */
  all(pattern: string, handler: Handler<B>): this {
    return this.on('*', pattern, handler);
  }

  on(method: Method, pattern: string, handler: Handler<B>): this {
    if (!METHODS.includes(method)) throw new Error(`route method must be one of ${METHODS.join(', ')}, got '${method}'`);
    if (this.routes.some((r) => r.method === method && r.pattern.source === pattern)) throw new Error(`the route ${method} ${pattern} is already defined`);
    this.routes.push({ method, pattern: compilePattern(pattern), handler });
    return this;
  }

  /** Answer one request; never throws (failures become error responses). */
  async handle(request: HttpRequest): Promise<HttpResponse<B | string>> {
    const { strict, headers } = this.options;
    try {
      const method = request.method.toUpperCase();
      const requestHeaders = request.headers ?? {};
      for (const check of this.checks) check({ method, url: request.url, headers: requestHeaders });
      const size = request.bodyBytes ?? byteLength(request.body);
      if (size > this.maxBodyBytes) throw this.options.tooLarge(size, this.maxBodyBytes);
      const target = parseTarget(request.url, strict);
      const allowed: string[] = [];
      for (const route of this.routes) {
        const params = route.pattern.match(target.segments);
        if (!params) continue;
        if (route.method !== '*' && route.method !== method) {
          allowed.push(route.method);
          continue;
        }
        const out = await route.handler({ method: request.method, path: target.path, params, headers: requestHeaders, body: request.body, remoteAddress: request.remoteAddress });
        return { ...out, headers: { ...out.headers, ...headers } };
      }
      const miss = { method: request.method, path: target.path, rawPath: target.rawPath };
      throw allowed.length > 0 ? this.options.methodNotAllowed(miss, [...new Set(allowed)]) : this.options.notFound(miss);
    } catch (err) {
      return this.errorResponse(err);
    }
  }

  /** The response for a failure: an HttpError as it is, anything else through `onError`. */
  errorResponse(err: unknown): HttpResponse<string> {
    const e = err instanceof HttpError ? err : this.toHttpError(err);
    let body: unknown;
    try {
      body = this.options.errorBody(e, e.publicMessage);
    } catch {
      body = DEFAULTS.errorBody(e, e.publicMessage);
    }
    return { ...json(body, e.status, { ...this.options.headers, ...e.headers }), error: e.message };
  }

  private toHttpError(err: unknown): HttpError {
    try {
      return this.options.onError(err);
    } catch (failed) {
      return DEFAULTS.onError(failed);
    }
  }
}
