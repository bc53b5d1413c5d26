/**
 * Signing a person in to an upstream MCP server's own authorization server (OAuth 2.1
 * authorization code with PKCE S256, `state`, RFC 8707 `resource` on both requests, RFC 9207
 * `iss` checked), ending in the UpstreamOAuthCredential the grant's credential store keeps.
 *
 * `beginUpstreamAuthorization` discovers, registers and builds the authorization URL; the caller
 * keeps the returned `PendingAuthorization` server-side under its `state` (single use, short-lived:
 * it holds the PKCE verifier) and, when the person comes back to the redirect URI, passes it with
 * the callback's query to `completeUpstreamAuthorization`.
 */
import { base64Url, randomToken, sha256 } from "../lib/secrets";
import type { UpstreamOAuthCredential } from "../credentials/upstream-credential";
import { clientAuthentication } from "../credentials/providers/upstream";
import { discoverUpstreamAuthorization, type UpstreamAuthorization } from "./oauth-discovery";
import { oauthFetch, readOAuthObject, UpstreamOAuthError } from "../lib/oauth-fetch";
import { obtainClient, type OurClient, type UpstreamClient } from "./oauth-registration";

/** What the callback needs to finish; secret (the PKCE verifier, maybe a client secret): keep it server-side. */
export interface PendingAuthorization {
  server: string;
  url: string;
  state: string;
  codeVerifier: string;
  redirectUri: string;
  resource: string;
  issuer: string;
  /** The AS promised an `iss` on every authorization response (RFC 9207): a missing one is refused. */
  issRequired: boolean;
  tokenEndpoint: string;
  revocationEndpoint: string | null;
  clientId: string;
  clientSecret: string | null;
}

export interface UpstreamServerRef {
  /** The server's name in UPSTREAM_MCP_SERVERS. */
  server: string;
  /** Its MCP endpoint. */
  url: string;
}

/** Discovery, registration and the authorization URL in one step. `challenge`: a WWW-Authenticate already received, if any. */
export async function beginUpstreamAuthorization(
  target: UpstreamServerRef,
  ours: OurClient,
  options: { configuredClient?: { clientId: string; clientSecret?: string | null } | null; challenge?: string | null } = {},
): Promise<{ authorizationUrl: string; pending: PendingAuthorization; client: UpstreamClient }> {
  const discovered = await discoverUpstreamAuthorization(target.url, options.challenge);
  const client = await obtainClient(discovered.authorizationServer, ours, options.configuredClient);
  return { ...(await authorizationRequest(target, discovered, client, ours.redirectUri)), client };
}

/** RFC 7636 §4.2: BASE64URL(SHA256(verifier)). */
export async function pkceChallenge(verifier: string): Promise<string> {
  return base64Url(await sha256(verifier));
}

/** The authorization URL to send the person to, and what the callback will need. */
export async function authorizationRequest(target: UpstreamServerRef, discovered: UpstreamAuthorization, client: UpstreamClient, redirectUri: string): Promise<{ authorizationUrl: string; pending: PendingAuthorization }> {
  const as = discovered.authorizationServer;
  const pending: PendingAuthorization = {
    ...target,
    state: randomToken(),
    codeVerifier: randomToken(),
    redirectUri,
    resource: discovered.resource,
    issuer: as.issuer,
    issRequired: as.authorization_response_iss_parameter_supported === true,
    tokenEndpoint: as.token_endpoint,
    revocationEndpoint: typeof as.revocation_endpoint === "string" ? as.revocation_endpoint : null,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
  };
  const url = new URL(as.authorization_endpoint);
  const params = {
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: redirectUri,
    state: pending.state,
    code_challenge: await pkceChallenge(pending.codeVerifier),
    code_challenge_method: "S256",
    resource: discovered.resource,
    ...(discovered.scope ? { scope: discovered.scope } : {}),
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return { authorizationUrl: url.href, pending };
}

/** The callback's query checked (state, error, iss), then the code exchanged (with the PKCE verifier) for the credential. */
export async function completeUpstreamAuthorization(pending: PendingAuthorization, callback: URLSearchParams, now = Date.now()): Promise<UpstreamOAuthCredential> {
  if (callback.get("state") !== pending.state) throw new UpstreamOAuthError("authorization_failed", "the authorization response's state does not match this sign-in");
  const iss = callback.get("iss");
  // RFC 9207: an iss that differs (or is missing where promised) may be a mix-up attack; stop before using the code.
  if (iss !== null ? iss !== pending.issuer : pending.issRequired) throw new UpstreamOAuthError("authorization_failed", `the authorization response's issuer (${iss ?? "none"}) is not ${pending.issuer}`);
  const error = callback.get("error");
  if (error !== null) {
    const description = callback.get("error_description");
    throw new UpstreamOAuthError("authorization_failed", `the authorization server of "${pending.server}" answered ${error}${description ? `: ${description}` : ""}`);
  }
  const code = callback.get("code");
  if (!code) throw new UpstreamOAuthError("authorization_failed", "the authorization response has no code");

  const { params, headers } = clientAuthentication(pending);
  const response = await oauthFetch(pending.tokenEndpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json", ...headers },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: pending.redirectUri, code_verifier: pending.codeVerifier, resource: pending.resource, ...params }).toString(),
  });
  const what = `the token answer of the authorization server of "${pending.server}"`;
  const body = await readOAuthObject(response, what).catch((failure: unknown) => {
    if (response.ok) throw failure;
    return {} as Record<string, unknown>;
  });
  if (!response.ok) {
    const said = typeof body.error === "string" ? `: ${body.error}${typeof body.error_description === "string" ? ` (${body.error_description})` : ""}` : "";
    throw new UpstreamOAuthError("token_exchange_failed", `the authorization server of "${pending.server}" refused the code (HTTP ${response.status}${said})`);
  }
  if (typeof body.access_token !== "string" || body.access_token === "") throw new UpstreamOAuthError("token_exchange_failed", `${what} has no access_token`);
  if (typeof body.token_type !== "string" || body.token_type.toLowerCase() !== "bearer") throw new UpstreamOAuthError("token_exchange_failed", `${what} is not a Bearer token (token_type ${String(body.token_type)})`);
  return {
    kind: "upstream",
    auth: "oauth",
    server: pending.server,
    url: pending.url,
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === "string" && body.refresh_token !== "" ? body.refresh_token : null,
    expiresAt: typeof body.expires_in === "number" ? now + body.expires_in * 1000 : null,
    tokenEndpoint: pending.tokenEndpoint,
    revocationEndpoint: pending.revocationEndpoint,
    clientId: pending.clientId,
    clientSecret: pending.clientSecret,
    resource: pending.resource,
  };
}
