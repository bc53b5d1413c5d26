/**
 * The attack suite: what an attacker tries against the front door and the MCP endpoints, over HTTP
 * into the real Worker. Each case is written as the attack; it passes when the attack fails.
 * (Brute-forcing the sign-in is covered with the rate limits, in their own test file.)
 */
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ALICE_METADATA_TOKEN, BOB_METADATA_TOKEN } from "../fixtures/seed";
import { ORIGIN, TestBrowser, parseForms } from "./harness/browser";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { authorizeInBrowser, type SignInAs } from "./harness/mcp-client";
import {
  ALICE,
  REDIRECT,
  REVISIONS,
  authorizeUrl,
  codeExchange,
  expectErrorRedirect,
  pkcePair,
  refresh,
  register,
  signedInCode,
  tokenEndpoint,
  tokensFor,
  toolsListRequest,
} from "./harness/oauth-flow";

useFakeXano();
const LATEST = REVISIONS[REVISIONS.length - 1];
const CLASSIC = REVISIONS[2]; // 2025-11-25: what most clients speak today

function mcp(accessToken: string, headers: Record<string, string> = {}) {
  return SELF.fetch(toolsListRequest(CLASSIC, accessToken, headers));
}

async function openSignIn(clientName = "Attack Target", browser = new TestBrowser(), registration: Record<string, unknown> = {}) {
  const { client } = await register({ client_name: clientName, ...registration });
  const { challenge } = await pkcePair();
  const response = await browser.fetch(authorizeUrl(client.client_id, challenge).toString());
  return { browser, response, page: await response.text(), clientId: client.client_id as string };
}

async function consentPageFor(clientName: string, registration: Record<string, unknown> = {}) {
  const { browser, page } = await openSignIn(clientName, new TestBrowser(), registration);
  const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
  const consent = await browser.submit(form, { instance_url: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
  expect(consent.status).toBe(200);
  return { browser, consent, page: await consent.text() };
}

describe("PKCE (RFC 7636; OAuth 2.1 §4.1.1; RFC 9700 §2.1.1)", () => {
  it("an authorization request without code_challenge from a public client is refused", async () => {
    const { client } = await register();
    const url = authorizeUrl(client.client_id, "x");
    url.searchParams.delete("code_challenge");
    url.searchParams.delete("code_challenge_method");
    const response = await new TestBrowser().fetch(url.toString());
    expectErrorRedirect(response, "invalid_request");
  });

  it("a confidential client may not skip PKCE either (code injection, RFC 9700 §4.5)", async () => {
    const { response: registered, client } = await register({ token_endpoint_auth_method: "client_secret_basic" });
    expect(registered.status).toBe(201);
    const url = authorizeUrl(client.client_id, "x");
    url.searchParams.delete("code_challenge");
    url.searchParams.delete("code_challenge_method");
    const response = await new TestBrowser().fetch(url.toString());
    expectErrorRedirect(response, "invalid_request");
  });

  it("code_challenge_method=plain is refused", async () => {
    const { client } = await register();
    const response = await new TestBrowser().fetch(authorizeUrl(client.client_id, "p".repeat(43), { code_challenge_method: "plain" }).toString());
    expectErrorRedirect(response, "invalid_request");
  });

  it("a stolen code without the verifier, or with the challenge as a 'plain' verifier, gets nothing", async () => {
    const flow = await signedInCode();
    const noVerifier = await tokenEndpoint({ grant_type: "authorization_code", code: flow.code, client_id: flow.clientId, redirect_uri: REDIRECT });
    expect(noVerifier.response.status).toBe(400);
    expect(noVerifier.body.access_token).toBeUndefined();
    const { challenge } = await pkcePair();
    const asPlain = await codeExchange(flow, { code_verifier: challenge });
    expect(asPlain.response.status).toBe(400);
    expect(asPlain.body.access_token).toBeUndefined();
  });
});

describe("redirects (RFC 9700 §4.1, §4.11)", () => {
  it("an unregistered redirect_uri is refused with a page, never a redirect to it", async () => {
    const { client } = await register();
    for (const evil of ["https://evil.example/cb", "http://localhost:3000/callback/../evil", "http://localhost:3000/callback#x", "//evil.example/cb"]) {
      const response = await new TestBrowser().fetch(authorizeUrl(client.client_id, "abc", { redirect_uri: evil }).toString());
      expect(response.status, evil).toBe(400);
      expect(response.headers.get("Location")).toBeNull();
      expect(await response.text()).not.toContain("evil.example");
    }
  });

  it("an unknown client_id never redirects anywhere", async () => {
    const url = authorizeUrl("no-such-client", "abc", { redirect_uri: "https://evil.example/cb" });
    const response = await new TestBrowser().fetch(url.toString());
    expect(response.status).toBe(400);
    expect(response.headers.get("Location")).toBeNull();
  });

  it("an error for a valid client goes only to its registered redirect_uri (no open redirect through errors)", async () => {
    const { client } = await register();
    const response = await new TestBrowser().fetch(authorizeUrl(client.client_id, "abc", { response_type: "token" }).toString());
    expectErrorRedirect(response, "unsupported_response_type");
  });

  it.each([
    ["javascript:", "javascript:alert(document.domain)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["a fragment", "https://app.example/cb#frag"],
    ["userinfo", "https://user:pass@app.example/cb"],
    ["remote plain http", "http://app.example/cb"],
  ])("registration refuses a %s redirect URI", async (_, uri) => {
    const { response } = await register({ redirect_uris: [uri] });
    expect(response.status).toBe(400);
  });

  it("the Xano callback with a forged state shows a page and redirects nowhere", async () => {
    const response = await new TestBrowser().fetch(`${ORIGIN}/oauth/xano/callback?code=stolen&state=forged`);
    expect(response.status).toBe(400);
    expect(response.headers.get("Location")).toBeNull();
    expect(await response.text()).toContain("<title>This sign-in request is not valid");
  });
});

describe("replay", () => {
  it("code replay by an attacker fails and revokes what the code gave (OAuth 2.1 §4.1.3)", async () => {
    const flow = await signedInCode();
    const legit = await codeExchange(flow);
    expect(legit.response.status).toBe(200);
    const stolen = await codeExchange(flow);
    expect(stolen.response.status).toBe(400);
    expect(stolen.body.access_token).toBeUndefined();
    expect((await mcp(legit.body.access_token)).status).toBe(401);
    expect((await refresh(flow.clientId, legit.body.refresh_token)).body.error).toBe("invalid_grant");
  });

  it("a code is bound to its client: another client cannot redeem it", async () => {
    const flow = await signedInCode();
    const { client: other } = await register({ client_name: "Other" });
    const attempt = await codeExchange({ ...flow, clientId: other.client_id });
    expect(attempt.response.status).toBe(400);
    expect(attempt.body.access_token).toBeUndefined();
  });

  it("a spent refresh token gets nothing (rotation, OAuth 2.1 §4.3.1)", async () => {
    const { clientId, refreshToken: first } = await tokensFor();
    const second = await refresh(clientId, first);
    const third = await refresh(clientId, second.body.refresh_token);
    expect(third.response.status).toBe(200);
    const replay = await refresh(clientId, first);
    expect(replay.response.status).toBe(400);
    expect(replay.body.error).toBe("invalid_grant");
    expect(replay.body.access_token).toBeUndefined();
  });

  it("RFC 9700 §4.14.2: a stolen refresh token used after its client moved on twice ends the grant for both", async () => {
    const { clientId, refreshToken: stolen } = await tokensFor();
    const first = await refresh(clientId, stolen); // the client rotates: the stolen token is now the previous one
    const second = await refresh(clientId, first.body.refresh_token); // and again: the stolen token is two generations old
    expect(second.response.status).toBe(200);
    const attacker = await refresh(clientId, stolen);
    expect(attacker.response.status).toBe(400);
    expect(attacker.body.error).toBe("invalid_grant");
    // The breach is visible: the grant ends, so the client's own tokens stop working too.
    expect((await refresh(clientId, second.body.refresh_token)).body.error).toBe("invalid_grant");
    expect((await mcp(second.body.access_token)).status).toBe(401);
  });

  it("two refreshes racing with one token are not a theft: the grant survives, the losing sibling gets invalid_grant", async () => {
    const { clientId, refreshToken } = await tokensFor();
    const raced = await Promise.all([refresh(clientId, refreshToken), refresh(clientId, refreshToken)]);
    expect(raced.map((r) => r.response.status)).toEqual([200, 200]);
    // Only one of the two new tokens became current; the other is refused without ending the grant.
    const next = [];
    for (const r of raced) next.push(await refresh(clientId, r.body.refresh_token));
    expect(next.map((r) => r.response.status).sort()).toEqual([200, 400]);
    const winner = next.find((r) => r.response.status === 200)!;
    expect(next.find((r) => r.response.status === 400)!.body.error).toBe("invalid_grant");
    expect((await mcp(winner.body.access_token)).status).toBe(200);
    expect((await refresh(clientId, winner.body.refresh_token)).response.status).toBe(200);
  });

  it("knowing a grant's userId:grantId is not enough to end it: a made-up refresh token, or an access token sent as one, revokes nothing", async () => {
    const victim = await tokensFor();
    const [userId, grantId] = victim.refreshToken.split(":");
    const { client: attacker } = await register({ client_name: "Attacker" });
    const forged = await refresh(attacker.client_id, `${userId}:${grantId}:not-a-real-secret`);
    expect(forged.body.error).toBe("invalid_grant");
    const confused = await refresh(victim.clientId, victim.accessToken);
    expect(confused.response.status).toBe(400);
    expect((await mcp(victim.accessToken)).status).toBe(200);
    expect((await refresh(victim.clientId, victim.refreshToken)).response.status).toBe(200);
  });

  it("a refresh token is bound to its client", async () => {
    const { refreshToken } = await tokensFor();
    const { client: other } = await register({ client_name: "Other" });
    const attempt = await refresh(other.client_id, refreshToken);
    expect(attempt.response.status).toBe(400);
    expect(attempt.body.access_token).toBeUndefined();
  });
});

describe("XSS through client metadata (the consent page must escape it)", () => {
  const payloads = [`<script>alert("name")</script>`, `"><img src=x onerror=alert(1)>`, `</title><svg onload=alert(1)>`];

  it.each(payloads)("client_name %s is rendered inert on the sign-in and consent pages", async (payload) => {
    const { page: signIn } = await openSignIn(payload);
    const { page: consent } = await consentPageFor(payload);
    for (const page of [signIn, consent]) {
      expect(page).not.toContain(payload);
      expect(page).not.toMatch(/<script/i);
      expect(page).not.toMatch(/<img|<svg/i);
      expect(page).toContain("&lt;");
    }
  });

  it.each(["client_uri", "logo_uri"])("a javascript: %s is refused at registration (RFC 7591 invalid_client_metadata)", async (field) => {
    const { response, client } = await register({ [field]: "javascript:alert(1)" });
    expect(response.status).toBe(400);
    expect(client.error).toBe("invalid_client_metadata");
    expect(client.error_description).toContain(field);
  });

  it("a redirect URI full of markup is shown escaped (private-use schemes let almost anything through)", async () => {
    const uri = `com.evil.app:/cb?x="><script>alert(1)</script>`;
    const { response, client } = await register({ redirect_uris: [uri] });
    if (response.status !== 201) return expect(response.status).toBe(400);
    const { challenge } = await pkcePair();
    const browser = new TestBrowser();
    const signIn = await browser.fetch(authorizeUrl(client.client_id, challenge, { redirect_uri: uri }).toString());
    const form = parseForms(await signIn.text()).find((f) => f.fields.method === "metadata_token")!;
    const consent = await (await browser.submit(form, { instance_url: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN })).text();
    expect(consent).not.toMatch(/<script/i);
  });
});

describe("cross-site request forgery on the pages", () => {
  it("a consent POST without a handle is refused (400, no redirect, no code)", async () => {
    const { browser } = await consentPageFor("CSRF Target");
    const response = await browser.fetch(`${ORIGIN}/authorize`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "step=consent&via=session&decision=approve" });
    expect(response.status).toBe(400);
    expect(response.headers.get("Location")).toBeNull();
  });

  it("a consent POST with a wrong handle is refused (400, no redirect, no code)", async () => {
    const { browser, page } = await consentPageFor("CSRF Target");
    const [form] = parseForms(page);
    const response = await browser.submit(form, { handle: "forged-handle-value" }, { name: "decision", value: "approve" });
    expect(response.status).toBe(400);
    expect(response.headers.get("Location")).toBeNull();
  });

  it("a consent handle cannot be used by a page in another browser (the attacker's own handle against the victim)", async () => {
    const attacker = await consentPageFor("Attacker App");
    const [attackerForm] = parseForms(attacker.page);
    const victim = await consentPageFor("Victim App");
    // Even with the victim's own session binding (else that check refuses it first, with 409).
    const session = parseForms(victim.page)[0].fields.session;
    const response = await victim.browser.submit(attackerForm, { session }, { name: "decision", value: "approve" });
    expect(response.status).toBe(400);
    expect(response.headers.get("Location")).toBeNull();
  });

  it("a consent page approves only the sign-in it showed: after another tab signs in as someone else, its Allow is refused", async () => {
    // Two tabs of one browser each open a sign-in page; the first signs in as alice.
    const first = await openSignIn("First Tab");
    const { browser } = first;
    const second = await openSignIn("Second Tab", browser);
    const aliceForm = parseForms(first.page).find((f) => f.fields.method === "metadata_token")!;
    const aliceConsent = await (await browser.submit(aliceForm, { instance_url: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN })).text();
    expect(aliceConsent).toContain("alice@example.com");
    // Then the second tab signs in as bob: the browser's session cookie now names bob.
    const bobForm = parseForms(second.page).find((f) => f.fields.method === "metadata_token")!;
    const bobConsent = await browser.submit(bobForm, { instance_url: SHARED_INSTANCE_URL, token: BOB_METADATA_TOKEN });
    expect(await bobConsent.text()).toContain("bob@example.com");
    // Back in the first tab, which still says alice.
    const consentForm = parseForms(aliceConsent).find((f) => f.fields.step === "consent")!;
    const response = await browser.submit(consentForm, {}, { name: "decision", value: "approve" });
    expect(response.status).toBe(409);
    expect(response.headers.get("Location")).toBeNull();
    expect(await response.text()).toContain("signed in again");
  });

  it("a sign-in POST with a CSRF field that does not match the cookie is refused", async () => {
    const { browser, page } = await openSignIn();
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    const response = await browser.submit(form, { instance_url: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN, csrf_token: "guessed" });
    expect(response.status).toBe(403);
    expect(browser.cookies.has("__Host-xano-mcp-session")).toBe(false);
  });

  it("a sign-in POST without the CSRF field is refused", async () => {
    const { browser, page } = await openSignIn();
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    delete form.fields.csrf_token;
    const response = await browser.submit(form, { instance_url: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    expect(response.status).toBe(403);
  });
});

describe("framing and cookies", () => {
  it("every page refuses to be framed (CSP frame-ancestors 'none', X-Frame-Options DENY)", async () => {
    const { response: signIn } = await openSignIn();
    const { consent } = await consentPageFor("Framed");
    const pages = [signIn, consent, await SELF.fetch(`${ORIGIN}/`), await SELF.fetch(`${ORIGIN}/nope`), await SELF.fetch(`${ORIGIN}/logout`), await SELF.fetch(`${ORIGIN}/authorize?client_id=nobody`)];
    for (const page of pages) {
      expect(page.headers.get("Content-Security-Policy") ?? "", page.url).toContain("frame-ancestors 'none'");
      expect(page.headers.get("X-Frame-Options")).toBe("DENY");
    }
  });

  it.each<[string, SignInAs]>([
    ["a Metadata API token", ALICE],
    ["email and password", { method: "app_auth", email: "bob@example.com", password: "bob-password" }],
    ["Sign in with Xano", { method: "xano_oauth", email: "alice@example.com", password: "alice-password", instance: "x1234-5678-9012" }],
  ])("every cookie set during a sign-in with %s is __Host-, Secure, HttpOnly, SameSite=Lax, Path=/ and has no Domain", async (_, signIn) => {
    const browser = new RecordingBrowser();
    const { client } = await register();
    const { challenge } = await pkcePair();
    await authorizeInBrowser(browser, authorizeUrl(client.client_id, challenge), signIn);
    expect(browser.setCookies.length).toBeGreaterThan(0);
    for (const cookie of browser.setCookies) {
      expect(cookie).toMatch(/^__Host-/);
      expect(cookie).toMatch(/;\s*Secure(;|$)/i);
      expect(cookie).toMatch(/;\s*HttpOnly(;|$)/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax(;|$)/i);
      expect(cookie).toMatch(/;\s*Path=\/(;|$)/i);
      expect(cookie).not.toMatch(/;\s*Domain=/i);
    }
  });
});

describe("another host of the same Worker (a workers.dev alias, a second route)", () => {
  const ALIAS = "https://xano-mcp.someone-else.workers.dev";

  it("the authorization server metadata fetched there still names PUBLIC_URL as issuer and for every endpoint", async () => {
    const response = await SELF.fetch(`${ALIAS}/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(ORIGIN);
    expect(metadata.authorization_endpoint).toBe(`${ORIGIN}/authorize`);
    expect(metadata.token_endpoint).toBe(`${ORIGIN}/oauth/token`);
    expect(metadata.registration_endpoint).toBe(`${ORIGIN}/oauth/register`);
  });

  it("the protected resource metadata fetched there names PUBLIC_URL as resource and authorization server", async () => {
    const metadata = (await (await SELF.fetch(`${ALIAS}/.well-known/oauth-protected-resource`)).json()) as Record<string, unknown>;
    expect(metadata.resource).toBe(ORIGIN);
    expect(metadata.authorization_servers).toEqual([ORIGIN]);
  });

  it.each(["/authorize?response_type=code&client_id=x&state=s", "/apps", "/"])("the page %s is redirected to PUBLIC_URL, never served there", async (path) => {
    const response = await SELF.fetch(`${ALIAS}${path}`, { redirect: "manual" });
    expect(response.status).toBe(308);
    expect(response.headers.get("Location")).toBe(`${ORIGIN}${path}`);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  // The localhost / 127.0.0.1 trap: a client pointed at another address than PUBLIC_URL would sign
  // in, get a token bound to PUBLIC_URL, have it refused there and sign in again, forever. Every
  // request on that address is instead told which address to use, before any sign-in starts.
  const LOOPBACK = "http://127.0.0.1:8787";

  it.each([
    ["/mcp", { "Content-Type": "application/json", Accept: "application/json, text/event-stream" }, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} })],
    ["/oauth/token", { "Content-Type": "application/x-www-form-urlencoded" }, "grant_type=authorization_code&code=x"],
    ["/oauth/register", { "Content-Type": "application/json" }, JSON.stringify({ redirect_uris: ["http://localhost:3000/callback"] })],
  ])("POST %s on 127.0.0.1 gets 400 naming PUBLIC_URL, not a 401 that would start a sign-in there", async (path, headers, body) => {
    const response = await SELF.fetch(`${LOOPBACK}${path}`, { method: "POST", headers, body, redirect: "manual" });
    expect(response.status).toBe(400);
    expect(response.headers.get("WWW-Authenticate")).toBeNull();
    const answer = (await response.json()) as { error: string; error_description: string };
    expect(answer.error).toBe("invalid_request");
    expect(answer.error_description).toContain(`${ORIGIN}${path}`);
  });

  it("a form posted to a page on 127.0.0.1 gets a page that links to PUBLIC_URL", async () => {
    const response = await SELF.fetch(`${LOOPBACK}/authorize`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html" },
      body: "method=metadata_token",
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain(`href="${ORIGIN}/"`);
    expect(page).toContain(ORIGIN);
  });
});

describe("the MCP endpoints", () => {
  it.each([
    ["a foreign site", "https://evil.example"],
    ["our host on another port", "http://localhost:9999"],
    ["an opaque origin", "null"],
  ])("a request from %s (Origin) gets 403 on /mcp", async (_, origin) => {
    const { accessToken } = await tokensFor();
    expect((await mcp(accessToken, { Origin: origin })).status).toBe(403);
  });

  it("a browser-based client listed in ALLOWED_ORIGINS (here the MCP Inspector's origin, set in vitest.config.ts) is served; its neighbour port is not", async () => {
    const { accessToken } = await tokensFor();
    expect((await mcp(accessToken, { Origin: "http://localhost:6274" })).status).toBe(200);
    expect((await mcp(accessToken, { Origin: "http://localhost:6275" })).status).toBe(403);
  });

  it("a token is refused at another origin of the same Worker (RFC 8707 audience; DNS rebinding via Host)", async () => {
    const { accessToken } = await tokensFor();
    const request = toolsListRequest(CLASSIC, accessToken);
    const elsewhere = new Request(request.url.replace("localhost:8787", "127.0.0.1:8787"), request);
    elsewhere.headers.set("Host", "127.0.0.1:8787");
    const response = await SELF.fetch(elsewhere);
    // 400 naming PUBLIC_URL: a 401 there would send the client round the sign-in again.
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(`${ORIGIN}/mcp`);
  });

  it("a token for another audience cannot be obtained (RFC 8707 invalid_target), at authorization, code exchange or refresh", async () => {
    const { client } = await register();
    const { challenge } = await pkcePair();
    const authorize = await new TestBrowser().fetch(authorizeUrl(client.client_id, challenge, { resource: "https://other-server.example/mcp" }).toString());
    expectErrorRedirect(authorize, "invalid_target");

    const flow = await signedInCode();
    const exchange = await codeExchange(flow, { resource: "https://other-server.example/mcp" });
    expect(exchange.response.status).toBe(400);
    expect(exchange.body.error).toBe("invalid_target");

    const { clientId, refreshToken } = await tokensFor();
    const refreshed = await tokenEndpoint({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId, resource: `${ORIGIN}/other` });
    expect(refreshed.response.status).toBe(400);
    expect(refreshed.body.error).toBe("invalid_target");
  });

  it("upstream Xano credentials presented as MCP tokens get 401 invalid_token", async () => {
    const { accessToken } = await tokensFor();
    const [userId, grantId] = accessToken.split(":");
    for (const token of [ALICE_METADATA_TOKEN, "bob-password", `${userId}:${grantId}:not-the-secret`, `${accessToken}x`]) {
      const response = await mcp(token);
      expect(response.status, token).toBe(401);
      expect(response.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
    }
  });

  // JSON-RPC 2.0 §5.1: -32700 parse error, -32600 invalid request; -32000 is the transport's own refusal.
  it.each([
    ["not JSON", "{not json", "application/json", 400, -32700],
    ["empty", "", "application/json", 400, -32700],
    ["an empty batch", "[]", "application/json", 400, -32600],
    ["not JSON-RPC", JSON.stringify({ hello: "world" }), "application/json", 400, -32600],
    ["a wrong JSON-RPC version", JSON.stringify({ jsonrpc: "1.0", id: 1, method: "tools/list" }), "application/json", 400, -32600],
    ["deeply nested", `${"[".repeat(100_000)}${"]".repeat(100_000)}`, "application/json", 400, -32600],
    ["not declared JSON", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), "text/plain", 415, -32000],
    ["oversized (5 MB)", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { pad: "x".repeat(5 * 1024 * 1024) } }), "application/json", 413, -32600],
  ])("a %s body on /mcp gets its exact status and JSON-RPC error code, never a 500", async (_, body, type, status, code) => {
    const { accessToken } = await tokensFor();
    const request = toolsListRequest(CLASSIC, accessToken, { "Content-Type": type });
    const response = await SELF.fetch(new Request(request, { body }));
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: number } }).error.code).toBe(code);
  });

  it("a stateless (2026-07-28) request with an envelope that contradicts its header gets 400 with the header-mismatch error", async () => {
    const { accessToken } = await tokensFor();
    const request = toolsListRequest(LATEST, accessToken, { "MCP-Protocol-Version": "2025-06-18" });
    const response = await SELF.fetch(request);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: number; data: { mismatch: { header: string } } } };
    expect(error.code).toBe(-32020);
    expect(error.data.mismatch.header).toBe("2025-06-18");
  });

  it.each([
    ["not JSON", "{not json", 400],
    ["not JSON-RPC", JSON.stringify({ hello: "world" }), 400],
    ["oversized (5 MB)", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping", params: { pad: "x".repeat(5 * 1024 * 1024) } }), 413],
    // Run through the same door as /mcp, which answers it on the stream (202), not with a crash.
    ["deeply nested (5000 levels)", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":{"x":${"[".repeat(5000)}${"]".repeat(5000)}}}}`, 202],
  ])("a %s body on /sse/message gets its exact answer, never a 500", async (_, body, status) => {
    const { accessToken } = await tokensFor();
    const headers = { Authorization: `Bearer ${accessToken}`, Host: "localhost:8787" };
    const stream = await SELF.fetch(`${ORIGIN}/sse`, { headers: { ...headers, Accept: "text/event-stream" } });
    expect(stream.status).toBe(200);
    const endpoint = await firstSseEndpoint(stream);
    const response = await SELF.fetch(`${ORIGIN}${endpoint}`, { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body });
    await stream.body?.cancel();
    expect(response.status).toBe(status);
  });
});

describe("no credential in any URL (RFC 9700 §4.3; OAuth 2.1 §7.2)", () => {
  it.each<[string, SignInAs, string[]]>([
    ["a Metadata API token", ALICE, [ALICE_METADATA_TOKEN]],
    ["email and password", { method: "app_auth", email: "bob@example.com", password: "bob-password" }, ["bob-password"]],
    ["Sign in with Xano", { method: "xano_oauth", email: "alice@example.com", password: "alice-password", instance: "x1234-5678-9012" }, ["alice-password"]],
  ])("signing in with %s, every Location and every link, form action and resource URL on every page carries no token or credential; only the code", async (_, signIn, secrets) => {
    const browser = new RecordingBrowser();
    const { client } = await register();
    const { verifier, challenge } = await pkcePair();
    const { code } = await authorizeInBrowser(browser, authorizeUrl(client.client_id, challenge), signIn);
    const { body: tokens } = await codeExchange({ clientId: client.client_id, verifier, code });
    expect(tokens.access_token).toEqual(expect.any(String));

    const cookieValues = [...browser.cookies.values()];
    const forbidden = [...secrets, tokens.access_token, tokens.refresh_token, ...cookieValues, ...browser.hiddenValues];
    // Authorization request parameters (ours and, for Sign in with Xano, the upstream one), and the response's.
    const allowedParams = new Set(["response_type", "client_id", "redirect_uri", "code_challenge", "code_challenge_method", "state", "resource", "scope", "code", "iss"]);
    expect(browser.urls.length).toBeGreaterThan(3);
    for (const url of browser.urls) {
      const parsed = new URL(url, ORIGIN);
      for (const key of parsed.searchParams.keys()) expect(allowedParams, `${key} in ${url}`).toContain(key);
      for (const secret of forbidden) if (secret.length >= 8) expect(url, "a secret in a URL").not.toContain(secret);
      if (parsed.hash) expect(parsed.hash).toBe("");
    }
  });
});

/** A TestBrowser that records every URL it meets: requested, redirected to, linked, posted to. */
class RecordingBrowser extends TestBrowser {
  readonly urls: string[] = [];
  readonly setCookies: string[] = [];
  readonly hiddenValues: string[] = [];

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    this.urls.push(url);
    const response = await super.fetch(url, init);
    this.setCookies.push(...response.headers.getSetCookie());
    const location = response.headers.get("Location");
    if (location) this.urls.push(location);
    if ((response.headers.get("Content-Type") ?? "").includes("text/html")) {
      const page = await response.clone().text();
      for (const match of page.matchAll(/\b(?:href|src|action)\s*=\s*"([^"]*)"/gi)) this.urls.push(match[1].replace(/&amp;/g, "&"));
      // Hidden form values that are secrets (CSRF tokens, consent handles) must stay out of URLs too.
      for (const form of parseForms(page)) {
        for (const [name, value] of Object.entries(form.fields)) if (/csrf|handle/.test(name)) this.hiddenValues.push(value);
      }
    }
    return response;
  }
}

/** Reads the legacy SSE stream until its `endpoint` event and returns the message URL path. */
async function firstSseEndpoint(stream: Response): Promise<string> {
  const reader = stream.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!/event: endpoint\ndata: ([^\n]+)\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before the endpoint event: ${text}`);
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return /event: endpoint\ndata: ([^\n]+)\n/.exec(text)![1];
}

