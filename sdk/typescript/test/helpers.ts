/** What the tests share: the live servers pytest started (given in PULSE_TEST_* variables), and small helpers. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type ClientOptions, type Employee, Pulse, type WithResponse } from "@pulsehr/sdk";

/** A variable pytest sets (tests/sdk_typescript/conftest.py); the tests cannot run without it. */
export function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through pytest (tests/sdk_typescript).`);
  return value;
}

export const BASE_URL = () => setting("PULSE_TEST_BASE_URL");
export const KEY = () => setting("PULSE_TEST_KEY");

/** A client of the live server, with short backoffs. */
export function client(options: ClientOptions = {}): Pulse {
  return new Pulse({ apiKey: KEY(), baseUrl: BASE_URL(), backoff: 50, ...options });
}

export function unique(prefix: string): string {
  return `${prefix}-${Math.random().toString(16).slice(2, 12)}`;
}

export function newEmployee(
  pulse: Pulse,
  fields: Partial<Parameters<Pulse["employees"]["create"]>[0]> = {},
): Promise<WithResponse<Employee>> {
  return pulse.employees.create({ full_name: unique("Ada"), start_date: "2024-01-08", ...fields });
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The live workspace's time zone (tests/live/conftest.py creates it in Europe/Rome): its dates,
 * not the machine's, are what the server defaults to, and they differ near midnight. */
export const WORKSPACE_TIME_ZONE = "Europe/Rome";

/** Today in the workspace, at 00:00 UTC of that date (so isoDate and UTC arithmetic stay exact). */
export function workspaceToday(): Date {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: WORKSPACE_TIME_ZONE }).format(new Date());
  return new Date(`${day}T00:00:00Z`);
}

export interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  status?: number;
}

/** A fetch that forwards to the global one and records every request (and its answer's status). */
export function recordingFetch(): { fetch: typeof fetch; requests: Recorded[] } {
  const requests: Recorded[] = [];
  const recording: typeof fetch = async (input, init) => {
    const record: Recorded = {
      method: init?.method ?? "GET",
      url: String(input),
      headers: Object.fromEntries(Object.entries((init?.headers as Record<string, string>) ?? {})),
    };
    requests.push(record);
    const response = await fetch(input, init);
    record.status = response.status;
    return response;
  };
  return { fetch: recording, requests };
}

/** A fetch that answers from `handler` without any network (for what a live server will not do). */
export function fakeFetch(handler: (url: string, init: RequestInit, call: number) => Response | Promise<Response>) {
  let calls = 0;
  const fake: typeof fetch = async (input, init) => handler(String(input), init ?? {}, ++calls);
  return { fetch: fake, calls: () => calls };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  upstreamStatus?: number;
  upstreamHeaders?: http.IncomingHttpHeaders;
  what: "forwarded" | "dropped" | "replaced";
}

/**
 * A tiny HTTP proxy to the live server. `lose(request, index)` picks requests whose answer is lost
 * once the server has answered them: "drop" destroys the client's socket, "503" answers a 503
 * in its place. Every request is recorded, with the status the server gave it.
 */
export async function startProxy(
  target: string,
  lose: (request: http.IncomingMessage, index: number) => "drop" | "503" | undefined,
): Promise<{ url: string; requests: ProxiedRequest[]; close(): Promise<void> }> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const record: ProxiedRequest = {
        method: request.method ?? "GET",
        path: request.url ?? "/",
        headers: request.headers,
        what: "forwarded",
      };
      const how = lose(request, requests.length);
      requests.push(record);
      const forward = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, host: upstream.host },
        },
        (answer) => {
          const body: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => body.push(chunk));
          answer.on("end", () => {
            record.upstreamStatus = answer.statusCode;
            record.upstreamHeaders = answer.headers;
            if (how === "drop") {
              record.what = "dropped";
              request.socket.destroy(); // the server has answered; the client never hears it
            } else if (how === "503") {
              record.what = "replaced";
              response.writeHead(503, { "Content-Type": "application/json" });
              response.end(
                JSON.stringify({ error: { code: "internal_error", message: "proxy", request_id: "req_proxy" } }),
              );
            } else {
              response.writeHead(answer.statusCode ?? 502, answer.headers);
              response.end(Buffer.concat(body));
            }
          });
        },
      );
      forward.on("error", () => request.socket.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Poll `check` until it returns something, with a deadline (tests wait for events, not for time). */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what} after ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
