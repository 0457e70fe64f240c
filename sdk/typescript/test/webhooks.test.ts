/**
 * webhooks.verify against signatures made by the server's own signing code (vectors written by
 * pytest with webhooks/signing.py, in PULSE_TEST_WEBHOOK_VECTORS), and against real deliveries sent
 * by a Celery worker to a receiver in this process, before and after a secret rotation.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { Pulse, type WebhookEvent, WebhookVerificationError, webhooks } from "@pulsehr/sdk";
import { setting, unique, waitFor } from "./helpers.js";

interface Vector {
  name: string;
  body: string;
  headers: Record<string, string> | string | null;
  secret: string;
  tolerance_seconds?: number | null;
  /** "ok", or a fragment of the WebhookVerificationError's message. */
  expect: string;
}

interface Vectors {
  event_id: string;
  /** When pytest made them (Unix seconds): each is verified as of then. */
  now: number;
  verify: Vector[];
  sign: { body: string; secret: string; timestamp: number; header: string }[];
}

const vectors = (): Vectors => JSON.parse(readFileSync(setting("PULSE_TEST_WEBHOOK_VECTORS"), "utf8")) as Vectors;

describe("signature vectors made by the server's signing code", () => {
  test("each vector verifies or fails as expected, with both schemes", async () => {
    const { event_id, now, verify } = vectors();
    assert.ok(verify.length >= 15);
    for (const vector of verify) {
      const options =
        vector.tolerance_seconds === undefined ? { now } : { now, toleranceSeconds: vector.tolerance_seconds };
      const call = webhooks.verify(vector.body, vector.headers, vector.secret, options);
      if (vector.expect === "ok") {
        const event = await call;
        assert.equal(event.id, event_id, vector.name);
        // Bytes verify like the string they encode.
        const bytes = new TextEncoder().encode(vector.body);
        assert.equal((await webhooks.verify(bytes, vector.headers, vector.secret, options)).id, event_id, vector.name);
        assert.equal(
          (await webhooks.verify(bytes.buffer, vector.headers, vector.secret, options)).id,
          event_id,
          vector.name,
        );
      } else {
        await assert.rejects(
          call,
          (error) => {
            assert.ok(error instanceof WebhookVerificationError, `${vector.name}: ${String(error)}`);
            assert.ok(
              error.message.includes(vector.expect),
              `${vector.name}: "${error.message}" lacks "${vector.expect}"`,
            );
            return true;
          },
          `${vector.name}: verified, but should not have`,
        );
      }
    }
  });

  test("sign() makes the header the server makes", async () => {
    for (const vector of vectors().sign) {
      assert.equal(await webhooks.sign(vector.body, vector.secret, { timestamp: vector.timestamp }), vector.header);
    }
  });
});

interface Delivered {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** An HTTP receiver on 127.0.0.1 recording every delivery's raw body and headers. */
async function startReceiver() {
  const received: Delivered[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/${unique("pulse")}`,
    received,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** The raw header of a delivery, as one string. */
function header(delivery: Delivered, name: string): string {
  const value = delivery.headers[name];
  assert.equal(typeof value, "string", `${name} is sent`);
  return value as string;
}

function standardOnly(delivery: Delivered): Record<string, string> {
  return Object.fromEntries(
    ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => [name, header(delivery, name)]),
  );
}

test("real deliveries verify with both schemes, before and after a secret rotation", async () => {
  const pulse = new Pulse({
    apiKey: setting("PULSE_TEST_WEBHOOK_KEY"),
    baseUrl: setting("PULSE_TEST_WEBHOOK_BASE_URL"),
    backoff: 50,
  });
  const receiver = await startReceiver();
  const endpoint = await pulse.webhookEndpoints.create({ url: receiver.url, enabled_events: ["employee.created"] });
  try {
    const deliveryOf = async (employeeId: string) =>
      waitFor(`the employee.created delivery of ${employeeId}`, () =>
        receiver.received.find(
          (d) => (JSON.parse(d.body.toString("utf8")) as { data: { id: string } }).data.id === employeeId,
        ),
      );

    const first = await pulse.employees.create({ full_name: unique("Hook"), start_date: "2024-01-08" });
    const delivery = await deliveryOf(first.id);
    const event: WebhookEvent = await pulse.webhooks.constructEvent(delivery.body, delivery.headers, endpoint.secret);
    assert.equal(event.type, "employee.created");
    assert.equal(event.data["id"], first.id);
    assert.equal(header(delivery, "x-pulse-event"), "employee.created");

    // Either scheme alone verifies: X-Pulse-Signature (the header, or its value alone), or Standard Webhooks.
    const xPulse = header(delivery, "x-pulse-signature");
    assert.equal((await webhooks.verify(delivery.body, { "X-Pulse-Signature": xPulse }, endpoint.secret)).id, event.id);
    assert.equal((await webhooks.verify(delivery.body, xPulse, endpoint.secret)).id, event.id);
    assert.equal((await webhooks.verify(delivery.body, standardOnly(delivery), endpoint.secret)).id, event.id);
    assert.equal(
      (await webhooks.verify(delivery.body, new Headers(standardOnly(delivery)), endpoint.secret)).id,
      event.id,
    );
    // A body changed by one byte verifies under neither.
    const tampered = Buffer.concat([delivery.body, Buffer.from(" ")]);
    for (const headers of [delivery.headers, standardOnly(delivery)]) {
      await assert.rejects(webhooks.verify(tampered, headers, endpoint.secret), WebhookVerificationError);
    }

    const rotated = await pulse.webhookEndpoints.rotateSecret(endpoint.id);
    assert.notEqual(rotated.secret, endpoint.secret);
    const second = await pulse.employees.create({ full_name: unique("Hook"), start_date: "2024-01-08" });
    const after = await deliveryOf(second.id);
    assert.equal(header(after, "x-pulse-signature").match(/v1=/g)?.length, 2);
    assert.equal(header(after, "webhook-signature").split(" ").length, 2);
    for (const secret of [endpoint.secret, rotated.secret]) {
      assert.equal((await webhooks.verify(after.body, after.headers, secret)).data["id"], second.id);
      assert.equal((await webhooks.verify(after.body, standardOnly(after), secret)).data["id"], second.id);
    }
    await assert.rejects(
      webhooks.verify(after.body, after.headers, `whsec_${Buffer.alloc(32).toString("base64")}`),
      /No v1 signature matches/,
    );
  } finally {
    await pulse.webhookEndpoints.delete(endpoint.id);
    await receiver.close();
  }
});
