/**
 * An upstream MCP server with its own OAuth (auth "oauth") behind /servers/{name}/mcp, as a real
 * MCP client lives it: the official SDK client signs in with Xano (who the person is), approves,
 * is sent to the upstream's authorization server (fake-upstream-mcp in OAuth mode, oauth-mode.ts),
 * signs in there, comes back through /oauth/upstream-callback and gets its MCP code. Tool calls
 * then carry that person's upstream access token, refreshed once when it expires however many
 * calls meet the expiry; a dead refresh token ends the grant with the re-authentication
 * challenge; the authorization server being down for a moment does not.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { ALICE_METADATA_TOKEN, BOB_METADATA_TOKEN } from "../fixtures/seed";
import { fakeOAuthUpstreamHandlers, TEST_OAUTH_UPSTREAM_ISSUER, TEST_OAUTH_UPSTREAM_ORIGIN } from "../fake-upstream-mcp/msw";
import { createFakeOAuthUpstream } from "../fake-upstream-mcp/oauth-mode";
import { ORIGIN, TestBrowser, parseForms } from "./harness/browser";
import { consentPageAs, expectErrorRedirect } from "./harness/oauth-flow";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { callTool, workerFetch, type SignInAs } from "./harness/mcp-client";
import { connectToServer, rpc, serverMetadata, toolNames } from "./harness/upstream-door";

// `oauth-configured` (vitest.config.ts) uses this pre-registered confidential client instead of registering.
const fake = createFakeOAuthUpstream({ mcpOrigin: TEST_OAUTH_UPSTREAM_ORIGIN, issuer: TEST_OAUTH_UPSTREAM_ISSUER, clients: { "front-door-client": "front-door-client-secret" } });
const { upstream, fakeAs } = fake;
useFakeXano(fakeOAuthUpstreamHandlers(fake));
beforeEach(() => fake.reset());

const SERVER = "oauth-desk";
const PATH = `/servers/${SERVER}/mcp`;
const alice: SignInAs = { instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN, upstreamUser: "alice" };
const bob: SignInAs = { instanceUrl: SHARED_INSTANCE_URL, token: BOB_METADATA_TOKEN, upstreamUser: "bob" };
const READS = ["echo_token", "get_ticket", "list_tickets", "whoami"];
const ALL = ["close_ticket", "create_ticket", "delete_ticket", ...READS].sort();

/** Signed in with Xano as alice, Allow pressed: the browser and where it is sent at the upstream. */
async function allowed() {
  const { page, browser } = await consentPageAs("OAuth Client", { resource: `${ORIGIN}${PATH}` });
  const consent = parseForms(page).find((f) => f.buttons.some((b) => b.text === "Allow"))!;
  const response = await browser.submit(consent, {}, consent.buttons.find((b) => b.text === "Allow"));
  expect(response.status, await response.clone().text()).toBe(302);
  return { browser, page, upstreamUrl: new URL(response.headers.get("Location")!) };
}

/** The upstream's answer to the authorization request, as `user`: our callback URL. */
async function upstreamAnswers(upstreamUrl: URL, user: string): Promise<string> {
  const back = await fetch(`${upstreamUrl}&user=${user}`, { redirect: "manual" });
  expect(back.status).toBe(302);
  const callback = back.headers.get("Location")!;
  expect(callback.startsWith(`${ORIGIN}/oauth/upstream-callback?`)).toBe(true);
  return callback;
}

describe("signing in to an oauth upstream", () => {
  it("the consent page says the upstream's own sign-in follows and asks for no token; Allow sends the browser there with PKCE S256, resource and state", async () => {
    const { page, upstreamUrl } = await allowed();
    expect(page).toContain("Allow OAuth Client to use OAuth desk?");
    expect(page).toContain("asks you to sign in there");
    expect(page).not.toContain("upstream_token");
    expect(upstreamUrl.origin + upstreamUrl.pathname).toBe(`${TEST_OAUTH_UPSTREAM_ISSUER}/authorize`);
    const q = upstreamUrl.searchParams;
    expect(q.get("response_type")).toBe("code");
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("resource")).toBe(`${TEST_OAUTH_UPSTREAM_ORIGIN}/mcp`);
    expect(q.get("redirect_uri")).toBe(`${ORIGIN}/oauth/upstream-callback`);
    expect(q.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Dynamic registration (PUBLIC_URL is http here, so no Client ID Metadata Document).
    expect(fakeAs.counters.registrations).toBe(1);
  });

  it("serves the Client ID Metadata Document naming the one redirect URI", async () => {
    const response = await workerFetch(`${ORIGIN}/oauth/upstream-client-metadata.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ redirect_uris: [`${ORIGIN}/oauth/upstream-callback`], token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"] });
  });

  it("a callback is single use: the second visit is refused and makes no second grant", async () => {
    const { browser, upstreamUrl } = await allowed();
    const callback = await upstreamAnswers(upstreamUrl, "alice");
    const first = await browser.fetch(callback);
    expect(first.status).toBe(302);
    expect(new URL(first.headers.get("Location")!).searchParams.get("code")).toBeTruthy();
    const again = await browser.fetch(callback);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("This sign-in link is not valid");
    expect(fakeAs.counters.codeExchanges).toBe(1);
  });

  it("a callback opened in another browser is refused, exchanges nothing, and is spent", async () => {
    const { browser, upstreamUrl } = await allowed();
    const callback = await upstreamAnswers(upstreamUrl, "alice");
    const elsewhere = await new TestBrowser().fetch(callback);
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain("This sign-in belongs to another browser");
    expect((await browser.fetch(callback)).status).toBe(400);
    expect(fakeAs.counters.codeExchanges).toBe(0);
  });

  it("an unknown or missing state is refused", async () => {
    const browser = new TestBrowser();
    for (const query of ["?state=not-a-state-we-made&code=x", "?code=x", ""]) {
      const response = await browser.fetch(`/oauth/upstream-callback${query}`);
      expect(response.status, query).toBe(400);
      expect(await response.text()).toContain("This sign-in link is not valid");
    }
  });

  it("the upstream's error (the person did not sign in there) is access_denied to the MCP client, nothing exchanged", async () => {
    const { browser, upstreamUrl } = await allowed();
    const callback = await upstreamAnswers(upstreamUrl, "mallory"); // not a demo user: the fake answers access_denied
    expect(new URL(callback).searchParams.get("error")).toBe("access_denied");
    expectErrorRedirect(await browser.fetch(callback), "access_denied");
    expect(fakeAs.counters.codeExchanges).toBe(0);
  });

  it("a failed code exchange is a page saying so, and no grant is made", async () => {
    const { browser, upstreamUrl } = await allowed();
    const callback = await upstreamAnswers(upstreamUrl, "alice");
    // Alice's connections to it so far (earlier tests of this file made some).
    const connections = async () => (await (await browser.fetch("/apps")).text()).split(`OAuth desk (${PATH})`).length - 1;
    const before = await connections();
    fakeAs.knobs.failNextTokenRequest(503, 7);
    const response = await browser.fetch(callback);
    expect(response.status).toBe(502);
    const page = await response.text();
    expect(page).toContain("Signing in to OAuth desk did not finish");
    expect(page).toContain("HTTP 503");
    expect(await connections()).toBe(before);
    // A good callback does add one (the count above can see it).
    const { browser: other, upstreamUrl: again } = await allowed();
    expect((await other.fetch(await upstreamAnswers(again, "alice"))).status).toBe(302);
    expect(await connections()).toBe(before + 1);
  });
});

describe("Sign in with Xano to an oauth upstream", () => {
  it("Xano says who this is, the consent page follows, Allow goes on to the upstream's own sign-in; calls carry the upstream's token", async () => {
    const { client, token } = await connectToServer(SERVER, { method: "xano_oauth", email: "alice@example.com", password: "alice-password", instance: "x1234-5678-9012", upstreamUser: "alice" });
    expect(fakeAs.counters.codeExchanges).toBe(1);
    expect((await callTool(client, "whoami")).envelope).toEqual({ user: "alice", name: "Alice Example" });
    const call = upstream.calls.find((c) => c.method === "tools/call")!;
    expect(fakeAs.tokenOwner(call.token!)).toBe("alice");
    const status = (await (await workerFetch(`${ORIGIN}/status`, { headers: { Authorization: `Bearer ${token}` } })).json()) as Record<string, any>;
    expect(status).toMatchObject({ signInMethod: "xano_oauth", credential: { method: "upstream_oauth", upstreamServer: SERVER, canRefresh: true } });
  });
});

describe("calls through an oauth upstream", () => {
  it("two people: each call carries that person's own upstream access token, never ours, and the client never holds it", async () => {
    const a = await connectToServer(SERVER, alice);
    const b = await connectToServer(SERVER, bob);
    expect(fakeAs.counters.codeExchanges).toBe(2);
    expect(await (await a.browser.fetch("/apps")).text()).toContain(`OAuth desk (${PATH})`);
    const status = JSON.stringify(await (await workerFetch(`${ORIGIN}/status`, { headers: { Authorization: `Bearer ${a.token}` } })).json());
    expect(status).toContain("upstream_oauth");
    expect(status).not.toContain(ALICE_METADATA_TOKEN);
    expect(await toolNames(a.client)).toEqual(ALL);
    upstream.calls = [];
    const [aliceMe, bobMe] = await Promise.all([callTool(a.client, "whoami"), callTool(b.client, "whoami")]);
    expect(aliceMe.envelope).toEqual({ user: "alice", name: "Alice Example" });
    expect(bobMe.envelope).toEqual({ user: "bob", name: "Bob Example" });
    expect((await callTool(a.client, "create_ticket", { subject: "Via OAuth" })).envelope).toMatchObject({ owner: "alice", subject: "Via OAuth" });

    expect(upstream.calls.length).toBeGreaterThan(0);
    for (const call of upstream.calls) {
      expect(call.token).not.toBeNull();
      // The token is one the upstream's authorization server issued to that very person.
      expect(fakeAs.tokenOwner(call.token!)).toBe(call.user);
    }
    const toolCalls = upstream.calls.filter((call) => call.method === "tools/call");
    expect(toolCalls.map((c) => c.user).sort()).toEqual(["alice", "alice", "bob"]);
    expect(new Set(toolCalls.filter((c) => c.user === "alice").map((c) => c.token)).size).toBe(1);
    const recorded = JSON.stringify(upstream.calls);
    expect(recorded).not.toContain(a.token);
    expect(recorded).not.toContain(b.token);
    const aliceUpstreamToken = toolCalls.find((c) => c.user === "alice")!.token!;
    expect(JSON.stringify(a.provider)).not.toContain(aliceUpstreamToken);
    expect(status).not.toContain(aliceUpstreamToken);
    // The upstream repeating the token in its answer: masked before the client sees it.
    const echoed = await callTool(a.client, "echo_token");
    expect(JSON.stringify(echoed.result)).not.toContain(aliceUpstreamToken);
  });

  it("a server with a configured client id: no registration, the secret authenticates the exchange and the refresh", async () => {
    const { client } = await connectToServer("oauth-configured", alice);
    expect(fakeAs.counters.registrations).toBe(0);
    expect(fakeAs.counters.codeExchanges).toBe(1);
    fakeAs.knobs.expireAllTokens();
    expect((await callTool(client, "whoami")).envelope).toEqual({ user: "alice", name: "Alice Example" });
    expect(fakeAs.counters.refreshes).toBe(1);
  });

  it("the upstream access token expires: 50 concurrent tool calls cause exactly one refresh, and all 50 succeed", async () => {
    const { client } = await connectToServer(SERVER, alice);
    expect((await callTool(client, "whoami")).envelope).toEqual({ user: "alice", name: "Alice Example" });
    fakeAs.knobs.expireAllTokens();
    const results = await Promise.all(Array.from({ length: 50 }, () => callTool(client, "whoami")));
    for (const { result, envelope } of results) {
      expect(result.isError).toBeFalsy();
      expect(envelope).toEqual({ user: "alice", name: "Alice Example" });
    }
    expect(fakeAs.counters.refreshes).toBe(1);
    expect(fakeAs.counters.refreshesRefused).toBe(0);
  });

  it("a dead upstream refresh token: the call ends in the 401 re-authentication challenge and the grant is revoked", async () => {
    const { token } = await connectToServer(SERVER, alice);
    fakeAs.knobs.killRefreshToken({ user: "alice" });
    fakeAs.knobs.expireAllTokens();
    const refused = await rpc(PATH, token, "tools/call", { name: "whoami", arguments: {} });
    expect(refused.status).toBe(401);
    const challenge = refused.headers.get("WWW-Authenticate")!;
    expect(challenge).toContain(`error="invalid_token"`);
    expect(challenge).toContain(`resource_metadata="${serverMetadata(SERVER)}"`);
    expect(fakeAs.counters.refreshesRefused).toBe(1);
    // The grant is gone: the same MCP token is refused without asking the upstream again.
    const calls = upstream.calls.length;
    expect((await rpc(PATH, token, "tools/list")).status).toBe(401);
    expect(upstream.calls.length).toBe(calls);
    expect(fakeAs.counters.refreshesRefused).toBe(1);
  });

  it("the authorization server answers 503 to the refresh: a retryable tool error, and the grant is kept", async () => {
    const { client } = await connectToServer(SERVER, alice);
    fakeAs.knobs.expireAllTokens();
    fakeAs.knobs.failNextTokenRequest(503, 7);
    const failed = await callTool(client, "whoami");
    expect(failed.result.isError).toBe(true);
    expect(failed.envelope.error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", details: { retryable: true, retryAfterSeconds: 7 } });
    expect((await callTool(client, "whoami")).envelope).toEqual({ user: "alice", name: "Alice Example" });
    expect(fakeAs.counters.refreshes).toBe(1);
  });

  it("a read-only grant lists only readOnlyHint tools and gets the 403 step-up challenge for the others", async () => {
    const { client, token } = await connectToServer(SERVER, { ...alice, access: "read" });
    expect(await toolNames(client)).toEqual(READS);
    const refused = await rpc(PATH, token, "tools/call", { name: "create_ticket", arguments: { subject: "x" } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("WWW-Authenticate")).toContain(`error="insufficient_scope"`);
    expect(upstream.calls.some((call) => call.tool === "create_ticket")).toBe(false);
    expect((await callTool(client, "list_tickets")).result.isError).toBeFalsy();
  });
});
