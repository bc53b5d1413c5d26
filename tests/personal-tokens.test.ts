/**
 * Personal access tokens, end to end: created on /apps through its pages (sign-in, the create form
 * with its CSRF token, the token scraped from the page that shows it once), then used as a Bearer
 * on /mcp by the official MCP SDK client and raw HTTP, against fake-xano.
 */
import { SELF, createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { beforeEach, describe, expect, it } from "vitest";
import { captureWorkerConsole } from "./harness/console-lines";
import worker from "../src/index";
import { ALICE_METADATA_TOKEN } from "../fixtures/seed";
import { ORIGIN, TestBrowser, decodeEntities, parseForms } from "./harness/browser";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { callTool, workerFetch } from "./harness/mcp-client";
import { throughXano } from "./harness/sign-in-pages";

const fake = useFakeXano();
const BOB = 2;
const bobPassword = { method: "app_auth", values: { email: "bob@example.com", password: "bob-password" } };
const aliceToken = { method: "metadata_token", values: { instance_url: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN } };
const TOKEN_SHAPE = /^xmcp_pat_[A-Za-z0-9_-]{43}$/;

// Everything the Worker writes to the console during a test.
const { lines } = captureWorkerConsole();
function events(name: string): Array<Record<string, any>> {
  return lines.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as Record<string, any>;
      return parsed.event === name ? [parsed] : [];
    } catch {
      return [];
    }
  });
}
// KV outlives a test in this pool: start each with no personal tokens.
beforeEach(async () => {
  for (const { name } of (await env.OAUTH_KV.list({ prefix: "pat" })).keys) await env.OAUTH_KV.delete(name);
});

async function signInToApps(who: { method: string; values: Record<string, string> }, browser = new TestBrowser()) {
  const page = await (await browser.fetch("/apps")).text();
  const form = parseForms(page).find((f) => f.fields.method === who.method)!;
  expect((await browser.submit(form, who.values)).status).toBe(303);
  return browser;
}

async function appsPage(browser: TestBrowser): Promise<string> {
  const response = await browser.fetch("/apps");
  expect(response.status).toBe(200);
  return response.text();
}

/** Fills and posts the create form; returns the response and the token shown (if any). */
async function createToken(browser: TestBrowser, values: Record<string, string | string[]>) {
  const page = await appsPage(browser);
  const form = parseForms(page).find((f) => f.action === "/apps/tokens");
  if (!form) throw new Error("no create form on /apps");
  const response = await browser.submit(form, values);
  const text = await response.text();
  const shown = text.match(/name="personal_token" value="([^"]+)"/);
  return { response, page: text, token: shown ? decodeEntities(shown[1]) : null };
}

async function newToken(browser: TestBrowser, values: Record<string, string | string[]> = {}): Promise<string> {
  const created = await createToken(browser, { name: "CI script", access: "read_write", lifetime: "30", ...values });
  expect(created.response.status, created.page).toBe(200);
  expect(created.token).toMatch(TOKEN_SHAPE);
  return created.token!;
}

async function connectWithToken(token: string, path = "/mcp") {
  const client = new Client({ name: "pat-client", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${ORIGIN}${path}`), { fetch: workerFetch, requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

function rawCall(token: string, body: unknown) {
  return SELF.fetch(`${ORIGIN}/mcp`, {
    method: "POST",
    headers: { Host: "localhost:8787", Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream", "MCP-Protocol-Version": "2025-06-18" },
    body: JSON.stringify(body),
  });
}
const toolCall = (token: string, name: string) => rawCall(token, { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name, arguments: {} } });

function expectInvalidTokenChallenge(response: Response) {
  expect(response.status).toBe(401);
  const challenge = response.headers.get("WWW-Authenticate")!;
  expect(challenge).toMatch(/^Bearer /);
  expect(challenge).toContain('error="invalid_token"');
  expect(challenge).toContain(`resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource"`);
}

function formFor(page: string, action: string, tokenName: string) {
  const item = page.split('<li class="app">').find((part) => part.includes(`>${tokenName}</h3>`));
  if (!item) throw new Error(`no token named ${tokenName} on the page`);
  return parseForms(item).find((f) => f.action === action);
}

describe("creating a personal access token on /apps", () => {
  it("is shown once with ready-to-paste examples, serves tools to the MCP SDK client, and is listed", async () => {
    const browser = await signInToApps(bobPassword);
    const created = await createToken(browser, { name: "Nightly report", access: "read_write", lifetime: "90" });
    expect(created.response.status).toBe(200);
    expect(created.response.headers.get("Cache-Control")).toBe("no-store");
    const token = created.token!;
    expect(token).toMatch(TOKEN_SHAPE);
    const page = decodeEntities(created.page);
    expect(page).toContain(`{"type":"url","url":"${ORIGIN}/mcp","name":"xano","authorization_token":"${token}"}`);
    expect(page).toContain(`curl -sS ${ORIGIN}/mcp -H "Authorization: Bearer ${token}"`);
    expect(created.page).toMatch(/<input type="text" id="personal-token" name="personal_token" value="[^"]+" readonly/);

    const client = await connectWithToken(token);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("debug_expire_oauth_tokens"); // read and change: write tools listed
    const me = await callTool(client, "whoami");
    expect(me.envelope).toMatchObject({ success: true, data: { user: { id: BOB }, signInMethod: "app_auth" } });
    await client.close();

    // The curl line's request, as is: tools/list without a session.
    const listed = await rawCall(token, { jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(listed.status).toBe(200);
    expect(await listed.text()).toContain("whoami");

    // Also on the legacy /sse endpoint's stream.
    const sse = await SELF.fetch(`${ORIGIN}/sse`, { headers: { Authorization: `Bearer ${token}`, Accept: "text/event-stream" } });
    expect(sse.status).toBe(200);
    await sse.body?.cancel();

    const list = decodeEntities(await appsPage(browser));
    const item = list.split('<li class="app">').find((part) => part.includes(">Nightly report</h3>"))!;
    expect(item).toContain("<dt>Access</dt><dd>Read and write</dd>");
    expect(item).toMatch(/<dt>Tools<\/dt><dd>[^<]+<\/dd>/);
    expect(item).toMatch(/<dt>Created<\/dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/dd>/);
    expect(item).toMatch(/<dt>Expires<\/dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/dd>/);
    expect(item).toMatch(/<dt>Last used<\/dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/dd>/);
    expect(list).not.toContain(token);

    // Stored only as a hash: not in any KV key or value, nor in any log line.
    const { keys } = await env.OAUTH_KV.list();
    expect(keys.some((k) => k.name.startsWith("pat:"))).toBe(true);
    for (const { name } of keys) expect(`${name} ${await env.OAUTH_KV.get(name)}`).not.toContain(token.slice("xmcp_pat_".length));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain(token.slice("xmcp_pat_".length));
  });

  it("offers 7, 30, 90 and 365 days and no 'never' unless the operator allows it; a bad form creates nothing", async () => {
    const browser = await signInToApps(bobPassword);
    const page = await appsPage(browser);
    for (const days of ["7", "30", "90", "365"]) expect(page).toContain(`<option value="${days}"`);
    expect(page).not.toContain('value="never"');
    const bad: Array<Record<string, string | string[]>> = [{ lifetime: "never" }, { lifetime: "1000" }, { name: "" }, { access: "admin" }, { toolsets: ["nope"] }];
    for (const values of bad) {
      const created = await createToken(browser, { name: "x", access: "read", lifetime: "7", ...values });
      expect(created.response.status, JSON.stringify(values)).toBe(400);
      expect(created.token).toBeNull();
    }
    expect((await env.OAUTH_KV.list({ prefix: "pat:" })).keys).toHaveLength(0);
  });

  it("is refused without the CSRF token, and when signed out", async () => {
    const browser = await signInToApps(bobPassword);
    const page = await appsPage(browser);
    const form = parseForms(page).find((f) => f.action === "/apps/tokens")!;
    const forged = await browser.submit(form, { name: "x", csrf_token: "x".repeat(32) });
    expect(forged.status).toBe(403);
    browser.cookies.delete("__Host-xano-mcp-session");
    expect((await browser.submit(form, { name: "x" })).status).toBe(401);
    expect((await env.OAUTH_KV.list({ prefix: "pat:" })).keys).toHaveLength(0);
  });

  it("caps a person at 20 tokens with a clear error", async () => {
    const browser = await signInToApps(bobPassword);
    for (let i = 0; i < 20; i++) await newToken(browser, { name: `token ${i}` });
    const over = await createToken(browser, { name: "one too many", access: "read", lifetime: "7" });
    expect(over.response.status).toBe(409);
    expect(over.token).toBeNull();
    expect(over.page).toContain("You already have 20 personal access tokens");
  }, 60_000);
});

describe("using a personal access token", () => {
  it("keeps working past the Xano credential's expiry: the token's own credential is refreshed", async () => {
    const browser = await signInToApps(bobPassword);
    const token = await newToken(browser);
    const client = await connectWithToken(token);
    expect((await callTool(client, "debug_expire_oauth_tokens")).envelope.success).toBe(true);
    const before = fake.log.entries.filter((e) => e.route?.includes("auth/me")).length;
    expect((await callTool(client, "whoami")).envelope.success).toBe(true);
    expect(fake.log.entries.filter((e) => e.route?.includes("auth/me")).length).toBeGreaterThan(before);
    const credential = (await callTool(client, "debug_auth")).envelope.data.credential;
    expect(credential.dead).toBeNull();
    expect(credential.refreshCount).toBeGreaterThanOrEqual(1);
    await client.close();
  });

  it("when its Xano credential dies: the documented 401, 'needs a new sign-in' on /apps, and reconnecting keeps the token", async () => {
    const browser = await signInToApps(bobPassword);
    const token = await newToken(browser, { name: "Long job" });
    expect((await toolCall(token, "debug_expire_oauth_tokens")).status).toBe(200);
    fake.knobs.revokeUserTokens({ userId: BOB, kind: "app_auth" });
    const dead = await toolCall(token, "whoami");
    expectInvalidTokenChallenge(dead);
    expect(dead.headers.get("WWW-Authenticate")).toContain("sign in again");
    expect(events("credential_dead").length).toBeGreaterThan(0);
    expect(events("request").some((l) => l.route === "/mcp" && l.status === 401 && l.clientId === "personal-access-token")).toBe(true);

    // The person signs in again (a fresh credential) and reconnects the token.
    const again = await signInToApps(bobPassword);
    const page = decodeEntities(await appsPage(again));
    expect(page).toContain("Needs a new sign-in");
    const reconnect = formFor(page, "/apps/tokens/reconnect", "Long job")!;
    const done = await again.submit(reconnect, {});
    expect(done.status).toBe(303);
    expect(decodeEntities(await appsPage(again))).not.toContain("Needs a new sign-in");
    const revived = await toolCall(token, "whoami");
    expect(revived.status).toBe(200);
    const answer = await revived.text();
    expect(answer).toContain("bob@example.com");
    expect(answer).not.toContain('"isError":true');
  });

  it("read only: write tools are not listed, and a write call gets the same 403 as a read-only grant", async () => {
    const browser = await signInToApps(bobPassword);
    const token = await newToken(browser, { access: "read" });
    const client = await connectWithToken(token);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("whoami");
    expect(names).not.toContain("debug_expire_oauth_tokens");
    await client.close();
    const response = await toolCall(token, "debug_expire_oauth_tokens");
    expect(response.status).toBe(403);
    expect(response.headers.get("WWW-Authenticate")).toContain('error="insufficient_scope"');
    expect(response.headers.get("WWW-Authenticate")).toContain('scope="xano:read xano:write"');
  });

  it("lists only the toolsets chosen", async () => {
    const browser = await signInToApps(bobPassword);
    const token = await newToken(browser, { toolsets: [] });
    const client = await connectWithToken(token);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("xano_find_operations");
    expect(names).not.toContain("xano_list_tables");
    await client.close();
  });

  it("revoked: 401 with our challenge at once", async () => {
    const browser = await signInToApps(bobPassword);
    const token = await newToken(browser, { name: "To revoke" });
    expect((await toolCall(token, "whoami")).status).toBe(200);
    const revoke = formFor(await appsPage(browser), "/apps/tokens/revoke", "To revoke")!;
    expect((await browser.submit(revoke, {})).status).toBe(303);
    expectInvalidTokenChallenge(await toolCall(token, "whoami"));
    expect(events("oauth_error")).toContainEqual(expect.objectContaining({ code: "invalid_token", reason: "external_token_rejected" }));
    expect(await appsPage(browser)).not.toContain("To revoke");
  });

  it("expired: refused with 401 invalid_token, shown as expired, and removed by the scheduled purge", async () => {
    const browser = await signInToApps(bobPassword);
    const token = await newToken(browser, { name: "Short lived", lifetime: "7" });
    // A week passes: the record's expiry is moved into the past.
    const [{ name: key }] = (await env.OAUTH_KV.list({ prefix: "pat:" })).keys;
    const record = (await env.OAUTH_KV.get<Record<string, unknown>>(key, { type: "json" }))!;
    const expiresAt = Date.now() - 1000;
    await env.OAUTH_KV.put(key, JSON.stringify({ ...record, expiresAt }));
    const [index] = (await env.OAUTH_KV.list({ prefix: "pat-user:" })).keys;
    await env.OAUTH_KV.put(index.name, (await env.OAUTH_KV.get(index.name))!, { metadata: { ...(index.metadata as object), expiresAt } });

    const refused = await toolCall(token, "whoami");
    expectInvalidTokenChallenge(refused);
    expect(await refused.json()).toMatchObject({ error: "invalid_token", error_description: "The personal access token expired" });
    expect(events("oauth_error")).toContainEqual(expect.objectContaining({ code: "invalid_token", status: 401, category: "protected-resource", reason: "resolver_rejected" }));
    expect(await appsPage(browser)).toContain("Expired ");

    const ctx = createExecutionContext();
    await (worker as ExportedHandler<Env>).scheduled!(createScheduledController({ cron: "17 * * * *", scheduledTime: Date.now() }), env as never, ctx);
    await waitOnExecutionContext(ctx);
    expect((await env.OAUTH_KV.list({ prefix: "pat" })).keys).toHaveLength(0);
    expect(await appsPage(browser)).not.toContain("Short lived");
  });

  it("a token that is not ours is refused like any unknown bearer", async () => {
    expectInvalidTokenChallenge(await toolCall(`xmcp_pat_${"A".repeat(43)}`, "whoami"));
    expectInvalidTokenChallenge(await toolCall("not-a-token", "whoami"));
  });
});

describe("another person", () => {
  it("cannot list or revoke someone else's token", async () => {
    const bob = await signInToApps(bobPassword);
    const token = await newToken(bob, { name: "Bob secret job" });
    const bobRevoke = formFor(await appsPage(bob), "/apps/tokens/revoke", "Bob secret job")!;

    const alice = await signInToApps(aliceToken);
    const alicePage = decodeEntities(await appsPage(alice));
    expect(alicePage).not.toContain("Bob secret job");
    const aliceCsrf = parseForms(alicePage).find((f) => f.action === "/apps/tokens")!.fields.csrf_token;
    expect((await alice.submit({ ...bobRevoke, fields: { ...bobRevoke.fields, csrf_token: aliceCsrf } }, {})).status).toBe(303);
    expect((await alice.submit({ ...bobRevoke, action: "/apps/tokens/reconnect", fields: { ...bobRevoke.fields, csrf_token: aliceCsrf } }, {})).status).toBe(404);
    expect((await toolCall(token, "whoami")).status).toBe(200);
    expect(decodeEntities(await appsPage(bob))).toContain("Bob secret job");
  });
});

describe("a 'Sign in with Xano' session on /apps: each token gets its own trip through Xano", () => {
  const ALICE = 1;
  const aliceWithXano = { email: "alice@example.com", password: "alice-password", instance: "x1234-5678-9012" };
  const bobWithXano = { email: "bob@example.com", password: "bob-password" };
  const tripKeys = async () => (await env.OAUTH_KV.list({ prefix: "apps-token-trip:" })).keys.length;
  const patKeys = async () => (await env.OAUTH_KV.list({ prefix: "pat" })).keys.length;

  async function signInToAppsWithXano(who: { email: string; password: string; instance?: string }, browser = new TestBrowser()) {
    const page = await (await browser.fetch("/apps")).text();
    const back = await throughXano(browser, await browser.submit(parseForms(page).find((f) => f.fields.step === "xano-oauth")!, {}), who);
    expect(back.status).toBe(303);
    return browser;
  }

  /** Posts the create form; the answer is the redirect to Xano. */
  async function startCreate(browser: TestBrowser, values: Record<string, string | string[]> = {}) {
    const form = parseForms(await appsPage(browser)).find((f) => f.action === "/apps/tokens")!;
    return browser.submit(form, { name: "Via Xano", access: "read_write", lifetime: "30", ...values });
  }

  function shownToken(page: string): string | null {
    const shown = page.match(/name="personal_token" value="([^"]+)"/);
    return shown ? decodeEntities(shown[1]) : null;
  }

  it("creates a token with Xano's fresh credential in its own store: shown once, serves tools/list, refreshes past Xano's expiry", async () => {
    const browser = await signInToAppsWithXano(aliceWithXano);
    const page = await appsPage(browser);
    expect(page).toContain("Continue to Xano to create the token");
    expect(page).not.toContain("sign in here with a Metadata API token");
    const toXano = await startCreate(browser);
    expect(await patKeys()).toBe(0); // nothing stored until Xano answers
    const shown = await throughXano(browser, toXano, aliceWithXano);
    const text = await shown.text();
    expect(shown.status, text).toBe(200);
    expect(shown.headers.get("Cache-Control")).toBe("no-store");
    const token = shownToken(text)!;
    expect(token).toMatch(TOKEN_SHAPE);
    expect(decodeEntities(text)).toContain(`"authorization_token":"${token}"`);

    const client = await connectWithToken(token);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("whoami");
    expect((await callTool(client, "whoami")).envelope).toMatchObject({ success: true, data: { user: { id: ALICE }, signInMethod: "xano_oauth" } });
    expect((await callTool(client, "debug_expire_oauth_tokens")).envelope.success).toBe(true);
    const refreshesBefore = fake.log.count("POST /oauth/token");
    expect((await callTool(client, "whoami")).envelope.success).toBe(true);
    expect(fake.log.count("POST /oauth/token")).toBeGreaterThan(refreshesBefore);
    const credential = (await callTool(client, "debug_auth")).envelope.data.credential;
    expect(credential.dead).toBeNull();
    expect(credential.refreshCount).toBeGreaterThanOrEqual(1);
    await client.close();

    const listed = decodeEntities(await appsPage(browser));
    expect(listed).toContain(">Via Xano</h3>");
    expect(listed).not.toContain(token);
    expect(await tripKeys()).toBe(0); // the trip was used up
  });

  it("reconnects a token whose Xano credential died, through Xano, keeping the token", async () => {
    const browser = await signInToAppsWithXano(aliceWithXano);
    const token = shownToken(await (await throughXano(browser, await startCreate(browser, { name: "Long job" }), aliceWithXano)).text())!;
    expect(token).toMatch(TOKEN_SHAPE);
    expect((await toolCall(token, "debug_expire_oauth_tokens")).status).toBe(200);
    fake.knobs.revokeUserTokens({ userId: ALICE, kind: "oauth_refresh" });
    expectInvalidTokenChallenge(await toolCall(token, "whoami"));

    const page = decodeEntities(await appsPage(browser));
    expect(page).toContain("Needs a new sign-in");
    const reconnect = formFor(page, "/apps/tokens/reconnect", "Long job")!;
    expect(page).toContain("Reconnect through Xano");
    const back = await throughXano(browser, await browser.submit(reconnect, {}), aliceWithXano);
    expect(back.status).toBe(303);
    expect(back.headers.get("Location")).toContain("token=reconnected");
    expect(decodeEntities(await appsPage(browser))).not.toContain("Needs a new sign-in");
    const revived = await toolCall(token, "whoami");
    expect(revived.status).toBe(200);
    const answer = await revived.text();
    expect(answer).toContain("alice@example.com");
    expect(answer).not.toContain('"isError":true');
  });

  it("refuses another Xano account on return: nothing stored, the credential Xano issued revoked at Xano", async () => {
    const browser = await signInToAppsWithXano(aliceWithXano);
    const toXano = await startCreate(browser);
    const revocationsBefore = fake.log.count("POST /oauth/revoke");
    const refused = await throughXano(browser, toXano, bobWithXano);
    const text = await refused.text();
    expect(refused.status, text).toBe(403);
    expect(text).toContain("You signed in to Xano as someone else");
    expect(shownToken(text)).toBeNull();
    expect(await patKeys()).toBe(0);
    expect(await tripKeys()).toBe(0);
    expect(fake.log.count("POST /oauth/revoke")).toBe(revocationsBefore + 1);
  });

  it("refuses a forged form, a state finished by another browser's sign-in, a tampered state and a replayed one", async () => {
    const browser = await signInToAppsWithXano(aliceWithXano);
    // CSRF: the form without its token goes nowhere and keeps nothing.
    const form = parseForms(await appsPage(browser)).find((f) => f.action === "/apps/tokens")!;
    const tripsBefore = await tripKeys();
    expect((await browser.submit(form, { name: "x", access: "read", lifetime: "7", csrf_token: "x".repeat(32) })).status).toBe(403);
    expect(await tripKeys()).toBe(tripsBefore);

    // The state finished in another browser (signed in on /apps as the same person): refused, and used up.
    const toXano = await startCreate(browser);
    const other = await signInToAppsWithXano(aliceWithXano);
    const elsewhere = await throughXano(other, toXano, aliceWithXano);
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain("started in another sign-in");
    expect(await patKeys()).toBe(0);

    // A tampered state is not a token trip's, and shows no token.
    const second = await startCreate(browser);
    const xanoUrl = new URL(second.headers.get("Location")!);
    xanoUrl.searchParams.set("state", `${xanoUrl.searchParams.get("state")}x`);
    const tampered = await throughXano(browser, new Response(null, { status: 303, headers: { Location: xanoUrl.toString() } }), aliceWithXano);
    expect(tampered.status).toBeGreaterThanOrEqual(400);
    expect(shownToken(await tampered.text())).toBeNull();
    expect(await patKeys()).toBe(0);

    // The genuine return works once; its replay shows nothing more.
    const xanoPage = await (await browser.fetch(second.headers.get("Location")!)).text();
    const [xanoForm] = parseForms(xanoPage, new URL(second.headers.get("Location")!).origin);
    const back = await browser.submit(xanoForm, aliceWithXano, { name: "decision", value: "approve" });
    expect(back.status).toBe(302);
    const callback = back.headers.get("Location")!;
    const first = await browser.fetch(callback);
    expect(first.status).toBe(200);
    expect(shownToken(await first.text())).toMatch(TOKEN_SHAPE);
    const replay = await browser.fetch(callback);
    expect(replay.status).toBeGreaterThanOrEqual(400);
    expect(shownToken(await replay.text())).toBeNull();
    expect((await env.OAUTH_KV.list({ prefix: "pat:" })).keys).toHaveLength(1);
  });
});
