/**
 * The TypeScript SDK against the language-neutral vectors in sdk/conformance (see its README):
 * every error code mapped to its class, and both webhook signature schemes.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import * as sdk from "@pulsehr/sdk";
import { type Pulse, WebhookVerificationError, webhooks } from "@pulsehr/sdk";
import { client, fakeFetch, setting, unique } from "./helpers.js";

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
  return (
    c.typescript ??
    c.kind
      .split("_")
      .map((part) => part[0]!.toUpperCase() + part.slice(1))
      .join("") + "Error"
  );
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

interface FaultCase {
  name: string;
  fault: Record<string, unknown>;
  operation: "employees.create" | "employees.list";
  params: Record<string, unknown>;
  expect: { outcome: "ok"; requests: number; same_idempotency_key: boolean; min_elapsed_seconds: number };
}

// One at a time: the fault server holds one armed fault.
describe("scenarios/faults.json", { concurrency: 1 }, () => {
  for (const c of cases<FaultCase>("scenarios/faults.json")) {
    test(c.name, async () => {
      const faultUrl = setting("PULSE_TEST_FAULT_URL");
      const armed = await fetch(`${faultUrl}/__fault/arm`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(c.fault),
      });
      assert.equal(armed.status, 200);
      const pulse = client({ baseUrl: `${faultUrl}/v1` });
      const started = performance.now();
      if (c.operation === "employees.create") {
        await pulse.employees.create(c.params as Parameters<typeof pulse.employees.create>[0]);
      } else {
        await pulse.employees.list(c.params as Parameters<typeof pulse.employees.list>[0]).page();
      }
      const elapsed = (performance.now() - started) / 1000;
      const seen = (await (await fetch(`${faultUrl}/__fault/log`)).json()) as {
        requests: { idempotency_key: string | null }[];
      };
      assert.equal(seen.requests.length, c.expect.requests, JSON.stringify(seen));
      assert.ok(elapsed >= c.expect.min_elapsed_seconds, `took ${elapsed} s`);
      if (c.expect.same_idempotency_key) {
        const keys = new Set(seen.requests.map((r) => r.idempotency_key));
        assert.equal(keys.size, 1);
        assert.ok([...keys][0], "no Idempotency-Key");
      }
    });
  }
});

interface WorkflowCase {
  name: string;
  workflow: "update_with_if_match" | "list_walk_with_inserts";
  params: Record<string, unknown>;
  expect: Record<string, unknown>;
}

type CreateParams = Parameters<Pulse["employees"]["create"]>[0];
type UpdateParams = Parameters<Pulse["employees"]["update"]>[1];

const workflows: Record<WorkflowCase["workflow"], (pulse: Pulse, c: WorkflowCase) => Promise<void>> = {
  async update_with_if_match(pulse, c) {
    const expect = c.expect as { role: string; version_step: number; stale_error: string; stale_status: number };
    const created = await pulse.employees.create(c.params["create"] as CreateParams);
    const updated = await pulse.employees.update(created.id, c.params["update"] as UpdateParams, {
      ifMatch: created.version,
    });
    assert.equal(updated.role, expect.role);
    assert.equal(updated.version, created.version + expect.version_step);
    await assert.rejects(
      pulse.employees.update(created.id, c.params["stale_update"] as UpdateParams, { ifMatch: created.version }),
      (error: sdk.APIError) => error.code === expect.stale_error && error.status === expect.stale_status,
    );
    const again = await pulse.employees.retrieve(created.id);
    assert.deepEqual([again.role, again.version], [updated.role, updated.version]);
  },

  async list_walk_with_inserts(pulse, c) {
    const params = c.params as { initial: number; limit: number; inserted: number; start_date: string };
    const department = unique("conformance");
    const wanted = new Map<string, number>();
    const add = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const employee = await pulse.employees.create({
          full_name: `Walker ${wanted.size}`,
          start_date: params.start_date,
          department,
        });
        wanted.set(employee.id, 0);
      }
    };
    await add(params.initial);
    let seen = 0;
    for await (const employee of pulse.employees.list({ department, limit: params.limit })) {
      assert.ok(wanted.has(employee.id), employee.id);
      wanted.set(employee.id, (wanted.get(employee.id) ?? 0) + 1);
      seen += 1;
      if (seen === params.limit) await add(params.inserted); // between the first and the second page
    }
    assert.equal(seen, c.expect["seen"]);
    assert.deepEqual(new Set(wanted.values()), new Set([1]));
  },
};

describe("scenarios/workflows.json", () => {
  for (const c of cases<WorkflowCase>("scenarios/workflows.json")) {
    test(c.name, async () => {
      const run = workflows[c.workflow];
      assert.ok(run, `unknown workflow ${c.workflow}`);
      await run(client(), c);
    });
  }
});
