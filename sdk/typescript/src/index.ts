/**
 * The TypeScript SDK for the PulseHR REST API.
 *
 *     import { Pulse } from "@pulsehr/sdk";
 *
 *     const pulse = new Pulse(); // PULSE_API_KEY, and PULSE_API_BASE for a self-hosted server
 *     for await (const employee of pulse.employees.list({ status: "active" })) console.log(employee.full_name);
 */
export { Pulse } from "./client.js";
export {
  DEFAULT_BASE_URL,
  VERSION,
  type APIResponse,
  type ClientOptions,
  type CreateOptions,
  type RawRequestOptions,
  type RequestOptions,
  type WithResponse,
  type WriteOptions,
} from "./core.js";
export {
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
  PulseError,
  RateLimitError,
  RateLimitedError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
  type ErrorDetails,
} from "./errors.js";
export { ListIterator, Page } from "./pagination.js";
export {
  Comments,
  Employees,
  Events,
  KudosResource,
  LeaveResource,
  Reactions,
  Rooms,
  StatusLog,
  Threads,
  Users,
  WebhookEndpoints,
  WorkloadCheckins,
} from "./resources.js";
export * as webhooks from "./webhooks.js";
export { WebhookVerificationError, type VerifyOptions, type WebhookHeaders, type WebhookPayload } from "./webhooks.js";
export type * from "./types.js";
