/**
 * The doctor's only I/O: one HTTP request to the deployment, timed, bounded by a timeout (the
 * request and reading its body), never following redirects (a redirect is itself a finding). Also
 * the small readers the checks share: JSON of an answer, the parameters of a WWW-Authenticate
 * challenge, loopback hosts, and text made safe to print.
 */
import type { Fetch } from "./oauth-http-client";

export interface Probe {
  /** Milliseconds from sending the request to having read the whole body (or giving up). */
  ms: number;
  response?: Response;
  text?: string;
  /** Set when there is no answer: no connection (DNS, refused, TLS), or none within the timeout. */
  error?: { kind: "network" | "timeout"; message: string };
}

/** At most this much of an answer's body is kept (metadata documents are ~1 KB). */
const MAX_BODY_CHARS = 64 * 1024;

export async function probe(http: Fetch, url: string, init: RequestInit, timeoutMs: number): Promise<Probe> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Raced as well as signalled: an injected fetch that ignores the signal must not hang the doctor.
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve("timeout");
    }, timeoutMs);
  });
  try {
    const exchange = (async () => {
      const response = await http(url, { ...init, redirect: "manual", signal: abort.signal });
      const text = (await response.text()).slice(0, MAX_BODY_CHARS);
      return { response, text };
    })();
    exchange.catch(() => {});
    const outcome = await Promise.race([exchange, timedOut]);
    if (outcome === "timeout") return { ms: elapsed(), error: { kind: "timeout", message: `no answer within ${formatSeconds(timeoutMs)}` } };
    return { ms: elapsed(), ...outcome };
  } catch (error) {
    if (abort.signal.aborted) return { ms: elapsed(), error: { kind: "timeout", message: `no answer within ${formatSeconds(timeoutMs)}` } };
    return { ms: elapsed(), error: { kind: "network", message: networkMessage(error) } };
  } finally {
    clearTimeout(timer);
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Node's fetch says "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND, a TLS error) in `cause`. */
function networkMessage(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause?.code ?? e?.cause?.message;
  return printable(cause ? `${e?.message ?? "fetch failed"} (${cause})` : (e?.message ?? String(error)));
}

/** The answer's JSON object, or undefined when it is not one. */
export function jsonObject(p: Probe): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(p.text ?? "");
    return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Parameters of a `Bearer` challenge (RFC 6750 §3): `resource_metadata`, `scope`, `error`, … */
export function bearerChallenge(header: string | null): Record<string, string> | undefined {
  if (!header || !/^\s*bearer\b/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const match of header.matchAll(/([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    params[match[1].toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : match[3];
  }
  return params;
}

/** localhost, *.localhost, 127.0.0.0/8 and ::1: where plain http is acceptable (RFC 8252 §8.3). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The origin of a URL-ish string, or undefined. */
export function originOf(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Text from the deployment, safe for a terminal: no control characters, at most `max` characters. */
export function printable(value: unknown, max = 200): string {
  const text = String(value).replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, " ");
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Another address the deployment points at instead of the one used: a redirect's Location, or an
 * address named in a 400 or 421 (Misdirected Request) answer, as this server gives on an address
 * that is not its PUBLIC_URL. Undefined when it names none.
 */
export function redirectedElsewhere(p: Probe, target: string): string | undefined {
  const status = p.response?.status ?? 0;
  if (status >= 300 && status < 400) {
    const location = p.response!.headers.get("Location");
    const origin = location ? originOf(new URL(location, target).href) : undefined;
    return origin && origin !== target ? origin : undefined;
  }
  if (status === 421 || status === 400) {
    for (const match of (p.text ?? "").matchAll(/https?:\/\/[^\s"'<>)\\]+/g)) {
      const origin = originOf(match[0]);
      if (origin && origin !== target) return origin;
    }
  }
  return undefined;
}
