/**
 * One MCP request's connection to an upstream MCP server (Streamable HTTP, mcp-wire.ts) over a
 * fetch that carries the person's upstream credential and nothing of ours.
 *
 * - `Authorization: Bearer <the person's upstream token>` (bearer; oauth's access token), or no
 *   Authorization at all (none). Our MCP token is never forwarded: the fetch builds its own headers.
 * - Every upstream HTTP exchange is bounded by UPSTREAM_TIMEOUT_MS.
 * - An upstream 401 goes to the grant's credential store (`afterRejected`): an oauth credential is
 *   refreshed there (single flight) and the exchange retried once; a bearer one (or a dead
 *   refresh) dies, which is remembered (`rejected`) so the door can end the grant with the
 *   re-authentication challenge. A 429, a 5xx or a timeout becomes an UpstreamUnavailableError
 *   carrying the upstream's Retry-After, which the proxy answers as a retryable tool error.
 *
 * Initialized lazily and at most once per request (the door may need the tool list before the
 * proxy runs, to refuse a write tool on a read-only grant with the 403 step-up challenge).
 */
import type { UpstreamCredential } from "../credentials/upstream-credential";
import { parseRetryAfter } from "../lib/retry-after";
import { CredentialDeadError } from "../credentials/credential-handle";
import { XanoApiError } from "../xano/errors";
import { SERVER_INFO } from "../server-info";
import { UPSTREAM_PROTOCOL_VERSION, notify, request, type Session } from "./mcp-wire";
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

/** Where the connection gets the person's credential (the grant's CredentialHandle, or a fixed one to check a pasted token). */
export interface Credentials {
  credential(): Promise<UpstreamCredential>;
  /** The upstream answered 401 to `token`: a refreshed credential, or a throw when it is dead. */
  afterRejected(token: string): Promise<UpstreamCredential>;
}

/** What the upstream declared at initialize (only what the proxy looks at). */
export interface UpstreamCapabilities {
  tools?: object;
  resources?: object;
  prompts?: object;
}

export class UpstreamConnection {
  /** Set when the upstream answered 401: the grant's credential no longer works there. */
  rejected = false;
  /** The last 429/5xx/timeout seen, whatever the exchange reported. */
  unavailable: UpstreamUnavailableError | null = null;
  private readonly session: Session = { sessionId: null, protocolVersion: null };
  private initializing: Promise<UpstreamCapabilities> | null = null;
  private listing: Promise<UpstreamTool[]> | null = null;
  private nextId = 1;

  constructor(
    private readonly server: UpstreamServer,
    private readonly credentials: Credentials,
    private readonly baseFetch: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /** initialize + notifications/initialized, once per request: what the upstream offers. */
  initialize(): Promise<UpstreamCapabilities> {
    this.initializing ??= (async () => {
      const params = { protocolVersion: UPSTREAM_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: SERVER_INFO.name, version: SERVER_INFO.version } };
      const result = (await request(this.send, this.server.url, this.session, this.nextId++, "initialize", params, (response) => {
        this.session.sessionId = response.headers.get("Mcp-Session-Id");
      })) as { protocolVersion?: unknown; capabilities?: UpstreamCapabilities } | null;
      this.session.protocolVersion = typeof result?.protocolVersion === "string" ? result.protocolVersion : UPSTREAM_PROTOCOL_VERSION;
      await notify(this.send, this.server.url, this.session, "notifications/initialized");
      return result?.capabilities ?? {};
    })();
    return this.initializing;
  }

  /** One JSON-RPC request to the upstream (initialized first): its result. */
  async call(method: string, params?: unknown): Promise<unknown> {
    await this.initialize();
    return request(this.send, this.server.url, this.session, this.nextId++, method, params);
  }

  /** Every tool the upstream lists (up to MAX_TOOL_PAGES pages), fetched once per request. */
  allTools(): Promise<UpstreamTool[]> {
    this.listing ??= (async () => {
      const tools: UpstreamTool[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_TOOL_PAGES; page++) {
        const result = (await this.call("tools/list", cursor ? { cursor } : {})) as { tools?: UpstreamTool[]; nextCursor?: string } | null;
        tools.push(...(Array.isArray(result?.tools) ? result.tools.filter((t) => typeof t?.name === "string") : []));
        cursor = typeof result?.nextCursor === "string" ? result.nextCursor : undefined;
        if (!cursor) break;
      }
      return tools;
    })();
    return this.listing;
  }

  /** The error to report for a failed upstream exchange: the classified one when we saw why. */
  explain(error: unknown): Error {
    if (this.rejected) return new UpstreamRejectedError();
    if (error instanceof UpstreamUnavailableError) return error;
    return error instanceof Error ? error : new Error(String(error));
  }

  /** Ends the upstream session, if the upstream opened one (best effort). */
  async close(): Promise<void> {
    if (!this.session.sessionId) return;
    const headers = new Headers({ "Mcp-Session-Id": this.session.sessionId });
    await this.send(this.server.url, { method: "DELETE", headers }).then((r) => r.body?.cancel(), () => undefined);
  }

  /** The fetch every exchange uses: the person's upstream credential, a deadline, failures classified. */
  private readonly send = async (url: string, init: RequestInit): Promise<Response> => {
    const credential = await this.credentials.credential();
    const response = await this.sendWith(credential, url, init);
    if (response.status !== 401) return this.classified(response);
    await response.body?.cancel();
    // One refresh and one retry (oauth); a credential that cannot be refreshed dies in the store.
    const token = bearerOf(credential);
    const renewed = token === null ? null : await this.renewed(token);
    const retried = renewed && bearerOf(renewed) !== token ? await this.sendWith(renewed, url, init) : null;
    if (retried && retried.status !== 401) return this.classified(retried);
    await retried?.body?.cancel();
    this.rejected = true;
    throw new UpstreamRejectedError();
  };

  /**
   * The credential after the upstream refused `token`: refreshed, or null when it is dead. A
   * refresh that failed for now (the authorization server's 429/5xx) is not a death: the call is
   * reported unavailable, and the grant kept.
   */
  private async renewed(token: string): Promise<UpstreamCredential | null> {
    try {
      return await this.credentials.afterRejected(token);
    } catch (error) {
      if (error instanceof CredentialDeadError || !(error instanceof XanoApiError)) return null;
      throw (this.unavailable = new UpstreamUnavailableError(error.status || "network", error.retryAfterSeconds ?? null));
    }
  }

  private async sendWith(credential: UpstreamCredential, url: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.delete("Authorization");
    const token = bearerOf(credential);
    if (token !== null) headers.set("Authorization", `Bearer ${token}`);
    const signal = AbortSignal.timeout(UPSTREAM_TIMEOUT_MS);
    let response: Response;
    try {
      response = await this.baseFetch(url, { ...init, headers, signal, redirect: "manual" });
    } catch (error) {
      const timedOut = (error as Error)?.name === "TimeoutError" || (signal.aborted && (signal.reason as Error)?.name === "TimeoutError");
      throw (this.unavailable = new UpstreamUnavailableError(timedOut ? "timeout" : "network", null));
    }
    return response;
  }

  /** A 429 or 5xx: the upstream is unavailable for now. */
  private async classified(response: Response): Promise<Response> {
    if (response.status === 429 || response.status >= 500) {
      await response.body?.cancel();
      throw (this.unavailable = new UpstreamUnavailableError(response.status, parseRetryAfter(response.headers.get("Retry-After"))));
    }
    return response;
  }
}

/** The bearer token a credential sends upstream (none: no Authorization at all). */
function bearerOf(credential: UpstreamCredential): string | null {
  return credential.auth === "bearer" ? credential.token : credential.auth === "oauth" ? credential.accessToken : null;
}
