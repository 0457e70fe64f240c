/**
 * The request core: configuration, building a request once, the retry policy, and turning an
 * answer into data or a PulseError. Only web-platform APIs (fetch, AbortController, Web Crypto),
 * so it runs the same on Node >= 18, Bun, Deno and in browsers.
 */
import { APIConnectionError, PulseError, errorFromResponse, retryAfterSeconds } from "./errors.js";

export const VERSION = "0.1.0";
export const DEFAULT_BASE_URL = "https://api.pulsehr.it/v1";
export const DEFAULT_TIMEOUT = 30_000;
export const DEFAULT_MAX_RETRIES = 2;
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Options of `new Pulse(...)`. Durations are in milliseconds. */
export interface ClientOptions {
  /** An API key (`pk_live_…`, `pk_test_…`) or a room token (`rt_…`); defaults to $PULSE_API_KEY. */
  apiKey?: string;
  /** The API's root, ending in /v1; defaults to $PULSE_API_BASE, then https://api.pulsehr.it/v1. */
  baseUrl?: string;
  /** Per attempt, in ms (default 30 000). */
  timeout?: number;
  /** Retries after the first attempt (default 2): connection errors, 429 and 5xx. */
  maxRetries?: number;
  /** The first backoff in ms (default 500), doubling on each retry, with jitter. */
  backoff?: number;
  /** The longest backoff in ms (default 8 000). */
  maxBackoff?: number;
  /** A 429 whose Retry-After is longer than this (ms, default 60 000) throws at once instead. */
  maxRetryAfter?: number;
  /** Your own fetch (a proxy agent, instrumentation); defaults to the global one. */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

/** Options every call takes. */
export interface RequestOptions {
  /** Aborts the call (and its retries). */
  signal?: AbortSignal;
  /** Per attempt, in ms; defaults to the client's. */
  timeout?: number;
  /** Defaults to the client's. */
  maxRetries?: number;
  headers?: Record<string, string>;
}

/** Options of a create (a POST). */
export interface CreateOptions extends RequestOptions {
  /** Sent as Idempotency-Key; by default one is generated per call, the same on each retry. */
  idempotencyKey?: string;
}

/** Options of an update or delete. */
export interface WriteOptions extends RequestOptions {
  /** The version (or ETag) last read: a newer version on the server throws ConflictError. */
  ifMatch?: number | string;
}

/** Everything `pulse.request()` takes. */
export interface RawRequestOptions extends CreateOptions, WriteOptions {
  /** Query parameters; undefined and null values are left out. */
  query?: object;
  /** Sent as JSON. */
  body?: unknown;
}

export interface Config {
  apiKey: string;
  baseUrl: string;
  timeout: number;
  maxRetries: number;
  backoff: number;
  maxBackoff: number;
  maxRetryAfter: number;
  fetch: typeof fetch;
  headers: Record<string, string>;
}

export function resolveConfig(options: ClientOptions): Config {
  const apiKey = options.apiKey || env("PULSE_API_KEY");
  if (!apiKey) {
    throw new PulseError("No API key: pass new Pulse({ apiKey }) or set PULSE_API_KEY.", { code: "configuration" });
  }
  const fetchImpl = options.fetch ?? (globalThis.fetch as typeof fetch | undefined);
  if (typeof fetchImpl !== "function") {
    throw new PulseError("No fetch in this runtime: pass new Pulse({ fetch }).", { code: "configuration" });
  }
  const baseUrl = options.baseUrl || env("PULSE_API_BASE") || DEFAULT_BASE_URL;
  return {
    apiKey,
    baseUrl: baseUrl.replace(/\/+$/, ""),
    timeout: options.timeout ?? DEFAULT_TIMEOUT,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    backoff: options.backoff ?? 500,
    maxBackoff: options.maxBackoff ?? 8_000,
    maxRetryAfter: options.maxRetryAfter ?? 60_000,
    fetch: fetchImpl,
    headers: options.headers ?? {},
  };
}

/** A variable of the runtime's environment, where it has one (Node and Bun's process.env, Deno.env). */
export function env(name: string): string | undefined {
  const scope = globalThis as { process?: { env?: Record<string, string | undefined> }; Deno?: DenoLike };
  try {
    const value = scope.process?.env?.[name];
    if (value) return value;
  } catch {
    // An environment that refuses to be read is no environment.
  }
  try {
    return scope.Deno?.env?.get(name) || undefined; // throws without --allow-env
  } catch {
    return undefined;
  }
}

interface DenoLike {
  env?: { get(name: string): string | undefined };
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** The HTTP answer a result came in: `result.lastResponse` on every object the API returns. */
export interface APIResponse {
  /** The HTTP status (200, 201, …). */
  readonly status: number;
  /** The response headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The X-Request-Id (`req_…`): quote it to support. */
  readonly requestId: string | null;
  /** What is left of the key's per-minute budget (X-RateLimit-Remaining); null when not sent. */
  readonly rateLimitRemaining: number | null;
  /** The resource's version as an ETag, where the answer has one: pass it as `ifMatch`. */
  readonly etag: string | null;
}

/** A result with the HTTP answer it came in (a non-enumerable property: JSON and equality ignore it). */
export type WithResponse<T> = T & { readonly lastResponse: APIResponse };

function describeAnswer(answer: Answer): APIResponse {
  const remaining = Number(answer.headers["x-ratelimit-remaining"]);
  return {
    status: answer.status,
    headers: answer.headers,
    requestId: answer.headers["x-request-id"] ?? null,
    rateLimitRemaining:
      answer.headers["x-ratelimit-remaining"] !== undefined && Number.isFinite(remaining) ? remaining : null,
    etag: answer.headers["etag"] ?? null,
  };
}

/**
 * Send one API request with the client's retry policy and return its parsed JSON (undefined for
 * an empty answer). The request is built once, so every retry sends the same Idempotency-Key.
 */
export async function execute<T>(config: Config, method: string, path: string, options: RawRequestOptions): Promise<T> {
  const url = buildUrl(config.baseUrl, path, options.query);
  const headers: Record<string, string> = {};
  setHeaders(headers, {
    Authorization: `Bearer ${config.apiKey}`,
    Accept: "application/json",
    "User-Agent": `pulsehr-typescript/${VERSION}`,
  });
  setHeaders(headers, config.headers);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    setHeaders(headers, { "Content-Type": "application/json" });
  }
  if (method === "POST") {
    setHeaders(headers, { "Idempotency-Key": options.idempotencyKey ?? `pulsehr-typescript-${uuid()}` });
  }
  if (options.ifMatch !== undefined) setHeaders(headers, { "If-Match": ifMatchHeader(options.ifMatch) });
  setHeaders(headers, options.headers ?? {});

  const timeout = options.timeout ?? config.timeout;
  const maxRetries = options.maxRetries ?? config.maxRetries;
  for (let attempt = 0; ; attempt++) {
    let answer: Answer | undefined;
    let failure: unknown;
    try {
      answer = await send(config.fetch, url, { method, headers, body }, timeout, options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      failure = error;
    }
    const delay = retryDelay(config, maxRetries, attempt, answer);
    if (delay === null) {
      if (answer === undefined) throw connectionError(failure, method, url);
      return parse<T>(answer);
    }
    await sleep(delay, options.signal);
  }
}

/**
 * Milliseconds to wait before retry number `attempt + 1`, or null to stop: a connection error
 * (no answer) and a 5xx back off exponentially with jitter; a 429 waits for its Retry-After,
 * unless that is longer than `maxRetryAfter`, which then throws at once.
 */
export function retryDelay(
  config: Config,
  maxRetries: number,
  attempt: number,
  answer: Answer | undefined,
): number | null {
  if (attempt >= maxRetries) return null;
  if (answer !== undefined && !RETRY_STATUSES.has(answer.status)) return null;
  if (answer?.status === 429) {
    const seconds = retryAfterSeconds(answer.headers["retry-after"]);
    if (seconds !== null) return seconds * 1000 <= config.maxRetryAfter ? seconds * 1000 : null;
  }
  const base = Math.min(config.maxBackoff, config.backoff * 2 ** attempt);
  return base * (0.5 + Math.random() / 2);
}

/** Set headers over those already there, whatever the case of their names (the last one wins). */
function setHeaders(headers: Record<string, string>, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    for (const existing of Object.keys(headers)) {
      if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    }
    headers[name] = value;
  }
}

/** `If-Match` for a version: 3 and "3" become the ETag `"3"`; an ETag passes as it is. */
export function ifMatchHeader(value: number | string): string {
  const text = String(value);
  return /^\d+$/.test(text) ? `"${text}"` : text;
}

async function send(
  fetchImpl: typeof fetch,
  url: string,
  init: { method: string; headers: Record<string, string>; body: string | undefined },
  timeout: number,
  signal: AbortSignal | undefined,
): Promise<Answer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeout} ms`)), timeout);
  const forward = () => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  signal?.addEventListener("abort", forward, { once: true });
  try {
    const response = await fetchImpl(url, { ...init, signal: controller.signal });
    const text = await response.text(); // inside the timeout: a body that never ends is a failed attempt
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { status: response.status, headers, text };
  } catch (error) {
    throw controller.signal.aborted && !signal?.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", forward);
  }
}

function parse<T>(answer: Answer): T {
  if (answer.status < 200 || answer.status >= 300) throw errorFromResponse(answer.status, answer.headers, answer.text);
  if (answer.text === "") return undefined as T;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.text);
  } catch (error) {
    throw new PulseError(`The answer (HTTP ${answer.status}) is not JSON.`, {
      status: answer.status,
      headers: answer.headers,
      requestId: answer.headers["x-request-id"] ?? null,
      body: answer.text,
      cause: error,
    });
  }
  if (typeof parsed === "object" && parsed !== null) {
    Object.defineProperty(parsed, "lastResponse", { value: describeAnswer(answer), enumerable: false });
  }
  return parsed as T;
}

function connectionError(error: unknown, method: string, url: string): APIConnectionError {
  return new APIConnectionError(`${describe(error)} on ${method} ${url}`, { cause: error });
}

/** undici says "fetch failed" and keeps the reason (ECONNREFUSED, "other side closed") in `cause`. */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
  return parts.join(" <- ") || "No answer";
}

function buildUrl(baseUrl: string, path: string, query: object | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, String(item));
  }
  const search = params.toString();
  return baseUrl + path + (search ? `?${search}` : "");
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });
}

/** A random UUID: Web Crypto's where the runtime has it (Node 18 only with --experimental-global-webcrypto). */
function uuid(): string {
  const webCrypto = (globalThis as { crypto?: Crypto }).crypto;
  if (typeof webCrypto?.randomUUID === "function") return webCrypto.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof webCrypto?.getRandomValues === "function") webCrypto.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An id as one path segment. */
export function segment(id: string): string {
  return encodeURIComponent(id);
}
