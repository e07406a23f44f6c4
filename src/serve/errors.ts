/**
 * Errors the server answers with, in OpenAI's wire shape `{error: {message, type, param, code}}`,
 * so that the official clients raise their typed errors (BadRequestError, NotFoundError, ...).
 */
import { contextLengthMessage } from '../backend/context-length.ts';
import { HttpError } from '../http/errors.ts';

export type OpenAIErrorType = 'invalid_request_error' | 'not_found_error' | 'server_error';

export interface OpenAIErrorBody {
  /** `code` is a number in vLLM's own errors (its status), see VllmError. */
  error: { message: string; type: OpenAIErrorType | VllmErrorType; param: string | null; code: string | number | null };
}

/** OpenAI's error type for a status: a 404 without a code is `not_found_error`. */
function defaultType(status: number, code: string | null): OpenAIErrorType {
  return status >= 500 ? 'server_error' : status === 404 && code === null ? 'not_found_error' : 'invalid_request_error';
}

/**
 * An HttpError with OpenAI's `param` and `type`. Its message always reaches the client, 500s
 * included: a backend failure named is what the caller needs to act on.
 */
export class OpenAIError extends HttpError {
  override name = 'OpenAIError';
  readonly param: string | null;
  readonly type: OpenAIErrorType;

  constructor(
    status: number,
    message: string,
    param: string | null = null,
    code: string | null = null,
    type: OpenAIErrorType = defaultType(status, code),
    /** Extra response headers, e.g. `allow` for a 405. */
    headers: Record<string, string> = {},
  ) {
    super(status, message, { expose: true, headers, ...(code !== null && { code }) });
    this.param = param;
    this.type = type;
  }
}

/** The `type` of vLLM's own errors (those of its adapter routes), as its `create_error_response` names them. */
export type VllmErrorType = 'InvalidUserInput' | 'NotFoundError' | 'BadRequestError';

/**
 * An error of the runtime LoRA routes in vLLM's shape: `{error: {message, type, param: null, code: <status>}}`
 * (vLLM's `ErrorResponse`), with vLLM's `type` names, so a client written for vLLM reads it unchanged.
 * Example: `new VllmError(404, "The lora adapter 'r1' cannot be found.", 'NotFoundError')`.
 */
export class VllmError extends HttpError {
  override name = 'VllmError';

  constructor(status: number, message: string, readonly type: VllmErrorType) {
    super(status, message, { expose: true });
  }
}

/** The wire body of any HttpError; the core's own (a 405, a malformed path) get OpenAI's fields from their status and code. */
export function openAIErrorBody(e: HttpError, message: string): OpenAIErrorBody {
  if (e instanceof VllmError) return { error: { message, type: e.type, param: null, code: e.status } };
  const code = e.code ?? null;
  if (e instanceof OpenAIError) return { error: { message, type: e.type, param: e.param, code } };
  return { error: { message, type: defaultType(e.status, code), param: null, code } };
}

/** A 400 about one request field: `badRequest('n must be 1 for yes/no', 'n', 'invalid_value')`. */
export function badRequest(message: string, param: string | null = null, code: string | null = 'invalid_value'): OpenAIError {
  return new OpenAIError(400, message, param, code);
}

/**
 * A prompt longer than the model's context, in vLLM's words, so that clients that recognise vLLM's
 * refusal recognise this one: `contextLengthError(121, 130)` -> 400 "This model's maximum context
 * length is 121 tokens. However, your request has 130 input tokens. ...", code `context_length_exceeded` (OpenAI's).
 */
export function contextLengthError(contextTokens: number, promptTokens: number): OpenAIError {
  return new OpenAIError(400, contextLengthMessage(contextTokens, promptTokens), 'messages', 'context_length_exceeded');
}
