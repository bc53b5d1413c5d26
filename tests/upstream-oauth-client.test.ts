/**
 * The upstream OAuth client (src/upstream/oauth-*.ts) against the fake upstream authorization
 * server over the intercepted network: discovery (RFC 9728 then RFC 8414), each way of getting a
 * client id (configured, Client ID Metadata Document, dynamic registration), the authorization
 * request (PKCE S256, state, resource) driven with fetch, the callback's checks, the code exchange,
 * and the refusals (no S256, insecure URLs, oversized or slow answers).
 */
import { http, HttpResponse, delay } from "msw";
import { describe, expect, it } from "vitest";
import { overrideNetwork } from "./harness/fake-xano-network";
import { UPSTREAM_AUTH_ORIGIN, UPSTREAM_MCP_ORIGIN, UPSTREAM_MCP_URL, useFakeUpstreamAuthorization } from "./harness/fake-upstream-authorization";
import { beginUpstreamAuthorization, completeUpstreamAuthorization, type PendingAuthorization } from "../src/upstream/oauth-authorization";
import { discoverUpstreamAuthorization, parseBearerChallenge } from "../src/upstream/oauth-discovery";
import { oauthFetch, UpstreamOAuthError } from "../src/lib/oauth-fetch";
import { clientMetadataDocument, clientMetadataDocumentUrl, obtainClient, type OurClient } from "../src/upstream/oauth-registration";

const { fakeAs, log } = useFakeUpstreamAuthorization({ clients: { "configured-client": "configured-secret" } });
const SERVER = { server: "support", url: UPSTREAM_MCP_URL };
const OURS: OurClient = { publicUrl: "http://localhost:8787", redirectUri: "http://localhost:8787/servers/support/oauth/callback", clientName: "Xano MCP front door" };

/** Follows the authorization URL as the person's browser would (auto-approved as `user`); the callback's query. */
async function approve(authorizationUrl: string, user = "alice"): Promise<URLSearchParams> {
  const response = await fetch(`${authorizationUrl}&user=${user}`, { redirect: "manual" });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("Location")!);
  expect(`${location.origin}${location.pathname}`).toBe(OURS.redirectUri);
  return location.searchParams;
}

async function rejection(work: Promise<unknown>): Promise<UpstreamOAuthError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamOAuthError);
  return error as UpstreamOAuthError;
}

describe("sign-in to an upstream MCP server's own authorization server, end to end", () => {
  it("discovers from the 401, registers dynamically, authorizes with PKCE and resource, and exchanges the code", async () => {
    const { authorizationUrl, pending, client } = await beginUpstreamAuthorization(SERVER, OURS);
    expect(client.how).toBe("dynamic_registration");
    expect(fakeAs.counters.registrations).toBe(1);
    const url = new URL(authorizationUrl);
    expect(url.origin + url.pathname).toBe(`${UPSTREAM_AUTH_ORIGIN}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: client.clientId,
      redirect_uri: OURS.redirectUri,
      code_challenge_method: "S256",
      resource: UPSTREAM_MCP_URL,
      scope: "mcp",
      state: pending.state,
    });
    expect(url.searchParams.get("code_challenge")).not.toBe(pending.codeVerifier);

    const credential = await completeUpstreamAuthorization(pending, await approve(authorizationUrl));
    expect(credential).toMatchObject({
      kind: "upstream",
      auth: "oauth",
      server: "support",
      url: UPSTREAM_MCP_URL,
      tokenEndpoint: `${UPSTREAM_AUTH_ORIGIN}/token`,
      revocationEndpoint: `${UPSTREAM_AUTH_ORIGIN}/revoke`,
      clientId: client.clientId,
      resource: UPSTREAM_MCP_URL,
      refreshToken: expect.any(String),
    });
    expect(credential.expiresAt).toBeGreaterThan(Date.now() + 3000_000);
    expect(fakeAs.counters.codeExchanges).toBe(1);
    // The token works at the upstream MCP server, as alice.
    const call = await fetch(UPSTREAM_MCP_URL, { method: "POST", headers: { Authorization: `Bearer ${credential.accessToken}` }, body: "{}" });
    expect(call.status).toBe(200);
    expect(log.callers).toEqual(["alice"]);
  });

  it("a configured client id (with secret) is used as is: no registration, the secret sent with Basic", async () => {
    const { authorizationUrl, pending, client } = await beginUpstreamAuthorization(SERVER, OURS, { configuredClient: { clientId: "configured-client", clientSecret: "configured-secret" } });
    expect(client).toEqual({ clientId: "configured-client", clientSecret: "configured-secret", how: "configured" });
    expect(fakeAs.counters.registrations).toBe(0);
    const credential = await completeUpstreamAuthorization(pending, await approve(authorizationUrl, "bob"));
    expect(credential).toMatchObject({ clientId: "configured-client", clientSecret: "configured-secret" });
    expect(fakeAs.tokenOwner(credential.accessToken)).toBe("bob");
  });

  it("a code is single use, and the callback's state and issuer are checked before the code is used", async () => {
    const { authorizationUrl, pending } = await beginUpstreamAuthorization(SERVER, OURS);
    const callback = await approve(authorizationUrl);
    const forged = new URLSearchParams(callback);
    forged.set("state", "another-sign-in");
    expect((await rejection(completeUpstreamAuthorization(pending, forged))).code).toBe("authorization_failed");
    const mixedUp = new URLSearchParams(callback);
    mixedUp.set("iss", "https://evil.example");
    expect((await rejection(completeUpstreamAuthorization(pending, mixedUp))).message).toMatch(/issuer/);
    const noIss = new URLSearchParams(callback);
    noIss.delete("iss"); // the fake promises iss (RFC 9207), so its absence is refused too
    expect((await rejection(completeUpstreamAuthorization(pending, noIss))).code).toBe("authorization_failed");
    expect(fakeAs.counters.tokenRequests).toBe(0);

    await completeUpstreamAuthorization(pending, callback);
    const replay = await rejection(completeUpstreamAuthorization(pending, callback));
    expect(replay.code).toBe("token_exchange_failed");
    expect(replay.message).toContain("invalid_grant");
  });

  it("a wrong PKCE verifier is refused by the authorization server", async () => {
    const { authorizationUrl, pending } = await beginUpstreamAuthorization(SERVER, OURS);
    const tampered: PendingAuthorization = { ...pending, codeVerifier: "not-the-verifier-that-was-hashed-0123456789" };
    expect((await rejection(completeUpstreamAuthorization(tampered, await approve(authorizationUrl)))).message).toMatch(/invalid_grant/);
  });

  it("an error answered on the redirect (the person refused) is reported, not exchanged", async () => {
    const { authorizationUrl, pending } = await beginUpstreamAuthorization(SERVER, OURS);
    const error = await rejection(completeUpstreamAuthorization(pending, await approve(authorizationUrl, "mallory")));
    expect(error.code).toBe("authorization_failed");
    expect(error.message).toContain("access_denied");
  });
});

describe("discovery", () => {
  it("without resource_metadata in the challenge, the path-suffixed well-known URL is found", async () => {
    overrideNetwork(http.post(UPSTREAM_MCP_URL, () => new HttpResponse(null, { status: 401, headers: { "WWW-Authenticate": "Bearer" } })));
    const found = await discoverUpstreamAuthorization(UPSTREAM_MCP_URL);
    expect(found).toMatchObject({ resource: UPSTREAM_MCP_URL, scope: "mcp", authorizationServer: { issuer: UPSTREAM_AUTH_ORIGIN } });
  });

  it("then the root well-known URL", async () => {
    overrideNetwork(
      http.post(UPSTREAM_MCP_URL, () => new HttpResponse(null, { status: 401 })),
      http.get(`${UPSTREAM_MCP_ORIGIN}/.well-known/oauth-protected-resource/mcp`, () => new HttpResponse(null, { status: 404 })),
    );
    expect((await discoverUpstreamAuthorization(UPSTREAM_MCP_URL)).authorizationServer.token_endpoint).toBe(`${UPSTREAM_AUTH_ORIGIN}/token`);
  });

  it("a challenge the caller already holds is used without asking the server again", async () => {
    overrideNetwork(http.post(UPSTREAM_MCP_URL, () => HttpResponse.error()));
    const header = `Bearer error="invalid_token", resource_metadata="${UPSTREAM_MCP_ORIGIN}/.well-known/oauth-protected-resource/mcp", scope="mcp tools"`;
    expect(parseBearerChallenge(header)).toMatchObject({ error: "invalid_token", scope: "mcp tools" });
    expect((await discoverUpstreamAuthorization(UPSTREAM_MCP_URL, header)).scope).toBe("mcp tools");
  });

  it("an authorization server that does not advertise PKCE S256 is refused", async () => {
    const metadata = await (await fetch(`${UPSTREAM_AUTH_ORIGIN}/.well-known/oauth-authorization-server`)).json();
    overrideNetwork(http.get(`${UPSTREAM_AUTH_ORIGIN}/.well-known/oauth-authorization-server`, () => HttpResponse.json({ ...(metadata as object), code_challenge_methods_supported: ["plain"] })));
    expect((await rejection(discoverUpstreamAuthorization(UPSTREAM_MCP_URL))).code).toBe("pkce_unsupported");
  });

  it("metadata naming another issuer, or another resource, is refused", async () => {
    overrideNetwork(http.get(`${UPSTREAM_AUTH_ORIGIN}/.well-known/oauth-authorization-server`, () => HttpResponse.json({ issuer: "https://elsewhere.test" })));
    expect((await rejection(discoverUpstreamAuthorization(UPSTREAM_MCP_URL))).message).toMatch(/issuer/);
    overrideNetwork(http.get(`${UPSTREAM_MCP_ORIGIN}/.well-known/oauth-protected-resource/mcp`, () => HttpResponse.json({ resource: "https://other.test/mcp", authorization_servers: [UPSTREAM_AUTH_ORIGIN] })));
    expect((await rejection(discoverUpstreamAuthorization(UPSTREAM_MCP_URL))).message).toMatch(/another resource/);
  });

  it("a refusal names the server by origin and path, never its query string (an operator may put a key there)", async () => {
    const withKey = `${UPSTREAM_MCP_URL}?api_key=secret-in-the-url`;
    overrideNetwork(http.get(`${UPSTREAM_MCP_ORIGIN}/.well-known/oauth-protected-resource/mcp`, () => HttpResponse.json({ resource: "https://other.test/mcp", authorization_servers: [UPSTREAM_AUTH_ORIGIN] })));
    const otherResource = await rejection(discoverUpstreamAuthorization(withKey));
    expect(otherResource.message).toContain(`${UPSTREAM_MCP_URL} names another resource`);
    expect(otherResource.message).not.toContain("secret-in-the-url");
    overrideNetwork(http.get(`${UPSTREAM_MCP_ORIGIN}/.well-known/oauth-protected-resource/mcp`, () => HttpResponse.json({ resource: UPSTREAM_MCP_URL })));
    const noServer = await rejection(discoverUpstreamAuthorization(withKey));
    expect(noServer.message).toContain(`${UPSTREAM_MCP_URL} lists no authorization server`);
    expect(noServer.message).not.toContain("secret-in-the-url");
  });

  it("plain http is refused except on loopback, and endpoints in metadata follow the same rule", async () => {
    expect((await rejection(discoverUpstreamAuthorization("http://mcp.upstream.test/mcp"))).code).toBe("insecure_url");
    overrideNetwork(http.get(`${UPSTREAM_AUTH_ORIGIN}/.well-known/oauth-authorization-server`, () => HttpResponse.json({ issuer: UPSTREAM_AUTH_ORIGIN, authorization_endpoint: `${UPSTREAM_AUTH_ORIGIN}/authorize`, token_endpoint: "http://auth.upstream.test/token", code_challenge_methods_supported: ["S256"] })));
    expect((await rejection(discoverUpstreamAuthorization(UPSTREAM_MCP_URL))).code).toBe("insecure_url");
  });

  it("an oversized metadata document is refused without being read whole; a slow answer times out", async () => {
    overrideNetwork(http.get(`${UPSTREAM_AUTH_ORIGIN}/.well-known/oauth-authorization-server`, () => HttpResponse.json({ issuer: UPSTREAM_AUTH_ORIGIN, padding: "x".repeat(100_000) })));
    const large = await rejection(discoverUpstreamAuthorization(UPSTREAM_MCP_URL));
    expect(large.code).toBe("bad_response");
    expect(large.message).toContain("64 KiB");
    overrideNetwork(http.get(`${UPSTREAM_AUTH_ORIGIN}/slow`, async () => (await delay(500), HttpResponse.json({}))));
    const slow = await rejection(oauthFetch(`${UPSTREAM_AUTH_ORIGIN}/slow`, {}, 50));
    expect(slow.code).toBe("unreachable");
    expect(slow.message).toContain("did not answer within");
  });
});

describe("client registration order", () => {
  const metadata = { issuer: UPSTREAM_AUTH_ORIGIN, authorization_endpoint: `${UPSTREAM_AUTH_ORIGIN}/authorize`, token_endpoint: `${UPSTREAM_AUTH_ORIGIN}/token`, code_challenge_methods_supported: ["S256"] };
  const httpsOurs: OurClient = { ...OURS, publicUrl: "https://mcp.example.com", redirectUri: "https://mcp.example.com/servers/support/oauth/callback" };

  it("a Client ID Metadata Document when advertised and PUBLIC_URL is https: the client id is the document's URL", async () => {
    const client = await obtainClient({ ...metadata, client_id_metadata_document_supported: true, registration_endpoint: `${UPSTREAM_AUTH_ORIGIN}/register` }, httpsOurs);
    expect(client).toEqual({ clientId: "https://mcp.example.com/oauth/upstream-client-metadata.json", clientSecret: null, how: "client_id_metadata_document" });
    expect(fakeAs.counters.registrations).toBe(0);
    const document = clientMetadataDocument(httpsOurs);
    expect(document).toMatchObject({ client_id: client.clientId, redirect_uris: [httpsOurs.redirectUri], token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"] });
  });

  it("dynamic registration when PUBLIC_URL is http (a document URL must be https)", async () => {
    expect(clientMetadataDocumentUrl(OURS.publicUrl)).toBeNull();
    const client = await obtainClient({ ...metadata, client_id_metadata_document_supported: true, registration_endpoint: `${UPSTREAM_AUTH_ORIGIN}/register` }, OURS);
    expect(client.how).toBe("dynamic_registration");
    expect(fakeAs.counters.registrations).toBe(1);
  });

  it("no way to get a client id is a clear error naming the fix", async () => {
    const error = await rejection(obtainClient(metadata, OURS));
    expect(error.code).toBe("registration_failed");
    expect(error.message).toMatch(/configure a client id/);
  });
});
