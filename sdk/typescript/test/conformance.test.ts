/**
 * The TypeScript SDK against the language-neutral vectors in sdk/conformance (see its README):
 * every error code mapped to its class, and both webhook signature schemes.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import * as sdk from "@pulsehr/sdk";
import { WebhookVerificationError, webhooks } from "@pulsehr/sdk";
import { client, fakeFetch, setting } from "./helpers.js";

interface ErrorCase {
  name: string;
  status: number;
  code: string;
  envelope: boolean;
  kind: string;
  typescript?: string;
}

interface SignatureCase {
  name: string;
  scheme: "pulse" | "standard";
  secret: string;
  now: number;
  tolerance: number | null;
  body: string;
  headers: Record<string, string>;
  valid: boolean;
  reason: string;
}

function cases<T>(file: string): T[] {
  const data = JSON.parse(readFileSync(join(setting("PULSE_CONFORMANCE_DIR"), file), "utf8"));
  assert.equal(data.version, 1, `${file}: unknown version`);
  return data.cases as T[];
}

function className(c: ErrorCase): string {
  return c.typescript ?? c.kind.split("_").map((part) => part[0]!.toUpperCase() + part.slice(1)).join("") + "Error";
}

describe("errors.json", () => {
  for (const c of cases<ErrorCase>("errors.json")) {
    test(c.name, async () => {
      const { fetch } = fakeFetch(() =>
        c.envelope
          ? new Response(JSON.stringify({ error: { code: c.code, message: "m", request_id: "req_1" } }), {
              status: c.status,
              headers: { "Content-Type": "application/json" },
            })
          : new Response("upstream failed", { status: c.status, headers: { "Content-Type": "text/plain" } }),
      );
      const expected = (sdk as unknown as Record<string, unknown>)[className(c)];
      assert.equal(typeof expected, "function", `no class ${className(c)}`);
      const error = await client({ fetch, maxRetries: 0 })
        .employees.list()
        .page()
        .then(
          () => assert.fail("no error"),
          (err: unknown) => err as sdk.PulseError,
        );
      assert.equal(error.constructor, expected);
      assert.equal(error.code, c.code);
      assert.equal((error as sdk.APIError).status, c.status);
      if (c.envelope) assert.equal((error as sdk.APIError).requestId, "req_1");
    });
  }
});

describe("webhooks/signatures.json", () => {
  for (const c of cases<SignatureCase>("webhooks/signatures.json")) {
    test(c.name, async () => {
      const run = () => webhooks.verify(c.body, c.headers, c.secret, { now: c.now, toleranceSeconds: c.tolerance });
      if (c.valid) {
        assert.equal((await run()).id, JSON.parse(c.body).id);
      } else {
        await assert.rejects(run, WebhookVerificationError);
      }
    });
  }
});
