/**
 * The one door to Xano's network: `fetch`, noting each call's method, host, path (never the query
 * string, never a header or body), status and duration. Every request the server sends to Xano —
 * Meta API calls, sign-in, refresh, revocation — goes through here, and every answer is read
 * through `readUpstream` (or `readUpstreamJson`), within a cap.
 *
 * A call made while serving a request is folded into that request's `request` line (request-log.ts:
 * `xanoCalls`, `xanoMs`, `xanoRequests`), so a successful tool call writes one line. A call also
 * writes its own `xano_call` line when it is news: an answer that is not 2xx, no answer at all, any
 * call after such a one in the same request (the retry after a refresh), and every call made where
 * no request line will be written (a Durable Object's refresh or revocation).
 */
import { readBounded, type BoundedRead } from "../lib/bounded-body";
import { countRequest, currentRequest, log, markPhase, type LogFields } from "../observability/log";

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
  const call = { method: init.method ?? "GET", xanoHost: target.host, xanoPath: target.pathname };
  countRequest("xanoCalls");
  try {
    markPhase("before-xano");
    const response = await fetch(url, init);
    markPhase("xano");
    noteXanoCall({ ...call, xanoStatus: response.status, durationMs: performance.now() - started }, response.ok);
    return response;
  } catch (error) {
    noteXanoCall({ ...call, xanoStatus: 0, durationMs: performance.now() - started, error: (error as Error)?.name ?? "Error" }, false);
    throw error;
  }
}

function noteXanoCall(fields: LogFields & { method: string; xanoPath: string; xanoStatus: number; durationMs: number }, ok: boolean): void {
  const folded = currentRequest()?.xano;
  if (folded) {
    folded.ms += fields.durationMs;
    folded.requests.push(`${fields.method} ${fields.xanoPath} ${fields.xanoStatus}`);
    if (!ok) folded.news = true;
    else if (!folded.news) return;
  }
  log("xano_call", fields);
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
