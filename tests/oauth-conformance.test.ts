/**
 * Conformance of the front door with the MCP authorization spec, per revision, black-box over HTTP
 * (in the style of workers-oauth-provider's own conformance suite). Every case names the spec line
 * or RFC section it checks; the requests are what a client of that revision sends (2025-03-26:
 * no RFC 8707 `resource`, no MCP-Protocol-Version; 2026-07-28: stateless requests with the `_meta`
 * envelope). The sign-in and consent pages are walked like a person would (tests/harness). It reads
 * no storage: lifetimes only KV's expiry enforces (the code's 10 minutes, a registration's 30 days)
 * cannot be waited for over HTTP and are checked against OAUTH_KV in tests/oauth-front-door.test.ts.
 *
 * On the path-suffixed protected resource metadata (…/oauth-protected-resource/mcp answering 404):
 * RFC 9728 §3.3 says the `resource` in a document fetched from a well-known URL MUST be identical to
 * the resource identifier that URL was built from, and a client MUST NOT use it otherwise. Our
 * resource (every token's audience) is the bare origin, because /mcp and /sse must both sit under it
 * (workers-oauth-provider binds every token to one resource). A document at …/resource/mcp would
 * have to say `resource: <origin>/mcp`, a resource no token is for (a token request naming it is
 * mapped to the origin, src/front-door/toolsets-through-sign-in.ts). The MCP spec's discovery order (2025-06-18 "Authorization Server
 * Location"; 2025-11-25 "Protected Resource Metadata Discovery Requirements") is: the
 * WWW-Authenticate `resource_metadata` URL first, then the path-suffixed well-known URL, then the
 * root one. A 404 on the path URL is exactly the signal for the fallback, so the suite expects 404
 * there and checks that the header and the root both lead to the same correct document.
 */
import { SELF } from "cloudflare:test";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { ORIGIN, TestBrowser, parseForms } from "./harness/browser";
import { useFakeXano } from "./harness/fake-xano-network";
import { authorizeInBrowser } from "./harness/mcp-client";
import {
  ALICE,
  REDIRECT,
  REVISIONS,
  authorizeUrl,
  codeExchange,
  expectErrorRedirect,
  firstMcpRequest,
  jsonRpcOf,
  pkcePair,
  refresh,
  register,
  resourceParam,
  signedInCode,
  tokenEndpoint,
  tokensFor,
  toolsListRequest,
} from "./harness/oauth-flow";

/** A client that identifies itself by a Client ID Metadata Document (served on the test network). */
const CIMD_CLIENT_ID = "https://desktop-client.example/oauth/client-metadata.json";
const CIMD_DOCUMENT = {
  client_id: CIMD_CLIENT_ID,
  client_name: "Metadata Document Client",
  client_uri: "https://desktop-client.example",
  redirect_uris: [REDIRECT],
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
  token_endpoint_auth_method: "none",
};
/** Documents that must be refused: one naming another client_id, one over the 5 KB limit, one with a secret. */
const BAD_CIMD = {
  "names another client": { ...CIMD_DOCUMENT, client_id: "https://desktop-client.example/other.json" },
  "is over 5 KB": { ...CIMD_DOCUMENT, client_name: "x".repeat(6000) },
  "embeds a client secret": { ...CIMD_DOCUMENT, client_secret: "s3cret", token_endpoint_auth_method: "client_secret_post" },
};
const badCimdUrl = (name: string) => `https://desktop-client.example/bad/${encodeURIComponent(name)}.json`;
useFakeXano([
  http.get(CIMD_CLIENT_ID, () => HttpResponse.json(CIMD_DOCUMENT, { headers: { "Cache-Control": "no-store" } })),
  ...Object.entries(BAD_CIMD).map(([name, document]) => http.get(badCimdUrl(name), () => HttpResponse.json({ ...document, client_id: document.client_id === CIMD_CLIENT_ID ? badCimdUrl(name) : document.client_id }, { headers: { "Cache-Control": "no-store" } }))),
]);

const PRM_ROOT = `${ORIGIN}/.well-known/oauth-protected-resource`;
const AS_METADATA = `${ORIGIN}/.well-known/oauth-authorization-server`;

async function json(url: string) {
  const response = await SELF.fetch(url);
  expect(response.status, url).toBe(200);
  return (await response.json()) as Record<string, any>;
}

describe.each(REVISIONS)("MCP $version", (revision) => {
  const resource = resourceParam(revision);
  const flowOptions = { authorize: resource };

  describe("resource server", () => {
    it("RFC 6750 §3 / MCP authorization ('Access Token Usage'): no token → 401 with a Bearer challenge naming resource_metadata (RFC 9728 §5.1)", async () => {
      const response = await SELF.fetch(firstMcpRequest(revision));
      expect(response.status).toBe(401);
      const challenge = response.headers.get("WWW-Authenticate") ?? "";
      expect(challenge).toMatch(/^Bearer /);
      expect(challenge).toContain(`resource_metadata="${PRM_ROOT}"`);
      // 2026-07-28 "Scope Selection": offline_access never appears in a resource's challenge.
      expect(challenge).not.toContain("offline_access");
    });

    it("RFC 9728 §3.3: the document the challenge names carries the identical resource, which covers the MCP endpoint", async () => {
      const response = await SELF.fetch(firstMcpRequest(revision));
      const url = /resource_metadata="([^"]+)"/.exec(response.headers.get("WWW-Authenticate") ?? "")![1];
      const metadata = await json(url);
      expect(metadata.resource).toBe(ORIGIN);
      expect(metadata.authorization_servers).toEqual([ORIGIN]);
      expect(metadata.bearer_methods_supported).toEqual(["header"]);
      expect(metadata.scopes_supported ?? []).not.toContain("offline_access");
      // The MCP endpoint the client dialled is the resource or under it (RFC 8707 §2, MCP "Canonical Server URI").
      expect(`${ORIGIN}/mcp`.startsWith(metadata.resource)).toBe(true);
    });

    it("RFC 9728 §3.1 root well-known URL: found without the header too", async () => {
      expect(await json(PRM_ROOT)).toMatchObject({ resource: ORIGIN, authorization_servers: [ORIGIN] });
    });

    it.each(["/mcp", "/sse"])("RFC 9728 §3.3 path-suffixed URL for %s: 404 (a document there would have to name another resource), so clients fall back to the root", async (path) => {
      const response = await SELF.fetch(`${PRM_ROOT}${path}`);
      expect(response.status).toBe(404);
    });

    it("MCP transports: a valid token is served in this revision's wire format", async () => {
      const { accessToken } = await tokensFor(flowOptions);
      const response = await SELF.fetch(firstMcpRequest(revision, { accessToken }));
      expect(response.status).toBe(200);
      const message = await jsonRpcOf(response);
      if (revision.stateless) expect(message.result.tools.length).toBeGreaterThan(0);
      else expect(message.result.protocolVersion).toBe(revision.version);

      const next = await SELF.fetch(toolsListRequest(revision, accessToken));
      expect(next.status).toBe(200);
      expect((await jsonRpcOf(next)).result.tools.map((t: { name: string }) => t.name)).toContain("xano_list_tables");
    });

    it.runIf(revision.sendsVersionHeader)("MCP transports 'Protocol Version Header': an unsupported MCP-Protocol-Version gets 400", async () => {
      const { accessToken } = await tokensFor(flowOptions);
      const response = await SELF.fetch(toolsListRequest(revision, accessToken, { "MCP-Protocol-Version": "1999-01-01" }));
      expect(response.status).toBe(400);
    });

    it("MCP transports 'Security Warning' (DNS rebinding): a foreign Origin gets 403 on /mcp; none or our own origin is served", async () => {
      const { accessToken } = await tokensFor(flowOptions);
      const foreign = await SELF.fetch(toolsListRequest(revision, accessToken, { Origin: "https://evil.example" }));
      expect(foreign.status).toBe(403);
      const own = await SELF.fetch(toolsListRequest(revision, accessToken, { Origin: ORIGIN }));
      expect(own.status).toBe(200);
    });

    it("MCP transports 'Security Warning' (DNS rebinding): a foreign Origin gets 403 on /sse and /sse/message", async () => {
      const { accessToken } = await tokensFor(flowOptions);
      const auth = { Authorization: `Bearer ${accessToken}`, Host: new URL(ORIGIN).host };
      const stream = await SELF.fetch(`${ORIGIN}/sse`, { headers: { ...auth, Accept: "text/event-stream", Origin: "https://evil.example" } });
      expect(stream.status).toBe(403);
      const message = await SELF.fetch(`${ORIGIN}/sse/message?sessionId=anything`, {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json", Origin: "http://localhost:9999" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
      });
      expect(message.status).toBe(403);
      const own = await SELF.fetch(`${ORIGIN}/sse`, { headers: { ...auth, Accept: "text/event-stream", Origin: ORIGIN } });
      expect(own.status).toBe(200);
      await own.body?.cancel();
    });
  });

  describe("authorization server metadata", () => {
    it(`RFC 8414 §3 at the origin's well-known URL${revision.usesResourceMetadata ? "" : " (2025-03-26 'Server Metadata Discovery': straight from the MCP server's origin)"}; §3.3 issuer identical to the origin, no trailing slash`, async () => {
      const metadata = await json(AS_METADATA);
      expect(metadata.issuer).toBe(ORIGIN);
      expect(metadata).toMatchObject({
        authorization_endpoint: `${ORIGIN}/authorize`,
        token_endpoint: `${ORIGIN}/oauth/token`,
        registration_endpoint: `${ORIGIN}/oauth/register`,
        response_types_supported: ["code"],
      });
      expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token"]));
      expect(metadata.revocation_endpoint).toEqual(expect.stringMatching(new RegExp(`^${ORIGIN}/`)));
    });

    it("OAuth 2.1 §4.1.1 / MCP 'Authorization Code Protection': code_challenge_methods_supported is exactly S256", async () => {
      expect((await json(AS_METADATA)).code_challenge_methods_supported).toEqual(["S256"]);
    });

    it("RFC 9207 §3: authorization_response_iss_parameter_supported is advertised", async () => {
      expect((await json(AS_METADATA)).authorization_response_iss_parameter_supported).toBe(true);
    });

    it("MCP 2025-11-25 'Client ID Metadata Documents': client_id_metadata_document_supported beside a registration_endpoint", async () => {
      const metadata = await json(AS_METADATA);
      expect(metadata.client_id_metadata_document_supported).toBe(true);
      expect(metadata.registration_endpoint).toBe(`${ORIGIN}/oauth/register`);
    });
  });

  describe("authorization endpoint", () => {
    it("RFC 9207 §2: a successful authorization response carries iss = issuer, beside code and state (OAuth 2.1 §4.1.2)", async () => {
      const { redirect } = await signedInCode(flowOptions);
      expect(redirect.origin + redirect.pathname).toBe(REDIRECT);
      expect(redirect.searchParams.get("iss")).toBe(ORIGIN);
      expect(redirect.searchParams.get("state")).toBe("conformance-state");
      expect(redirect.searchParams.get("code")).toBeTruthy();
    });

    it("RFC 9207 §2: an error response (the person denies) carries iss too", async () => {
      const { client } = await register();
      const { challenge } = await pkcePair();
      const browser = new TestBrowser();
      const signIn = await browser.fetch(authorizeUrl(client.client_id, challenge, resource).toString());
      const form = parseForms(await signIn.text()).find((f) => f.fields.method === "metadata_token")!;
      const consent = await browser.submit(form, { instance_url: (ALICE as { instanceUrl: string }).instanceUrl, token: (ALICE as { token: string }).token });
      const [consentForm] = parseForms(await consent.text());
      const denied = await browser.submit(consentForm, {}, { name: "decision", value: "deny" });
      const location = new URL(denied.headers.get("Location")!);
      expect(location.searchParams.get("error")).toBe("access_denied");
      expect(location.searchParams.get("iss")).toBe(ORIGIN);
    });

    it("OAuth 2.1 §4.1.1 / RFC 7636 §4.2: code_challenge_method=plain is refused", async () => {
      const { client } = await register();
      const response = await new TestBrowser().fetch(authorizeUrl(client.client_id, "a".repeat(43), { ...resource, code_challenge_method: "plain" }).toString());
      expectErrorRedirect(response, "invalid_request");
    });

    it.each([
      ["another path", "http://localhost:3000/callback/other"],
      ["an added query", "http://localhost:3000/callback?next=x"],
      ["another host", "http://127.0.0.2:3000/callback"],
      ["https instead of http", "https://localhost:3000/callback"],
    ])("OAuth 2.1 §4.1.1 / RFC 9700 §4.1.3 exact redirect matching: %s is refused without redirecting", async (_, redirectUri) => {
      const { client } = await register();
      const { challenge } = await pkcePair();
      const response = await new TestBrowser().fetch(authorizeUrl(client.client_id, challenge, { ...resource, redirect_uri: redirectUri }).toString());
      expect(response.status).toBe(400);
      expect(response.headers.get("Location")).toBeNull();
    });

    it("RFC 8252 §7.3: a loopback IP redirect may use any port", async () => {
      const registered = "http://127.0.0.1/callback";
      const { client } = await register({ redirect_uris: [registered] });
      const { challenge } = await pkcePair();
      const response = await new TestBrowser().fetch(authorizeUrl(client.client_id, challenge, { ...resource, redirect_uri: "http://127.0.0.1:51734/callback" }).toString());
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('name="step" value="sign-in"');
    });

    it("RFC 8252 §7.1 private-use URI scheme redirects for desktop apps (Cursor, reverse-domain schemes)", async () => {
      for (const redirectUri of ["cursor://anysphere.cursor-mcp/oauth/callback", "com.example.desktop:/oauth/callback"]) {
        const { response, client } = await register({ redirect_uris: [redirectUri] });
        expect(response.status, JSON.stringify(client)).toBe(201);
        const { verifier, challenge } = await pkcePair();
        const { code, redirect } = await authorizeInBrowser(new TestBrowser(), authorizeUrl(client.client_id, challenge, { ...resource, redirect_uri: redirectUri }), ALICE);
        expect(redirect.toString().startsWith(`${redirectUri}?`)).toBe(true);
        const exchanged = await codeExchange({ clientId: client.client_id, verifier, code }, { ...resource, redirect_uri: redirectUri });
        expect(exchanged.response.status).toBe(200);
      }
    });
  });

  describe("token endpoint", () => {
    it("OAuth 2.1 §4.1.3 / §3.2.3: the code exchange answers bearer tokens with Cache-Control: no-store; RFC 8707 audience is this server", async () => {
      const flow = await signedInCode(flowOptions);
      const { response, body } = await codeExchange(flow, resource);
      expect(response.status).toBe(200);
      expect(response.headers.get("Cache-Control")).toContain("no-store");
      expect(body).toMatchObject({ token_type: "bearer", access_token: expect.any(String), refresh_token: expect.any(String), expires_in: expect.any(Number) });
      if (body.resource !== undefined) expect(body.resource).toBe(ORIGIN);
    });

    it("OAuth 2.1 §4.1.2 / §4.1.3: a code is single-use, and its replay revokes the tokens it gave", async () => {
      const flow = await signedInCode(flowOptions);
      const first = await codeExchange(flow, resource);
      expect(first.response.status).toBe(200);
      expect((await SELF.fetch(toolsListRequest(revision, first.body.access_token))).status).toBe(200);
      const replay = await codeExchange(flow, resource);
      expect(replay.response.status).toBe(400);
      expect(replay.body.error).toBe("invalid_grant");
      expect((await SELF.fetch(toolsListRequest(revision, first.body.access_token))).status).toBe(401);
    });

    it("OAuth 2.1 §4.3.1 / MCP 'Token Handling': refresh tokens rotate for public clients; a spent one is refused", async () => {
      const { clientId, refreshToken: first } = await tokensFor(flowOptions);
      const second = await refresh(clientId, first);
      expect(second.response.status).toBe(200);
      expect(second.body.refresh_token).toEqual(expect.any(String));
      expect(second.body.refresh_token).not.toBe(first);
      expect((await SELF.fetch(toolsListRequest(revision, second.body.access_token))).status).toBe(200);
      const third = await refresh(clientId, second.body.refresh_token);
      expect(third.response.status).toBe(200);
      const spent = await refresh(clientId, first);
      expect(spent.response.status).toBe(400);
      expect(spent.body.error).toBe("invalid_grant");
    });

    it("RFC 7009 §2.1: revoking the access token ends it at the MCP endpoint", async () => {
      const { clientId, accessToken } = await tokensFor(flowOptions);
      const metadata = await json(AS_METADATA);
      const revoked = await tokenEndpoint({ token: accessToken, token_type_hint: "access_token", client_id: clientId }, new URL(metadata.revocation_endpoint).pathname);
      expect(revoked.response.status).toBe(200);
      expect((await SELF.fetch(toolsListRequest(revision, accessToken))).status).toBe(401);
    });

    it("RFC 7009 §2.1: revoking the refresh token ends the grant; §2.2: an unknown token is still 200", async () => {
      const { clientId, refreshToken, accessToken } = await tokensFor(flowOptions);
      const path = new URL((await json(AS_METADATA)).revocation_endpoint).pathname;
      expect((await tokenEndpoint({ token: refreshToken, token_type_hint: "refresh_token", client_id: clientId }, path)).response.status).toBe(200);
      expect((await refresh(clientId, refreshToken)).body.error).toBe("invalid_grant");
      expect((await SELF.fetch(toolsListRequest(revision, accessToken))).status).toBe(401);
      expect((await tokenEndpoint({ token: "no-such-token", client_id: clientId }, path)).response.status).toBe(200);
    });
  });

  describe("client registration", () => {
    it("RFC 7591 §3.2.1: a public client is registered without a secret and can start an authorization at once", async () => {
      const { response, client } = await register();
      expect(response.status).toBe(201);
      expect(client).toMatchObject({ client_id: expect.any(String), redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" });
      expect(client.client_secret).toBeUndefined();
      const { challenge } = await pkcePair();
      const signIn = await new TestBrowser().fetch(authorizeUrl(client.client_id, challenge, resource).toString());
      expect(signIn.status).toBe(200);
      expect(parseForms(await signIn.text()).some((f) => f.fields.step === "sign-in")).toBe(true);
    });

    it.runIf(revision.version >= "2025-11-25")("MCP 'Client ID Metadata Documents': a client identified by its metadata URL signs in and gets tokens, with no registration", async () => {
      const { verifier, challenge } = await pkcePair();
      const browser = new TestBrowser();
      const url = authorizeUrl(CIMD_CLIENT_ID, challenge, resource);
      const first = await browser.fetch(url.toString());
      expect(first.status).toBe(200);
      expect(await first.text()).toContain("Metadata Document Client");
      const { code } = await authorizeInBrowser(browser, url, ALICE);
      const exchanged = await codeExchange({ clientId: CIMD_CLIENT_ID, verifier, code }, resource);
      expect(exchanged.response.status, JSON.stringify(exchanged.body)).toBe(200);
      expect((await SELF.fetch(toolsListRequest(revision, exchanged.body.access_token))).status).toBe(200);
    });
  });

  describe.runIf(revision.version >= "2025-11-25")("Client ID Metadata Document validation (draft-ietf-oauth-client-id-metadata-document-00 §4)", () => {
    it.each(Object.keys(BAD_CIMD))("a document that %s is refused with a page, never a sign-in form or a redirect", async (name) => {
      const { challenge } = await pkcePair();
      const response = await new TestBrowser().fetch(authorizeUrl(badCimdUrl(name), challenge, resource).toString());
      expect(response.status).toBe(400);
      expect(response.headers.get("Location")).toBeNull();
      expect(await response.text()).not.toContain('name="step" value="sign-in"');
    });
  });

  describe("CORS (browser clients: MCP Inspector direct mode, vscode.dev)", () => {
    const browserOrigin = "https://inspector.example";

    it.each([
      ["authorization server metadata", "/.well-known/oauth-authorization-server", "GET"],
      ["protected resource metadata", "/.well-known/oauth-protected-resource", "GET"],
      ["token endpoint", "/oauth/token", "POST"],
      ["registration endpoint", "/oauth/register", "POST"],
      ["MCP endpoint", "/mcp", "POST"],
    ])("Fetch standard CORS preflight succeeds on the %s", async (_, path, method) => {
      const response = await SELF.fetch(`${ORIGIN}${path}`, {
        method: "OPTIONS",
        headers: { Origin: browserOrigin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": "authorization, content-type, mcp-protocol-version" },
      });
      expect(response.status).toBeLessThan(300);
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe(browserOrigin);
    });

    it("RFC 9728 §5.1 needs the challenge readable: the 401 exposes WWW-Authenticate to the page", async () => {
      const response = await SELF.fetch(firstMcpRequest(revision, { headers: { Origin: browserOrigin } }));
      expect(response.status).toBe(401);
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe(browserOrigin);
      expect(response.headers.get("Access-Control-Expose-Headers") ?? "").toMatch(/WWW-Authenticate/i);
    });

    it("MCP security best practices: no CORS on /authorize (the consent page is never readable cross-origin)", async () => {
      const { client } = await register();
      const { challenge } = await pkcePair();
      const url = authorizeUrl(client.client_id, challenge, resource).toString();
      const page = await SELF.fetch(url, { headers: { Origin: browserOrigin } });
      expect(page.headers.get("Access-Control-Allow-Origin")).toBeNull();
      const preflight = await SELF.fetch(url, { method: "OPTIONS", headers: { Origin: browserOrigin, "Access-Control-Request-Method": "POST" } });
      expect(preflight.headers.get("Access-Control-Allow-Origin")).toBeNull();
    });
  });
});
