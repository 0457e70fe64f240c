/**
 * A real 429 from a server with a tiny rate limit (PULSE_TEST_LIMITED_*: a few requests per key per
 * clock-aligned minute). Its Retry-After is the rest of the minute, so honouring it takes up to a
 * minute: this file runs beside the others, not after them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { RateLimitedError } from "@pulsehr/sdk";
import { client, recordingFetch, setting } from "./helpers.js";

const BASE_URL = () => setting("PULSE_TEST_LIMITED_BASE_URL");
const KEY = () => setting("PULSE_TEST_LIMITED_KEY");
const LIMIT = () => Number(setting("PULSE_TEST_LIMITED_LIMIT"));

/** Spend the key's budget in one window, without the SDK; the Retry-After of the 429 that follows. */
async function spendBudget(): Promise<number> {
  const left = 60 - ((Date.now() / 1000) % 60);
  if (left < 5) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 200)); // all in one window
  const headers = { Authorization: `Bearer ${KEY()}` };
  for (let i = 0; i < LIMIT(); i++) {
    const response = await fetch(`${BASE_URL()}/employees?limit=1`, { headers });
    assert.equal(response.status, 200, await response.text());
  }
  const response = await fetch(`${BASE_URL()}/employees?limit=1`, { headers });
  assert.equal(response.status, 429);
  return Number(response.headers.get("retry-after"));
}

test("a real 429: thrown at once when Retry-After is over maxRetryAfter, waited out and retried otherwise", async () => {
  const retryAfter = await spendBudget();
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);

  const once = recordingFetch();
  const impatient = client({ apiKey: KEY(), baseUrl: BASE_URL(), fetch: once.fetch, maxRetries: 1, maxRetryAfter: 0 });
  await assert.rejects(impatient.employees.list({ limit: 1 }).page(), (error) => {
    assert.ok(error instanceof RateLimitedError);
    assert.equal(error.status, 429);
    assert.equal(error.code, "rate_limited");
    assert.match(error.requestId ?? "", /^req_/);
    assert.ok(
      error.retryAfter !== null && Math.abs(error.retryAfter - retryAfter) <= 2,
      `retryAfter ${error.retryAfter}`,
    );
    assert.equal(error.headers["x-ratelimit-limit"], String(LIMIT()));
    return true;
  });
  assert.deepEqual(
    once.requests.map((r) => r.status),
    [429],
  ); // thrown at once, not retried

  // The same call with room to wait: the SDK sleeps for Retry-After, and the retry lands in the next window.
  const { fetch, requests } = recordingFetch();
  const patient = client({ apiKey: KEY(), baseUrl: BASE_URL(), fetch, maxRetries: 1, maxRetryAfter: 61_000 });
  const waitStarted = Date.now();
  const page = await patient.employees.list({ limit: 1 }).page();
  const waited = Date.now() - waitStarted;
  assert.equal(typeof page.totalCount, "number");
  assert.deepEqual(
    requests.map((r) => r.status),
    [429, 200],
  );
  assert.ok(waited >= (retryAfter - 2) * 1000, `waited ${waited} ms for a Retry-After of about ${retryAfter} s`);
});
