/** Every error code of the envelope throws its own class, carrying status, code, message, fields and requestId. */
import assert from "node:assert/strict";
import net from "node:net";
import { test } from "node:test";
import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  ConflictError,
  InternalError,
  InvalidRequestError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  Pulse,
  PulseError,
  RateLimitError,
  RateLimitedError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
} from "@pulsehr/sdk";
import { client, fakeFetch, jsonResponse, newEmployee, setting } from "./helpers.js";

type ErrorClass = abstract new (...args: never[]) => PulseError;

/** The call rejects with `cls`, an APIError answered with the envelope (status, code, message, request id). */
async function rejectsWith(call: Promise<unknown>, cls: ErrorClass, status: number, code: string): Promise<PulseError> {
  let caught: unknown;
  await assert.rejects(call, (error) => {
    caught = error;
    return true;
  });
  const error = caught as PulseError;
  assert.ok(error instanceof cls, `${String(error)} is a ${cls.name}`);
  assert.ok(error instanceof APIError && error instanceof PulseError && error instanceof Error);
  assert.equal(error.name, cls.name);
  assert.equal(error.status, status);
  assert.equal(error.code, code);
  assert.ok(error.message.length > 0);
  assert.match(error.requestId ?? "", /^req_/);
  assert.equal(error.headers["x-request-id"], error.requestId);
  return error;
}

test("400: a schema failure is an InvalidRequestError naming the fields", async () => {
  const pulse = client();
  // @ts-expect-error -- full_name is required: the types refuse this call, the server too
  const noName = pulse.employees.create({ start_date: "2024-01-08", role: "Engineer" });
  const error = await rejectsWith(noName, InvalidRequestError, 400, "invalid_request");
  assert.ok(error.fields.includes("full_name"));
  assert.match(
    String(error),
    /^InvalidRequestError: invalid_request: .* fields=\["full_name"\] status=400 request_id=req_/,
  );

  // @ts-expect-error -- an unknown filter: a compile error, and a 400 naming it
  const misspelt = pulse.employees.list({ statuz: "active" }).page();
  const unknown = await rejectsWith(misspelt, InvalidRequestError, 400, "invalid_request");
  assert.deepEqual(unknown.fields, ["statuz"]);
});

test("401: a bad key is an AuthenticationError", async () => {
  const pulse = client({ apiKey: "pk_live_not-a-key" });
  await rejectsWith(
    pulse.employees.retrieve("emp_01HR3AAAAAAAAAAAAAAAAAAAAA"),
    AuthenticationError,
    401,
    "unauthenticated",
  );
});

test("403: a key without the scope is a PermissionDeniedError", async () => {
  const readOnly = client({ apiKey: setting("PULSE_TEST_READONLY_KEY") });
  assert.equal(typeof (await readOnly.employees.list({ limit: 1 }).getTotalCount()), "number"); // it may read
  await rejectsWith(
    readOnly.employees.create({ full_name: "Nope", start_date: "2024-01-08" }),
    PermissionDeniedError,
    403,
    "permission_denied",
  );
});

test("404: an unknown id is a NotFoundError", async () => {
  await rejectsWith(client().employees.retrieve("emp_01HR3AAAAAAAAAAAAAAAAAAAAA"), NotFoundError, 404, "not_found");
});

test("405: a method the path does not take is a MethodNotAllowedError", async () => {
  await rejectsWith(
    client().request("PUT", "/employees", { body: {} }),
    MethodNotAllowedError,
    405,
    "method_not_allowed",
  );
});

test("409: a stale ifMatch, and an Idempotency-Key reused for another body, are ConflictErrors", async () => {
  const pulse = client();
  const employee = await newEmployee(pulse);
  await pulse.employees.update(employee.id, { role: "Lead" }, { ifMatch: employee.version });
  await rejectsWith(
    pulse.employees.update(employee.id, { role: "Other" }, { ifMatch: employee.version }),
    ConflictError,
    409,
    "conflict",
  );

  const idempotencyKey = `reuse-${employee.id}`;
  await pulse.employees.create({ full_name: "Once", start_date: "2024-01-08" }, { idempotencyKey });
  await rejectsWith(
    pulse.employees.create({ full_name: "Twice", start_date: "2024-01-08" }, { idempotencyKey }),
    ConflictError,
    409,
    "conflict",
  );
});

test("413: a body over the server's limit is a PayloadTooLargeError", async () => {
  const note = "x".repeat(1_100_000); // PULSEHR_MAX_BODY_BYTES is 1 MiB by default
  await rejectsWith(
    client().employees.create({ full_name: "Big", start_date: "2024-01-08", custom_fields: { note } }),
    PayloadTooLargeError,
    413,
    "payload_too_large",
  );
});

test("415: a body that is not application/json is an UnsupportedMediaTypeError", async () => {
  const call = client().request("POST", "/employees", {
    body: { full_name: "Text" },
    headers: { "content-type": "text/plain" },
  });
  await rejectsWith(call, UnsupportedMediaTypeError, 415, "unsupported_media_type");
});

test("422: a semantic failure is an UnprocessableEntityError", async () => {
  const pulse = client();
  const employee = await newEmployee(pulse);
  const call = pulse.leave.create({
    employee_id: employee.id,
    kind: "vacation",
    start_date: "2026-03-05",
    end_date: "2026-03-02",
  });
  const error = await rejectsWith(call, UnprocessableEntityError, 422, "unprocessable_entity");
  assert.ok(error.fields.length > 0);
});

test("429: a RateLimitedError (also exported as RateLimitError) carries retryAfter in seconds", async () => {
  assert.equal(RateLimitError, RateLimitedError);
  const { fetch } = fakeFetch(() =>
    jsonResponse(
      429,
      { error: { code: "rate_limited", message: "slow down", request_id: "req_429" } },
      { "Retry-After": "7", "X-Request-Id": "req_429" },
    ),
  );
  const pulse = client({ fetch, maxRetries: 0 });
  const error = await rejectsWith(pulse.employees.list().page(), RateLimitError, 429, "rate_limited");
  assert.ok(error instanceof RateLimitedError);
  assert.equal(error.retryAfter, 7);
  // The real server's 429 is in ratelimit.test.ts.
});

test("5xx: an InternalError, with or without the envelope; any other status is an APIError", async () => {
  const envelope = fakeFetch(() =>
    jsonResponse(
      500,
      { error: { code: "internal_error", message: "boom", request_id: "req_500" } },
      { "X-Request-Id": "req_500" },
    ),
  );
  await rejectsWith(
    client({ fetch: envelope.fetch, maxRetries: 0 }).employees.list().page(),
    InternalError,
    500,
    "internal_error",
  );

  const html = fakeFetch(
    () => new Response("<html>Bad gateway</html>", { status: 502, headers: { "X-Request-Id": "req_502" } }),
  );
  const gateway = await rejectsWith(
    client({ fetch: html.fetch, maxRetries: 0 }).employees.list().page(),
    InternalError,
    502,
    "internal_error",
  );
  assert.equal(gateway.message, "HTTP 502");
  assert.equal(gateway.body, "<html>Bad gateway</html>");

  const teapot = fakeFetch(() =>
    jsonResponse(
      418,
      { error: { code: "teapot", message: "short and stout", request_id: "req_418" } },
      { "X-Request-Id": "req_418" },
    ),
  );
  const other = await rejectsWith(client({ fetch: teapot.fetch }).employees.list().page(), APIError, 418, "teapot");
  assert.equal(other.constructor, APIError);
});

test("no answer at all is an APIConnectionError, after the retries", async () => {
  const started = Date.now();
  const port = await closedPort();
  const pulse = new Pulse({ apiKey: "pk_live_x", baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 2, backoff: 50 });
  await assert.rejects(pulse.employees.retrieve("emp_1"), (error) => {
    assert.ok(error instanceof APIConnectionError && error instanceof PulseError);
    assert.ok(!(error instanceof APIError));
    assert.equal(error.status, null);
    assert.equal(error.code, "connection_error");
    assert.equal(error.requestId, null);
    assert.match(error.message, /ECONNREFUSED/);
    assert.ok(error.message.endsWith(`on GET http://127.0.0.1:${port}/v1/employees/emp_1`), error.message);
    return true;
  });
  assert.ok(Date.now() - started < 10_000);
});

/** A port nothing listens on: one the system just handed out and was closed again. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
