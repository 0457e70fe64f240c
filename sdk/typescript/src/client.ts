/** `Pulse`: the client, holding the configuration and one object per resource. */
import { type ClientOptions, type Config, type RawRequestOptions, execute, resolveConfig } from "./core.js";
import {
  Comments,
  Employees,
  Events,
  KudosResource,
  LeaveResource,
  Reactions,
  Rooms,
  StatusLog,
  Threads,
  Scores,
  Users,
  WebhookEndpoints,
  WorkloadCheckins,
} from "./resources.js";
import * as webhooks from "./webhooks.js";

export class Pulse {
  readonly #config: Config;

  readonly employees: Employees;
  readonly statusLog: StatusLog;
  readonly kudos: KudosResource;
  readonly workloadCheckins: WorkloadCheckins;
  readonly leave: LeaveResource;
  readonly webhookEndpoints: WebhookEndpoints;
  readonly events: Events;
  readonly rooms: Rooms;
  readonly threads: Threads;
  readonly comments: Comments;
  readonly reactions: Reactions;
  readonly users: Users;
  readonly scores: Scores;
  /** Verify deliveries: `await pulse.webhooks.verify(rawBody, headers, secret)`. Needs no API key of its own. */
  readonly webhooks: typeof webhooks = webhooks;

  /**
   * `apiKey` defaults to $PULSE_API_KEY, `baseUrl` (ending in /v1) to $PULSE_API_BASE, then to
   * https://api.pulsehr.it/v1. Failed requests are retried up to `maxRetries` times (2): connection
   * errors and 5xx after `backoff` ms doubling each time (capped at `maxBackoff`, with jitter), a 429
   * after its Retry-After when that is at most `maxRetryAfter` ms.
   */
  constructor(options: ClientOptions = {}) {
    this.#config = resolveConfig(options);
    this.employees = new Employees(this);
    this.statusLog = new StatusLog(this);
    this.kudos = new KudosResource(this);
    this.workloadCheckins = new WorkloadCheckins(this);
    this.leave = new LeaveResource(this);
    this.webhookEndpoints = new WebhookEndpoints(this);
    this.events = new Events(this);
    this.rooms = new Rooms(this);
    this.threads = new Threads(this);
    this.comments = new Comments(this);
    this.reactions = new Reactions(this);
    this.users = new Users(this);
    this.scores = new Scores(this);
  }

  get baseUrl(): string {
    return this.#config.baseUrl;
  }

  /**
   * Any call under the base URL, with the client's key, retries and errors: for what the SDK has
   * no method for yet. `path` starts after /v1 (`"/employees"`); the answer's JSON is returned.
   */
  request<T = unknown>(method: string, path: string, options: RawRequestOptions = {}): Promise<T> {
    return execute<T>(this.#config, method.toUpperCase(), path, options);
  }
}
