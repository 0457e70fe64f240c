/**
 * Retries: connection errors and 5xx back off exponentially with jitter, a 429 waits for its
 * Retry-After, and a POST is never written twice (its Idempotency-Key is the same on every retry).
 * The server is real; where an answer must be lost after the server has done its work, a tiny
 * HTTP proxy in this process drops the connection or answers 503 in its place.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { APIConnectionError, ConflictError, InternalError, NotFoundError, RateLimitedError } from "@pulsehr/sdk";
import { BASE_URL, client, collect, fakeFetch, jsonResponse, recordingFetch, startProxy, unique } from "./helpers.js";

for (const how of ["drop", "503"] as const) {
  test(`a POST whose answer is lost (${how}) is retried with the same Idempotency-Key and written once`, async () => {
    let posts = 0;
    const proxy = await startProxy(BASE_URL(), (request) =>
      request.method === "POST" && ++posts === 1 ? how : undefined,
    );
    try {
      const name = unique("Idem");
      const pulse = client({ baseUrl: proxy.url });
      const employee = await pulse.employees.create({ full_name: name, start_date: "2024-01-08" });

      const sent = proxy.requests.filter((r) => r.method === "POST");
      assert.equal(sent.length, 2);
      assert.equal(sent[0]?.what, how === "drop" ? "dropped" : "replaced");
      const [first, second] = sent.map((r) => r.headers["idempotency-key"]);
      assert.match(String(first), /^pulsehr-typescript-[0-9a-f-]{36}$/);
      assert.equal(second, first);
      // The server wrote the first, and answered the retry with its replay.
      assert.deepEqual(
        sent.map((r) => r.upstreamStatus),
        [201, 201],
      );
      assert.equal(sent[0]?.upstreamHeaders?.["idempotent-replayed"], undefined);
      assert.equal(sent[1]?.upstreamHeaders?.["idempotent-replayed"], "true");
      const rows = await collect(client().employees.list({ q: name }));
      assert.deepEqual(
        rows.map((e) => e.id),
        [employee.id],
      );
    } finally {
      await proxy.close();
    }
  });
}

test("every POST gets its own Idempotency-Key; idempotencyKey chooses one, and a repeat replays", async () => {
  const { fetch, requests } = recordingFetch();
  const pulse = client({ fetch });
  const name = unique("Twin");
  await pulse.employees.create({ full_name: name, start_date: "2024-01-08" });
  await pulse.employees.create({ full_name: name, start_date: "2024-01-08" });
  const idempotencyKey = `mine-${unique("k")}`;
  const chosen = await pulse.employees.create(
    { full_name: `${name}-chosen`, start_date: "2024-01-08" },
    { idempotencyKey },
  );
  const replayed = await pulse.employees.create(
    { full_name: `${name}-chosen`, start_date: "2024-01-08" },
    { idempotencyKey },
  );

  const keys = requests.map((r) => r.headers["Idempotency-Key"]);
  assert.equal(new Set(keys.slice(0, 3)).size, 3);
  assert.deepEqual(keys.slice(2), [idempotencyKey, idempotencyKey]);
  assert.deepEqual(replayed, chosen); // the first response, replayed
  assert.equal((await collect(pulse.employees.list({ q: `${name}-chosen` }))).length, 1); // written once
  assert.equal((await collect(pulse.employees.list({ q: name }))).length, 3);
  // GET, PATCH and DELETE carry none.
  await pulse.employees.retrieve(chosen.id);
  assert.equal(requests.at(-1)?.headers["Idempotency-Key"], undefined);
});

test("a 5xx is retried maxRetries times, then thrown", async () => {
  const always500 = fakeFetch(() =>
    jsonResponse(500, { error: { code: "internal_error", message: "boom", request_id: "req_x" } }),
  );
  await assert.rejects(client({ fetch: always500.fetch, maxRetries: 2 }).employees.list().page(), InternalError);
  assert.equal(always500.calls(), 3);

  const zero = fakeFetch(() => jsonResponse(503, {}));
  await assert.rejects(client({ fetch: zero.fetch, maxRetries: 0 }).employees.list().page(), InternalError);
  assert.equal(zero.calls(), 1);
});

test("a 5xx, then the live server: the retry succeeds", async () => {
  const { fetch, calls } = fakeFetch((url, init, call) =>
    call === 1 ? jsonResponse(502, {}) : globalThis.fetch(url, init),
  );
  const total = await client({ fetch }).employees.list({ limit: 1 }).getTotalCount();
  assert.equal(typeof total, "number");
  assert.equal(calls(), 2);
});

test("4xx other than 429 are not retried", async () => {
  const { fetch, calls } = fakeFetch(() =>
    jsonResponse(409, { error: { code: "conflict", message: "no", request_id: "req_c" } }),
  );
  await assert.rejects(client({ fetch }).employees.update("emp_1", { role: "x" }, { ifMatch: 1 }), ConflictError);
  assert.equal(calls(), 1);
  const recorded = recordingFetch();
  await assert.rejects(
    client({ fetch: recorded.fetch }).employees.retrieve("emp_01HR3AAAAAAAAAAAAAAAAAAAAA"),
    NotFoundError,
  );
  assert.equal(recorded.requests.length, 1);
});

test("connection errors back off exponentially with jitter, then throw APIConnectionError", async () => {
  const at: number[] = [];
  const { fetch } = fakeFetch(() => {
    at.push(Date.now());
    throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED") });
  });
  await assert.rejects(
    client({ fetch, maxRetries: 3, backoff: 100, maxBackoff: 250 }).employees.list().page(),
    (error) => {
      assert.ok(error instanceof APIConnectionError);
      assert.match(error.message, /fetch failed <- Error: connect ECONNREFUSED on GET /);
      return true;
    },
  );
  const gaps = at.slice(1).map((t, i) => t - (at[i] as number));
  assert.equal(gaps.length, 3);
  // backoff × 2^attempt, capped at maxBackoff, times a jitter of 0.5–1: 50–100, 100–200, 125–250 ms.
  const bounds = [
    [50, 100],
    [100, 200],
    [125, 250],
  ] as const;
  gaps.forEach((gap, i) => {
    const [low, high] = bounds[i] as readonly [number, number];
    // Timers never fire early; a busy machine may fire them late.
    assert.ok(gap >= low - 5 && gap <= high + 1_000, `retry ${i + 1} waited ${gap} ms, not ${low}–${high}`);
  });
});

test("a 429's Retry-After is honoured before retrying; one longer than maxRetryAfter throws at once", async () => {
  const at: number[] = [];
  const { fetch } = fakeFetch((url, init, call) => {
    at.push(Date.now());
    if (call === 1) {
      return jsonResponse(
        429,
        { error: { code: "rate_limited", message: "slow down", request_id: "req_1" } },
        { "Retry-After": "1" },
      );
    }
    return globalThis.fetch(url, init);
  });
  await client({ fetch }).employees.list({ limit: 1 }).page();
  assert.equal(at.length, 2);
  assert.ok((at[1] as number) - (at[0] as number) >= 1000);

  const long = fakeFetch(() =>
    jsonResponse(
      429,
      { error: { code: "rate_limited", message: "later", request_id: "req_2" } },
      { "Retry-After": "30" },
    ),
  );
  const started = Date.now();
  await assert.rejects(client({ fetch: long.fetch, maxRetryAfter: 5_000 }).employees.list().page(), (error) => {
    assert.ok(error instanceof RateLimitedError);
    assert.equal(error.retryAfter, 30);
    return true;
  });
  assert.equal(long.calls(), 1);
  assert.ok(Date.now() - started < 5_000); // not the 30 s asked for
});

test("an attempt that gets no answer within timeout is a connection error, retried", async () => {
  const { fetch, calls } = fakeFetch(
    (_url, init) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      }),
  );
  await assert.rejects(client({ fetch, timeout: 100, maxRetries: 1 }).employees.list().page(), (error) => {
    assert.ok(error instanceof APIConnectionError);
    assert.match(error.message, /no answer within 100 ms/);
    return true;
  });
  assert.equal(calls(), 2);
});

test("the caller's AbortSignal stops the call and its retries", async () => {
  const { fetch, calls } = fakeFetch(() => jsonResponse(503, {}));
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("caller gave up")), 50);
  const started = Date.now();
  const aborted = client({ fetch, backoff: 10_000 }).employees.list({}, { signal: controller.signal }).page();
  await assert.rejects(aborted, /caller gave up/);
  assert.equal(calls(), 1); // aborted while backing off, long before the retry
  assert.ok(Date.now() - started < 5_000); // not the 10 s backoff
});
