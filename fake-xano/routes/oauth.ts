// Xano's own OAuth 2.1 server on the account origin (mechanism 1 in xano.md): RFC 8414 discovery,
// dynamic registration (answers 200, reads a `scopes` array), authorization code + PKCE S256 +
// state with an instance picked on the consent screen, rotating refresh tokens, revocation.
// Token-endpoint errors use Xano's envelope with the OAuth error code as the message, e.g.
// 401 {"code":"ERROR_CODE_UNAUTHORIZED","message":"invalid_grant","payload":""}.

import type { SeedOAuthClient } from "../../fixtures/seed";
import type { FakeCore, RequestContext } from "../context";
import { XanoError, errorResponse, inputError } from "../errors";
import type { RouteDef } from "../router";
import type { TokenRecord } from "../store";
import { randomToken, s256, signJwt } from "../tokens";
import { consentPage } from "./oauth-page";

export const SUPPORTED_SCOPES = ["offline_access", "workspace:read", "workspace:write", "xano:dev"];
export const ACCESS_TOKEN_TTL_S = 3600;
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3_600_000;
const CODE_TTL_MS = 10 * 60_000;

const invalidGrant = () => new XanoError(401, "ERROR_CODE_UNAUTHORIZED", "invalid_grant", "");
const invalidRequest = (param: string) => new XanoError(400, "ERROR_CODE_INPUT_ERROR", "invalid_request", { param });

function discovery(ctx: RequestContext) {
  const o = ctx.core.accountOrigin;
  return {
    issuer: o,
    authorization_endpoint: `${o}/oauth/authorize`,
    token_endpoint: `${o}/oauth/token`,
    registration_endpoint: `${o}/oauth/register`,
    revocation_endpoint: `${o}/oauth/revoke`,
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    scopes_supported: SUPPORTED_SCOPES,
  };
}

/** https anywhere, or http on loopback. Whether real Xano accepts any third-party https URI is [unverified]; the fake does. */
function acceptableRedirect(uri: unknown): boolean {
  if (typeof uri !== "string") return false;
  try {
    const u = new URL(uri);
    if (u.hash) return false;
    return u.protocol === "https:" || (u.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname));
  } catch {
    return false;
  }
}

async function register(ctx: RequestContext) {
  const body = await ctx.body();
  const uris = body.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0 || !uris.every(acceptableRedirect)) {
    throw inputError("redirect_uris must be a non-empty list of https (or loopback http) URIs.", "redirect_uris");
  }
  // Xano reads a `scopes` ARRAY; a standard `scope` string is ignored. Absent → every supported scope ([unverified]).
  const scopes = body.scopes === undefined ? SUPPORTED_SCOPES : body.scopes;
  if (!Array.isArray(scopes) || !scopes.every((s) => SUPPORTED_SCOPES.includes(s))) {
    throw inputError(`scopes must be a list drawn from ${SUPPORTED_SCOPES.join(" ")}.`, "scopes");
  }
  const client: SeedOAuthClient = {
    client_id: randomToken("xano_client", 12),
    client_name: typeof body.client_name === "string" ? body.client_name : "Unnamed client",
    redirect_uris: uris as string[],
    scopes: scopes as string[],
  };
  ctx.core.store.clients.set(client.client_id, client);
  return {
    ...client,
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
    client_id_issued_at: Math.floor(ctx.core.now() / 1000),
  };
}

interface AuthorizeRequest {
  client: SeedOAuthClient;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scopes: string[];
}

/**
 * Validates an authorization request. An unknown client or a redirect URI that is not an exact
 * match is answered here (400) and never redirected to (RFC 6749 §4.1.2.1); every other problem
 * goes back to the client's redirect URI as `error=…`.
 */
function readAuthorizeRequest(p: URLSearchParams, core: FakeCore): AuthorizeRequest | Response {
  const client = core.store.clients.get(p.get("client_id") ?? "");
  if (!client) return errorResponse(400, "ERROR_CODE_INPUT_ERROR", "invalid_client", { param: "client_id" });
  const redirectUri = p.get("redirect_uri") ?? "";
  if (!client.redirect_uris.includes(redirectUri)) {
    return errorResponse(400, "ERROR_CODE_INPUT_ERROR", "invalid_request", { param: "redirect_uri" });
  }
  const state = p.get("state") ?? "";
  const fail = (error: string, description: string) => redirectTo(redirectUri, { error, error_description: description, ...(state ? { state } : {}) });
  if (p.get("response_type") !== "code") return fail("unsupported_response_type", "response_type must be code");
  if (!state) return fail("invalid_request", "state is required");
  const codeChallenge = p.get("code_challenge") ?? "";
  if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) return fail("invalid_request", "code_challenge (S256) is required");
  if (p.get("code_challenge_method") !== "S256") return fail("invalid_request", "code_challenge_method must be S256");
  const requested = (p.get("scope") ?? "").split(" ").filter(Boolean);
  const scopes = requested.length ? requested : client.scopes;
  if (!scopes.every((s) => client.scopes.includes(s))) return fail("invalid_scope", "scope exceeds the client's registration");
  return { client, redirectUri, state, codeChallenge, scopes };
}

function redirectTo(base: string, params: Record<string, string>): Response {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return new Response(null, { status: 302, headers: { location: url.toString(), "cache-control": "no-store" } });
}

function renderConsent(ctx: RequestContext, req: AuthorizeRequest, status = 200, error?: string, email?: string): Response {
  const html = consentPage({
    clientName: req.client.client_name,
    hidden: {
      client_id: req.client.client_id, redirect_uri: req.redirectUri, response_type: "code", state: req.state,
      code_challenge: req.codeChallenge, code_challenge_method: "S256", scope: req.scopes.join(" "),
    },
    instances: ctx.core.store.instances.filter((i) => ctx.core.instanceOrigins[i.name]),
    email,
    error,
  });
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

function showConsent(ctx: RequestContext) {
  const req = readAuthorizeRequest(ctx.query, ctx.core);
  return req instanceof Response ? req : renderConsent(ctx, req);
}

async function submitConsent(ctx: RequestContext) {
  const form = await ctx.form();
  const req = readAuthorizeRequest(form, ctx.core);
  if (req instanceof Response) return req;
  if (form.get("decision") === "deny") return redirectTo(req.redirectUri, { error: "access_denied", state: req.state });
  const email = form.get("email") ?? "";
  const user = ctx.core.store.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
  if (!user || user.password !== form.get("password")) return renderConsent(ctx, req, 401, "Wrong email or password.", email);
  const instance = form.get("instance") ?? "";
  if (!user.instances.includes(instance) || !ctx.core.instanceOrigins[instance]) {
    return renderConsent(ctx, req, 403, "Your account cannot use that instance.", email);
  }
  const code = randomToken("xano_code");
  ctx.core.store.codes.set(code, {
    code, clientId: req.client.client_id, redirectUri: req.redirectUri, codeChallenge: req.codeChallenge, userId: user.id,
    instance, scopes: req.scopes, expiresAt: ctx.core.now() + CODE_TTL_MS, used: false, grantId: randomToken("grant", 8),
  });
  return redirectTo(req.redirectUri, { code, state: req.state });
}

interface Grant {
  userId: number;
  instance: string;
  scopes: string[];
  clientId: string;
  grantId: string;
}

async function issueTokens(core: FakeCore, grant: Grant) {
  const now = core.now();
  const aud = core.instanceOrigins[grant.instance];
  const accessToken = await signJwt({
    iss: core.accountOrigin, sub: String(grant.userId), aud, iat: Math.floor(now / 1000),
    exp: Math.floor(now / 1000) + ACCESS_TOKEN_TTL_S, scope: grant.scopes.join(" "), client_id: grant.clientId,
    jti: randomToken("jti", 8),
  });
  const base = { userId: grant.userId, scopes: grant.scopes, revoked: false, grantId: grant.grantId, clientId: grant.clientId };
  core.store.tokens.set(accessToken, { ...base, token: accessToken, kind: "oauth_access", aud, expiresAt: now + ACCESS_TOKEN_TTL_S * 1000 });
  const body: Record<string, unknown> = { access_token: accessToken, token_type: "Bearer", expires_in: ACCESS_TOKEN_TTL_S, scope: grant.scopes.join(" ") };
  // As usual in OAuth, a refresh token only comes with the offline_access scope.
  if (grant.scopes.includes("offline_access")) {
    const refreshToken = randomToken("xano_refresh");
    core.store.tokens.set(refreshToken, { ...base, token: refreshToken, kind: "oauth_refresh", instance: grant.instance, expiresAt: now + REFRESH_TOKEN_TTL_MS, spent: false });
    body.refresh_token = refreshToken;
  }
  return Response.json(body, { headers: { "cache-control": "no-store" } });
}

function revokeGrant(core: FakeCore, grantId: string) {
  for (const t of core.store.tokens.values()) if (t.grantId === grantId) t.revoked = true;
}

function required(form: URLSearchParams, name: string): string {
  const v = form.get(name);
  if (!v) throw invalidRequest(name);
  return v;
}

async function exchangeCode(core: FakeCore, form: URLSearchParams) {
  const code = core.store.codes.get(required(form, "code"));
  const clientId = required(form, "client_id");
  const redirectUri = required(form, "redirect_uri");
  const verifier = required(form, "code_verifier");
  if (!code || code.expiresAt <= core.now()) throw invalidGrant();
  if (code.used) {
    // A replayed code means it leaked: revoke what it produced (OAuth 2.1 §4.1.3).
    revokeGrant(core, code.grantId);
    throw invalidGrant();
  }
  // These checks come before the code is spent, so a request that fails them has no effect on the grant.
  if (code.clientId !== clientId || code.redirectUri !== redirectUri) throw invalidGrant();
  if ((await s256(verifier)) !== code.codeChallenge) throw invalidGrant();
  code.used = true;
  return issueTokens(core, { userId: code.userId, instance: code.instance, scopes: code.scopes, clientId, grantId: code.grantId });
}

async function rotateRefresh(core: FakeCore, form: URLSearchParams) {
  const record = core.store.tokens.get(required(form, "refresh_token"));
  const clientId = form.get("client_id");
  if (!record || record.kind !== "oauth_refresh" || record.revoked || record.spent) throw invalidGrant();
  if (record.expiresAt !== null && record.expiresAt <= core.now()) throw invalidGrant();
  if (clientId && clientId !== record.clientId) throw invalidGrant();
  // Rotation: the presented refresh token is spent before the new pair exists, so a lost
  // response leaves the client with a dead refresh token (what the failNext "after" knob models).
  record.spent = true;
  return issueTokens(core, { userId: record.userId, instance: record.instance!, scopes: record.scopes ?? [], clientId: record.clientId!, grantId: record.grantId! });
}

async function token(ctx: RequestContext) {
  const type = ctx.request.headers.get("content-type") ?? "";
  if (!type.includes("application/x-www-form-urlencoded")) {
    throw new XanoError(400, "ERROR_CODE_INPUT_ERROR", "invalid_request", { param: "content-type" });
  }
  const form = await ctx.form();
  switch (form.get("grant_type")) {
    case "authorization_code": return exchangeCode(ctx.core, form);
    case "refresh_token": return rotateRefresh(ctx.core, form);
    default: throw new XanoError(400, "ERROR_CODE_INPUT_ERROR", "unsupported_grant_type", { param: "grant_type" });
  }
}

/** RFC 7009: always 200, even for unknown tokens; revoking a refresh token also ends its grant's access tokens. */
async function revoke(ctx: RequestContext) {
  const form = await ctx.form();
  const record: TokenRecord | undefined = ctx.core.store.tokens.get(required(form, "token"));
  if (record?.kind === "oauth_refresh") revokeGrant(ctx.core, record.grantId!);
  else if (record?.kind === "oauth_access") record.revoked = true;
  return {};
}

export const oauthRoutes: RouteDef[] = [
  { surface: "account", method: "GET", path: "/.well-known/oauth-authorization-server", auth: "none", handle: discovery },
  { surface: "account", method: "POST", path: "/oauth/register", auth: "none", handle: register },
  { surface: "account", method: "GET", path: "/oauth/authorize", auth: "none", handle: showConsent },
  { surface: "account", method: "POST", path: "/oauth/authorize", auth: "none", handle: submitConsent },
  { surface: "account", method: "POST", path: "/oauth/token", auth: "none", handle: token },
  { surface: "account", method: "POST", path: "/oauth/revoke", auth: "none", handle: revoke },
];

