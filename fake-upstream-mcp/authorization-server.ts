// The fake upstream MCP server's own OAuth 2.1 authorization server: what an upstream with "its own
// OAuth whose tokens expire" looks like (issue 17). One `(Request) => Promise<Response>` handler:
//   RFC 9728 protected-resource metadata (path-suffixed and root), RFC 8414 metadata, RFC 7591
//   dynamic registration, /authorize (deterministic: the demo user comes from a `user` query or
//   form field and is approved at once; without one, a form to pick one), /token with
//   authorization_code (PKCE S256 checked, `resource` checked) and refresh_token (rotating: the
//   old refresh token is spent, and presenting a spent one is invalid_grant), RFC 7009 /revoke.
// Knobs drive the lifecycle by hand or from tests: the access-token lifetime, expiring every token,
// killing a refresh token, one 503 on the token endpoint (also over HTTP: POST /__admin/<knob>, GET
// /__admin/counters); counters say what happened.
// The MCP server asks `tokenOwner(accessToken)` which demo user a bearer belongs to (null: 401).
// Web Crypto and Request/Response only, so it runs in workerd (tests) and Node (dev).

import { randomToken, s256 } from "../fake-xano/tokens";

export interface FakeAuthorizationServerOptions {
  /** This server's origin (the issuer; no trailing slash). */
  issuer: string;
  /** The MCP endpoint the tokens are for (RFC 8707 resource; its path gives the RFC 9728 path). */
  resource: string;
  /** Demo users who may sign in. */
  users?: string[];
  /** Access-token lifetime in seconds (default 3600). */
  accessTokenLifetimeSeconds?: number;
  /** Advertise `client_id_metadata_document_supported` (default false: clients register dynamically). */
  clientIdMetadataDocuments?: boolean;
  /** Pre-registered clients (a "configured client id"): id → secret (null for a public client). */
  clients?: Record<string, string | null>;
}

interface Client {
  secret: string | null;
  redirectUris: string[];
}
interface Code {
  user: string;
  clientId: string;
  redirectUri: string;
  challenge: string;
  resource: string;
  expiresAt: number;
}
interface Token {
  user: string;
  clientId: string;
  expiresAt: number;
}
interface RefreshToken {
  user: string;
  clientId: string;
  /** Rotated away (spent), killed by a knob, or revoked: all read as invalid_grant. */
  state: "live" | "spent" | "killed";
}

export type FakeAuthorizationServer = ReturnType<typeof createFakeAuthorizationServer>;

export function createFakeAuthorizationServer(options: FakeAuthorizationServerOptions) {
  const issuer = options.issuer.replace(/\/+$/, "");
  const users = options.users ?? ["alice", "bob"];
  const resourcePath = new URL(options.resource).pathname.replace(/\/+$/, "");
  let lifetimeSeconds = options.accessTokenLifetimeSeconds ?? 3600;
  const clients = new Map<string, Client>();
  const codes = new Map<string, Code>();
  const accessTokens = new Map<string, Token>();
  const refreshTokens = new Map<string, RefreshToken>();
  let failNextToken: { status: number; retryAfterSeconds: number } | null = null;
  const counters = { registrations: 0, authorizations: 0, codeExchanges: 0, refreshes: 0, refreshesRefused: 0, tokenRequests: 0, revocations: 0 };

  function reset() {
    clients.clear();
    for (const [id, secret] of Object.entries(options.clients ?? {})) clients.set(id, { secret, redirectUris: [] });
    codes.clear();
    accessTokens.clear();
    refreshTokens.clear();
    failNextToken = null;
    lifetimeSeconds = options.accessTokenLifetimeSeconds ?? 3600;
    for (const key of Object.keys(counters) as (keyof typeof counters)[]) counters[key] = 0;
  }
  reset();

  const protectedResourceMetadata = () => ({ resource: options.resource, authorization_servers: [issuer], bearer_methods_supported: ["header"], scopes_supported: ["mcp"] });
  const authorizationServerMetadata = () => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/register`,
    revocation_endpoint: `${issuer}/revoke`,
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["none", "client_secret_basic", "client_secret_post"],
    scopes_supported: ["mcp"],
    authorization_response_iss_parameter_supported: true,
    ...(options.clientIdMetadataDocuments ? { client_id_metadata_document_supported: true } : {}),
  });

  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
  const oauthError = (error: string, description: string, status = 400) => json({ error, error_description: description }, status);

  function issueTokens(user: string, clientId: string) {
    const accessToken = randomToken("upstream_access");
    const refreshToken = randomToken("upstream_refresh");
    accessTokens.set(accessToken, { user, clientId, expiresAt: Date.now() + lifetimeSeconds * 1000 });
    refreshTokens.set(refreshToken, { user, clientId, state: "live" });
    return json({ access_token: accessToken, token_type: "Bearer", expires_in: lifetimeSeconds, refresh_token: refreshToken, scope: "mcp" });
  }

  /** The client a token or revocation request authenticates as (secret by Basic header or form), or null. */
  function authenticateClient(request: Request, form: URLSearchParams): string | null {
    let id = form.get("client_id");
    let secret = form.get("client_secret");
    const basic = /^Basic (.+)$/i.exec(request.headers.get("Authorization") ?? "");
    if (basic) {
      const [rawId, rawSecret] = atob(basic[1]).split(":");
      const decode = (value: string) => decodeURIComponent(value.replace(/\+/g, " "));
      [id, secret] = [decode(rawId ?? ""), decode(rawSecret ?? "")];
    }
    const client = id === null ? undefined : clients.get(id);
    if (!client || (client.secret !== null && client.secret !== secret)) return null;
    return id;
  }

  async function register(request: Request): Promise<Response> {
    const body = (await request.json().catch(() => null)) as { redirect_uris?: unknown; token_endpoint_auth_method?: unknown } | null;
    const uris = body?.redirect_uris;
    if (!Array.isArray(uris) || uris.length === 0 || !uris.every((u) => typeof u === "string" && /^(https:|http:\/\/(localhost|127\.0\.0\.1)[:/])/.test(u))) {
      return oauthError("invalid_redirect_uri", "redirect_uris must be https (or loopback http) URLs");
    }
    const clientId = randomToken("upstream_client", 8);
    const secret = body?.token_endpoint_auth_method === "none" ? null : randomToken("upstream_secret");
    clients.set(clientId, { secret, redirectUris: uris as string[] });
    counters.registrations++;
    return json({ client_id: clientId, ...(secret ? { client_secret: secret } : {}), redirect_uris: uris, token_endpoint_auth_method: secret ? "client_secret_basic" : "none" }, 201);
  }

  async function authorize(request: Request): Promise<Response> {
    const params = request.method === "POST" ? new URLSearchParams(await request.text()) : new URL(request.url).searchParams;
    const clientId = params.get("client_id") ?? "";
    const redirectUri = params.get("redirect_uri") ?? "";
    const client = clients.get(clientId);
    // Errors before the redirect URI is trusted are shown here, never redirected (RFC 6749 §4.1.2.1).
    if (!client) return new Response("unknown client_id", { status: 400 });
    if (client.redirectUris.length > 0 && !client.redirectUris.includes(redirectUri)) return new Response("redirect_uri not registered", { status: 400 });
    const back = (fields: Record<string, string>) => {
      const target = new URL(redirectUri);
      for (const [k, v] of Object.entries({ ...fields, state: params.get("state") ?? "", iss: issuer })) target.searchParams.set(k, v);
      return new Response(null, { status: 302, headers: { Location: target.href } });
    };
    if (params.get("response_type") !== "code") return back({ error: "unsupported_response_type" });
    if (params.get("code_challenge_method") !== "S256" || !params.get("code_challenge")) return back({ error: "invalid_request", error_description: "PKCE S256 is required" });
    if (params.get("resource") !== options.resource) return back({ error: "invalid_target", error_description: "resource must be the MCP endpoint" });
    const user = params.get("user");
    if (!user) return pickUserPage(params);
    if (!users.includes(user)) return back({ error: "access_denied", error_description: "no such demo user" });
    const code = randomToken("upstream_code");
    codes.set(code, { user, clientId, redirectUri, challenge: params.get("code_challenge")!, resource: options.resource, expiresAt: Date.now() + 600_000 });
    counters.authorizations++;
    return back({ code });
  }

  function pickUserPage(params: URLSearchParams): Response {
    const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const hidden = [...params].map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`).join("");
    const buttons = users.map((u) => `<button name="user" value="${escape(u)}">Sign in as ${escape(u)}</button>`).join(" ");
    const page = `<!doctype html><title>Fake upstream sign-in</title><h1>Fake upstream MCP server</h1><form method="post" action="${issuer}/authorize">${hidden}${buttons}</form>`;
    return new Response(page, { headers: { "Content-Type": "text/html; charset=utf-8" } });
  }

  async function token(request: Request): Promise<Response> {
    counters.tokenRequests++;
    if (failNextToken) {
      const { status, retryAfterSeconds } = failNextToken;
      failNextToken = null;
      return json({ error: "temporarily_unavailable" }, status, { "Retry-After": String(retryAfterSeconds) });
    }
    const form = new URLSearchParams(await request.text());
    const clientId = authenticateClient(request, form);
    if (!clientId) return oauthError("invalid_client", "unknown client or wrong secret", 401);
    const resource = form.get("resource");
    if (resource !== null && resource !== options.resource) return oauthError("invalid_target", "resource must be the MCP endpoint");
    if (form.get("grant_type") === "authorization_code") {
      const code = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      if (!code || code.expiresAt < Date.now() || code.clientId !== clientId || code.redirectUri !== form.get("redirect_uri")) return oauthError("invalid_grant", "unknown, used or mismatched code");
      if ((await s256(form.get("code_verifier") ?? "")) !== code.challenge) return oauthError("invalid_grant", "PKCE verification failed");
      counters.codeExchanges++;
      return issueTokens(code.user, clientId);
    }
    if (form.get("grant_type") === "refresh_token") {
      const presented = form.get("refresh_token") ?? "";
      const record = refreshTokens.get(presented);
      if (!record || record.state !== "live" || record.clientId !== clientId) {
        counters.refreshesRefused++;
        return oauthError("invalid_grant", "the refresh token is spent, revoked or unknown");
      }
      record.state = "spent"; // rotation: this token never works again
      counters.refreshes++;
      return issueTokens(record.user, clientId);
    }
    return oauthError("unsupported_grant_type", "authorization_code or refresh_token");
  }

  async function revoke(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    if (!authenticateClient(request, form)) return oauthError("invalid_client", "unknown client or wrong secret", 401);
    const presented = form.get("token") ?? "";
    const refresh = refreshTokens.get(presented);
    if (refresh) refresh.state = "killed";
    accessTokens.delete(presented);
    counters.revocations++;
    return new Response(null, { status: 200 });
  }

  /** The knobs over HTTP, for driving the lifecycle by hand (curl) when the fake runs in `npm run dev`. */
  async function admin(request: Request, knob: string): Promise<Response> {
    if (request.method === "GET" && knob === "counters") return json(counters);
    if (request.method !== "POST") return new Response("POST a knob", { status: 405 });
    const body = ((await request.json().catch(() => ({}))) ?? {}) as { seconds?: number; user?: string; token?: string; status?: number; retryAfterSeconds?: number };
    if (knob === "setAccessTokenLifetime" && typeof body.seconds === "number") knobs.setAccessTokenLifetime(body.seconds);
    else if (knob === "expireAllTokens") knobs.expireAllTokens();
    else if (knob === "killRefreshToken" && (body.user || body.token)) knobs.killRefreshToken(body.token ? { token: body.token } : { user: body.user! });
    else if (knob === "failNextTokenRequest") knobs.failNextTokenRequest(body.status, body.retryAfterSeconds);
    else if (knob === "reset") reset();
    else return new Response("unknown knob or missing field", { status: 400 });
    return json({ ok: true });
  }

  const knobs = {
    setAccessTokenLifetime(seconds: number) {
      lifetimeSeconds = seconds;
    },
    /** Every access token issued so far stops working (refresh tokens still do). */
    expireAllTokens() {
      for (const record of accessTokens.values()) record.expiresAt = Date.now() - 1;
    },
    /** Kills one refresh token, or every live one of `user`: the next refresh with it is invalid_grant. */
    killRefreshToken(target: { token: string } | { user: string }) {
      for (const [value, record] of refreshTokens) {
        if ("token" in target ? value === target.token : record.user === target.user) record.state = "killed";
      }
    },
    /** The next token request is answered `status` (503 by default) with Retry-After, before anything is done. */
    failNextTokenRequest(status = 503, retryAfterSeconds = 7) {
      failNextToken = { status, retryAfterSeconds };
    },
  };

  async function fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    const route = `${request.method} ${pathname}`;
    if (pathname.startsWith("/__admin/")) return admin(request, pathname.slice("/__admin/".length));
    if (request.method === "GET" && (pathname === `/.well-known/oauth-protected-resource${resourcePath}` || pathname === "/.well-known/oauth-protected-resource")) return json(protectedResourceMetadata());
    if (request.method === "GET" && pathname === "/.well-known/oauth-authorization-server") return json(authorizationServerMetadata());
    if (route === "POST /register") return register(request);
    if (route === "GET /authorize" || route === "POST /authorize") return authorize(request);
    if (route === "POST /token") return token(request);
    if (route === "POST /revoke") return revoke(request);
    return new Response("not found", { status: 404 });
  }

  return {
    fetch,
    issuer,
    counters,
    reset,
    /** The demo user a live access token belongs to, or null (unknown, expired or revoked): the MCP server's 401. */
    tokenOwner(accessToken: string): string | null {
      const record = accessTokens.get(accessToken);
      return record && record.expiresAt > Date.now() ? record.user : null;
    },
    /** The 401 an MCP endpoint answers without a valid token, pointing at its protected-resource metadata (RFC 9728 §5.1). */
    challenge(): Response {
      const metadata = `${new URL(options.resource).origin}/.well-known/oauth-protected-resource${resourcePath}`;
      return new Response(JSON.stringify({ error: "invalid_token" }), { status: 401, headers: { "Content-Type": "application/json", "WWW-Authenticate": `Bearer resource_metadata="${metadata}", scope="mcp"` } });
    },
    knobs,
    /** Whether a refresh token was rotated away (spent) — what tests check "never resent" against. */
    refreshTokenState(value: string): RefreshToken["state"] | "unknown" {
      return refreshTokens.get(value)?.state ?? "unknown";
    },
  };
}
