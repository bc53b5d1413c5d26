/**
 * Who may use the server (ALLOWED_USERS, ALLOWED_XANO_INSTANCES, READ_ONLY_USERS, OPERATOR_CONTACT),
 * through real HTTP into the Worker. The settings differ per test, so each request goes to the
 * Worker's own fetch with the test's env (`worker.fetch(request, { ...env, ALLOWED_USERS: … })`),
 * which is what a redeploy with other variables looks like to a grant made before it.
 *
 * A person outside the lists is refused at sign-in by every method (token, email and password,
 * Sign in with Xano; on /authorize and on /apps) with a page that says why and whom to ask, and
 * nothing is stored for them; a grant made before they were removed stops working at its next
 * MCP request; a read-only person only ever gets read-only grants and tools.
 */
import { describe, expect, it } from "vitest";
import { kvKeys } from "./harness/kv";
import { authorizationRequest, tokensFor, workerWith } from "./harness/worker-with";
import { ALICE_METADATA_TOKEN, ALICE_SANDBOX_METADATA_TOKEN } from "../fixtures/seed";
import { ORIGIN, TestBrowser, parseForms, type WorkerFetch } from "./harness/browser";
import { expectRefusedPage, submitSignIn, throughXano } from "./harness/sign-in-pages";
import { SANDBOX_INSTANCE_URL, SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import type { SignInAs } from "./harness/mcp-client";
import { loadConfig, readAccessPolicy } from "../src/config";
import { TOOLS, DEBUG_TOOLS } from "../src/mcp/tools";
import { isWriteTool } from "../src/mcp/tools/scope-policy";

const fake = useFakeXano();
const SHARED_HOST = new URL(SHARED_INSTANCE_URL).host;
const SANDBOX_HOST = new URL(SANDBOX_INSTANCE_URL).host;
const alice: SignInAs = { instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN };
const aliceSandbox: SignInAs = { instanceUrl: SANDBOX_INSTANCE_URL, token: ALICE_SANDBOX_METADATA_TOKEN };
const bobByPassword: SignInAs = { method: "app_auth", email: "bob@example.com", password: "bob-password" };
const aliceWithXano = { method: "xano_oauth" as const, email: "alice@example.com", password: "alice-password" };
const WRITE_TOOL_NAMES = [...TOOLS, ...DEBUG_TOOLS].filter(isWriteTool).map((tool) => tool.name);
const CONTACT = "ops@example.com";

function mcpCall(fetchWorker: WorkerFetch, accessToken: string, body: unknown, path = "/mcp") {
  return fetchWorker(
    new Request(`${ORIGIN}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: `Bearer ${accessToken}` },
      body: JSON.stringify(body),
    }),
  );
}

async function listedTools(fetchWorker: WorkerFetch, accessToken: string): Promise<string[]> {
  const response = await mcpCall(fetchWorker, accessToken, { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} });
  expect(response.status).toBe(200);
  const text = await response.text();
  const json = text.startsWith("{") ? JSON.parse(text) : JSON.parse(text.split("\n").find((l) => l.startsWith("data:"))!.slice(5));
  return (json.result.tools as Array<{ name: string }>).map((t) => t.name);
}

const writeCall = { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "debug_expire_oauth_tokens", arguments: {} } };

describe("a person outside ALLOWED_USERS is refused at sign-in, and nothing is stored for them", () => {
  const onlyBob = workerWith({ ALLOWED_USERS: "bob@example.com", OPERATOR_CONTACT: CONTACT });

  it("with a Metadata API token on /authorize", async () => {
    const { url } = await authorizationRequest(onlyBob);
    const browser = new TestBrowser({}, onlyBob);
    const page = await (await browser.fetch(url.toString())).text();
    const before = await kvKeys();
    const refused = await submitSignIn(browser, page, alice);
    await expectRefusedPage(refused, "alice@example.com", CONTACT);
    expect(browser.cookies.has("__Host-xano-mcp-session")).toBe(false);
    expect(await kvKeys()).toEqual(before);
  });

  it("with email and password on /authorize (an @domain list that is not theirs)", async () => {
    const otherDomain = workerWith({ ALLOWED_USERS: "@example.org, carol@example.com" });
    const { url } = await authorizationRequest(otherDomain);
    const browser = new TestBrowser({}, otherDomain);
    const page = await (await browser.fetch(url.toString())).text();
    const before = await kvKeys();
    const page403 = await expectRefusedPage(await submitSignIn(browser, page, bobByPassword), "bob@example.com");
    // Without OPERATOR_CONTACT the page still says whom to ask.
    expect(page403).toContain("Ask the person who runs this server");
    expect(browser.cookies.has("__Host-xano-mcp-session")).toBe(false);
    expect(await kvKeys()).toEqual(before);
  });

  it("with Sign in with Xano on /authorize: refused when Xano says who it is, no grant", async () => {
    const { url } = await authorizationRequest(onlyBob);
    const browser = new TestBrowser({}, onlyBob);
    const signInPage = await (await browser.fetch(url.toString())).text();
    const before = await kvKeys();
    const consentResponse = await browser.submit(parseForms(signInPage).find((f) => f.fields.step === "xano-oauth")!, {});
    const consentPage = await consentResponse.text();
    const [consent] = parseForms(consentPage);
    const toXano = await browser.submit(consent, {}, consent.buttons.find((b) => b.text === "Allow")!);
    const callback = await throughXano(browser, toXano, aliceWithXano);
    await expectRefusedPage(callback, "alice@example.com", CONTACT);
    // The consent and Xano's state were stored before anyone knew who was signing in; both were used up.
    expect(await kvKeys()).toEqual(before);
    // The tokens Xano issued for the refused person are revoked at Xano, not just dropped.
    expect(fake.log.count("POST /oauth/revoke")).toBe(1);
  });

  it("a sign-in session from before the person was removed authorizes nothing more", async () => {
    const open = workerWith();
    const first = await authorizationRequest(open);
    const browser = new TestBrowser({}, open);
    const consentPage = await (await submitSignIn(browser, await (await browser.fetch(first.url.toString())).text(), alice)).text();
    expect(consentPage).toContain("Allow");
    expect(browser.cookies.has("__Host-xano-mcp-session")).toBe(true);

    const onlyBobBrowser = new TestBrowser({}, onlyBob);
    for (const [name, value] of browser.cookies) onlyBobBrowser.cookies.set(name, value);
    const before = await kvKeys();
    // Allow on the page shown before: refused, no grant.
    const [consent] = parseForms(consentPage);
    await expectRefusedPage(await onlyBobBrowser.submit(consent, {}, consent.buttons.find((b) => b.text === "Allow")!), "alice@example.com");
    expect(await kvKeys()).toEqual(before);
    // Another app's authorization request in the same browser: refused instead of a consent page.
    const second = await authorizationRequest(onlyBob);
    const kvBeforeSecond = await kvKeys();
    await expectRefusedPage(await onlyBobBrowser.fetch(second.url.toString()), "alice@example.com");
    expect(await kvKeys()).toEqual(kvBeforeSecond);
  });

  it("on /apps, with a token and with Sign in with Xano", async () => {
    const browser = new TestBrowser({}, onlyBob);
    const page = await (await browser.fetch("/apps")).text();
    const before = await kvKeys();
    await expectRefusedPage(await submitSignIn(browser, page, alice), "alice@example.com", CONTACT);
    expect(browser.cookies.has("__Host-xano-mcp-session")).toBe(false);
    const toXano = await browser.submit(parseForms(page).find((f) => f.fields.step === "xano-oauth")!, {});
    await expectRefusedPage(await throughXano(browser, toXano, aliceWithXano), "alice@example.com");
    expect(browser.cookies.has("__Host-xano-mcp-session")).toBe(false);
    expect(await kvKeys()).toEqual(before);
  });
});

describe("who is let in", () => {
  it("an @domain entry lets in everyone of that domain (case-insensitive, trimmed)", async () => {
    const domain = workerWith({ ALLOWED_USERS: " carol@example.org , @EXAMPLE.com " });
    const { accessToken } = await tokensFor(domain, alice);
    expect(await listedTools(domain, accessToken)).toContain("whoami");
  });

  it("ALLOWED_XANO_INSTANCES: only the listed instances, whoever signs in", async () => {
    const sandboxOnly = workerWith({ ALLOWED_XANO_INSTANCES: SANDBOX_HOST, OPERATOR_CONTACT: CONTACT });
    const { url } = await authorizationRequest(sandboxOnly);
    const browser = new TestBrowser({}, sandboxOnly);
    const page = await (await browser.fetch(url.toString())).text();
    const before = await kvKeys();
    await expectRefusedPage(await submitSignIn(browser, page, alice), SHARED_HOST, CONTACT);
    expect(await kvKeys()).toEqual(before);
    const { accessToken } = await tokensFor(sandboxOnly, aliceSandbox);
    expect(await listedTools(sandboxOnly, accessToken)).toContain("whoami");
  });
});

describe("READ_ONLY_USERS", () => {
  const readOnlyAlice = workerWith({ READ_ONLY_USERS: "Alice@Example.com" });

  it("the consent page offers read-only only, and a grant is read-only even when the client asks for write and the form is forged", async () => {
    const { url } = await authorizationRequest(readOnlyAlice, { scope: "xano:read xano:write" });
    const browser = new TestBrowser({}, readOnlyAlice);
    const signInPage = await (await browser.fetch(url.toString())).text();
    const consentPage = await (await submitSignIn(browser, signInPage, alice)).text();
    expect(consentPage).toContain('value="read"');
    expect(consentPage).not.toContain('value="read_write"');
    expect(consentPage).toContain("read-only");

    const { accessToken, scope } = await tokensFor(readOnlyAlice, { ...alice, access: "read_write" }, { scope: "xano:read xano:write" });
    expect(scope).toBe("xano:read");
    const tools = await listedTools(readOnlyAlice, accessToken);
    expect(tools).toContain("whoami");
    expect(tools.filter((name) => WRITE_TOOL_NAMES.includes(name))).toEqual([]);
    expect((await mcpCall(readOnlyAlice, accessToken, writeCall)).status).toBe(403);
  });

  it("Sign in with Xano: the consent comes before Xano says who it is, so the grant is narrowed when it is made", async () => {
    const { scope, accessToken } = await tokensFor(readOnlyAlice, aliceWithXano, { scope: "xano:read xano:write" });
    expect(scope).toBe("xano:read");
    expect((await listedTools(readOnlyAlice, accessToken)).filter((name) => WRITE_TOOL_NAMES.includes(name))).toEqual([]);
  });
});

describe("every MCP request checks the lists again", () => {
  it("a grant made before its person was removed stops working at the next request (401 with our challenge), for good", async () => {
    const open = workerWith();
    const { accessToken, refreshToken, clientId } = await tokensFor(open, alice);
    expect(await listedTools(open, accessToken)).toContain("whoami");

    const onlyBob = workerWith({ ALLOWED_USERS: "bob@example.com", OPERATOR_CONTACT: CONTACT });
    const refused = await mcpCall(onlyBob, accessToken, { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} });
    expect(refused.status).toBe(401);
    const challenge = refused.headers.get("WWW-Authenticate")!;
    expect(challenge).toContain('error="invalid_token"');
    expect(challenge).toContain(`resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource"`);
    const body = (await refused.json()) as { error: string; error_description: string };
    expect(body.error).toBe("invalid_token");
    expect(body.error_description).toContain("no longer allows");
    expect(body.error_description).toContain(CONTACT);

    // The grant was revoked: its tokens stay dead even if the person is let in again.
    expect((await mcpCall(open, accessToken, { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} })).status).toBe(401);
    const refreshed = await open(
      new Request(`${ORIGIN}/oauth/token`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId }).toString() }),
    );
    expect(refreshed.status).toBe(400);
  });

  it("an instance removed from ALLOWED_XANO_INSTANCES: its grants stop working, on /sse too", async () => {
    const open = workerWith();
    const { accessToken } = await tokensFor(open, alice);
    const sandboxOnly = workerWith({ ALLOWED_XANO_INSTANCES: SANDBOX_HOST });
    const stream = await sandboxOnly(new Request(`${ORIGIN}/sse`, { headers: { Accept: "text/event-stream", Authorization: `Bearer ${accessToken}` } }));
    expect(stream.status).toBe(401);
    expect(stream.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
  });

  it("a person added to READ_ONLY_USERS after a read-write grant: write tools are no longer listed or callable", async () => {
    const open = workerWith();
    const { accessToken } = await tokensFor(open, aliceSandbox);
    expect((await listedTools(open, accessToken)).some((name) => WRITE_TOOL_NAMES.includes(name))).toBe(true);
    const readOnly = workerWith({ READ_ONLY_USERS: "@example.com" });
    const tools = await listedTools(readOnly, accessToken);
    expect(tools).toContain("whoami");
    expect(tools.filter((name) => WRITE_TOOL_NAMES.includes(name))).toEqual([]);
    const write = await mcpCall(readOnly, accessToken, writeCall);
    expect(write.status).toBe(403);
    expect(write.headers.get("WWW-Authenticate")).toContain("operator allows this account read-only access");
    // Taken off the list again, the grant writes as approved.
    expect((await listedTools(open, accessToken)).some((name) => WRITE_TOOL_NAMES.includes(name))).toBe(true);
  });
});

describe("the settings are validated at start-up", () => {
  const base = { PUBLIC_URL: "https://mcp.example.com" };

  it("parses lists: trimmed, case-insensitive, empty means everyone", () => {
    const read = readAccessPolicy({ ALLOWED_USERS: " Alice@Example.com, @ACME.dev ,", READ_ONLY_USERS: "", ALLOWED_XANO_INSTANCES: "X1.n7.xano.io, *.acme.dev", OPERATOR_CONTACT: " ops@example.com " });
    expect(read).toEqual({
      problems: [],
      policy: { allowedUsers: { emails: ["alice@example.com"], domains: ["acme.dev"] }, readOnlyUsers: null, allowedInstances: ["x1.n7.xano.io", "*.acme.dev"], operatorContact: "ops@example.com" },
    });
    expect(readAccessPolicy({})).toEqual({ problems: [], policy: { allowedUsers: null, readOnlyUsers: null, allowedInstances: null, operatorContact: null } });
    // An allowed instance on its own domain is one the sign-in may call (XANO_CUSTOM_DOMAINS need not repeat it).
    expect(loadConfig({ ...base, ALLOWED_XANO_INSTANCES: "api.acme.dev" })).toMatchObject({ ok: true, config: { xanoCustomDomains: ["api.acme.dev"] } });
  });

  it.each([
    ["ALLOWED_USERS", "alice"],
    ["ALLOWED_USERS", "*@example.com"],
    ["ALLOWED_USERS", "@"],
    ["READ_ONLY_USERS", "example.com"],
    ["ALLOWED_XANO_INSTANCES", "https://x1.n7.xano.io"],
    ["ALLOWED_XANO_INSTANCES", "10.0.0.1"],
    ["OPERATOR_CONTACT", 'ops"@example.com'],
  ])("%s = %s is a clear configuration error", (name, value) => {
    const loaded = loadConfig({ ...base, [name]: value });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problems.join("\n")).toContain(name);
  });
});
