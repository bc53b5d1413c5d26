/**
 * One `request` log line per HTTP request into the Worker: request id, method, path (never the
 * query string), status, duration, and once known the user, the OAuth client, the MCP method and
 * tool; plus what the request cost in storage: KV reads, writes and lists, credential-store hops
 * and Xano calls (how many, their summed time, and each one's method, path and status: a Xano call
 * that succeeded writes no line of its own, see xano/fetch.ts). The counts make the performance rules checkable from the log itself: no request
 * path may list KV, and none may read KV more than once besides its credential-store hop.
 *
 * Also here: the OAuth library's error hook (`oauth_error` lines name the exact failed check,
 * which the wire response deliberately hides), and naming the JSON-RPC methods and tools of an MCP
 * request (from the body summary the MCP door already made).
 */
import { annotateRequest, countRequest, log, newRequestContext, serverTiming, withRequestContext, type RequestContext } from "./log";

interface FetchHandler<E> {
  fetch(request: Request, env: E, ctx: ExecutionContext): Response | Promise<Response>;
}

/** Wraps the Worker's fetch: a request context for every log line, the KV counter, the `request` line. */
export function withRequestLog<E extends { OAUTH_KV: KVNamespace }>(handler: FetchHandler<E>) {
  return async (request: Request, env: E, ctx: ExecutionContext): Promise<Response> => {
    const requestId = request.headers.get("cf-ray") ?? crypto.randomUUID();
    const context: RequestContext = { ...newRequestContext(requestId), xano: { ms: 0, requests: [], news: false } };
    const started = performance.now();
    const url = new URL(request.url);
    // A per-request copy of env whose KV binding counts its calls. The library stores its helpers
    // on env, so they too read KV through the counter.
    const counted = { ...env, OAUTH_KV: countingKv(env.OAUTH_KV) };
    return withRequestContext(context, async () => {
      if (url.pathname === "/authorize") annotateRequest({ clientId: url.searchParams.get("client_id") ?? undefined });
      let response: Response;
      try {
        response = await handler.fetch(request, counted, ctx);
      } catch (error) {
        logRequest(context, request.method, url.pathname, 500, started, (error as Error)?.name ?? "Error");
        throw error;
      }
      logRequest(context, request.method, url.pathname, response.status, started);
      if (response.status === 101) return response;
      const tagged = new Response(response.body, response);
      tagged.headers.set("X-Request-Id", requestId);
      const timing = serverTiming(context, started);
      if (timing) tagged.headers.set("Server-Timing", timing);
      return tagged;
    });
  };
}

function logRequest(context: RequestContext, method: string, route: string, status: number, started: number, error?: string): void {
  log("request", {
    method,
    route,
    status,
    durationMs: performance.now() - started,
    userId: context.userId,
    email: context.email,
    clientId: context.clientId,
    rpc: context.rpc,
    tool: context.tool,
    ...context.counters,
    xanoMs: context.xano?.requests.length ? context.xano.ms : undefined,
    xanoRequests: context.xano?.requests.join(", ") || undefined,
    error,
  });
}

type Counter = keyof RequestContext["counters"];
const KV_COUNTERS: Record<string, Counter> = { get: "kvReads", getWithMetadata: "kvReads", list: "kvLists", put: "kvWrites", delete: "kvWrites" };

function countingKv(kv: KVNamespace): KVNamespace {
  return new Proxy(kv, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      const counter = KV_COUNTERS[String(property)];
      return (...args: unknown[]) => {
        if (counter) countRequest(counter);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** The OAuth provider's `onError`: log the failed check; return nothing, so the standard response goes out. */
export function logOAuthError(error: { code: string; status: number; internal?: { category?: string; reason?: string } }): void {
  log("oauth_error", { code: error.code, status: error.status, category: error.internal?.category, reason: error.internal?.reason });
}
