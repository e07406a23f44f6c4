/**
 * Errors the server answers with, in OpenAI's wire shape `{error: {message, type, param, code}}`,
 * so that the official clients raise their typed errors (BadRequestError, NotFoundError, ...).
 */

export type OpenAIErrorType = 'invalid_request_error' | 'not_found_error' | 'server_error';

export interface OpenAIErrorBody {
  error: { message: string; type: OpenAIErrorType; param: string | null; code: string | null };
}

/** An error with its HTTP status; anything else thrown while handling a request becomes a 500. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly type: OpenAIErrorType = status >= 500 ? 'server_error' : status === 404 && code === null ? 'not_found_error' : 'invalid_request_error',
    /** Extra response headers, e.g. `Allow` for a 405. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** A 400 about one request field: `badRequest('n must be 1 for yes/no', 'n', 'invalid_value')`. */
export function badRequest(message: string, param: string | null = null, code: string | null = 'invalid_value'): HttpError {
  return new HttpError(400, message, param, code);
}
