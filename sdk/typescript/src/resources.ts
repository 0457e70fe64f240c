/**
 * The resources under /v1, named as in the Python SDK (`status_log` is `statusLog` here).
 * Parameters and results are the API's own JSON, typed from /v1/openapi.json (see types.ts):
 * field and filter names are the API's (`full_name`, `employee_id`), not camel-cased.
 */
import {
  type CreateOptions,
  type RawRequestOptions,
  type RequestOptions,
  type WithResponse,
  type WriteOptions,
  segment,
} from "./core.js";
import { ListIterator, Page, type PageBody } from "./pagination.js";
import type {
  CollabUser,
  Comment,
  CommentCreateParams,
  CommentListParams,
  CommentUpdateParams,
  Delivery,
  Employee,
  EmployeeCreateParams,
  EmployeeListParams,
  EmployeeUpdateParams,
  Event,
  EventDetail,
  EventListParams,
  EventReplayParams,
  Kudos,
  KudosCreateParams,
  KudosListParams,
  Leave,
  LeaveAdjustment,
  LeaveAdjustmentParams,
  LeaveBalance,
  LeaveBalanceParams,
  LeaveDecisionParams,
  LedgerEntry,
  LedgerListParams,
  LeaveCreateParams,
  LeaveListParams,
  Presence,
  Reaction,
  ReactionCreateParams,
  Room,
  RoomDetail,
  RoomListParams,
  RoomToken,
  RoomTokenCreateParams,
  Score,
  ScoreGroups,
  ScoreGroupsParams,
  ScoreHistoryParams,
  ScoreParams,
  ScoreSnapshot,
  StatusLogCreateParams,
  StatusLogEntry,
  StatusLogListParams,
  Thread,
  ThreadCreateParams,
  ThreadListParams,
  ThreadUpdateParams,
  UserListParams,
  WebhookEndpoint,
  WebhookEndpointCreateParams,
  WebhookEndpointListParams,
  WebhookEndpointUpdateParams,
  WebhookEndpointWithSecret,
  WhosOut,
  WhosOutParams,
  WorkloadCheckin,
  WorkloadCheckinCreateParams,
  WorkloadCheckinListParams,
} from "./types.js";

/** What a resource needs of the client. */
export interface Requester {
  request<T>(method: string, path: string, options?: RawRequestOptions): Promise<T>;
}

abstract class Resource {
  constructor(protected readonly client: Requester) {}

  protected get<T>(path: string, query?: object, options?: RequestOptions): Promise<WithResponse<T>> {
    return this.client.request<WithResponse<T>>("GET", path, { ...options, query });
  }

  protected post<T>(path: string, body: unknown, options?: CreateOptions): Promise<WithResponse<T>> {
    return this.client.request<WithResponse<T>>("POST", path, { ...options, body });
  }

  protected patch<T>(path: string, body: unknown, options?: WriteOptions): Promise<WithResponse<T>> {
    return this.client.request<WithResponse<T>>("PATCH", path, { ...options, body });
  }

  protected del<T>(path: string, options?: WriteOptions): Promise<WithResponse<T>> {
    return this.client.request<WithResponse<T>>("DELETE", path, { ...options });
  }

  /** A lazy list of `path`: `params.cursor`, when given, is where it starts. */
  protected paginate<T>(
    path: string,
    params: { cursor?: string } | undefined,
    options?: RequestOptions,
  ): ListIterator<T> {
    const fetchPage = async (cursor: string | undefined): Promise<Page<T>> => {
      const query = { ...params, cursor: cursor ?? params?.cursor };
      return new Page(await this.get<PageBody<T>>(path, query, options), fetchPage);
    };
    return new ListIterator(fetchPage);
  }
}

/** `delete` offboards (end_date = today if unset) and returns the kept record. */
export class Employees extends Resource {
  list(params?: EmployeeListParams, options?: RequestOptions): ListIterator<Employee> {
    return this.paginate("/employees", params, options);
  }

  retrieve(id: string, options?: RequestOptions): Promise<WithResponse<Employee>> {
    return this.get(`/employees/${segment(id)}`, undefined, options);
  }

  create(params: EmployeeCreateParams, options?: CreateOptions): Promise<WithResponse<Employee>> {
    return this.post("/employees", params, options);
  }

  /** PATCH the given fields; `{ ifMatch: employee.version }` makes a stale update throw ConflictError. */
  update(id: string, params: EmployeeUpdateParams, options?: WriteOptions): Promise<WithResponse<Employee>> {
    return this.patch(`/employees/${segment(id)}`, params, options);
  }

  delete(id: string, options?: WriteOptions): Promise<WithResponse<Employee>> {
    return this.del(`/employees/${segment(id)}`, options);
  }

  /** The Employee Score as of a date (today by default), with each factor explained. */
  score(id: string, params?: ScoreParams, options?: RequestOptions): Promise<WithResponse<Score>> {
    return this.get(`/employees/${segment(id)}/score`, params, options);
  }

  /** The weekly score snapshots, oldest first. */
  scoreHistory(id: string, params?: ScoreHistoryParams, options?: RequestOptions): ListIterator<ScoreSnapshot> {
    return this.paginate(`/employees/${segment(id)}/score/history`, params, options);
  }
}

/** The Employee Score of groups: groups below the workspace's minimum size come back suppressed. */
export class Scores extends Resource {
  groups(params: ScoreGroupsParams, options?: RequestOptions): Promise<WithResponse<ScoreGroups>> {
    return this.get("/scores/groups", params, options);
  }
}

/** Entries are immutable once posted. */
export class StatusLog extends Resource {
  list(params?: StatusLogListParams, options?: RequestOptions): ListIterator<StatusLogEntry> {
    return this.paginate("/status-log", params, options);
  }

  retrieve(id: string, options?: RequestOptions): Promise<WithResponse<StatusLogEntry>> {
    return this.get(`/status-log/${segment(id)}`, undefined, options);
  }

  create(params: StatusLogCreateParams, options?: CreateOptions): Promise<WithResponse<StatusLogEntry>> {
    return this.post("/status-log", params, options);
  }
}

export class KudosResource extends Resource {
  list(params?: KudosListParams, options?: RequestOptions): ListIterator<Kudos> {
    return this.paginate("/kudos", params, options);
  }

  create(params: KudosCreateParams, options?: CreateOptions): Promise<WithResponse<Kudos>> {
    return this.post("/kudos", params, options);
  }
}

export class WorkloadCheckins extends Resource {
  list(params?: WorkloadCheckinListParams, options?: RequestOptions): ListIterator<WorkloadCheckin> {
    return this.paginate("/workload-checkins", params, options);
  }

  create(params: WorkloadCheckinCreateParams, options?: CreateOptions): Promise<WithResponse<WorkloadCheckin>> {
    return this.post("/workload-checkins", params, options);
  }
}

/** `delete` cancels the leave and returns it. */
export class LeaveResource extends Resource {
  list(params?: LeaveListParams, options?: RequestOptions): ListIterator<Leave> {
    return this.paginate("/leave", params, options);
  }

  retrieve(id: string, options?: RequestOptions): Promise<WithResponse<Leave>> {
    return this.get(`/leave/${segment(id)}`, undefined, options);
  }

  create(params: LeaveCreateParams, options?: CreateOptions): Promise<WithResponse<Leave>> {
    return this.post("/leave", params, options);
  }

  delete(id: string, options?: WriteOptions): Promise<WithResponse<Leave>> {
    return this.del(`/leave/${segment(id)}`, options);
  }

  /** Approve pending leave, with an optional reason; records `leave.approved`. */
  approve(id: string, params?: LeaveDecisionParams, options?: CreateOptions): Promise<WithResponse<Leave>> {
    return this.post(`/leave/${segment(id)}/approve`, params ?? {}, options);
  }

  /** Reject pending leave, with an optional reason; records `leave.rejected`. */
  reject(id: string, params?: LeaveDecisionParams, options?: CreateOptions): Promise<WithResponse<Leave>> {
    return this.post(`/leave/${segment(id)}/reject`, params ?? {}, options);
  }

  /** The ledger's entries behind every balance (grants, accruals, carry-over, expiry, adjustments, taken). */
  ledger(params?: LedgerListParams, options?: RequestOptions): ListIterator<LedgerEntry> {
    return this.paginate("/leave/ledger", params, options);
  }

  /** Add to (or take from) what an employee may take, with a reason; records `leave.balance_adjusted`. */
  adjust(params: LeaveAdjustmentParams, options?: CreateOptions): Promise<WithResponse<LeaveAdjustment>> {
    return this.post("/leave/adjustments", params, options);
  }

  /** Who is out, day by day (today and the next 14 days by default). */
  whosOut(params?: WhosOutParams, options?: RequestOptions): Promise<WithResponse<WhosOut>> {
    return this.get("/leave/whos-out", params, options);
  }

  /** Allowance, used and planned days per kind for `year` (this year by default). */
  balance(
    employeeId: string,
    params?: LeaveBalanceParams,
    options?: RequestOptions,
  ): Promise<WithResponse<LeaveBalance>> {
    return this.get(`/leave/balance/${segment(employeeId)}`, params, options);
  }
}

export class WebhookEndpoints extends Resource {
  list(params?: WebhookEndpointListParams, options?: RequestOptions): ListIterator<WebhookEndpoint> {
    return this.paginate("/webhook-endpoints", params, options);
  }

  retrieve(id: string, options?: RequestOptions): Promise<WithResponse<WebhookEndpoint>> {
    return this.get(`/webhook-endpoints/${segment(id)}`, undefined, options);
  }

  /** The new endpoint with its signing `secret`, shown only now and by `rotateSecret`. */
  create(
    params: WebhookEndpointCreateParams,
    options?: CreateOptions,
  ): Promise<WithResponse<WebhookEndpointWithSecret>> {
    return this.post("/webhook-endpoints", params, options);
  }

  update(
    id: string,
    params: WebhookEndpointUpdateParams,
    options?: WriteOptions,
  ): Promise<WithResponse<WebhookEndpoint>> {
    return this.patch(`/webhook-endpoints/${segment(id)}`, params, options);
  }

  delete(id: string, options?: WriteOptions): Promise<void> {
    return this.del(`/webhook-endpoints/${segment(id)}`, options);
  }

  /** A new secret; the old one keeps signing beside it for 24 hours. */
  rotateSecret(id: string, options?: CreateOptions): Promise<WithResponse<WebhookEndpointWithSecret>> {
    return this.post(`/webhook-endpoints/${segment(id)}/rotate-secret`, undefined, options);
  }

  /** Send a `ping` event to this endpoint alone. */
  test(id: string, options?: CreateOptions): Promise<WithResponse<Delivery>> {
    return this.post(`/webhook-endpoints/${segment(id)}/test`, undefined, options);
  }
}

export class Events extends Resource {
  list(params?: EventListParams, options?: RequestOptions): ListIterator<Event> {
    return this.paginate("/events", params, options);
  }

  /** The event with its deliveries and their attempts. */
  retrieve(id: string, options?: RequestOptions): Promise<WithResponse<EventDetail>> {
    return this.get(`/events/${segment(id)}`, undefined, options);
  }

  /** Deliver again, to `endpoint_id` or to every endpoint subscribed now; the new deliveries. */
  async replay(id: string, params?: EventReplayParams, options?: CreateOptions): Promise<Delivery[]> {
    const answer = await this.post<{ data: Delivery[] }>(`/events/${segment(id)}/replay`, params ?? {}, options);
    return answer.data;
  }
}

/** Rooms of the collaboration API: one comes into being with its first thread. */
export class Rooms extends Resource {
  list(params?: RoomListParams, options?: RequestOptions): ListIterator<Room> {
    return this.paginate("/rooms", params, options);
  }

  /** The room with its first threads (oldest first) and their comments. */
  retrieve(roomId: string, options?: RequestOptions): Promise<WithResponse<RoomDetail>> {
    return this.get(`/rooms/${segment(roomId)}`, undefined, options);
  }

  /** Who is connected to the room's sockets now. */
  presence(roomId: string, options?: RequestOptions): Promise<WithResponse<Presence>> {
    return this.get(`/rooms/${segment(roomId)}/presence`, undefined, options);
  }

  /** A short-lived token for a browser to act in this room as `user_id`. */
  createToken(
    roomId: string,
    params: RoomTokenCreateParams,
    options?: CreateOptions,
  ): Promise<WithResponse<RoomToken>> {
    return this.post(`/rooms/${segment(roomId)}/tokens`, params, options);
  }
}

export class Threads extends Resource {
  /** A room's threads, oldest first, each with its comments. */
  list(roomId: string, params?: ThreadListParams, options?: RequestOptions): ListIterator<Thread> {
    return this.paginate(`/rooms/${segment(roomId)}/threads`, params, options);
  }

  /** Open a thread (and the room, with its first thread) with its first comment. */
  create(roomId: string, params: ThreadCreateParams, options?: CreateOptions): Promise<WithResponse<Thread>> {
    return this.post(`/rooms/${segment(roomId)}/threads`, params, options);
  }

  retrieve(id: string, options?: RequestOptions): Promise<WithResponse<Thread>> {
    return this.get(`/threads/${segment(id)}`, undefined, options);
  }

  /** Resolve, reopen or replace the metadata. */
  update(id: string, params: ThreadUpdateParams, options?: WriteOptions): Promise<WithResponse<Thread>> {
    return this.patch(`/threads/${segment(id)}`, params, options);
  }

  delete(id: string, options?: WriteOptions): Promise<void> {
    return this.del(`/threads/${segment(id)}`, options);
  }
}

export class Comments extends Resource {
  /** A thread's comments, oldest first. */
  list(threadId: string, params?: CommentListParams, options?: RequestOptions): ListIterator<Comment> {
    return this.paginate(`/threads/${segment(threadId)}/comments`, params, options);
  }

  create(threadId: string, params: CommentCreateParams, options?: CreateOptions): Promise<WithResponse<Comment>> {
    return this.post(`/threads/${segment(threadId)}/comments`, params, options);
  }

  retrieve(id: string, options?: RequestOptions): Promise<WithResponse<Comment>> {
    return this.get(`/comments/${segment(id)}`, undefined, options);
  }

  update(id: string, params: CommentUpdateParams, options?: WriteOptions): Promise<WithResponse<Comment>> {
    return this.patch(`/comments/${segment(id)}`, params, options);
  }

  /** Deleting a thread's only comment deletes the thread too. */
  delete(id: string, options?: WriteOptions): Promise<void> {
    return this.del(`/comments/${segment(id)}`, options);
  }
}

export class Reactions extends Resource {
  /** React to a comment; the same person with the same emoji again answers the reaction they have. */
  create(commentId: string, params: ReactionCreateParams, options?: CreateOptions): Promise<WithResponse<Reaction>> {
    return this.post(`/comments/${segment(commentId)}/reactions`, params, options);
  }

  delete(id: string, options?: RequestOptions): Promise<void> {
    return this.del(`/reactions/${segment(id)}`, options);
  }
}

/** Active employees as the collaboration widget shows people. */
export class Users extends Resource {
  list(params?: UserListParams, options?: RequestOptions): ListIterator<CollabUser> {
    return this.paginate("/users", params, options);
  }
}
