/** Lists follow next_cursor lazily, across pages, with rows inserted between pages. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ListIterator, Page } from "@pulsehr/sdk";
import { client, collect, newEmployee, recordingFetch, unique } from "./helpers.js";

test("for await walks every page, one request each, fetched only when iteration reaches it", async () => {
  const department = unique("dept");
  const seed = client();
  const created: string[] = [];
  for (let i = 0; i < 5; i++) created.push((await newEmployee(seed, { department })).id);

  const { fetch, requests } = recordingFetch();
  const pulse = client({ fetch });
  const employees = pulse.employees.list({ department, limit: 2 });
  assert.ok(employees instanceof ListIterator);
  assert.equal(requests.length, 0); // nothing fetched until asked
  assert.equal(employees.totalCount, undefined);
  assert.equal(await employees.getTotalCount(), 5);
  assert.equal(employees.totalCount, 5);
  assert.equal(requests.length, 1);

  const iterator = employees[Symbol.asyncIterator]();
  const firstTwo = [(await iterator.next()).value, (await iterator.next()).value];
  assert.equal(requests.length, 1); // the first page, fetched once and kept
  const rest: typeof firstTwo = [];
  for (let step = await iterator.next(); !step.done; step = await iterator.next()) rest.push(step.value);
  assert.equal(requests.length, 3); // pages of 2, 2 and 1
  const ids = [...firstTwo, ...rest].map((e) => e?.id);
  assert.deepEqual([...ids].sort(), [...created].sort()); // each once
  assert.match(requests[1]?.url ?? "", /[?&]cursor=/);
  assert.match(requests[0]?.url ?? "", /department=dept-/);

  const totals: number[] = [];
  for await (const page of employees.pages()) totals.push(page.totalCount);
  assert.deepEqual(totals, [5, 5, 5]);
});

test("rows inserted between pages are neither skipped nor repeated", async () => {
  const department = unique("dept");
  const pulse = client();
  const before: string[] = [];
  for (let i = 0; i < 4; i++) before.push((await newEmployee(pulse, { department })).id);

  const seen: string[] = [];
  const inserted: string[] = [];
  for await (const page of pulse.employees.list({ department, limit: 2 }).pages()) {
    seen.push(...page.data.map((e) => e.id));
    // Between pages: a row inserted after the last page was fetched is not on any page of this walk.
    if (page.hasNextPage() && inserted.length < 3) inserted.push((await newEmployee(pulse, { department })).id);
  }
  assert.equal(new Set(seen).size, seen.length, "no row repeated");
  for (const id of before) assert.ok(seen.includes(id), `${id} (there before the walk) was seen`);
  // Ids ascend with time and pages follow them, so rows inserted during the walk come on later pages.
  for (const id of inserted) assert.ok(seen.includes(id), `${id} (inserted during the walk) was seen`);
  assert.ok(inserted.length >= 2);
  assert.equal(seen.length, before.length + inserted.length);
});

test("page() gives one page with data, nextCursor, totalCount and nextPage(); a cursor resumes a list", async () => {
  const department = unique("dept");
  const pulse = client();
  const created: string[] = [];
  for (let i = 0; i < 3; i++) created.push((await newEmployee(pulse, { department })).id);

  const list = pulse.employees.list({ department, limit: 2 });
  const first = await list.page();
  assert.ok(first instanceof Page);
  assert.equal(first, await list.page()); // kept
  assert.equal(first.data.length, 2);
  assert.equal(first.totalCount, 3);
  assert.equal(typeof first.nextCursor, "string");
  assert.ok(first.hasNextPage());

  const second = await first.nextPage();
  assert.ok(second);
  assert.equal(second.data.length, 1);
  assert.equal(second.nextCursor, null);
  assert.equal(second.hasNextPage(), false);
  assert.equal(await second.nextPage(), null);
  assert.deepEqual(
    [...first.data, ...second.data].map((e) => e.id),
    created,
  );

  // A cursor kept from an earlier walk starts the list where it left off.
  const resumed = await collect(pulse.employees.list({ department, limit: 2, cursor: first.nextCursor as string }));
  assert.deepEqual(
    resumed.map((e) => e.id),
    created.slice(2),
  );
});

test("every list of the API pages the same way", async () => {
  const pulse = client();
  const employee = await newEmployee(pulse);
  const lists = [
    pulse.employees.list({ limit: 1 }),
    pulse.statusLog.list({ limit: 1 }),
    pulse.kudos.list({ limit: 1 }),
    pulse.workloadCheckins.list({ limit: 1 }),
    pulse.leave.list({ limit: 1 }),
    pulse.webhookEndpoints.list({ limit: 1 }),
    pulse.events.list({ limit: 1 }),
    pulse.rooms.list({ limit: 1 }),
    pulse.users.list({ limit: 1, q: employee.full_name }),
  ];
  for (const list of lists) {
    const page = await list.page();
    assert.ok(Array.isArray(page.data) && page.data.length <= 1);
    assert.equal(typeof page.totalCount, "number");
    assert.ok(page.nextCursor === null || typeof page.nextCursor === "string");
  }
});
