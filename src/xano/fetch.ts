/**
 * The one door to Xano's network: `fetch`, plus one `xano_call` log line with the host, the path
 * (never the query string, never a header or body), the status and the duration. Every request
 * the server sends to Xano — Meta API calls, sign-in, refresh, revocation — goes through here,
 * and every answer is read through `readUpstream` (or `readUpstreamJson`), within a cap.
 */
import { readBounded, type BoundedRead } from "../lib/bounded-body";
import { countRequest, log, markPhase } from "../observability/log";

/**
 * What one Xano answer may weigh. The instance host can be typed by the person signing in, so an
 * answer is not trusted to be small; and a Worker isolate has 128 MB for every request it serves.
 * 8 MiB is far above any page of records, schema or OpenAPI document a tool asks for (a page is
 * at most a few hundred records); files (a schema export) get 32 MiB.
 */
export const UPSTREAM_MAX_BYTES = 8 * 1024 * 1024;
export const UPSTREAM_MAX_FILE_BYTES = 32 * 1024 * 1024;

export async function xanoFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const target = new URL(url);
  const started = performance.now();
  countRequest("xanoCalls");
  try {
    markPhase("before-xano");
    const response = await fetch(url, init);
    markPhase("xano");
    log("xano_call", { method: init.method ?? "GET", xanoHost: target.host, xanoPath: target.pathname, xanoStatus: response.status, durationMs: performance.now() - started });
    return response;
  } catch (error) {
    log("xano_call", { method: init.method ?? "GET", xanoHost: target.host, xanoPath: target.pathname, xanoStatus: 0, durationMs: performance.now() - started, error: (error as Error)?.name ?? "Error" });
    throw error;
  }
}

/** An answer's bytes, at most `maxBytes` (the stream is cancelled past it). Throws if the answer breaks off. */
export function readUpstream(response: Response, maxBytes: number = UPSTREAM_MAX_BYTES): Promise<BoundedRead> {
  return readBounded(response, maxBytes);
}

/** An answer as JSON, within the ordinary cap; null when it is larger, breaks off, or is not JSON. */
export async function readUpstreamJson(response: Response): Promise<unknown> {
  try {
    const read = await readUpstream(response);
    return read.ok ? JSON.parse(new TextDecoder().decode(read.bytes)) : null;
  } catch {
    return null;
  }
}
