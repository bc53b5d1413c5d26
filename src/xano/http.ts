/**
 * The transport to one Xano API base: an instance's Meta API (client.ts), the account API
 * (account.ts) and an app's own auth API (credentials/sign-in/app-auth.ts) are called through
 * `XanoHttp.request`, which sets the bearer header (and retries once after a refresh on 401),
 * encodes path segments, reads the answer within a size cap, parses Xano's envelopes and turns
 * every failure into a `XanoApiError`. Nothing from a tool argument can change the host: callers
 * pass path segments, never URLs. Xano's OAuth server (discovery, registration, token, refresh)
 * is called by credentials/ with `xanoFetch` directly; every request, either way, goes out
 * through `xanoFetch` (fetch.ts).
 */
import { UPSTREAM_TOO_LARGE, XanoApiError } from "./errors";
import { UPSTREAM_MAX_BYTES, UPSTREAM_MAX_FILE_BYTES, readUpstream, xanoFetch } from "./fetch";
import { parseRetryAfter } from "../lib/retry-after";

export type Query = Record<string, string | number | boolean | undefined>;

/**
 * Where a client gets its bearer. `afterRejected`, when present, is asked for a new token after a
 * 401 and the call is retried once with it (it throws when the credential is dead).
 */
export interface BearerSource {
  token(): Promise<string> | string;
  afterRejected?(token: string): Promise<string>;
}

export function staticBearer(token: string): BearerSource {
  return { token: () => token };
}

/** For public endpoints (an app's auth/login): no Authorization header at all. */
export const NO_BEARER: BearerSource = { token: () => "" };

/** A JSON `body`, a multipart `form` (file upload) or a `text` body (XanoScript); never two. */
export interface RequestOptions {
  query?: Query;
  body?: unknown;
  form?: FormData;
  /** A text body with its content type, e.g. a script sent as `text/x-xanoscript`. */
  text?: { contentType: string; value: string };
  /** Extra headers Xano reads (e.g. `x-data-source`); never Authorization, which is set here. */
  headers?: Record<string, string>;
  /** Accept a non-JSON answer (a file) and return it as a RawBody; JSON answers are still parsed. */
  raw?: boolean;
}

/** A non-JSON answer (e.g. an exported file). */
export interface RawBody {
  contentType: string;
  /** The Content-Disposition header, which may carry a file name. */
  disposition: string | null;
  bytes: Uint8Array;
}

/** A XanoScript source as the text body Xano's description gives scripted objects. */
export function xanoScript(value: string): { contentType: string; value: string } {
  return { contentType: "text/x-xanoscript", value };
}

/** Low-level HTTP to one Xano API base. */
export class XanoHttp {
  constructor(
    readonly baseUrl: string,
    private readonly bearer: BearerSource,
    private readonly fetchImpl: (url: string, init: RequestInit) => Promise<Response> = xanoFetch,
  ) {}

  async request<T>(method: string, segments: Array<string | number>, options: RequestOptions = {}): Promise<T> {
    const token = await this.bearer.token();
    try {
      return await this.requestWith<T>(token, method, segments, options);
    } catch (error) {
      if (!(error instanceof XanoApiError) || error.status !== 401 || !this.bearer.afterRejected) throw error;
      // Refresh once (or learn the credential is dead), then retry once.
      const next = await this.bearer.afterRejected(token);
      if (next === token) throw error;
      return this.requestWith<T>(next, method, segments, options);
    }
  }

  private async requestWith<T>(token: string, method: string, segments: Array<string | number>, options: RequestOptions): Promise<T> {
    const url = new URL(this.baseUrl.replace(/\/+$/, "") + "/" + segments.map((s) => encodeURIComponent(String(s))).join("/"));
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { ...options.headers, Accept: "application/json" };
    if (token !== "") headers.Authorization = `Bearer ${token}`;
    // A multipart body sets its own Content-Type (with the boundary); FormData can be sent again on the retry.
    if (options.body !== undefined && options.form === undefined) headers["Content-Type"] = "application/json";
    if (options.text !== undefined) headers["Content-Type"] = options.text.contentType;

    let response: Response;
    try {
      response = await this.fetchImpl(url.toString(), {
        method,
        headers,
        body: options.form ?? options.text?.value ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
        redirect: "manual",
      });
    } catch (cause) {
      throw new XanoApiError(0, "NETWORK_ERROR", `could not connect to ${url.host}`, undefined, null);
    }
    // Read once, within the call's cap (files get the larger one): never a whole answer of unknown size.
    const maxBytes = options.raw ? UPSTREAM_MAX_FILE_BYTES : UPSTREAM_MAX_BYTES;
    let read;
    try {
      read = await readUpstream(response, maxBytes);
    } catch {
      throw new XanoApiError(0, "NETWORK_ERROR", `the answer from ${url.host} broke off`, undefined, null);
    }
    // An error answer too large to read is still that error, without Xano's message.
    if (!read.ok && response.ok) throw new XanoApiError(response.status, UPSTREAM_TOO_LARGE, `the answer from ${url.host} is larger than ${maxBytes} bytes`, { maxBytes });
    const bytes = read.ok ? read.bytes : new Uint8Array(0);
    if (options.raw && response.ok && !isJsonType(response.headers.get("Content-Type"))) {
      return { contentType: response.headers.get("Content-Type") ?? "application/octet-stream", disposition: response.headers.get("Content-Disposition"), bytes } satisfies RawBody as T;
    }
    const text = new TextDecoder().decode(bytes);
    const parsed = parseJson(text);
    if (!response.ok) {
      const envelope = (parsed.ok && isRecord(parsed.value) ? parsed.value : {}) as Record<string, unknown>;
      throw new XanoApiError(
        response.status,
        typeof envelope.code === "string" ? envelope.code : `HTTP_${response.status}`,
        typeof envelope.message === "string" ? envelope.message : response.statusText || "",
        envelope.payload,
        parseRetryAfter(response.headers.get("Retry-After")),
      );
    }
    if (text === "") return null as T;
    if (!parsed.ok) throw new XanoApiError(response.status, "INVALID_RESPONSE", `Xano answered with something that is not JSON (from ${url.host})`);
    return parsed.value as T;
  }
}

function isJsonType(contentType: string | null): boolean {
  return contentType !== null && /\bjson\b/i.test(contentType);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
