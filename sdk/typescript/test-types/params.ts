/**
 * Request parameters and results are typed from /v1/openapi.json: a misspelt field or filter, a
 * value outside an enum, a missing required field or an option a method does not take is a
 * compile error. Every `@ts-expect-error` line below must be one (tsc fails on one that is not).
 */
import {
  type Employee,
  type Event,
  type Leave,
  type ListIterator,
  type Page,
  Pulse,
  type WebhookEvent,
  type WebhookEventOf,
  type components,
  type paths,
} from "@pulsehr/sdk";

declare const pulse: Pulse;

// --- What the document allows compiles --------------------------------------------------------
pulse.employees.list({ department: "R&D", status: "active", limit: 10, cursor: "c" });
pulse.employees.create({ full_name: "Ada Lovelace", start_date: "2024-01-08", custom_fields: { shirt: "M" } });
pulse.employees.update("emp_1", { full_name: "Ada King" }, { ifMatch: 3 });
pulse.employees.delete("emp_1", { ifMatch: 'W/"3"' });
pulse.statusLog.create({ employee_id: "emp_1", lines: ["Shipped it"], topic: null }, { idempotencyKey: "k" });
pulse.kudos.create({ from_employee_id: "emp_1", to_employee_id: "emp_2", coins: 10, tag: "craft" });
pulse.workloadCheckins.create({ employee_id: "emp_1", level: "overloaded" });
pulse.leave.create({ employee_id: "emp_1", kind: "parental", start_date: "2026-03-02", end_date: "2026-03-03" });
pulse.leave.balance("emp_1", { year: 2026 });
pulse.events.list({ type: "leave.logged", created_after: "2026-01-01T00:00:00Z" });
pulse.events.replay("evt_1", { endpoint_id: "whe_1" });
pulse.webhookEndpoints.create({ url: "https://example.com/hook", enabled_events: ["*"] });
pulse.threads.create("room-1", { comment: { body: "Hi", author_id: "emp_1" }, metadata: { page: 2 } });
pulse.threads.update("thr_1", { resolved: true }, { ifMatch: 1 });
pulse.comments.create("thr_1", { body: "Hello" });
pulse.reactions.create("cmt_1", { emoji: "👍" });
pulse.rooms.createToken("room-1", { user_id: "emp_1", ttl_seconds: 600 });
pulse.users.list({ q: "ada" });

// --- Misspelt fields and filters -----------------------------------------------------------------
// @ts-expect-error -- `ful_name` is not a field of PATCH /v1/employees/{id}
pulse.employees.update("emp_1", { ful_name: "Ada" });
// @ts-expect-error -- `statuz` is not a filter of GET /v1/employees
pulse.employees.list({ statuz: "active" });
// @ts-expect-error -- `employee` is not a filter of GET /v1/leave (employee_id is)
pulse.leave.list({ employee: "emp_1" });
// @ts-expect-error -- `emoji_name` is not a field of a reaction
pulse.reactions.create("cmt_1", { emoji_name: "+1" });

// --- Values the document does not allow ----------------------------------------------------------
// @ts-expect-error -- status is "active" | "former"
pulse.employees.list({ status: "retired" });
// @ts-expect-error -- kind is one of the leave kinds
pulse.leave.create({ employee_id: "emp_1", kind: "holiday", start_date: "2026-03-02", end_date: "2026-03-03" });
// @ts-expect-error -- coins is an integer, not a string
pulse.kudos.create({ from_employee_id: "emp_1", to_employee_id: "emp_2", coins: "10" });
// @ts-expect-error -- lines is a list of strings
pulse.statusLog.create({ employee_id: "emp_1", lines: "Shipped it" });
// @ts-expect-error -- limit is a number
pulse.events.list({ limit: "10" });

// --- Required fields -------------------------------------------------------------------------
// @ts-expect-error -- full_name is required
pulse.employees.create({ start_date: "2024-01-08" });
// @ts-expect-error -- a thread opens with its first comment
pulse.threads.create("room-1", { metadata: {} });

// --- Options a method does not take ----------------------------------------------------------
// @ts-expect-error -- a retrieve takes no If-Match
pulse.employees.retrieve("emp_1", { ifMatch: 1 });
// @ts-expect-error -- an update is not a POST: no Idempotency-Key
pulse.employees.update("emp_1", { role: "Lead" }, { idempotencyKey: "k" });
// @ts-expect-error -- kudos are immutable: no update
pulse.kudos.update;

// --- Results ---------------------------------------------------------------------------------
export async function results() {
  const employee: Employee = await pulse.employees.retrieve("emp_1");
  const status: "active" | "former" = employee.status;
  const version: number = employee.version;
  const endDate: string | null = employee.end_date;
  // @ts-expect-error -- the API's names, not camel case
  employee.fullName;
  const leave: Leave = await pulse.leave.delete("lv_1");
  const kind: components["schemas"]["Leave"]["kind"] = leave.kind;
  const list: ListIterator<Employee> = pulse.employees.list();
  const page: Page<Employee> = await list.page();
  const next: string | null = page.nextCursor;
  for await (const item of list) {
    const id: string = item.id;
    void id;
  }
  const nothing: void = await pulse.webhookEndpoints.delete("whe_1");
  return [status, version, endDate, kind, next, nothing];
}

// --- Webhook events --------------------------------------------------------------------------
// Whatever the document says of webhooks, a delivery's event has the Event resource's fields.
type Is<T extends true> = T;
export type EventShape = Is<WebhookEvent extends { id: string; type: string; created_at: string } ? true : false>;
// With no `webhooks` section (openapi-typescript's empty one), a delivery's event is the Event resource.
type Fallback = WebhookEventOf<Record<string, never>, Event>;
export type EventFallback = Is<Fallback extends Event ? (Event extends Fallback ? true : false) : false>;

// Once the document lists each event type's payload, a delivery's event is a union on `type`.
interface SomeWebhooks {
  "employee.created": {
    post: { requestBody: { content: { "application/json": { type: "employee.created"; data: Employee } } } };
  };
  "leave.logged": { post: { requestBody: { content: { "application/json": { type: "leave.logged"; data: Leave } } } } };
}
export function narrowed(event: WebhookEventOf<SomeWebhooks, Event>): string {
  if (event.type === "employee.created") return event.data.full_name;
  // @ts-expect-error -- a leave has no full_name
  event.data.full_name;
  return event.data.kind;
}
// @ts-expect-error -- not an event type of the document
export const unknownType: WebhookEventOf<SomeWebhooks, Event>["type"] = "kudos.awarded";

// The served document does list them: the real WebhookEvent narrows on `type` as well.
export function narrowedForReal(event: WebhookEvent): number | string {
  if (event.type === "kudos.awarded") return event.data.coins;
  if (event.type === "employee.offboarded") return event.data.full_name;
  // @ts-expect-error -- not every event's data is a kudos
  return event.data.coins;
}
// @ts-expect-error -- not an event type of the document
export const notAnEvent: WebhookEvent["type"] = "employee.promoted";

// --- Every operation of the document has its method ------------------------------------------
// One entry per path and method of the generated `paths`: a path the document gains (or loses)
// is a compile error here until the SDK has a method for it.
type Method = "get" | "post" | "put" | "patch" | "delete";
type Calls<Item> = {
  [M in Method as [NonNullable<Item[M & keyof Item]>] extends [never] ? never : M]: (pulse: Pulse) => unknown;
};
export const everyOperation: { [P in keyof paths]: Calls<paths[P]> } = {
  "/v1/comments/{id}": {
    get: (p) => p.comments.retrieve("cmt_1"),
    patch: (p) => p.comments.update("cmt_1", { body: "Edited" }),
    delete: (p) => p.comments.delete("cmt_1"),
  },
  "/v1/comments/{id}/reactions": { post: (p) => p.reactions.create("cmt_1", { emoji: "👍" }) },
  "/v1/employees": {
    get: (p) => p.employees.list(),
    post: (p) => p.employees.create({ full_name: "Ada", start_date: "2024-01-08" }),
  },
  "/v1/employees/{id}": {
    get: (p) => p.employees.retrieve("emp_1"),
    patch: (p) => p.employees.update("emp_1", {}),
    delete: (p) => p.employees.delete("emp_1"),
  },
  "/v1/events": { get: (p) => p.events.list() },
  "/v1/events/{id}": { get: (p) => p.events.retrieve("evt_1") },
  "/v1/events/{id}/replay": { post: (p) => p.events.replay("evt_1") },
  "/v1/kudos": {
    get: (p) => p.kudos.list(),
    post: (p) => p.kudos.create({ from_employee_id: "emp_1", to_employee_id: "emp_2", coins: 1 }),
  },
  "/v1/leave": {
    get: (p) => p.leave.list(),
    post: (p) =>
      p.leave.create({ employee_id: "emp_1", kind: "sick", start_date: "2026-03-02", end_date: "2026-03-02" }),
  },
  "/v1/leave/{id}": { get: (p) => p.leave.retrieve("lv_1"), delete: (p) => p.leave.delete("lv_1") },
  "/v1/leave/balance/{employee_id}": { get: (p) => p.leave.balance("emp_1") },
  "/v1/leave/{id}/approve": { post: (p) => p.leave.approve("lv_1", { reason: "Enjoy" }) },
  "/v1/leave/{id}/reject": { post: (p) => p.leave.reject("lv_1") },
  "/v1/leave/ledger": { get: (p) => p.leave.ledger({ employee_id: "emp_1" }) },
  "/v1/leave/adjustments": {
    post: (p) => p.leave.adjust({ employee_id: "emp_1", kind: "vacation", amount: 1, reason: "Overtime" }),
  },
  "/v1/leave/whos-out": { get: (p) => p.leave.whosOut() },
  "/v1/employees/{id}/score": { get: (p) => p.employees.score("emp_1", { as_of: "2026-03-02" }) },
  "/v1/employees/{id}/score/history": { get: (p) => p.employees.scoreHistory("emp_1") },
  "/v1/scores/groups": { get: (p) => p.scores.groups({ by: "department" }) },
  "/v1/reactions/{id}": { delete: (p) => p.reactions.delete("rct_1") },
  "/v1/rooms": { get: (p) => p.rooms.list() },
  "/v1/rooms/{room_id}": { get: (p) => p.rooms.retrieve("room-1") },
  "/v1/rooms/{room_id}/presence": { get: (p) => p.rooms.presence("room-1") },
  "/v1/rooms/{room_id}/threads": {
    get: (p) => p.threads.list("room-1"),
    post: (p) => p.threads.create("room-1", { comment: { body: "Hi" } }),
  },
  "/v1/rooms/{room_id}/tokens": { post: (p) => p.rooms.createToken("room-1", { user_id: "emp_1" }) },
  "/v1/status-log": {
    get: (p) => p.statusLog.list(),
    post: (p) => p.statusLog.create({ employee_id: "emp_1", lines: ["Done"] }),
  },
  "/v1/status-log/{id}": { get: (p) => p.statusLog.retrieve("sl_1") },
  "/v1/threads/{id}": {
    get: (p) => p.threads.retrieve("thr_1"),
    patch: (p) => p.threads.update("thr_1", { resolved: false }),
    delete: (p) => p.threads.delete("thr_1"),
  },
  "/v1/threads/{id}/comments": {
    get: (p) => p.comments.list("thr_1"),
    post: (p) => p.comments.create("thr_1", { body: "Hi" }),
  },
  "/v1/users": { get: (p) => p.users.list() },
  "/v1/webhook-endpoints": {
    get: (p) => p.webhookEndpoints.list(),
    post: (p) => p.webhookEndpoints.create({ url: "https://example.com/hook", enabled_events: ["*"] }),
  },
  "/v1/webhook-endpoints/{id}": {
    get: (p) => p.webhookEndpoints.retrieve("whe_1"),
    patch: (p) => p.webhookEndpoints.update("whe_1", { description: "CRM" }),
    delete: (p) => p.webhookEndpoints.delete("whe_1"),
  },
  "/v1/webhook-endpoints/{id}/rotate-secret": { post: (p) => p.webhookEndpoints.rotateSecret("whe_1") },
  "/v1/webhook-endpoints/{id}/test": { post: (p) => p.webhookEndpoints.test("whe_1") },
  "/v1/workload-checkins": {
    get: (p) => p.workloadCheckins.list(),
    post: (p) => p.workloadCheckins.create({ employee_id: "emp_1", level: "light" }),
  },
};
