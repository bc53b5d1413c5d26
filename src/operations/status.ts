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
 * The token is checked by oauth/access-token.ts (these are not MCP endpoints, so the library's
 * apiHandlers routing does not check it), as /logout's is.
 */
import type { OAuthHelpers, TokenSummary } from "@cloudflare/workers-oauth-provider";
import type { Config } from "../config";
import { credentialStoreFor, type CredentialStoreEnv } from "../credentials/credential-store";
import type { GrantProps } from "../credentials/grant-props";
import type { CredentialStatus } from "../credentials/credential";
import { annotateRequest, countRequest } from "../observability/log";
import { SERVER_INFO } from "../server-info";
import { checkAccessToken } from "../oauth/access-token";
import { resourceMetadataUrl } from "../oauth/challenges";

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
    protectedResourceMetadata: resourceMetadataUrl(base),
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
  const checked = await checkAccessToken(request, env.OAUTH_PROVIDER, config.publicUrl);
  if (!checked.ok) return checked;
  annotateRequest({ userId: checked.summary.userId, clientId: checked.summary.grant.clientId });
  return { ok: true, summary: checked.summary, props: checked.props };
}

function grantView(summary: TokenSummary) {
  return { id: summary.grantId, clientId: summary.grant.clientId, scope: summary.grant.scope, accessTokenExpiresAt: iso(summary.expiresAt * 1000) };
}

function credentialView(status: CredentialStatus | null) {
  if (!status) return null;
  return {
    method: status.method,
    instanceHost: status.instanceHost,
    // Which upstream MCP server an upstream grant is for (absent for Xano).
    ...(status.upstreamServer ? { upstreamServer: status.upstreamServer } : {}),
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
