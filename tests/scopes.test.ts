/**
 * Scopes and the connected-apps page, through the real Worker: the official MCP SDK client signs
 * in through the consent page and chooses read-only or read-write; what each token may list and
 * call; the step-up challenge (MCP 2025-11-25 "Scope challenge handling", RFC 6750 §3.1); and the
 * page where a person sees and revokes the apps they allowed; and the error pages people meet.
 */
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ALICE_METADATA_TOKEN, ALICE_SANDBOX_METADATA_TOKEN, BOB_METADATA_TOKEN } from "../fixtures/seed";
import { ORIGIN, TestBrowser, fieldNameForLabel, parseForms } from "./harness/browser";
import { SANDBOX_INSTANCE_URL, SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { MemoryOAuthProvider, authorizeInBrowser, callTool, connectWithOAuth, workerFetch } from "./harness/mcp-client";
import { authorizeUrl, consentPageAs, pkcePair, register } from "./harness/oauth-flow";
import { TOOLS, DEBUG_TOOLS } from "../src/mcp/tools";
import { fc, test as propTest } from "@fast-check/vitest";
import { defaultAccess, mayWrite, scopesFor } from "../src/oauth/scopes";
import { toolsAllowed, writeToolsCalled } from "../src/mcp/tools/scope-policy";
import { summariseJsonRpc } from "../src/mcp/json-rpc-body";

const fake = useFakeXano();
const alice = { instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN };
const bob = { instanceUrl: SHARED_INSTANCE_URL, token: BOB_METADATA_TOKEN };
// Grants outlive a test (storage is shared within the file): this account is used by one test only.
const aliceSandbox = { instanceUrl: SANDBOX_INSTANCE_URL, token: ALICE_SANDBOX_METADATA_TOKEN };
const ALL_TOOLS = [...TOOLS, ...DEBUG_TOOLS];
/** What a read-only grant lists: read tools, and xano_call_operation, which refuses writes per call. */
const READ_TOOL_NAMES = ALL_TOOLS.filter((t) => t.annotations.readOnlyHint || t.checksScopePerCall).map((t) => t.name).sort();
const RESOURCE_METADATA = `${ORIGIN}/.well-known/oauth-protected-resource`;

function mcpCall(accessToken: string, body: unknown, path = "/mcp") {
  return SELF.fetch(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { Host: "localhost:8787", "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: `Bearer ${accessToken}` },
    body: JSON.stringify(body),
  });
}

const callExpire = { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "debug_expire_oauth_tokens", arguments: {} } };

/** Opens /authorize with `scope` (none: null), signed in as alice; returns the consent page. */
const consentPageFor = (scope: string | null) => consentPageAs("Scope Test", scope === null ? {} : { scope });

function checkedAccess(page: string): string | undefined {
  return parseForms(page).find((f) => f.fields.step === "consent")?.fields.access;
}

describe("scope policy (pure)", () => {
  const scopeToken = fc.constantFrom("xano:read", "xano:write", "openid", "email", "profile", "offline_access", "mcp:tools");
  const scopeList = fc.array(scopeToken, { maxLength: 5 });

  propTest.prop([scopeList])("read-only is preselected exactly when xano:read is asked for without xano:write", (requested) => {
    expect(defaultAccess(requested)).toBe(requested.includes("xano:read") && !requested.includes("xano:write") ? "read" : "read_write");
  });

  propTest.prop([scopeList])("a read-only grant never writes, whatever its token's scopes say", (tokenScopes) => {
    expect(mayWrite(tokenScopes, "read")).toBe(false);
    expect(mayWrite(tokenScopes, "read_write")).toBe(tokenScopes.includes("xano:write"));
    expect(mayWrite(scopesFor("read_write"), "read_write")).toBe(true);
  });

  propTest.prop([fc.subarray(ALL_TOOLS.map((t) => t.name))])("without write access no write tool is listed, and every write call in a batch is caught", (names) => {
    expect(toolsAllowed(ALL_TOOLS, false).every((t) => t.annotations.readOnlyHint || t.name === "xano_call_operation")).toBe(true);
    expect(toolsAllowed(ALL_TOOLS, true)).toHaveLength(ALL_TOOLS.length);
    const batch = JSON.stringify(names.map((name, id) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name } })));
    const writes = ALL_TOOLS.filter((t) => !t.annotations.readOnlyHint && !t.checksScopePerCall && names.includes(t.name)).map((t) => t.name);
    expect(writeToolsCalled(summariseJsonRpc(batch), ALL_TOOLS).sort()).toEqual(writes.sort());
  });
});

describe("scopes are advertised", () => {
  it("both metadata documents list xano:read and xano:write, and the 401 challenge asks for both", async () => {
    const as = (await (await SELF.fetch(`${ORIGIN}/.well-known/oauth-authorization-server`)).json()) as { scopes_supported: string[] };
    expect(as.scopes_supported).toEqual(expect.arrayContaining(["xano:read", "xano:write"]));
    const prm = (await (await SELF.fetch(RESOURCE_METADATA)).json()) as { scopes_supported: string[] };
    expect(prm.scopes_supported.sort()).toEqual(["xano:read", "xano:write"]);
    const challenge = (await SELF.fetch(`${ORIGIN}/mcp`, { method: "POST", headers: { Host: "localhost:8787" } })).headers.get("WWW-Authenticate");
    expect(challenge).toContain('scope="xano:read xano:write"');
  });
});

describe("the consent page offers read-only", () => {
  it.each([
    [null, "read_write"],
    ["openid email profile", "read_write"],
    ["xano:read xano:write", "read_write"],
    ["xano:read", "read"],
  ])("a client asking for %j gets %s preselected, with both choices labelled", async (scope, expected) => {
    const { page } = await consentPageFor(scope);
    expect(checkedAccess(page)).toBe(expected);
    // Both choices are visible, labelled controls.
    expect(fieldNameForLabel(page, "Read and change")).toBe("access");
    expect(fieldNameForLabel(page, "Read only")).toBe("access");
    expect(page).toContain("<legend>What may it do?</legend>");
    expect(page).toContain('href="/apps"');
  });

  it("a consent without a valid access choice is refused, not widened", async () => {
    const { page, browser } = await consentPageFor("xano:read");
    const form = parseForms(page).find((f) => f.fields.step === "consent")!;
    for (const access of ["", "admin"]) {
      const response = await browser.submit(form, { access }, { name: "decision", value: "approve" });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("did not say which access");
    }
  });
});

describe("a read-only token", () => {
  it("lists only read-only tools, and a write call gets 403 insufficient_scope naming every scope it needs", async () => {
    const { client, provider } = await connectWithOAuth({ ...alice, access: "read" });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(READ_TOOL_NAMES);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true || t.name === "xano_call_operation")).toBe(true);
    expect(tools.map((t) => t.name)).not.toContain("debug_expire_oauth_tokens");
    // Read tools still work.
    expect((await callTool(client, "whoami")).envelope.success).toBe(true);

    // A direct call of a write tool never reaches it.
    const response = await mcpCall(provider.savedTokens!.access_token, callExpire);
    expect(response.status).toBe(403);
    const challenge = response.headers.get("WWW-Authenticate")!;
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="xano:read xano:write"');
    expect(challenge).toContain(`resource_metadata="${RESOURCE_METADATA}"`);
    expect(await response.json()).toMatchObject({ error: "insufficient_scope" });

    // Also inside a JSON-RPC batch.
    const batch = await mcpCall(provider.savedTokens!.access_token, [{ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "whoami", arguments: {} } }, callExpire]);
    expect(batch.status).toBe(403);

    // Through the SDK client: it tries to step up (a refresh cannot widen a grant) and reports the 403.
    await expect(client.callTool({ name: "debug_expire_oauth_tokens", arguments: {} })).rejects.toThrow(/403/);
    await client.close();
  });

  it("steps up: a new authorization for the challenged scopes, approved read-write, sees every tool", async () => {
    const browser = new TestBrowser();
    const { provider } = await connectWithOAuth({ ...alice, access: "read" }, "streamable", new MemoryOAuthProvider(), browser);
    const refused = await mcpCall(provider.savedTokens!.access_token, callExpire);
    const scope = refused.headers.get("WWW-Authenticate")!.match(/scope="([^"]+)"/)![1];

    // What a client does with the challenge: authorize again for `scope` (same registration).
    provider.savedTokens = undefined;
    expect(await auth(provider, { serverUrl: new URL(`${ORIGIN}/mcp`), scope, fetchFn: workerFetch })).toBe("REDIRECT");
    expect(provider.authorizationUrl!.searchParams.get("scope")).toBe("xano:read xano:write");
    const { code } = await authorizeInBrowser(browser, provider.authorizationUrl!, alice);
    expect(await auth(provider, { serverUrl: new URL(`${ORIGIN}/mcp`), authorizationCode: code, fetchFn: workerFetch })).toBe("AUTHORIZED");

    const client = new Client({ name: "stepped-up", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp`), { authProvider: provider, fetch: workerFetch }));
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(ALL_TOOLS.map((t) => t.name).sort());
    expect((await callTool(client, "debug_expire_oauth_tokens")).envelope.success).toBe(true);
    await client.close();
  });

  it("over legacy SSE: write tools are not listed and a posted write call gets 403", async () => {
    const { client, provider } = await connectWithOAuth({ ...alice, access: "read" }, "sse");
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(READ_TOOL_NAMES);
    // A session id the server never issued is refused before any check (tests/legacy-sse.test.ts
    // posts the same write call on the grant's own session and gets the 403 step-up challenge).
    const response = await mcpCall(provider.savedTokens!.access_token, callExpire, "/sse/message?sessionId=whatever");
    expect(response.status).toBe(404);
    await client.close();
  });
});

describe("the body is read before the MCP server sees it", () => {
  it("a body over 4 MiB gets 413 (never a 500), and malformed JSON still reaches the server's parse error", async () => {
    const { provider, client } = await connectWithOAuth({ ...alice, access: "read" });
    const token = provider.savedTokens!.access_token;
    const huge = await mcpCall(token, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "whoami", arguments: { pad: "x".repeat(4 * 1024 * 1024) } } });
    expect(huge.status).toBe(413);
    const malformed = await SELF.fetch(`${ORIGIN}/mcp`, {
      method: "POST",
      headers: { Host: "localhost:8787", "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: `Bearer ${token}` },
      body: '{"jsonrpc":"2.0","method":"tools/call",',
    });
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    expect(malformed.status).toBeLessThan(500);
    await client.close();
  });
});

describe("a read-write token", () => {
  it("lists and calls every tool, write tools included", async () => {
    const { client, provider } = await connectWithOAuth(alice);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(ALL_TOOLS.map((t) => t.name).sort());
    expect((await callTool(client, "debug_auth")).envelope.success).toBe(true);
    // A direct call of a write tool passes the scope check and runs (it expires the credential, so last).
    const direct = await mcpCall(provider.savedTokens!.access_token, callExpire);
    expect(direct.status).toBe(200);
    expect(await direct.text()).toContain('"success":true');
    await client.close();
  });
});

describe("Connected apps (/apps)", () => {
  it("shows each approved app with its access, approval and last use; Revoke signs that one out", async () => {
    const browser = new TestBrowser();
    const readOnly = await connectWithOAuth({ ...aliceSandbox, access: "read" }, "streamable", new MemoryOAuthProvider(), browser);
    const readWrite = await connectWithOAuth(aliceSandbox, "streamable", new MemoryOAuthProvider(), browser);
    await callTool(readWrite.client, "whoami");

    const response = await browser.fetch("/apps");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    const page = await response.text();
    expect(page).toContain("<h1>Connected apps</h1>");
    expect(page).toContain("alice@example.com");
    const apps = [...page.matchAll(/<li class="app">([\s\S]*?)<\/li>/g)].map((m) => m[1]);
    expect(apps).toHaveLength(2);
    expect(apps.every((app) => app.includes("Test MCP Client"))).toBe(true);
    expect(apps.filter((app) => app.includes("<dd>Read only</dd>"))).toHaveLength(1);
    expect(apps.filter((app) => app.includes("<dd>Read and write</dd>"))).toHaveLength(1);
    expect(apps.every((app) => /<dt>Approved<\/dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/dd>/.test(app))).toBe(true);
    // Last used: the read-write app just called a tool; the read-only one listed tools only (no credential use).
    expect(apps.filter((app) => /<dt>Last used<\/dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/dd>/.test(app))).toHaveLength(1);
    const forms = parseForms(page);
    expect(forms.filter((f) => f.buttons.some((b) => b.text === "Revoke"))).toHaveLength(2);
    expect(forms.some((f) => f.buttons.some((b) => b.text === "Revoke all"))).toBe(true);
    const signOut = forms.find((f) => f.buttons.some((b) => b.text === "Sign out and disconnect all apps"))!;
    expect(signOut.action).toBe("/logout");

    // Revoke the read-write app.
    const target = forms.find((f) => f.action === "/apps/revoke" && page.indexOf(`value="${f.fields.grant_id}"`) > page.indexOf("<dd>Read and write</dd>"))!;
    const revoked = await browser.submit(target, {});
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get("Location")).toBe("/apps?revoked=one");
    expect((await mcpCall(readWrite.provider.savedTokens!.access_token, { jsonrpc: "2.0", id: 1, method: "tools/list" })).status).toBe(401);
    expect((await mcpCall(readOnly.provider.savedTokens!.access_token, { jsonrpc: "2.0", id: 1, method: "tools/list" })).status).toBe(200);
    const after = await (await browser.fetch("/apps?revoked=one")).text();
    expect(after).toContain("The app was disconnected");
    expect([...after.matchAll(/<li class="app">/g)]).toHaveLength(1);

    // Revoke all.
    const all = parseForms(after).find((f) => f.action === "/apps/revoke-all")!;
    expect((await browser.submit(all, {})).status).toBe(303);
    expect((await mcpCall(readOnly.provider.savedTokens!.access_token, { jsonrpc: "2.0", id: 1, method: "tools/list" })).status).toBe(401);
    expect(await (await browser.fetch("/apps")).text()).toContain("No apps are connected");
  });

  it("revokes nothing without the CSRF token, and nothing of another person's", async () => {
    const aliceBrowser = new TestBrowser();
    const aliceApp = await connectWithOAuth(alice, "streamable", new MemoryOAuthProvider(), aliceBrowser);
    const bobBrowser = new TestBrowser();
    await connectWithOAuth(bob, "streamable", new MemoryOAuthProvider(), bobBrowser);
    const alicePage = await (await aliceBrowser.fetch("/apps")).text();
    const aliceRevoke = parseForms(alicePage).find((f) => f.action === "/apps/revoke")!;

    // Without (or with a wrong) CSRF token.
    expect((await aliceBrowser.submit(aliceRevoke, { csrf_token: "" })).status).toBe(403);
    expect((await aliceBrowser.submit(aliceRevoke, { csrf_token: "x".repeat(32) })).status).toBe(403);
    // Bob, with his own valid form, posting alice's grant id.
    const bobPage = await (await bobBrowser.fetch("/apps")).text();
    const bobRevoke = parseForms(bobPage).find((f) => f.action === "/apps/revoke")!;
    expect((await bobBrowser.submit(bobRevoke, { grant_id: aliceRevoke.fields.grant_id })).status).toBe(303);

    expect((await mcpCall(aliceApp.provider.savedTokens!.access_token, { jsonrpc: "2.0", id: 1, method: "tools/list" })).status).toBe(200);
  });

  it("a sign-in with one credential sees and revokes only the connections made with it, never the account's others", async () => {
    // Bob connects two apps: one with his Metadata API token, one as an app user of the Xano app
    // (whose auth/me hands out that same token as api_key).
    const viaToken = await connectWithOAuth(bob);
    const viaAppUser = await connectWithOAuth({ method: "app_auth", email: "bob@example.com", password: "bob-password" });
    const grantOf = (app: typeof viaToken) => app.provider.savedTokens!.access_token.split(":")[1];
    const tokenGrant = grantOf(viaToken);
    const appUserGrant = grantOf(viaAppUser);

    async function appsSignedIn(values: Record<string, string>, method: string) {
      const browser = new TestBrowser();
      const page = await (await browser.fetch("/apps")).text();
      const form = parseForms(page).find((f) => f.fields.method === method)!;
      expect((await browser.submit(form, values)).status).toBe(303);
      return { browser, list: await (await browser.fetch("/apps")).text() };
    }
    const appUser = await appsSignedIn({ email: "bob@example.com", password: "bob-password" }, "app_auth");
    expect(appUser.list).toContain(`value="${appUserGrant}"`);
    expect(appUser.list).not.toContain(`value="${tokenGrant}"`);
    const token = await appsSignedIn({ instance_url: bob.instanceUrl, token: bob.token }, "metadata_token");
    expect(token.list).toContain(`value="${tokenGrant}"`);
    expect(token.list).not.toContain(`value="${appUserGrant}"`);

    // The app user posts the other grant's id, then Revoke all: the token's connection survives.
    const revokeOne = parseForms(appUser.list).find((f) => f.action === "/apps/revoke")!;
    expect((await appUser.browser.submit(revokeOne, { grant_id: tokenGrant })).status).toBe(303);
    const revokeAll = parseForms(appUser.list).find((f) => f.action === "/apps/revoke-all")!;
    expect((await appUser.browser.submit(revokeAll, {})).status).toBe(303);
    const listTools = { jsonrpc: "2.0", id: 1, method: "tools/list" };
    expect((await mcpCall(viaAppUser.provider.savedTokens!.access_token, listTools)).status).toBe(401);
    expect((await mcpCall(viaToken.provider.savedTokens!.access_token, listTools)).status).toBe(200);
    // Signing out from the token's session disconnects its own connections only.
    const signOut = parseForms(token.list).find((f) => f.action === "/logout")!;
    expect((await token.browser.submit(signOut, {})).status).toBe(200);
    expect((await mcpCall(viaToken.provider.savedTokens!.access_token, listTools)).status).toBe(401);
  });

  it("not signed in: the token and password sign-in forms, then back to the list", async () => {
    await connectWithOAuth(alice);
    const browser = new TestBrowser();
    const page = await (await browser.fetch("/apps")).text();
    expect(page).toContain("Sign in to see your connected apps");
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    expect(form.action).toBe("/apps/sign-in");

    const wrong = await browser.submit(form, { [fieldNameForLabel(page, "Instance URL")]: alice.instanceUrl, [fieldNameForLabel(page, "Metadata API token")]: "not-the-token" });
    expect(wrong.status).toBe(400);
    const again = await wrong.text();
    expect(again).toContain("Xano did not accept this token");

    const retry = parseForms(again).find((f) => f.fields.method === "metadata_token")!;
    const response = await browser.submit(retry, { [fieldNameForLabel(again, "Instance URL")]: alice.instanceUrl, [fieldNameForLabel(again, "Metadata API token")]: alice.token });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/apps");
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("__Host-xano-mcp-session="))!;
    expect(cookie).toMatch(/; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
    const list = await (await browser.fetch("/apps")).text();
    expect(list).toContain("<h1>Connected apps</h1>");
    expect([...list.matchAll(/<li class="app">/g)].length).toBeGreaterThanOrEqual(1);

    // Sign out (the existing /logout): the session ends and the page asks to sign in again.
    const signOut = parseForms(list).find((f) => f.buttons.some((b) => b.text === "Sign out and disconnect all apps"))!;
    const out = await browser.submit(signOut, {});
    expect(out.status).toBe(200);
    expect(await out.text()).toContain("Signed out");
    expect(await (await browser.fetch("/apps")).text()).toContain("Sign in to see your connected apps");
  });

  it("Sign in with Xano works here too, and that session manages apps but cannot authorize new ones", async () => {
    const aliceOAuth = { method: "xano_oauth" as const, email: "alice@example.com", password: "alice-password" };
    await connectWithOAuth(aliceOAuth);
    const browser = new TestBrowser();
    const page = await (await browser.fetch("/apps")).text();
    const form = parseForms(page).find((f) => f.fields.step === "xano-oauth")!;
    expect(form.action).toBe("/apps/sign-in");
    const toXano = await browser.submit(form, {});
    expect(toXano.status).toBe(303);
    const xanoUrl = new URL(toXano.headers.get("Location")!);
    expect(xanoUrl.origin).not.toBe(ORIGIN);
    // Xano's own page (fake-xano), then back to our callback.
    const xanoPage = await (await browser.fetch(xanoUrl.toString())).text();
    const [xanoForm] = parseForms(xanoPage, xanoUrl.origin);
    const back = await browser.submit(xanoForm, { email: aliceOAuth.email, password: aliceOAuth.password }, { name: "decision", value: "approve" });
    expect(back.status).toBe(302);
    const callback = await browser.fetch(back.headers.get("Location")!);
    expect(callback.status).toBe(303);
    expect(callback.headers.get("Location")).toBe("/apps");

    const list = await (await browser.fetch("/apps")).text();
    expect(list).toContain("<h1>Connected apps</h1>");
    expect(list).toContain("alice@example.com");
    expect([...list.matchAll(/<li class="app">/g)].length).toBeGreaterThanOrEqual(1);

    // The callback's state works once.
    expect((await browser.fetch(back.headers.get("Location")!)).status).toBe(400);

    // This session holds no Xano credential: /authorize asks to sign in instead of offering consent.
    const { client: afterApps } = await register({ client_name: "After Apps" });
    const signInAgain = await (await browser.fetch(authorizeUrl(afterApps.client_id, (await pkcePair()).challenge).toString())).text();
    const forms = parseForms(signInAgain);
    expect(forms.some((f) => f.fields.step === "sign-in")).toBe(true);
    expect(forms.some((f) => f.fields.step === "consent")).toBe(false);
  });

  it.each(["constructor", "toString", "__proto__", "hasOwnProperty"])("?revoked=%s shows no notice (never an inherited property's source)", async (name) => {
    const browser = new TestBrowser();
    await connectWithOAuth(alice, "streamable", new MemoryOAuthProvider(), browser);
    const response = await browser.fetch(`/apps?revoked=${name}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("<h1>Connected apps</h1>");
    expect(page).not.toContain('class="notice"');
    expect(page).not.toContain("[native code]");
  });

  it("the home page links to it", async () => {
    expect(await (await SELF.fetch(`${ORIGIN}/`)).text()).toContain('href="/apps"');
  });
});

describe("error pages say what went wrong and what to do, never a stack trace", () => {
  function expectHelpfulPage(response: Response, page: string, status: number, ...phrases: string[]) {
    expect(response.status).toBe(status);
    expect(response.headers.get("Content-Type")).toContain("text/html");
    expect(page).toContain('role="alert"');
    for (const phrase of phrases) expect(page).toContain(phrase);
    expect(page).not.toMatch(/\bat \S+ \(|\.ts:\d+|TypeError|undefined/);
  }

  it("a wrong token: the sign-in page again, naming the problem", async () => {
    const browser = new TestBrowser();
    const page = await (await browser.fetch("/apps")).text();
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    const response = await browser.submit(form, { [fieldNameForLabel(page, "Instance URL")]: alice.instanceUrl, [fieldNameForLabel(page, "Metadata API token")]: "wrong" });
    expectHelpfulPage(response, await response.text(), 400, "Xano did not accept this token", "Check that you copied the whole token");
  });

  it("Xano unreachable while checking a token", async () => {
    fake.knobs.failNext({ route: "GET /api:meta/auth/me", status: "network" });
    const browser = new TestBrowser();
    const page = await (await browser.fetch("/apps")).text();
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    const response = await browser.submit(form, { [fieldNameForLabel(page, "Instance URL")]: alice.instanceUrl, [fieldNameForLabel(page, "Metadata API token")]: alice.token });
    expectHelpfulPage(response, await response.text(), 400, "Could not reach", "try again");
  });

  it("Xano unreachable for Sign in with Xano: 502 with what to do", async () => {
    const { page, browser } = await consentPageFor(null);
    // A consent page reached through "Sign in with Xano" posts via=xano_oauth.
    const consent = parseForms(page).find((f) => f.fields.step === "consent")!;
    fake.knobs.failNext({ route: "GET /.well-known/oauth-authorization-server", status: "network" });
    const response = await browser.submit({ ...consent, fields: { ...consent.fields, via: "xano_oauth" } }, {}, { name: "decision", value: "approve" });
    expectHelpfulPage(response, await response.text(), 502, "Xano could not be reached", "connect again");
  });

  it("an expired or already used sign-in request", async () => {
    const { page, browser } = await consentPageFor(null);
    const consent = parseForms(page).find((f) => f.fields.step === "consent")!;
    expect((await browser.submit(consent, {}, { name: "decision", value: "approve" })).status).toBe(302);
    const replay = await browser.submit(consent, {}, { name: "decision", value: "approve" });
    expectHelpfulPage(replay, await replay.text(), 400, "This sign-in request is not valid", "start again", "start connecting again");
  });
});
