/**
 * Verify PulseHR webhook deliveries. Every delivery is signed twice over the same raw body:
 *
 * - `X-Pulse-Signature: t=<unix>,v1=<hex>[,v1=<hex>]`: HMAC-SHA256 keyed with the endpoint's
 *   whole secret string (`whsec_…`) over `"<t>.<raw body>"` (Stripe's scheme);
 * - Standard Webhooks (standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
 *   `webhook-signature: v1,<base64>[ v1,<base64>]`, HMAC-SHA256 keyed with the base64-decoded
 *   bytes after `whsec_` over `"<id>.<timestamp>.<raw body>"`.
 *
 * After a rotation the old and the new secret both sign for 24 hours, so each header carries
 * two `v1` values: one match is enough. Web Crypto's HMAC is asynchronous, so these are too.
 *
 *     const event = await webhooks.verify(rawBody, request.headers, process.env.PULSE_WEBHOOK_SECRET);
 */
import { PulseError } from "./errors.js";
import type { WebhookEvent } from "./types.js";

export type { WebhookEvent };

export const SIGNATURE_HEADER = "X-Pulse-Signature";
export const DEFAULT_TOLERANCE = 300;
const SECRET_PREFIX = "whsec_";

/** The delivery is not authentic or not fresh: answer it with 400 and do not act on it. */
export class WebhookVerificationError extends Error {
  override name = "WebhookVerificationError";
}

/** The raw request body, exactly as received: a re-serialized JSON body will not match. */
export type WebhookPayload = string | Uint8Array | ArrayBuffer;

/**
 * The request's headers: a fetch `Headers`, a plain object (Node's `req.headers`, any case), or
 * the X-Pulse-Signature value alone.
 */
export type WebhookHeaders =
  | { get(name: string): string | null }
  | Record<string, string | readonly string[] | undefined | null>
  | string
  | null
  | undefined;

export interface VerifyOptions {
  /** Refuse timestamps more than this many seconds from now (default 300); null skips the check. */
  toleranceSeconds?: number | null;
  /** "Now" as Unix seconds, for tests; defaults to the clock. */
  now?: number;
}

/**
 * The event of a delivery whose signature matches `secret` and whose timestamp is within
 * `toleranceSeconds` of now; a WebhookVerificationError otherwise. X-Pulse-Signature is checked
 * when present, else the Standard Webhooks headers.
 */
export async function verify(
  payload: WebhookPayload,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyOptions = {},
): Promise<WebhookEvent> {
  const body = bytesOf(payload);
  const tolerance = options.toleranceSeconds === undefined ? DEFAULT_TOLERANCE : options.toleranceSeconds;
  const now = options.now ?? Date.now() / 1000;
  const pulse = headerOf(headers, SIGNATURE_HEADER, ",");
  const standard = headerOf(headers, "webhook-signature", " ");
  if (pulse) {
    await verifyPulseSignature(body, pulse, secret, tolerance, now);
  } else if (standard) {
    await verifyStandardSignature(body, headers, standard, secret, tolerance, now);
  } else {
    throw new WebhookVerificationError(`No ${SIGNATURE_HEADER} header (nor Standard Webhooks' webhook-signature).`);
  }
  return parseEvent(body);
}

/** `verify` under Stripe's name: the verified delivery's event. */
export function constructEvent(
  payload: WebhookPayload,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyOptions = {},
): Promise<WebhookEvent> {
  return verify(payload, headers, secret, options);
}

/** An X-Pulse-Signature value, as PulseHR makes it: for tests of your own webhook handlers. */
export async function sign(
  payload: WebhookPayload,
  secret: string,
  options: { timestamp?: number } = {},
): Promise<string> {
  const t = options.timestamp ?? Math.floor(Date.now() / 1000);
  const key = await hmacKey(encode(secret), "sign");
  const digest = await subtle().sign("HMAC", key, concat(encode(`${t}.`), bytesOf(payload)));
  return `t=${t},v1=${toHex(new Uint8Array(digest))}`;
}

async function verifyPulseSignature(
  body: Bytes,
  header: string,
  secret: string,
  tolerance: number | null,
  now: number,
) {
  const timestamps: string[] = [];
  const signatures: string[] = [];
  for (const item of header.split(",")) {
    const [key, ...rest] = item.trim().split("=");
    if (rest.length === 0) continue;
    if (key === "t") timestamps.push(rest.join("="));
    else if (key === "v1") signatures.push(rest.join("="));
  }
  const [timestamp] = timestamps;
  if (timestamps.length !== 1 || timestamp === undefined || !/^\d+$/.test(timestamp)) {
    throw new WebhookVerificationError(`${SIGNATURE_HEADER} has no valid timestamp (t=…).`);
  }
  if (signatures.length === 0) throw new WebhookVerificationError(`${SIGNATURE_HEADER} has no v1 signature.`);
  checkFreshness(Number(timestamp), tolerance, now);
  const key = await hmacKey(encode(secret), "verify");
  await checkAny(key, signatures.map(fromHex), concat(encode(`${timestamp}.`), body));
}

async function verifyStandardSignature(
  body: Bytes,
  headers: WebhookHeaders,
  header: string,
  secret: string,
  tolerance: number | null,
  now: number,
) {
  const id = headerOf(headers, "webhook-id", ",");
  const timestamp = headerOf(headers, "webhook-timestamp", ",");
  if (!id) throw new WebhookVerificationError("No webhook-id header.");
  if (!timestamp || !/^\d+$/.test(timestamp.trim())) {
    throw new WebhookVerificationError("webhook-timestamp has no valid timestamp.");
  }
  const signatures = header
    .split(/\s+/)
    .filter((entry) => entry.startsWith("v1,"))
    .map((entry) => entry.slice(3));
  if (signatures.length === 0) throw new WebhookVerificationError("webhook-signature has no v1 signature.");
  checkFreshness(Number(timestamp.trim()), tolerance, now);
  const keyBytes = fromBase64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  if (keyBytes === null) throw new WebhookVerificationError(`The secret is not a ${SECRET_PREFIX}… secret (base64).`);
  const key = await hmacKey(keyBytes, "verify");
  await checkAny(key, signatures.map(fromBase64), concat(encode(`${id}.${timestamp.trim()}.`), body));
}

function checkFreshness(timestamp: number, tolerance: number | null, now: number) {
  if (tolerance !== null && Math.abs(now - timestamp) > tolerance) {
    throw new WebhookVerificationError(`The signature's timestamp is more than ${tolerance} s from now.`);
  }
}

/** Web Crypto's verify compares in constant time; every candidate is checked, none skipped. */
async function checkAny(key: CryptoKey, candidates: (Bytes | null)[], signed: Bytes) {
  const results = await Promise.all(
    candidates.map((candidate) => (candidate === null ? false : subtle().verify("HMAC", key, candidate, signed))),
  );
  if (!results.includes(true)) throw new WebhookVerificationError("No v1 signature matches the payload and secret.");
}

function parseEvent(body: Bytes): WebhookEvent {
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new WebhookVerificationError("The payload is not JSON.");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new WebhookVerificationError("The payload is not a JSON object.");
  }
  return data as WebhookEvent;
}

// --- Bytes, headers and Web Crypto ----------------------------------------------------------

type Bytes = Uint8Array<ArrayBuffer>;

function subtle(): SubtleCrypto {
  const webCrypto = (globalThis as { crypto?: Crypto }).crypto;
  if (!webCrypto?.subtle) {
    throw new PulseError(
      "Web Crypto (globalThis.crypto.subtle) is not available: on Node 18 run with --experimental-global-webcrypto.",
      { code: "configuration" },
    );
  }
  return webCrypto.subtle;
}

function hmacKey(key: Bytes, usage: "sign" | "verify"): Promise<CryptoKey> {
  return subtle().importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}

function headerOf(headers: WebhookHeaders, name: string, separator: string): string | undefined {
  if (headers === null || headers === undefined) return undefined;
  if (typeof headers === "string") return name === SIGNATURE_HEADER ? headers : undefined;
  if (typeof headers.get === "function") return (headers.get as (name: string) => string | null)(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() !== wanted || value === undefined || value === null) continue;
    return Array.isArray(value) ? value.join(separator) : String(value);
  }
  return undefined;
}

function bytesOf(payload: WebhookPayload): Bytes {
  if (typeof payload === "string") return encode(payload);
  const view = payload instanceof ArrayBuffer ? new Uint8Array(payload) : payload;
  const copy = new Uint8Array(view.byteLength);
  copy.set(view);
  return copy;
}

function encode(text: string): Bytes {
  return new TextEncoder().encode(text) as Bytes;
}

function concat(a: Bytes, b: Bytes): Bytes {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(text: string): Bytes | null {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(text)) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function fromBase64(text: string): Bytes | null {
  try {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}
