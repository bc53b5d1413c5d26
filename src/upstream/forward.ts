/**
 * One MCP request's connection to an upstream MCP server: the official SDK client (v1, Streamable
 * HTTP) over a fetch that carries the person's upstream credential and nothing of ours.
 *
 * - `Authorization: Bearer <the person's upstream token>` (bearer; oauth's access token), or no
 *   Authorization at all (none). Our MCP token is never forwarded: the fetch builds its own headers.
 * - Every upstream HTTP exchange is bounded by UPSTREAM_TIMEOUT_MS.
 * - An upstream 401 is remembered (`rejected`) so the door can end the grant with the
 *   re-authentication challenge; a 429, a 5xx or a timeout becomes an UpstreamUnavailableError
 *   carrying the upstream's Retry-After, which the proxy answers as a retryable tool error.
 *
 * Connected lazily and at most once per request (the door needs the tool list before the SDK
 * server runs, to refuse a write tool on a read-only grant with the 403 step-up challenge).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { UpstreamCredential } from "../credentials/upstream-credential";
import { parseRetryAfter } from "../lib/retry-after";
import { SERVER_INFO } from "../server-info";
import type { UpstreamServer } from "./servers";
import type { UpstreamTool } from "./tool-filter";

export const UPSTREAM_TIMEOUT_MS = 30_000;
/** tools/list pages read for one request's policy decisions (a server with more is cut there). */
const MAX_TOOL_PAGES = 10;

/** The upstream answered 429 or 5xx, or did not answer in time: try again later. */
export class UpstreamUnavailableError extends Error {
  constructor(
    readonly status: number | "timeout" | "network",
    readonly retryAfterSeconds: number | null,
  ) {
    super(status === "timeout" ? "the upstream MCP server did not answer in time" : status === "network" ? "the upstream MCP server could not be reached" : `the upstream MCP server answered HTTP ${status}`);
    this.name = "UpstreamUnavailableError";
  }
}

/** The upstream answered 401 to the person's credential. */
export class UpstreamRejectedError extends Error {
  constructor() {
    super("the upstream MCP server rejected this connection's credential");
    this.name = "UpstreamRejectedError";
  }
}

export type Credentials = () => Promise<UpstreamCredential>;

export class UpstreamConnection {
  /** Set when the upstream answered 401: the grant's credential no longer works there. */
  rejected = false;
  /** The last 429/5xx/timeout, for the calls the SDK reports with its own error type. */
  unavailable: UpstreamUnavailableError | null = null;
  private connecting: Promise<Client> | null = null;
  private listing: Promise<UpstreamTool[]> | null = null;

  constructor(
    private readonly server: UpstreamServer,
    private readonly credential: Credentials,
    private readonly baseFetch: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /** The connected client (initialize done), shared by every use in this request. */
  client(): Promise<Client> {
    this.connecting ??= (async () => {
      const client = new Client({ name: SERVER_INFO.name, version: SERVER_INFO.version });
      await client.connect(new StreamableHTTPClientTransport(new URL(this.server.url), { fetch: (input, init) => this.send(input, init) }));
      return client;
    })();
    return this.connecting;
  }

  /** Every tool the upstream lists (up to MAX_TOOL_PAGES pages), fetched once per request. */
  allTools(): Promise<UpstreamTool[]> {
    this.listing ??= (async () => {
      const client = await this.client();
      const tools: UpstreamTool[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_TOOL_PAGES; page++) {
        const result = await client.listTools(cursor ? { cursor } : {});
        tools.push(...(result.tools as UpstreamTool[]));
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      return tools;
    })();
    return this.listing;
  }

  /** The error to report for a failed upstream exchange: ours when we saw why, else the SDK's. */
  explain(error: unknown): Error {
    if (this.rejected) return new UpstreamRejectedError();
    if (error instanceof UpstreamUnavailableError) return error;
    return this.unavailable ?? (error instanceof Error ? error : new Error(String(error)));
  }

  async close(): Promise<void> {
    if (!this.connecting) return;
    await (await this.connecting.catch(() => null))?.close().catch(() => undefined);
  }

  /** The fetch the SDK transport uses: the person's upstream credential, a deadline, failures classified. */
  private async send(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.delete("Authorization");
    const credential = await this.credential();
    if (credential.auth === "bearer") headers.set("Authorization", `Bearer ${credential.token}`);
    else if (credential.auth === "oauth") headers.set("Authorization", `Bearer ${credential.accessToken}`);
    const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(UPSTREAM_TIMEOUT_MS)]) : AbortSignal.timeout(UPSTREAM_TIMEOUT_MS);
    let response: Response;
    try {
      response = await this.baseFetch(input, { ...init, headers, signal, redirect: "manual" });
    } catch (error) {
      const timedOut = (error as Error)?.name === "TimeoutError" || signal.reason?.name === "TimeoutError";
      throw (this.unavailable = new UpstreamUnavailableError(timedOut ? "timeout" : "network", null));
    }
    if (response.status === 401) {
      this.rejected = true;
      await response.body?.cancel();
      throw new UpstreamRejectedError();
    }
    if (response.status === 429 || response.status >= 500) {
      await response.body?.cancel();
      throw (this.unavailable = new UpstreamUnavailableError(response.status, parseRetryAfter(response.headers.get("Retry-After"))));
    }
    return response;
  }
}
