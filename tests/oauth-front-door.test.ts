/**
 * The front door over plain HTTP, as any OAuth client or browser meets it: discovery documents,
 * the 401 challenge, registration, PKCE, code replay, bad tokens, and the sign-in/consent pages.
 */
import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { kvRecords } from "./harness/kv";
import { ALICE_METADATA_TOKEN } from "../fixtures/seed";
import { ORIGIN, TestBrowser, fieldNameForLabel, parseForms } from "./harness/browser";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { authorizeInBrowser } from "./harness/mcp-client";
import { REDIRECT, authorizeUrl, expectErrorRedirect, pkcePair, register as registerAs, signedInCode as signedInCodeAs, tokenEndpoint } from "./harness/oauth-flow";

const fake = useFakeXano();
const alice = { instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN };


/** The harness's client (tests/harness/oauth-flow.ts), as a client named "Protocol Test". */
const register = (body: Record<string, unknown> = {}) => registerAs({ client_name: "Protocol Test", ...body });
const token = (params: Record<string, string>) => tokenEndpoint(params);

async function signedInCode() {
  const { clientId, verifier, code, redirect } = await signedInCodeAs({ register: { client_name: "Protocol Test" }, signIn: alice });
  return { clientId, verifier, code, redirect };
}

function mcpPost(accessToken?: string) {
  return SELF.fetch(`${ORIGIN}/mcp`, {
    method: "POST",
    headers: { Host: "localhost:8787", "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}) },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }),
  });
}

describe("discovery", () => {
  it("RFC 8414 authorization server metadata with an exact issuer and S256 only", async () => {
    const response = await SELF.fetch(`${ORIGIN}/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, any>;
    expect(metadata).toMatchObject({
      issuer: ORIGIN,
      authorization_endpoint: `${ORIGIN}/authorize`,
      token_endpoint: `${ORIGIN}/oauth/token`,
      registration_endpoint: `${ORIGIN}/oauth/register`,
      code_challenge_methods_supported: ["S256"],
      response_types_supported: ["code"],
      authorization_response_iss_parameter_supported: true,
    });
    expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token"]));
  });

  it("RFC 9728 protected resource metadata at the root well-known URL", async () => {
    const response = await SELF.fetch(`${ORIGIN}/.well-known/oauth-protected-resource`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ resource: ORIGIN, authorization_servers: [ORIGIN] });
  });

  it.each(["/mcp", "/sse"])("RFC 9728 §3.3: no document claims a different resource at the path-suffixed URL for %s", async (path) => {
    // The resource is the origin; a document here would have to name `${ORIGIN}${path}`. Clients
    // fall back to the root document (the SDK end-to-end tests go through exactly that fallback).
    const response = await SELF.fetch(`${ORIGIN}/.well-known/oauth-protected-resource${path}`);
    expect(response.status).toBe(404);
  });

  it.each(["/mcp", "/sse"])("%s without a token answers 401 with a resource_metadata challenge", async (path) => {
    const response = path === "/mcp" ? await mcpPost() : await SELF.fetch(`${ORIGIN}${path}`, { headers: { Accept: "text/event-stream" } });
    expect(response.status).toBe(401);
    const challenge = response.headers.get("WWW-Authenticate") ?? "";
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain(`resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource"`);
    // RFC 6750 §3.1: no error code in the challenge when no token was sent; the body says what is missing.
    expect(challenge).toBe(`Bearer realm="OAuth", resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource", scope="xano:read xano:write"`);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ error: "unauthorized", error_description: expect.stringContaining("access token") });
  });

  it("/favicon.ico is a small icon, and every page links it", async () => {
    const icon = await SELF.fetch(`${ORIGIN}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("Content-Type")).toBe("image/svg+xml");
    expect((await icon.text()).length).toBeLessThan(1024);
    expect(await (await SELF.fetch(`${ORIGIN}/`)).text()).toContain('<link rel="icon" href="/favicon.ico" type="image/svg+xml">');
  });
});

describe("client registration (RFC 7591)", () => {
  it("registers a public client with a loopback redirect", async () => {
    const { response, client } = await register();
    expect(response.status).toBe(201);
    expect(client.client_id).toEqual(expect.any(String));
    expect(client.redirect_uris).toEqual([REDIRECT]);
  });

  it("refuses a plain-http redirect to a non-loopback host", async () => {
    const { response, client } = await register({ redirect_uris: ["http://evil.example.com/cb"] });
    expect(response.status).toBe(400);
    expect(["invalid_redirect_uri", "invalid_client_metadata"]).toContain(client.error);
  });
});

describe("authorization code and PKCE", () => {
  it("the redirect carries only code, state and iss — never the Xano credential", async () => {
    const { redirect } = await signedInCode();
    expect(redirect.origin + redirect.pathname).toBe(REDIRECT);
    expect([...redirect.searchParams.keys()].sort()).toEqual(["code", "iss", "state"]);
    expect(redirect.searchParams.get("state")).toBe("conformance-state");
    expect(redirect.searchParams.get("iss")).toBe(ORIGIN);
    expect(redirect.toString()).not.toContain(ALICE_METADATA_TOKEN);
  });

  it("a wrong PKCE verifier gets invalid_grant", async () => {
    const { clientId, code } = await signedInCode();
    const wrong = await pkcePair();
    const { response, body } = await token({ grant_type: "authorization_code", code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: wrong.verifier });
    expect(response.status).toBe(400);
    expect(body.error).toBe("invalid_grant");
  });

  it("a code works once; replaying it fails", async () => {
    const { clientId, code, verifier } = await signedInCode();
    const params = { grant_type: "authorization_code", code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: verifier };
    const first = await token(params);
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get("Cache-Control")).toContain("no-store");
    expect(first.body).toMatchObject({ token_type: "bearer", access_token: expect.any(String), refresh_token: expect.any(String) });
    expect((await mcpPost(first.body.access_token)).status).toBe(200);

    const replay = await token(params);
    expect(replay.response.status).toBe(400);
    expect(replay.body.error).toBe("invalid_grant");
  });

  it("refuses a redirect URI that was not registered, without redirecting to it", async () => {
    const { client } = await register();
    const response = await new TestBrowser().fetch(authorizeUrl(client.client_id, "abc", { redirect_uri: "https://evil.example.com/cb" }).toString());
    expect(response.status).toBe(400);
    expect(response.headers.get("Location")).toBeNull();
    expect(await response.text()).toContain("not valid");
  });
});

describe("bearer tokens", () => {
  it.each([
    ["a made-up token", "not-a-real-token"],
    ["a Xano token presented as an MCP token", ALICE_METADATA_TOKEN],
    ["a well-formed but unknown token", "user:grant:secret"],
  ])("%s gets 401 invalid_token", async (_, bad) => {
    const response = await mcpPost(bad);
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
  });
});

describe("sign-in and consent pages", () => {
  async function openSignIn(browser = new TestBrowser(), clientName = "Protocol Test") {
    const { client } = await register({ client_name: clientName });
    const { challenge } = await pkcePair();
    const response = await browser.fetch(authorizeUrl(client.client_id, challenge).toString());
    return { browser, response, page: await response.text() };
  }

  it("renders a labelled sign-in form with hardened headers", async () => {
    const { response, page } = await openSignIn();
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("X-Frame-Options")).toBe("DENY");
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(fieldNameForLabel(page, "Instance URL")).toBe("instance_url");
    expect(fieldNameForLabel(page, "Metadata API token")).toBe("token");
    for (const cookie of response.headers.getSetCookie()) {
      expect(cookie).toMatch(/^__Host-/);
      expect(cookie).toMatch(/Secure/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
    }
  });

  it("leads with the recommended method; the others are alternatives after an \"or\", folded until chosen; none is the page's title", async () => {
    const { page } = await openSignIn();
    const h1 = page.match(/<h1>([^<]*)<\/h1>/)![1];
    expect(h1).toBe("Sign in to connect Protocol Test");
    const lead = page.indexOf("Sign in with your Xano account");
    const token = page.indexOf("<summary>Use a Metadata API token</summary>");
    const password = page.indexOf("<summary>Email and password of a Xano app&#39;s user</summary>");
    expect(lead).toBeGreaterThan(-1);
    expect(token).toBeGreaterThan(lead);
    expect(password).toBeGreaterThan(token);
    expect(page.match(/<p class="or" aria-hidden="true">or<\/p>/g)).toHaveLength(2);
    expect(page).not.toMatch(/<details[^>]* open/);
    expect(page).toContain("This is not your Xano account");
  });

  it("a failed token sign-in shows its form open again, with the instance URL refilled", async () => {
    const { browser, page } = await openSignIn();
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    const again = await (await browser.submit(form, { instance_url: SHARED_INSTANCE_URL, token: "wrong" })).text();
    expect(again).toMatch(/<details class="method" open>\s*<summary>Use a Metadata API token<\/summary>/);
    expect(again).toContain(`value="${SHARED_INSTANCE_URL}"`);
  });

  it("escapes an attacker-chosen client name", async () => {
    const { page } = await openSignIn(new TestBrowser(), `<script>alert("x")</script>`);
    expect(page).not.toContain("<script>");
    expect(page).toContain("&lt;script&gt;");
  });

  it("a wrong token re-renders the form with a clear error, and nothing is stored", async () => {
    const { browser, page } = await openSignIn();
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    const before = await kvRecords();
    const response = await browser.submit(form, { instance_url: SHARED_INSTANCE_URL, token: "wrong-token" });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain("Xano did not accept this token");
    expect(body).not.toContain("wrong-token");
    expect(browser.cookies.has("__Host-xano-mcp-session")).toBe(false);
    // No session, grant or other record was written or changed (the sign-in page stored its
    // transaction before), and the refused token is nowhere in storage.
    const after = await kvRecords();
    expect(after).toEqual(before);
    expect(JSON.stringify(after)).not.toContain("wrong-token");
  });

  it.each([
    ["http://x1234.n7.xano.io", "must use https"],
    ["https://x1234-5678-9012.n7.xano.io/api:other", "instance address only"],
  ])("an invalid instance URL (%s) is explained without calling it", async (instanceUrl, message) => {
    const { browser, page } = await openSignIn();
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    fake.log.clear();
    const response = await browser.submit(form, { instance_url: instanceUrl, token: ALICE_METADATA_TOKEN });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(message);
    expect(fake.log.entries).toHaveLength(0);
  });

  it.each([
    ["an IP address", "https://10.0.0.1"],
    ["the cloud metadata address", "https://169.254.169.254"],
    ["an IP address written as a number", "https://2130706433"],
    ["loopback (the configured Xano URLs are not loopback here)", "http://127.0.0.1:8789"],
    ["IPv6 loopback", "https://[::1]"],
    ["a Xano host on another port", "https://x1234-5678-9012.n7.xano.io:8443"],
    ["a host that is not Xano's", "https://evil.example"],
    ["a look-alike host", "https://x1234-5678-9012.n7.xano.io.evil.example"],
  ])("the typed instance URL may not be %s: refused with one fixed sentence, and nothing is fetched", async (_, instanceUrl) => {
    const { browser, page } = await openSignIn();
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    fake.log.clear();
    const response = await browser.submit(form, { instance_url: instanceUrl, token: ALICE_METADATA_TOKEN });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("this server connects only to Xano instance addresses (like https://x1234-5678-9012.n7.xano.io, no IP address or port) and to the custom domains its operator allowed");
    expect(fake.log.entries).toHaveLength(0);
  });

  it.each([
    ["a 10 KB instance URL on a Xano host", { instance_url: `https://${"a".repeat(10_000)}.n7.xano.io` }, "metadata_token", "longer than 2048"],
    ["a 10 KB scheme", { instance_url: `${"a".repeat(10_000)}://x1234.n7.xano.io` }, "metadata_token", "longer than 2048"],
    ["a 300-character host", { instance_url: `https://${"a".repeat(300)}.n7.xano.io` }, "metadata_token", "host name"],
    ["a 10 KB token", { instance_url: SHARED_INSTANCE_URL, token: "t".repeat(10_000) }, "metadata_token", "does not look like a Metadata API token"],
    ["a 10 KB email", { email: `${"b".repeat(10_000)}@example.com`, password: "bob-password" }, "app_auth", "longer than 254"],
    ["a 10 KB password", { email: "bob@example.com", password: "p".repeat(10_000) }, "app_auth", "longer than 1024"],
  ])("%s is refused before any upstream request, and never echoed in full", async (_, values, method, message) => {
    const { browser, page } = await openSignIn();
    const form = parseForms(page).find((f) => f.fields.method === method)!;
    fake.log.clear();
    const response = await browser.submit(form, { token: ALICE_METADATA_TOKEN, ...values });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain(message);
    // The message quotes none of it; a value over its field's limit is not put back into the form.
    const alert = body.match(/<div class="error" role="alert">([\s\S]*?)<\/div>/)![1];
    expect(alert.length).toBeLessThan(400);
    expect(body).not.toMatch(/([a-z])\1{2047}/);
    expect(fake.log.entries).toHaveLength(0);
  });

  it("Xano being unreachable is explained", async () => {
    const { browser, page } = await openSignIn();
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    fake.knobs.failNext({ route: "GET /api:meta/auth/me", status: "network" });
    const response = await browser.submit(form, { instance_url: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    expect(await response.text()).toContain("Could not reach x1234-5678-9012.n7.xano.io");
  });

  it("a sign-in POST without the CSRF cookie is refused", async () => {
    const { browser, page } = await openSignIn();
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    browser.cookies.delete("__Host-xano-mcp-csrf");
    const response = await browser.submit(form, { instance_url: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("expired or was opened in another browser");
  });

  it("a sign-in form still works after another of our pages was opened in a second tab", async () => {
    const { browser, page } = await openSignIn();
    await openSignIn(browser, "Second Tab");
    expect((await browser.fetch("/apps")).status).toBe(200);
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    const response = await browser.submit(form, { instance_url: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Allow");
  });

  it("a consent POST from another browser (no consent cookie) is refused", async () => {
    const { browser, page } = await openSignIn();
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    const consent = await browser.submit(form, { instance_url: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    const [consentForm] = parseForms(await consent.text());
    const attacker = new TestBrowser();
    attacker.cookies.set("__Host-xano-mcp-session", browser.cookies.get("__Host-xano-mcp-session")!);
    const response = await attacker.submit(consentForm, {}, { name: "decision", value: "approve" });
    expect(response.status).toBe(400);
    expect(response.headers.get("Location")).toBeNull();
  });

  it("the consent page names the client, the redirect host and warns about localhost; Deny returns access_denied", async () => {
    const { browser, page } = await openSignIn(new TestBrowser(), "Friendly Client");
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    const consent = await browser.submit(form, { instance_url: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    const body = await consent.text();
    expect(body).toContain("Friendly Client");
    expect(body).toContain("<strong>localhost</strong>");
    expect(body).toContain("an app on your computer");
    expect(body).toContain("alice@example.com");
    const [consentForm] = parseForms(body);
    const denied = await browser.submit(consentForm, {}, { name: "decision", value: "deny" });
    expect(denied.status).toBe(302);
    const location = new URL(denied.headers.get("Location")!);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("state")).toBe("conformance-state");
  });

  it("a signed-in person still approves every new client", async () => {
    const browser = new TestBrowser();
    await signedInWith(browser);
    const { page } = await openSignIn(browser, "Second Client");
    expect(page).not.toContain('name="step" value="sign-in"');
    expect(page).toContain("Allow Second Client");
  });

  async function signedInWith(browser: TestBrowser) {
    const { client } = await register();
    const { challenge } = await pkcePair();
    await authorizeInBrowser(browser, authorizeUrl(client.client_id, challenge), alice);
  }
});

describe("pages", () => {
  it("the home page shows the MCP URL, and unknown paths get a friendly 404", async () => {
    const home = await SELF.fetch(`${ORIGIN}/`);
    expect(await home.text()).toContain(`${ORIGIN}/mcp`);
    const missing = await SELF.fetch(`${ORIGIN}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("Page not found");
    const css = await SELF.fetch(`${ORIGIN}/styles.css`);
    expect(css.headers.get("Content-Type")).toContain("text/css");
  });
});

// White-box on purpose: these lifetimes are enforced only by KV's expiry of the library's records,
// which cannot be waited for over HTTP (tests/oauth-conformance.test.ts stays black-box).
describe("lifetimes kept in OAUTH_KV", () => {
  it("OAuth 2.1 §4.1.2 / RFC 9700 §2.1: the code lives at most 10 minutes (its grant record expires)", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { code } = await signedInCode();
    const [userId, grantId] = code.split(":");
    const { keys } = await env.OAUTH_KV.list({ prefix: `grant:${userId}:${grantId}` });
    expect(keys).toHaveLength(1);
    expect(keys[0].expiration).toBeDefined();
    expect(keys[0].expiration! - before).toBeLessThanOrEqual(600 + 5);
  });

  it("a dynamically registered client expires after 30 days (clientRegistrationTTL)", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { response, client } = await register();
    expect(response.status).toBe(201);
    const { keys } = await env.OAUTH_KV.list({ prefix: `client:${client.client_id}` });
    expect(keys).toHaveLength(1);
    const lifetime = keys[0].expiration! - before;
    expect(lifetime).toBeGreaterThan(29 * 24 * 3600);
    expect(lifetime).toBeLessThanOrEqual(30 * 24 * 3600 + 5);
  });
});
