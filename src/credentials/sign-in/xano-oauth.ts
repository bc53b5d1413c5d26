/**
 * "Sign in with Xano": this server as an OAuth 2.1 client of Xano's own authorization server.
 * Discovery from XANO_ACCOUNT_URL (RFC 8414), dynamic registration (Xano reads a `scopes` array and
 * answers 200) or a configured client id, PKCE S256, and `state` bound to the browser by
 * workers-oauth-provider's beginUpstream/finishUpstream. The instance is the access token's audience.
 */
import type { Config } from "../../config";
import { parseUpstreamUrl } from "../../lib/upstream-url";
import { base64Url, randomToken, sha256, sha256Hex } from "../../lib/secrets";
import { identify, type SignInResult } from "./result";
import { readUpstreamJson, xanoFetch } from "../../xano/fetch";

export const XANO_SCOPES = ["offline_access", "workspace:read", "workspace:write"];
export const CALLBACK_PATH = "/oauth/xano/callback";

export interface XanoOAuthServer {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint?: string;
  revocation_endpoint?: string;
}

export async function discover(config: Config): Promise<XanoOAuthServer> {
  const response = await xanoFetch(`${config.xanoAccountUrl}/.well-known/oauth-authorization-server`, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`Xano's OAuth discovery answered HTTP ${response.status}`);
  const metadata = (await readUpstreamJson(response)) as Record<string, unknown> | null;
  if (metadata === null || typeof metadata !== "object") throw new Error("Xano's OAuth metadata is not a JSON document (or too large)");
  for (const field of ["authorization_endpoint", "token_endpoint"] as const) {
    if (typeof metadata[field] !== "string" || !parseUpstreamUrl(metadata[field] as string).ok) throw new Error(`Xano's OAuth metadata has no valid ${field}`);
  }
  return metadata as unknown as XanoOAuthServer;
}

/** The configured client id, or one registered once per redirect URI and remembered in KV. */
export async function clientIdFor(config: Config, kv: KVNamespace, server: XanoOAuthServer): Promise<string> {
  if (config.xanoOAuthClientId) return config.xanoOAuthClientId;
  const redirectUri = `${config.publicUrl}${CALLBACK_PATH}`;
  const cacheKey = `xano-oauth-client:${await sha256Hex(`${server.issuer}\n${redirectUri}`)}`;
  const cached = await kv.get(cacheKey);
  if (cached) return cached;
  if (!server.registration_endpoint) throw new Error("Xano offers no client registration; set XANO_OAUTH_CLIENT_ID");
  const response = await xanoFetch(server.registration_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ client_name: "Xano MCP server", redirect_uris: [redirectUri], scopes: XANO_SCOPES, grant_types: ["authorization_code", "refresh_token"], token_endpoint_auth_method: "none" }),
  });
  const body = ((await readUpstreamJson(response)) ?? {}) as Record<string, unknown>;
  if (!response.ok || typeof body.client_id !== "string") throw new Error(`Xano refused client registration (HTTP ${response.status})`);
  await kv.put(cacheKey, body.client_id);
  return body.client_id;
}

export async function pkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = randomToken(32);
  const challenge = base64Url(await sha256(verifier));
  return { verifier, challenge };
}

export function authorizationUrl(server: XanoOAuthServer, clientId: string, redirectUri: string, state: string, challenge: string): string {
  const url = new URL(server.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: XANO_SCOPES.join(" "),
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  return url.toString();
}

/** Exchanges the code (with the PKCE verifier) and identifies the person on the token's instance. */
export async function exchangeCode(server: XanoOAuthServer, clientId: string, redirectUri: string, code: string, verifier: string): Promise<SignInResult> {
  let response: Response;
  try {
    response = await xanoFetch(server.token_endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier }).toString(),
    });
  } catch {
    return { ok: false, message: "Could not reach Xano to finish signing in. Try again shortly." };
  }
  const body = ((await readUpstreamJson(response)) ?? {}) as Record<string, unknown>;
  if (!response.ok || typeof body.access_token !== "string") return { ok: false, message: "Xano did not accept the sign-in (the code expired or was already used). Start again." };

  const audience = audienceOf(body.access_token);
  const instance = audience ? parseUpstreamUrl(audience) : null;
  if (!instance?.ok) return { ok: false, message: "Xano's token does not name an instance. Start again and pick an instance on Xano's page." };
  const metaApiBase = `${instance.url.origin}/api:meta`;
  const who = await identify(metaApiBase, body.access_token);
  if (!who.ok) return who;
  return {
    ok: true,
    user: who.user,
    credential: {
      method: "xano_oauth",
      accessToken: body.access_token,
      refreshToken: typeof body.refresh_token === "string" ? body.refresh_token : null,
      expiresAt: typeof body.expires_in === "number" ? Date.now() + body.expires_in * 1000 : null,
      metaApiBase,
      tokenEndpoint: server.token_endpoint,
      revocationEndpoint: server.revocation_endpoint ?? null,
      clientId,
    },
    proof: "account",
  };
}

/** The `aud` claim of a JWT access token (read, not verified: it came straight from Xano over TLS). */
function audienceOf(token: string): string | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { aud?: unknown };
    const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
    return typeof aud === "string" ? aud : null;
  } catch {
    return null;
  }
}
