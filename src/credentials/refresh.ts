/**
 * The upstream half of a refresh, per sign-in method: one request, its result classified. The
 * store (credential-store.ts) decides when to call this and persists what it returns.
 */
import { readUpstreamJson, xanoFetch } from "../xano/fetch";
import { parseRetryAfter } from "../lib/retry-after";
import { classifyRefreshFailure, type RefreshFailureKind, type XanoCredential } from "./credential";

export type RefreshOutcome =
  | { ok: true; credential: XanoCredential }
  | { ok: false; kind: RefreshFailureKind; status: number; message: string; retryAfterSeconds: number | null };

export async function refreshCredential(credential: XanoCredential, now: number): Promise<RefreshOutcome> {
  switch (credential.method) {
    case "metadata_token":
      return { ok: false, kind: "dead", status: 401, message: "Xano rejected the Metadata API token, and such tokens cannot be refreshed", retryAfterSeconds: null };
    case "xano_oauth": {
      if (credential.refreshToken === null) {
        return { ok: false, kind: "dead", status: 401, message: "Xano's access token expired and no refresh token was issued", retryAfterSeconds: null };
      }
      const response = await send(credential.tokenEndpoint, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: credential.refreshToken, client_id: credential.clientId }).toString(),
      });
      if (!response.ok) return failure(response);
      const body = response.body as Record<string, unknown>;
      if (typeof body.access_token !== "string") return { ok: false, kind: "unknown", status: response.status, message: "Xano's token response had no access_token", retryAfterSeconds: null };
      return {
        ok: true,
        credential: {
          ...credential,
          accessToken: body.access_token,
          // Xano rotates: the old refresh token is spent now. Keep the old one only if none came back.
          refreshToken: typeof body.refresh_token === "string" ? body.refresh_token : credential.refreshToken,
          expiresAt: typeof body.expires_in === "number" ? now + body.expires_in * 1000 : null,
        },
      };
    }
    case "app_auth": {
      const response = await send(`${credential.authBase}/auth/me`, { headers: { Authorization: `Bearer ${credential.authToken}`, Accept: "application/json" } });
      if (!response.ok) return failure(response);
      const row = response.body as Record<string, unknown>;
      if (typeof row.api_key !== "string" || row.api_key === "") {
        return { ok: false, kind: "dead", status: 200, message: "the Xano user record has no api_key (Metadata API token)", retryAfterSeconds: null };
      }
      // The api_key has no known expiry (as at sign-in): without clearing an earlier expiresAt
      // (debug_expire_oauth_tokens sets one in the past), every later call would refresh again.
      return { ok: true, credential: { ...credential, accessToken: row.api_key, expiresAt: null } };
    }
  }
}

type Sent = { ok: true; status: number; body: unknown } | { ok: false; status: number; body: unknown; retryAfterSeconds: number | null };

async function send(url: string, init: RequestInit): Promise<Sent> {
  let response: Response;
  try {
    response = await xanoFetch(url, { ...init, redirect: "manual" });
  } catch {
    return { ok: false, status: 0, body: null, retryAfterSeconds: null };
  }
  // Within the ordinary cap: an answer that is larger, breaks off or is not JSON reads as no body
  // (for a 2xx that is "no access_token", an unknown outcome: the refresh token may be spent).
  const body = await readUpstreamJson(response);
  if (response.ok) return { ok: true, status: response.status, body };
  return { ok: false, status: response.status, body, retryAfterSeconds: parseRetryAfter(response.headers.get("Retry-After")) };
}

function failure(sent: Extract<Sent, { ok: false }>): RefreshOutcome {
  const body = (sent.body ?? {}) as Record<string, unknown>;
  const said = typeof body.message === "string" ? body.message : typeof body.error === "string" ? body.error : "";
  return {
    ok: false,
    kind: classifyRefreshFailure(sent.status),
    status: sent.status,
    message: sent.status === 0 ? "could not reach Xano to refresh the credential" : `Xano refused the refresh (HTTP ${sent.status}${said ? `: ${said}` : ""})`,
    retryAfterSeconds: sent.retryAfterSeconds,
  };
}
