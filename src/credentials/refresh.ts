/**
 * The upstream half of a refresh, shared by every provider (providers/*.ts): one request, its
 * result classified. The store (credential-store.ts) decides when to refresh, asks the
 * credential's provider to do it, and persists what comes back.
 */
import { parseRetryAfter } from "../lib/retry-after";
import { classifyRefreshFailure, type RefreshFailureKind } from "./credential";

export type RefreshFailure = { ok: false; kind: RefreshFailureKind; status: number; message: string; retryAfterSeconds: number | null };
export type RefreshOutcome<C> = { ok: true; credential: C } | RefreshFailure;

/** How a provider reaches its upstream: its fetch (logged, bounded) and its bounded JSON reader. */
export interface RefreshTransport {
  fetch(url: string, init: RequestInit): Promise<Response>;
  /** The answer as JSON, or null when it is too large, breaks off or is not JSON. */
  readJson(response: Response): Promise<unknown>;
}

/** Who answers, as refresh messages name it: "Xano", or an upstream server's authorization server. */
export interface Issuer {
  name: string;
  possessive: string;
}

type Sent = { ok: true; status: number; body: unknown } | { ok: false; status: number; body: unknown; retryAfterSeconds: number | null };

/** One request; status 0 when no answer arrived (the request may or may not have reached the upstream). */
export async function sendRefreshRequest(transport: RefreshTransport, url: string, init: RequestInit): Promise<Sent> {
  let response: Response;
  try {
    response = await transport.fetch(url, { ...init, redirect: "manual" });
  } catch {
    return { ok: false, status: 0, body: null, retryAfterSeconds: null };
  }
  // Within the transport's cap: an answer that is larger, breaks off or is not JSON reads as no body
  // (for a 2xx that is "no access_token", an unknown outcome: the refresh token may be spent).
  const body = await transport.readJson(response);
  if (response.ok) return { ok: true, status: response.status, body };
  return { ok: false, status: response.status, body, retryAfterSeconds: parseRetryAfter(response.headers.get("Retry-After")) };
}

export function refreshFailure(sent: Extract<Sent, { ok: false }>, issuer: Issuer): RefreshFailure {
  const body = (sent.body ?? {}) as Record<string, unknown>;
  const said = typeof body.message === "string" ? body.message : typeof body.error === "string" ? body.error : "";
  return {
    ok: false,
    kind: classifyRefreshFailure(sent.status),
    status: sent.status,
    message: sent.status === 0 ? `could not reach ${issuer.name} to refresh the credential` : `${issuer.name} refused the refresh (HTTP ${sent.status}${said ? `: ${said}` : ""})`,
    retryAfterSeconds: sent.retryAfterSeconds,
  };
}

export interface RefreshedTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number | null;
}

export interface RefreshTokenRequest {
  tokenEndpoint: string;
  refreshToken: string;
  /** Sent after grant_type and refresh_token: the client id, and whatever else the provider must send. */
  params: Record<string, string>;
  /** Extra headers, e.g. a confidential client's Authorization. */
  headers?: Record<string, string>;
}

/**
 * The OAuth refresh_token grant (RFC 6749 §6). Both Xano's OAuth server and an upstream
 * MCP server's rotate: the refresh token sent is spent once the request arrived, whatever answer
 * is lost on the way back, which is why a lost answer is `unknown`, never retried.
 */
export async function refreshTokenGrant(
  transport: RefreshTransport,
  issuer: Issuer,
  { tokenEndpoint, refreshToken, params, headers }: RefreshTokenRequest,
  now: number,
): Promise<{ ok: true; tokens: RefreshedTokens } | RefreshFailure> {
  const sent = await sendRefreshRequest(transport, tokenEndpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json", ...headers },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, ...params }).toString(),
  });
  if (!sent.ok) return refreshFailure(sent, issuer);
  const body = (sent.body ?? {}) as Record<string, unknown>;
  if (typeof body.access_token !== "string") return { ok: false, kind: "unknown", status: sent.status, message: `${issuer.possessive} token response had no access_token`, retryAfterSeconds: null };
  return {
    ok: true,
    tokens: {
      accessToken: body.access_token,
      // Rotation: the old refresh token is spent now. Keep the old one only if none came back.
      refreshToken: typeof body.refresh_token === "string" ? body.refresh_token : refreshToken,
      expiresAt: typeof body.expires_in === "number" ? now + body.expires_in * 1000 : null,
    },
  };
}
