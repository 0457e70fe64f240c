/** Every resource method against the live server: the happy paths, with no HTTP mocked. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ConflictError,
  DEFAULT_BASE_URL,
  ListIterator,
  Pulse,
  PulseError,
  UnprocessableEntityError,
} from "@pulsehr/sdk";
import {
  BASE_URL,
  KEY,
  client,
  collect,
  fakeFetch,
  isoDate,
  jsonResponse,
  newEmployee,
  unique,
  workspaceToday,
} from "./helpers.js";

const today = workspaceToday();

describe("employees", () => {
  test("create, retrieve, update with ifMatch, a stale update is a ConflictError, delete offboards", async () => {
    const pulse = client();
    const created = await newEmployee(pulse, { role: "Engineer", custom_fields: { shirt: "M" } });
    assert.match(created.id, /^emp_/);
    assert.equal(created.start_date, "2024-01-08");
    assert.deepEqual(created.custom_fields, { shirt: "M" });
    assert.equal(created.version, 1);

    assert.deepEqual(await pulse.employees.retrieve(created.id), created);

    const updated = await pulse.employees.update(created.id, { role: "Staff Engineer" }, { ifMatch: created.version });
    assert.equal(updated.role, "Staff Engineer");
    assert.equal(updated.version, created.version + 1);

    await assert.rejects(
      pulse.employees.update(created.id, { role: "Principal" }, { ifMatch: created.version }),
      (error) => {
        assert.ok(error instanceof ConflictError);
        assert.equal(error.status, 409);
        assert.equal(error.code, "conflict");
        assert.match(error.requestId ?? "", /^req_/);
        return true;
      },
    );
    assert.equal((await pulse.employees.retrieve(created.id)).role, "Staff Engineer");
    // An ETag is taken as it is, weak or strong.
    const again = await pulse.employees.update(
      created.id,
      { location: "Turin" },
      { ifMatch: `W/"${updated.version}"` },
    );
    assert.equal(again.version, updated.version + 1);

    const offboarded = await pulse.employees.delete(created.id, { ifMatch: again.version });
    assert.equal(offboarded.end_date, isoDate(today));
    assert.equal(offboarded.status, "former");
    const listed = await collect(pulse.employees.list({ q: created.full_name }));
    assert.deepEqual(
      listed.map((e) => e.id),
      [created.id],
    );
  });
});

describe("response metadata", () => {
  test("every result and page carries lastResponse: status, headers, request id, rate limit, ETag", async () => {
    const pulse = client();
    const created = await newEmployee(pulse);
    const answer = created.lastResponse;
    assert.equal(answer.status, 201);
    assert.match(answer.requestId ?? "", /^req_/);
    assert.equal(answer.etag, `"${created.version}"`);
    assert.equal(answer.headers["etag"], answer.etag);
    assert.equal(answer.rateLimitRemaining, null); // this server runs without a rate limit: no X-RateLimit-*
    // Not part of the data: JSON and equality leave it out.
    assert.ok(!("lastResponse" in JSON.parse(JSON.stringify(created))));
    assert.ok(!Object.keys(created).includes("lastResponse"));

    const updated = await pulse.employees.update(created.id, { role: "Lead" }, { ifMatch: answer.etag ?? "" });
    assert.equal(updated.lastResponse.status, 200);
    assert.notEqual(updated.lastResponse.requestId, answer.requestId);

    const page = await pulse.employees.list({ q: created.full_name }).page();
    assert.equal(page.lastResponse?.status, 200);
    assert.match(page.lastResponse?.requestId ?? "", /^req_/);
  });

  test("rateLimitRemaining is X-RateLimit-Remaining as a number", async () => {
    const { fetch } = fakeFetch(() =>
      jsonResponse(200, { data: [], next_cursor: null, total_count: 0 }, { "X-RateLimit-Remaining": "41" }),
    );
    const page = await client({ fetch }).employees.list().page();
    assert.equal(page.lastResponse?.rateLimitRemaining, 41);
  });
});

describe("the leave ledger", () => {
  test("an adjustment is an entry of the ledger, who is out is listed, approving decided leave is refused", async () => {
    const pulse = client();
    const person = await newEmployee(pulse);
    const adjustment = await pulse.leave.adjust({
      employee_id: person.id,
      kind: "vacation",
      amount: 1.5,
      reason: "Worked the launch weekend",
    });
    const entries = await collect(pulse.leave.ledger({ employee_id: person.id, kind: "vacation" }));
    assert.ok(
      entries.some((entry) => entry.entry_type === "adjustment" && entry.reason === "Worked the launch weekend"),
    );
    assert.ok(adjustment);
    const out = await pulse.leave.whosOut();
    assert.ok(Array.isArray(out.days) && out.days.length > 0);
    const leave = await pulse.leave.create({
      employee_id: person.id,
      kind: "sick",
      start_date: "2025-03-03",
      end_date: "2025-03-03",
    });
    await assert.rejects(pulse.leave.approve(leave.id, { reason: "Get well" }), UnprocessableEntityError);
    await assert.rejects(pulse.leave.reject(leave.id), UnprocessableEntityError);
  });
});

describe("the Employee Score", () => {
  test("one employee's score with its factors, their weekly history, and the groups", async () => {
    const pulse = client();
    const [person, colleague] = [await newEmployee(pulse), await newEmployee(pulse)];
    await pulse.kudos.create({ from_employee_id: colleague.id, to_employee_id: person.id, coins: 5 });
    const score = await pulse.employees.score(person.id, { as_of: isoDate(today) });
    assert.equal(score.employee_id, person.id);
    assert.deepEqual(
      score.factors.map((factor) => factor.key),
      ["recognition", "participation", "workload", "time_off"],
    );
    assert.ok(score.factors.every((factor) => factor.explanation.length > 0));
    assert.deepEqual(await collect(pulse.employees.scoreHistory(person.id)), []); // no weekly snapshot yet
    const groups = await pulse.scores.groups({ by: "department" });
    assert.equal(groups.by, "department");
    assert.ok(Array.isArray(groups.groups) && groups.min_group_size >= 3);
  });
});

describe("status log, kudos, workload check-ins", () => {
  test("a status-log entry is posted, retrieved and listed; kudos are sent and listed", async () => {
    const pulse = client();
    const [author, colleague] = [await newEmployee(pulse), await newEmployee(pulse)];
    const entry = await pulse.statusLog.create({
      employee_id: author.id,
      lines: [
        "Shipped the OG localiser. Three locales live.",
        "Hit a CLS regression on /product; fix in 1742.",
        "Pairing with Niccolò on the workload trend curve.",
      ],
    });
    assert.match(entry.id, /^sl_/);
    assert.equal(entry.lines[2], "Pairing with Niccolò on the workload trend curve.");
    assert.deepEqual(await pulse.statusLog.retrieve(entry.id), entry);
    assert.deepEqual(
      (await collect(pulse.statusLog.list({ employee_id: author.id }))).map((e) => e.id),
      [entry.id],
    );

    const kudos = await pulse.kudos.create({
      from_employee_id: author.id,
      to_employee_id: colleague.id,
      coins: 10,
      tag: "craft",
      note: "Picked up the failing migration without anyone asking.",
    });
    assert.match(kudos.id, /^kud_/);
    assert.equal(kudos.coins, 10);
    assert.equal(kudos.tag, "craft");
    assert.deepEqual(
      (await collect(pulse.kudos.list({ to_employee_id: colleague.id }))).map((k) => k.id),
      [kudos.id],
    );
  });

  test("workload check-ins are recorded and listed", async () => {
    const pulse = client();
    const employee = await newEmployee(pulse);
    const monday = new Date(today);
    monday.setUTCDate(today.getUTCDate() - ((today.getUTCDay() + 6) % 7));
    const checkin = await pulse.workloadCheckins.create({
      employee_id: employee.id,
      week_start: isoDate(monday),
      level: "heavy",
    });
    assert.equal(checkin.level, "heavy");
    assert.deepEqual(await collect(pulse.workloadCheckins.list({ employee_id: employee.id })), [checkin]);
  });
});

describe("leave", () => {
  test("logged, retrieved, balanced, listed and cancelled with ifMatch", async () => {
    const pulse = client();
    const employee = await newEmployee(pulse);
    const year = today.getUTCFullYear() + 1;
    const leave = await pulse.leave.create({
      employee_id: employee.id,
      kind: "vacation",
      start_date: `${year}-03-02`,
      end_date: `${year}-03-03`,
      note: "Ski",
    });
    assert.match(leave.id, /^lv_/);
    assert.ok(leave.days > 0);
    assert.deepEqual(await pulse.leave.retrieve(leave.id), leave);

    const balance = await pulse.leave.balance(employee.id, { year });
    assert.equal(balance.year, year);
    assert.equal(balance.balances.find((b) => b.kind === "vacation")?.planned, leave.days);
    assert.equal((await pulse.leave.balance(employee.id)).year, today.getUTCFullYear()); // this year by default

    await assert.rejects(pulse.leave.delete(leave.id, { ifMatch: leave.version + 1 }), ConflictError);
    const cancelled = await pulse.leave.delete(leave.id, { ifMatch: leave.version });
    assert.equal(cancelled.status, "cancelled");
    assert.deepEqual(
      (await collect(pulse.leave.list({ employee_id: employee.id }))).map((l) => l.status),
      ["cancelled"],
    );
  });
});

describe("webhook endpoints and events", () => {
  test("create, retrieve, list, update, rotateSecret, test, events list/retrieve/replay, delete", async () => {
    const pulse = client();
    const endpoint = await pulse.webhookEndpoints.create({
      url: "http://127.0.0.1:9/hook",
      enabled_events: ["employee.created"],
    });
    assert.match(endpoint.secret, /^whsec_/);
    assert.equal((await pulse.webhookEndpoints.retrieve(endpoint.id)).url, "http://127.0.0.1:9/hook");
    assert.ok((await collect(pulse.webhookEndpoints.list())).some((e) => e.id === endpoint.id));

    const updated = await pulse.webhookEndpoints.update(
      endpoint.id,
      { description: "CRM sync" },
      { ifMatch: endpoint.version },
    );
    assert.equal(updated.description, "CRM sync");

    const rotated = await pulse.webhookEndpoints.rotateSecret(endpoint.id);
    assert.notEqual(rotated.secret, endpoint.secret);
    assert.ok(rotated.previous_secret_expires_at);

    const ping = await pulse.webhookEndpoints.test(endpoint.id);
    assert.equal(ping.endpoint_id, endpoint.id);
    assert.match(ping.id, /^del_/);

    const employee = await newEmployee(pulse);
    let event;
    for await (const e of pulse.events.list({ type: "employee.created" })) {
      if (e.data["id"] === employee.id) {
        event = e;
        break;
      }
    }
    assert.ok(event, "the employee.created event is listed");
    assert.equal(event.type, "employee.created");

    const detail = await pulse.events.retrieve(event.id);
    assert.ok(detail.deliveries.some((d) => d.endpoint_id === endpoint.id));
    const replayed = await pulse.events.replay(event.id, { endpoint_id: endpoint.id });
    assert.deepEqual(
      replayed.map((d) => d.endpoint_id),
      [endpoint.id],
    );
    assert.ok(!detail.deliveries.some((d) => d.id === replayed[0]?.id));

    assert.equal(await pulse.webhookEndpoints.delete(endpoint.id), undefined);
    assert.ok(!(await collect(pulse.webhookEndpoints.list())).some((e) => e.id === endpoint.id));
  });
});

describe("collaboration", () => {
  test("rooms, threads, comments, reactions, presence, room tokens and users", async () => {
    const pulse = client();
    const [author, colleague] = [await newEmployee(pulse), await newEmployee(pulse)];
    const roomId = unique("design-review");

    const thread = await pulse.threads.create(roomId, {
      comment: { body: "First pass ready", author_id: author.id },
      metadata: { page: 2 },
    });
    assert.match(thread.id, /^thr_/);
    assert.equal(thread.room_id, roomId);
    assert.equal(thread.created_by, author.id);
    assert.deepEqual(thread.metadata, { page: 2 });
    assert.deepEqual(await pulse.threads.retrieve(thread.id), thread);
    assert.deepEqual(
      (await collect(pulse.threads.list(roomId))).map((t) => t.id),
      [thread.id],
    );

    const room = await pulse.rooms.retrieve(roomId);
    assert.equal(room.id, roomId);
    assert.deepEqual(
      room.threads.map((t) => t.id),
      [thread.id],
    );
    assert.ok((await collect(pulse.rooms.list())).some((r) => r.id === roomId));
    assert.deepEqual((await pulse.rooms.presence(roomId)).data, []);

    const comment = await pulse.comments.create(thread.id, {
      body: `Looks good @${author.id}`,
      author_id: colleague.id,
    });
    assert.match(comment.id, /^cmt_/);
    assert.deepEqual(comment.mentions, [author.id]);
    assert.deepEqual(await pulse.comments.retrieve(comment.id), comment);
    const comments = await collect(pulse.comments.list(thread.id));
    assert.deepEqual(
      comments.map((c) => c.author_id),
      [author.id, colleague.id],
    );

    const edited = await pulse.comments.update(comment.id, { body: "Looks great" }, { ifMatch: comment.version });
    assert.equal(edited.body, "Looks great");
    assert.ok(edited.edited_at);
    await assert.rejects(
      pulse.comments.update(comment.id, { body: "Stale" }, { ifMatch: comment.version }),
      ConflictError,
    );

    const reaction = await pulse.reactions.create(comment.id, { emoji: "👍", user_id: author.id });
    assert.match(reaction.id, /^rct_/);
    const same = await pulse.reactions.create(comment.id, { emoji: "👍", user_id: author.id });
    assert.equal(same.id, reaction.id); // the same person and emoji again: the reaction they have
    assert.deepEqual(
      (await pulse.comments.retrieve(comment.id)).reactions.map((g) => g.emoji),
      ["👍"],
    );
    assert.equal(await pulse.reactions.delete(reaction.id), undefined);
    assert.deepEqual((await pulse.comments.retrieve(comment.id)).reactions, []);

    const resolved = await pulse.threads.update(
      thread.id,
      { resolved: true, resolved_by: author.id },
      { ifMatch: thread.version },
    );
    assert.equal(resolved.resolved, true);
    assert.equal(resolved.resolved_by, author.id);

    // A room token acts in its one room as its one user, through the same client.
    const token = await pulse.rooms.createToken(roomId, { user_id: colleague.id, ttl_seconds: 600 });
    assert.match(token.token, /^rt_/);
    const asBrowser = new Pulse({ apiKey: token.token, baseUrl: BASE_URL() });
    const own = await asBrowser.comments.create(thread.id, { body: "From the widget" });
    assert.equal(own.author_id, colleague.id);

    assert.equal(await pulse.comments.delete(own.id), undefined);
    assert.equal(await pulse.threads.delete(thread.id, { ifMatch: resolved.version }), undefined);
    await assert.rejects(pulse.threads.retrieve(thread.id), { name: "NotFoundError", status: 404 });

    const users = await collect(pulse.users.list({ q: author.full_name }));
    assert.deepEqual(
      users.map((u) => [u.id, u.name]),
      [[author.id, author.full_name]],
    );
  });
});

describe("the client", () => {
  test("the key and base URL default to PULSE_API_KEY and PULSE_API_BASE; a missing key is a clear error", async () => {
    const saved = { key: process.env["PULSE_API_KEY"], base: process.env["PULSE_API_BASE"] };
    try {
      process.env["PULSE_API_KEY"] = KEY();
      process.env["PULSE_API_BASE"] = `${BASE_URL()}/`;
      const pulse = new Pulse();
      assert.equal(pulse.baseUrl, BASE_URL());
      const employee = await newEmployee(pulse); // the key from the environment was sent
      assert.match(employee.id, /^emp_/);

      delete process.env["PULSE_API_BASE"];
      assert.equal(new Pulse().baseUrl, DEFAULT_BASE_URL);
      assert.equal(DEFAULT_BASE_URL, "https://api.pulsehr.it/v1");

      delete process.env["PULSE_API_KEY"];
      assert.throws(
        () => new Pulse(),
        (error) => {
          assert.ok(error instanceof PulseError);
          assert.equal(error.code, "configuration");
          assert.match(error.message, /PULSE_API_KEY/);
          return true;
        },
      );
    } finally {
      for (const [name, value] of [
        ["PULSE_API_KEY", saved.key],
        ["PULSE_API_BASE", saved.base],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  test("request() reaches any path with the client's key, retries and errors", async () => {
    const pulse = client();
    const employee = await newEmployee(pulse);
    const fetched = await pulse.request<{ id: string }>("get", `/employees/${employee.id}`);
    assert.equal(fetched.id, employee.id);
    const page = await pulse.request<{ data: unknown[]; total_count: number }>("GET", "/employees", {
      query: { q: employee.full_name, limit: 1 },
    });
    assert.equal(page.total_count, 1);
    assert.ok(pulse.employees.list() instanceof ListIterator);
  });
});
