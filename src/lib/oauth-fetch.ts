/**
 * The one way the upstream OAuth client (discovery, registration, code exchange, refresh,
 * revocation of an upstream MCP server's credential) reaches the network: https only (plain http
 * for loopback hosts, the rule of lib/upstream-url.ts), no redirects followed, a deadline, and
 * answers read within a small cap. The URLs come from metadata documents an upstream server
 * publishes, so nothing about them is trusted to be reasonable.
 */
import { describeBytes, readBounded } from "./bounded-body";
import { isLoopbackHost } from "./upstream-url";

/** Metadata documents, registration and token responses are a few KiB; 64 KiB is generous. */
export const OAUTH_MAX_BYTES = 64 * 1024;
/** Claude waits about 10 s for discovery and token answers (mcp-auth.md): we wait no longer. */
export const OAUTH_TIMEOUT_MS = 10_000;

export type UpstreamOAuthErrorCode =
  | "insecure_url" // an endpoint that is not https (nor loopback http)
  | "unreachable" // no answer: network failure or deadline passed
  | "bad_response" // an answer too large, not JSON, or missing what the spec requires
  | "discovery_failed" // no usable protected-resource or authorization-server metadata
  | "pkce_unsupported" // the authorization server does not list S256
  | "registration_failed" // no way to obtain a client id, or registration refused
  | "authorization_failed" // the authorization response: an error, a wrong state or issuer
  | "token_exchange_failed"; // the token endpoint refused the code

/** The one error of the upstream OAuth client; `message` says what happened and where, never a secret. */
export class UpstreamOAuthError extends Error {
  constructor(
    readonly code: UpstreamOAuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "UpstreamOAuthError";
  }
}

/** The URL when it may be fetched (https, or http on a loopback host, no user info); else an insecure_url error. */
export function checkEndpoint(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UpstreamOAuthError("insecure_url", `${what} is not an absolute URL`);
  }
  if (url.username || url.password) throw new UpstreamOAuthError("insecure_url", `${what} (${url.origin}) must not contain a user name or password`);
  if (url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname))) return url;
  throw new UpstreamOAuthError("insecure_url", `${what} (${url.origin}) must use https (plain http is allowed only for localhost)`);
}

/** fetch within the rules above; throws UpstreamOAuthError for a refused URL or no answer in time. */
export async function oauthFetch(url: string, init: RequestInit = {}, timeoutMs = OAUTH_TIMEOUT_MS): Promise<Response> {
  const target = checkEndpoint(url, "the endpoint");
  try {
    return await fetch(target.href, { ...init, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = (error as Error)?.name === "TimeoutError";
    throw new UpstreamOAuthError("unreachable", timedOut ? `${target.origin} did not answer within ${timeoutMs / 1000} s` : `could not reach ${target.origin}`);
  }
}

/** An answer as JSON within OAUTH_MAX_BYTES; null when larger, broken off or not JSON (for refresh.ts). */
export async function readOAuthJson(response: Response): Promise<unknown> {
  try {
    const read = await readBounded(response, OAUTH_MAX_BYTES);
    return read.ok ? JSON.parse(new TextDecoder().decode(read.bytes)) : null;
  } catch {
    return null;
  }
}

/** Like readOAuthJson, but a JSON object or a bad_response error naming `what` and why. */
export async function readOAuthObject(response: Response, what: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    const read = await readBounded(response, OAUTH_MAX_BYTES);
    if (!read.ok) throw new UpstreamOAuthError("bad_response", `${what} is larger than ${describeBytes(OAUTH_MAX_BYTES)}`);
    text = new TextDecoder().decode(read.bytes);
  } catch (error) {
    if (error instanceof UpstreamOAuthError) throw error;
    throw new UpstreamOAuthError("bad_response", `${what} broke off`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new UpstreamOAuthError("bad_response", `${what} is not JSON`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new UpstreamOAuthError("bad_response", `${what} is not a JSON object`);
  return body as Record<string, unknown>;
}

/** RFC 6749 §2.3.1 client_secret_basic: the form-encoded id and secret, base64 (every server must accept it). */
export function basicClientAuthorization(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${btoa(`${encode(clientId)}:${encode(clientSecret)}`)}`;
}
