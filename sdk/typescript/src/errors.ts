/**
 * Every failure the SDK throws is a PulseError. An error the API answered is an APIError, with
 * one subclass per error code of the envelope `{"error": {"code", "message", "fields"?,
 * "request_id"}}`; no answer at all (after every retry) is an APIConnectionError.
 */

export interface ErrorDetails {
  code?: string;
  fields?: readonly string[] | null;
  requestId?: string | null;
  status?: number | null;
  /** The response headers, names in lower case. */
  headers?: Record<string, string>;
  /** The response body, parsed as JSON when it was JSON. */
  body?: unknown;
  cause?: unknown;
}

export class PulseError extends Error {
  /** The code a class stands for, used when an error carries none of its own. */
  static readonly code: string = "error";

  override name = "PulseError";
  /** The envelope's machine-readable code (`not_found`, `rate_limited`, …). */
  readonly code: string;
  /** The request fields at fault (dotted for nested keys); empty when none are named. */
  readonly fields: string[];
  /** The failed request's `X-Request-Id` (`req_…`): quote it to support. */
  readonly requestId: string | null;
  /** The HTTP status; null when no response came. */
  readonly status: number | null;
  readonly headers: Record<string, string>;
  readonly body: unknown;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = details.code ?? (new.target as typeof PulseError).code;
    this.fields = [...(details.fields ?? [])];
    this.requestId = details.requestId ?? null;
    this.status = details.status ?? null;
    this.headers = details.headers ?? {};
    this.body = details.body;
  }

  /** `code: message fields=[…] status=… request_id=…`, as the Python SDK prints its errors. */
  override toString(): string {
    const parts = [`${this.name}: ${this.code}: ${this.message}`];
    if (this.fields.length) parts.push(`fields=${JSON.stringify(this.fields)}`);
    if (this.status !== null) parts.push(`status=${this.status}`);
    if (this.requestId) parts.push(`request_id=${this.requestId}`);
    return parts.join(" ");
  }
}

/** No response came (connection refused or reset, timeout), after every retry. */
export class APIConnectionError extends PulseError {
  static override readonly code = "connection_error";
  override name = "APIConnectionError";
}

/** An error response of the API: the base of the classes below, and the class of any other status. */
export class APIError extends PulseError {
  override name = "APIError";
}

/** 400: the payload or a parameter failed validation; `fields` names them. */
export class InvalidRequestError extends APIError {
  static override readonly code = "invalid_request";
  override name = "InvalidRequestError";
}

/** 401: missing, malformed or revoked API key. */
export class AuthenticationError extends APIError {
  static override readonly code = "unauthenticated";
  override name = "AuthenticationError";
}

/** 403: the key's scopes do not allow this operation. */
export class PermissionDeniedError extends APIError {
  static override readonly code = "permission_denied";
  override name = "PermissionDeniedError";
}

/** 404: unknown id, or one outside the key's workspace and environment. */
export class NotFoundError extends APIError {
  static override readonly code = "not_found";
  override name = "NotFoundError";
}

/** 405: the path does not take this method. */
export class MethodNotAllowedError extends APIError {
  static override readonly code = "method_not_allowed";
  override name = "MethodNotAllowedError";
}

/** 409: stale If-Match, or an Idempotency-Key reused for another request or still in flight. */
export class ConflictError extends APIError {
  static override readonly code = "conflict";
  override name = "ConflictError";
}

/** 413: the body is larger than the server accepts (PULSEHR_MAX_BODY_BYTES, 1 MiB by default). */
export class PayloadTooLargeError extends APIError {
  static override readonly code = "payload_too_large";
  override name = "PayloadTooLargeError";
}

/** 415: the body was not sent as application/json. */
export class UnsupportedMediaTypeError extends APIError {
  static override readonly code = "unsupported_media_type";
  override name = "UnsupportedMediaTypeError";
}

/** 422: well-formed but semantically invalid (end_date before start_date, …). */
export class UnprocessableEntityError extends APIError {
  static override readonly code = "unprocessable_entity";
  override name = "UnprocessableEntityError";
}

/** 429 after every retry; `retryAfter` is the server's Retry-After, in seconds. */
export class RateLimitedError extends APIError {
  static override readonly code = "rate_limited";
  override name = "RateLimitedError";

  get retryAfter(): number | null {
    return retryAfterSeconds(this.headers["retry-after"]);
  }
}

/** 5xx after every retry. */
export class InternalError extends APIError {
  static override readonly code = "internal_error";
  override name = "InternalError";
}

/** The same class as RateLimitedError (the Python SDK's name), under the name other SDKs use. */
export { RateLimitedError as RateLimitError };

// The status each code is answered with; a 5xx is InternalError whatever its number.
const STATUSES: [number, typeof APIError][] = [
  [400, InvalidRequestError],
  [401, AuthenticationError],
  [403, PermissionDeniedError],
  [404, NotFoundError],
  [405, MethodNotAllowedError],
  [409, ConflictError],
  [413, PayloadTooLargeError],
  [415, UnsupportedMediaTypeError],
  [422, UnprocessableEntityError],
  [429, RateLimitedError],
];
const ERRORS_BY_CODE: Record<string, typeof APIError> = Object.fromEntries(
  [...STATUSES.map(([, cls]) => cls), InternalError].map((cls) => [cls.code, cls]),
);
// For error responses without the envelope (a proxy's 502, say).
const CODES_BY_STATUS: Record<number, string> = Object.fromEntries(STATUSES.map(([status, cls]) => [status, cls.code]));

/** The APIError subclass for an error response, from its envelope when it has one. */
export function errorFromResponse(status: number, headers: Record<string, string>, text: string): APIError {
  let body: unknown = text || undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML page): the status alone decides.
  }
  const candidate = isObject(body) ? body["error"] : undefined;
  const envelope: Record<string, unknown> = isObject(candidate) ? candidate : {};
  const code = str(envelope["code"]) ?? CODES_BY_STATUS[status] ?? (status >= 500 ? "internal_error" : "error");
  const cls = ERRORS_BY_CODE[code] ?? (status >= 500 ? InternalError : APIError);
  const fields = Array.isArray(envelope["fields"]) ? envelope["fields"].map(String) : [];
  return new cls(str(envelope["message"]) ?? `HTTP ${status}`, {
    code,
    fields,
    requestId: str(envelope["request_id"]) ?? headers["x-request-id"] ?? null,
    status,
    headers,
    body,
  });
}

export function retryAfterSeconds(value: string | undefined): number | null {
  if (value === undefined || value.trim() === "") return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? Math.max(0, seconds) : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
