/**
 * GET /status — with the MCP client's bearer token: what this connection is, without a secret.
 * The grant and client, the sign-in method, the Xano instance host, and the Xano credential's
 * expiry and refresh history (from the grant's credential store `status()`, which never returns
 * a token). Cost: one KV read (the library's `unwrapToken`) and one credential-store hop.
 *
 * GET /debug-oauth — only with DEBUG_TOOLS=true (404 otherwise, see front-door/pages-router.ts): the OAuth
 * endpoints this server advertises, and with a bearer token also the caller's grant and its
 * client's registration (redirect URIs, registration expiry), for "wrong redirect URI" and
 * "connection expired" investigations.
 *
 * The token is validated here rather than by the library's apiHandlers routing because these are
 * not MCP endpoints; `unwrapToken` does the same checks (hash lookup, expiry, props decryption),
 * and the audience is compared to PUBLIC_URL as the library does for /mcp.
 */
import type { OAuthHelpers, TokenSummary } from "@cloudflare/workers-oauth-provider";
import type { Config } from "../config";
import { credentialStoreFor, type CredentialStoreEnv } from "../credentials/credential-lease";
import { isGrantProps, type GrantProps } from "../credentials/grant-props";
import type { CredentialStatus } from "../credentials/credential";
import { annotateRequest, countRequest } from "../observability/log";
import { SERVER_INFO } from "../server-info";
import { bearerToken } from "../lib/bearer";

export interface StatusEnv extends CredentialStoreEnv {
  OAUTH_PROVIDER: OAuthHelpers;
}

type Caller = { ok: true; summary: TokenSummary; props: GrantProps } | { ok: false; response: Response };

export async function handleStatus(request: Request, env: StatusEnv, config: Config): Promise<Response> {
  const caller = await authenticate(request, env, config);
  if (!caller.ok) return caller.response;
  const { summary, props } = caller;
  countRequest("storeCalls");
  const credential = await credentialStoreFor(env, props.storeId).status();
  return Response.json(
    {
      grant: grantView(summary),
      user: { id: props.userId, xanoUserId: props.xanoUser.id },
      signInMethod: props.method,
      instanceHost: props.instanceHost,
      signedInAt: iso(props.signedInAt),
      credential: credentialView(credential),
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function handleDebugOAuth(request: Request, env: StatusEnv, config: Config): Promise<Response> {
  const base = config.publicUrl;
  const advertised = {
    authorizationServerMetadata: `${base}/.well-known/oauth-authorization-server`,
    protectedResourceMetadata: `${base}/.well-known/oauth-protected-resource`,
    issuer: base,
    resource: base,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/oauth/token`,
    registration_endpoint: `${base}/oauth/register`,
    mcp_endpoints: [`${base}/mcp`, `${base}/sse`],
    code_challenge_methods_supported: ["S256"],
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    signInMethods: config.signInMethods,
  };
  const body: Record<string, unknown> = { server: SERVER_INFO, advertised, caller: null };
  if (request.headers.has("Authorization")) {
    const caller = await authenticate(request, env, config);
    if (!caller.ok) return caller.response;
    const client = await env.OAUTH_PROVIDER.lookupClient(caller.summary.grant.clientId);
    body.caller = {
      grant: grantView(caller.summary),
      userId: caller.props.userId,
      signInMethod: caller.props.method,
      instanceHost: caller.props.instanceHost,
      client: client
        ? {
            clientId: client.clientId,
            clientName: client.clientName ?? null,
            redirectUris: client.redirectUris,
            tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
            registrationDate: client.registrationDate ? iso(client.registrationDate * 1000) : null,
          }
        : null,
      credential: credentialView(await credentialStoreFor(env, caller.props.storeId).status()),
    };
  }
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
}

async function authenticate(request: Request, env: StatusEnv, config: Config): Promise<Caller> {
  const token = bearerToken(request);
  if (!token) return { ok: false, response: challenge(config, null) };
  const summary = await env.OAUTH_PROVIDER.unwrapToken(token);
  const audience = summary?.audience;
  const audiences = (Array.isArray(audience) ? audience : audience ? [audience] : []).map((a) => a.replace(/\/+$/, ""));
  if (!summary || (audiences.length > 0 && !audiences.includes(config.publicUrl)) || !isGrantProps(summary.grant.props)) {
    return { ok: false, response: challenge(config, "invalid_token") };
  }
  annotateRequest({ userId: summary.userId, clientId: summary.grant.clientId });
  return { ok: true, summary, props: summary.grant.props };
}

function challenge(config: Config, error: string | null): Response {
  const parameters = [`realm="OAuth"`, error ? `error="${error}"` : null, `resource_metadata="${config.publicUrl}/.well-known/oauth-protected-resource"`].filter(Boolean).join(", ");
  return Response.json(
    { error: error ?? "invalid_request", error_description: error ? "Unknown or expired access token" : "Send the MCP access token as a Bearer token" },
    { status: 401, headers: { "Cache-Control": "no-store", "WWW-Authenticate": `Bearer ${parameters}` } },
  );
}

function grantView(summary: TokenSummary) {
  return { id: summary.grantId, clientId: summary.grant.clientId, scope: summary.grant.scope, accessTokenExpiresAt: iso(summary.expiresAt * 1000) };
}

function credentialView(status: CredentialStatus | null) {
  if (!status) return null;
  return {
    method: status.method,
    instanceHost: status.instanceHost,
    expiresAt: iso(status.expiresAt),
    canRefresh: status.canRefresh,
    lastRefreshAt: iso(status.lastRefreshAt),
    refreshCount: status.refreshCount,
    dead: status.dead ? { reason: status.dead.reason, at: iso(status.dead.at) } : null,
  };
}

function iso(ms: number | null | undefined): string | null {
  return typeof ms === "number" ? new Date(ms).toISOString() : null;
}
