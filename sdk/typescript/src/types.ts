/**
 * The SDK's names for the API's shapes, read from the generated document types by path and
 * method: `Employee` is whatever `GET /v1/employees/{id}` answers, `EmployeeCreateParams` the body
 * `POST /v1/employees` takes. Nothing here names a component schema, so a renamed component
 * (an enum given a name, a new error envelope) changes nothing by hand: `npm run generate` and
 * the build carry it through, and a removed path or field is a compile error where it is used.
 */
import type { components, operations, paths, webhooks } from "./generated/openapi.js";

export type { components, operations, paths, webhooks };

type JsonContent<R> = R extends { content: { "application/json": infer B } } ? B : never;

/** The JSON body of an operation's 200/201/202 answer (never for a 204). */
export type SuccessBody<O> = O extends { responses: infer R }
  ? { [K in keyof R]: K extends 200 | 201 | 202 ? JsonContent<R[K]> : never }[keyof R]
  : never;

/** The JSON request body an operation takes. */
export type RequestBody<O> = O extends { requestBody?: infer B } ? JsonContent<NonNullable<B>> : never;

/** The query parameters an operation takes (every one optional on PulseHR's lists). */
export type QueryParams<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** The filters of a list, with `limit` (page size) and `cursor` (where to start). */
export type ListParams<O> = QueryParams<O>;

type ItemOf<O> = SuccessBody<O> extends { data: (infer T)[] } ? T : never;

// --- Resources -----------------------------------------------------------------------------

export type Employee = SuccessBody<paths["/v1/employees/{id}"]["get"]>;
export type EmployeeListParams = ListParams<paths["/v1/employees"]["get"]>;
export type EmployeeCreateParams = RequestBody<paths["/v1/employees"]["post"]>;
export type EmployeeUpdateParams = RequestBody<paths["/v1/employees/{id}"]["patch"]>;

export type StatusLogEntry = SuccessBody<paths["/v1/status-log/{id}"]["get"]>;
export type StatusLogListParams = ListParams<paths["/v1/status-log"]["get"]>;
export type StatusLogCreateParams = RequestBody<paths["/v1/status-log"]["post"]>;

export type Kudos = SuccessBody<paths["/v1/kudos"]["post"]>;
export type KudosListParams = ListParams<paths["/v1/kudos"]["get"]>;
export type KudosCreateParams = RequestBody<paths["/v1/kudos"]["post"]>;

export type WorkloadCheckin = SuccessBody<paths["/v1/workload-checkins"]["post"]>;
export type WorkloadCheckinListParams = ListParams<paths["/v1/workload-checkins"]["get"]>;
export type WorkloadCheckinCreateParams = RequestBody<paths["/v1/workload-checkins"]["post"]>;

export type Leave = SuccessBody<paths["/v1/leave/{id}"]["get"]>;
export type LeaveListParams = ListParams<paths["/v1/leave"]["get"]>;
export type LeaveCreateParams = RequestBody<paths["/v1/leave"]["post"]>;
export type Score = SuccessBody<paths["/v1/employees/{id}/score"]["get"]>;
export type ScoreParams = QueryParams<paths["/v1/employees/{id}/score"]["get"]>;
export type ScoreSnapshot = ItemOf<paths["/v1/employees/{id}/score/history"]["get"]>;
export type ScoreHistoryParams = ListParams<paths["/v1/employees/{id}/score/history"]["get"]>;
export type ScoreGroups = SuccessBody<paths["/v1/scores/groups"]["get"]>;
export type ScoreGroupsParams = QueryParams<paths["/v1/scores/groups"]["get"]>;

export type LeaveDecisionParams = RequestBody<paths["/v1/leave/{id}/approve"]["post"]>;
export type LedgerEntry = ItemOf<paths["/v1/leave/ledger"]["get"]>;
export type LedgerListParams = ListParams<paths["/v1/leave/ledger"]["get"]>;
export type LeaveAdjustmentParams = RequestBody<paths["/v1/leave/adjustments"]["post"]>;
export type LeaveAdjustment = SuccessBody<paths["/v1/leave/adjustments"]["post"]>;
export type WhosOut = SuccessBody<paths["/v1/leave/whos-out"]["get"]>;
export type WhosOutParams = QueryParams<paths["/v1/leave/whos-out"]["get"]>;
export type LeaveBalance = SuccessBody<paths["/v1/leave/balance/{employee_id}"]["get"]>;
export type LeaveBalanceParams = QueryParams<paths["/v1/leave/balance/{employee_id}"]["get"]>;

export type WebhookEndpoint = SuccessBody<paths["/v1/webhook-endpoints/{id}"]["get"]>;
/** An endpoint with its signing `secret`, answered only by create and rotateSecret. */
export type WebhookEndpointWithSecret = SuccessBody<paths["/v1/webhook-endpoints"]["post"]>;
export type WebhookEndpointListParams = ListParams<paths["/v1/webhook-endpoints"]["get"]>;
export type WebhookEndpointCreateParams = RequestBody<paths["/v1/webhook-endpoints"]["post"]>;
export type WebhookEndpointUpdateParams = RequestBody<paths["/v1/webhook-endpoints/{id}"]["patch"]>;
export type Delivery = SuccessBody<paths["/v1/webhook-endpoints/{id}/test"]["post"]>;

export type Event = ItemOf<paths["/v1/events"]["get"]>;
/** An event with its deliveries and their attempts. */
export type EventDetail = SuccessBody<paths["/v1/events/{id}"]["get"]>;
export type EventListParams = ListParams<paths["/v1/events"]["get"]>;
export type EventReplayParams = RequestBody<paths["/v1/events/{id}/replay"]["post"]>;

export type Room = ItemOf<paths["/v1/rooms"]["get"]>;
/** A room with its first threads and their comments. */
export type RoomDetail = SuccessBody<paths["/v1/rooms/{room_id}"]["get"]>;
export type RoomListParams = ListParams<paths["/v1/rooms"]["get"]>;
export type Presence = SuccessBody<paths["/v1/rooms/{room_id}/presence"]["get"]>;
export type RoomToken = SuccessBody<paths["/v1/rooms/{room_id}/tokens"]["post"]>;
export type RoomTokenCreateParams = RequestBody<paths["/v1/rooms/{room_id}/tokens"]["post"]>;

export type Thread = SuccessBody<paths["/v1/threads/{id}"]["get"]>;
export type ThreadListParams = ListParams<paths["/v1/rooms/{room_id}/threads"]["get"]>;
export type ThreadCreateParams = RequestBody<paths["/v1/rooms/{room_id}/threads"]["post"]>;
export type ThreadUpdateParams = RequestBody<paths["/v1/threads/{id}"]["patch"]>;

export type Comment = SuccessBody<paths["/v1/comments/{id}"]["get"]>;
export type CommentListParams = ListParams<paths["/v1/threads/{id}/comments"]["get"]>;
export type CommentCreateParams = RequestBody<paths["/v1/threads/{id}/comments"]["post"]>;
export type CommentUpdateParams = RequestBody<paths["/v1/comments/{id}"]["patch"]>;

export type Reaction = SuccessBody<paths["/v1/comments/{id}/reactions"]["post"]>;
export type ReactionCreateParams = RequestBody<paths["/v1/comments/{id}/reactions"]["post"]>;

export type CollabUser = ItemOf<paths["/v1/users"]["get"]>;
export type UserListParams = ListParams<paths["/v1/users"]["get"]>;

// --- Webhook events ------------------------------------------------------------------------

/**
 * The payloads of a document's `webhooks` section, one per event type: a union discriminated
 * on `type` when each event's schema names its type. `Fallback` when the section is empty.
 */
export type WebhookEventOf<W, Fallback> = [WebhookPayloads<W>] extends [never] ? Fallback : WebhookPayloads<W>;
type WebhookPayloads<W> = { [K in keyof W]: W[K] extends { post?: infer O } ? RequestBody<O> : never }[keyof W];

/** What a webhook delivery carries: the union of the document's webhook payloads, or `Event`. */
export type WebhookEvent = WebhookEventOf<webhooks, Event>;
