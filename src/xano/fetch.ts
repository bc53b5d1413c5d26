/**
 * The one door to Xano's network: `fetch`, plus one `xano_call` log line with the host, the path
 * (never the query string, never a header or body), the status and the duration. Every request
 * the server sends to Xano — Meta API calls, sign-in, refresh, revocation — goes through here.
 */
import { countRequest, log } from "../observability/log";

export async function xanoFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const target = new URL(url);
  const started = performance.now();
  countRequest("xanoCalls");
  try {
    const response = await fetch(url, init);
    log("xano_call", { method: init.method ?? "GET", xanoHost: target.host, xanoPath: target.pathname, xanoStatus: response.status, durationMs: performance.now() - started });
    return response;
  } catch (error) {
    log("xano_call", { method: init.method ?? "GET", xanoHost: target.host, xanoPath: target.pathname, xanoStatus: 0, durationMs: performance.now() - started, error: (error as Error)?.name ?? "Error" });
    throw error;
  }
}
