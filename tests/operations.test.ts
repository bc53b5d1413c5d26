/**
 * Operating the server: the structured log (every request and Xano call logged, no secret from a
 * whole flow in any line), /health, /status, /debug-oauth, and the scheduled purge of expired
 * registrations and grants. Everything goes through the real Worker (SELF) and fake-xano.
 */
import { SELF, createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../src/index";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { captureWorkerConsole } from "./harness/console-lines";
import { createFakeXano } from "../fake-xano/index";
import { startFakeXanoNetwork } from "../fake-xano/msw";
import { ALICE_METADATA_TOKEN, BOB_METADATA_TOKEN } from "../fixtures/seed";
import { ORIGIN, TestBrowser } from "./harness/browser";
import { SHARED_INSTANCE_URL } from "./harness/fake-xano-network";
import { MemoryOAuthProvider, authorizeInBrowser, callTool, workerFetch, type SignInAs } from "./harness/mcp-client";
import { formatLogLine, setDebugLogging } from "../src/observability/log";
import { createPagesRouter } from "../src/front-door/pages-router";
import { handleHealth } from "../src/operations/health";
import { loadConfig, type Config } from "../src/config";
import { SERVER_INFO } from "../src/server-info";

// fake-xano on the Worker's network, with every secret that crosses that network recorded: bearer
// tokens, passwords, codes, verifiers and refresh tokens sent to Xano, and tokens Xano answers with.
const fake = createFakeXano();
const secrets = new Set<string>();
let network: ReturnType<typeof startFakeXanoNetwork>;

function keep(value: unknown) {
  if (typeof value === "string" && value.length >= 8) secrets.add(value);
}
const SECRET_FIELDS = ["access_token", "refresh_token", "code", "code_verifier", "password", "token", "authToken", "api_key"];
function keepFields(record: Record<string, unknown> | URLSearchParams) {
  for (const name of SECRET_FIELDS) keep(record instanceof URLSearchParams ? record.get(name) : record[name]);
}
async function keepBody(message: Request | Response) {
  const text = new TextDecoder().decode(await message.clone().arrayBuffer().catch(() => new ArrayBuffer(0)));
  if (!text) return;
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === "object") keepFields(parsed);
  } catch {
    keepFields(new URLSearchParams(text));
  }
}

beforeAll(() => {
  network = startFakeXanoNetwork(fake);
  network.events.on("request:start", async ({ request }) => {
    keep(request.headers.get("Authorization")?.replace(/^Bearer\s+/i, ""));
    keepFields(new URL(request.url).searchParams);
    await keepBody(request);
  });
  network.events.on("response:mocked", async ({ response }) => {
    const location = response.headers.get("Location");
    if (location) keepFields(new URL(location, "http://x").searchParams);
    for (const cookie of response.headers.getSetCookie()) keep(cookie.split(";")[0].split("=")[1]);
    await keepBody(response);
  });
});
afterAll(() => network.close());
beforeEach(() => fake.reset());

// Everything the Worker writes to the console during a test.
const { lines } = captureWorkerConsole();

type Line = Record<string, any>;
function events(name?: string): Line[] {
  const parsed = lines.map((line) => JSON.parse(line) as Line);
  return name ? parsed.filter((l) => l.event === name) : parsed;
}

const ALICE_OAUTH: SignInAs = { method: "xano_oauth", email: "alice@example.com", password: "alice-password", instance: "x1234-5678-9012" };
const MCP_URL = new URL(`${ORIGIN}/mcp`);

/** The whole sign-in as an MCP client does it, keeping every secret it sees on our side. */
async function signIn(as: SignInAs) {
  const provider = new MemoryOAuthProvider();
  const browser = new TestBrowser();
  expect(await auth(provider, { serverUrl: MCP_URL, fetchFn: workerFetch })).toBe("REDIRECT");
  const { code } = await authorizeInBrowser(browser, provider.authorizationUrl!, as);
  expect(await auth(provider, { serverUrl: MCP_URL, authorizationCode: code, fetchFn: workerFetch })).toBe("AUTHORIZED");
  keep(code);
  keep(provider.verifier);
  keep(provider.savedTokens!.access_token);
  keep(provider.savedTokens!.refresh_token);
  for (const value of browser.cookies.values()) keep(value);
  const client = new Client({ name: "ops-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider, fetch: workerFetch }));
  return { client, provider, browser };
}

function bearerFetch(path: string, token: string, init: RequestInit = {}) {
  return SELF.fetch(`${ORIGIN}${path}`, { ...init, headers: { Host: "localhost:8787", Authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
}

describe("structured logs", () => {
  it("a full flow (three sign-in methods, consent, token, refreshes, tools, status, logout) logs every step and no secret", async () => {
    for (const known of [ALICE_METADATA_TOKEN, BOB_METADATA_TOKEN, "alice-password", "bob-password"]) keep(known);

    // 1. Sign in with Xano, tools, a Xano refresh, an MCP token refresh, /status, logout.
    const alice = await signIn(ALICE_OAUTH);
    expect((await callTool(alice.client, "xano_list_tables", { workspace_id: 1, per_page: 2 })).envelope.success).toBe(true);
    await callTool(alice.client, "debug_expire_oauth_tokens");
    expect((await callTool(alice.client, "xano_list_databases")).envelope.success).toBe(true);
    const refreshed = await workerFetch(`${ORIGIN}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: alice.provider.savedTokens!.refresh_token!, client_id: alice.provider.client!.client_id }).toString(),
    });
    expect(refreshed.status).toBe(200);
    const rotated = (await refreshed.json()) as { access_token: string; refresh_token: string };
    keep(rotated.access_token);
    keep(rotated.refresh_token);
    const status = await bearerFetch("/status", rotated.access_token);
    expect(status.status).toBe(200);
    const statusBody = await status.text();
    expect(JSON.parse(statusBody)).toMatchObject({ signInMethod: "xano_oauth", instanceHost: "x1234-5678-9012.n7.xano.io", credential: { canRefresh: true, refreshCount: 1 } });
    // A refresh token replayed after rotation: the library's reason reaches the log, the token does not.
    const replay = await workerFetch(`${ORIGIN}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "not-" + rotated.refresh_token, client_id: alice.provider.client!.client_id }).toString(),
    });
    expect(replay.status).toBe(400);
    expect((await bearerFetch("/logout", rotated.access_token, { method: "POST" })).status).toBe(200);
    await alice.client.close();

    // 2. Metadata API token, and 3. email and password.
    const bob = await signIn({ instanceUrl: SHARED_INSTANCE_URL, token: BOB_METADATA_TOKEN });
    expect((await callTool(bob.client, "whoami")).envelope.success).toBe(true);
    await bob.client.close();
    const bobApp = await signIn({ method: "app_auth", email: "bob@example.com", password: "bob-password" });
    expect((await callTool(bobApp.client, "xano_list_databases")).envelope.success).toBe(true);
    await bobApp.client.close();

    // Every line is one JSON object with an event name.
    expect(lines.length).toBeGreaterThan(40);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty("event");

    // No secret of the flow in any line (and we did collect the secrets we expect to exist).
    expect(statusBody).not.toContain(rotated.access_token);
    expect(secrets.size).toBeGreaterThan(15);
    for (const needle of [ALICE_METADATA_TOKEN, "alice-password", "bob-password", rotated.refresh_token]) expect(secrets).toContain(needle);
    const everything = lines.join("\n");
    for (const secret of secrets) expect(everything.includes(secret), `a log line contains a secret (${secret.slice(0, 4)}…)`).toBe(false);
    expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/); // no JWT at all
    expect(everything).not.toMatch(/[?&](code|state|token)=/); // no query string

    // The expected events, with the fields that identify them.
    const requests = events("request");
    const routes = new Set(requests.map((r) => `${r.method} ${r.route}`));
    for (const route of ["POST /oauth/register", "GET /authorize", "POST /authorize", "GET /oauth/xano/callback", "POST /oauth/token", "POST /mcp", "GET /status", "POST /logout"]) {
      expect(routes, route).toContain(route);
    }
    for (const r of requests) expect(r).toMatchObject({ requestId: expect.any(String), status: expect.any(Number), durationMs: expect.any(Number) });
    const toolCall = requests.find((r) => r.tool === "xano_list_tables")!;
    expect(toolCall).toMatchObject({ rpc: "tools/call", status: 200, userId: expect.stringMatching(/^xano\./), clientId: alice.provider.client!.client_id, kvLists: 0, storeCalls: 1, limiterCalls: 0 });
    // One KV read (the token) plus the credential-store hop, which also counts the call's rate limit.
    expect(toolCall.kvReads).toBeLessThanOrEqual(1);
    expect(requests.find((r) => r.route === "/oauth/token" && r.status === 200)?.clientId).toBe(alice.provider.client!.client_id);

    // A request's successful Xano calls are folded into its request line; a Durable Object's
    // (outside any request line) and every failed one get their own xano_call line.
    const xanoCalls = events("xano_call");
    expect(toolCall).toMatchObject({ xanoCalls: 1, xanoMs: expect.any(Number), xanoRequests: "GET /api:meta/workspace/1/table 200" });
    expect(xanoCalls.filter((x) => x.requestId === toolCall.requestId)).toEqual([]);
    const xanoPaths = [...xanoCalls.map((x) => x.xanoPath), ...requests.flatMap((r) => (r.xanoRequests ?? "").split(", ").map((call: string) => call.split(" ")[1]))];
    for (const path of ["/oauth/token", "/api:auth/auth/login", "/api:meta/auth/me", "/oauth/revoke"]) expect(xanoPaths).toContain(path);

    const refresh = events("credential_refresh");
    expect(refresh).toHaveLength(1);
    expect(refresh[0]).toMatchObject({ outcome: "refreshed", signInMethod: "xano_oauth", xanoStatus: 200, reason: "expiring", refreshCount: 1, userId: toolCall.userId, requestId: expect.any(String) });
    // The refresh's own Xano call carries the id of the MCP request that needed it.
    expect(xanoCalls.find((x) => x.requestId === refresh[0].requestId && x.xanoPath === "/oauth/token")).toBeDefined();
    expect(events("oauth_error")).toContainEqual(expect.objectContaining({ code: "invalid_grant", category: "refresh-token-grant" }));
  });

  it("a successful tool call writes one line, its Xano call folded in; a failing Xano call keeps its own xano_call line", async () => {
    const alice = await signIn({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    const linesOf = (requestId: string) => events().filter((l) => l.requestId === requestId);

    expect((await callTool(alice.client, "xano_list_tables", { workspace_id: 1, per_page: 2 })).envelope.success).toBe(true);
    const ok = events("request").find((r) => r.tool === "xano_list_tables")!;
    expect(linesOf(ok.requestId)).toEqual([ok]);
    expect(ok).toMatchObject({ xanoCalls: 1, xanoMs: expect.any(Number), xanoRequests: "GET /api:meta/workspace/1/table 200" });

    fake.knobs.failNext({ route: "GET /api:meta/workspace/{w}/table", status: 500 });
    expect((await callTool(alice.client, "xano_list_tables", { workspace_id: 1, per_page: 2 })).envelope.success).toBe(false);
    const failed = events("request").filter((r) => r.tool === "xano_list_tables")[1];
    expect(failed).toMatchObject({ xanoCalls: 1, xanoRequests: "GET /api:meta/workspace/1/table 500" });
    expect(linesOf(failed.requestId).map((l) => l.event)).toEqual(["xano_call", "request"]);
    expect(linesOf(failed.requestId)[0]).toMatchObject({ method: "GET", xanoHost: expect.any(String), xanoPath: "/api:meta/workspace/1/table", xanoStatus: 500, durationMs: expect.any(Number) });
    await alice.client.close();
  });

  it("a call retried after Xano's 401 keeps its lines: the 401, the refresh's token call and the retry", async () => {
    const alice = await signIn(ALICE_OAUTH);
    fake.knobs.expireUserTokens({ userId: 1, kind: "oauth_access" });
    expect((await callTool(alice.client, "xano_list_tables", { workspace_id: 1, per_page: 2 })).envelope.success).toBe(true);
    const request = events("request").find((r) => r.tool === "xano_list_tables")!;
    expect(request).toMatchObject({ xanoCalls: 2, xanoRequests: "GET /api:meta/workspace/1/table 401, GET /api:meta/workspace/1/table 200" });
    const calls = events("xano_call").filter((x) => x.requestId === request.requestId);
    expect(calls.map((x) => `${x.xanoPath} ${x.xanoStatus}`)).toEqual(["/api:meta/workspace/1/table 401", "/oauth/token 200", "/api:meta/workspace/1/table 200"]);
    await alice.client.close();
  });

  it("the logger writes only allow-listed fields: no unknown key, no query string, token-like text masked, email only in debug", () => {
    const sneaky = { route: "/oauth/xano/callback?code=abc123&state=xyz", reason: "Xano said eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ", email: "alice@example.com", token: "secret-token", authorization: "Bearer x", cookie: "a=b" };
    try {
      setDebugLogging(false);
      const quiet = JSON.parse(formatLogLine("request", sneaky as never));
      expect(Object.keys(quiet).sort()).toEqual(["at", "event", "reason", "route"]);
      expect(quiet.route).toBe("/oauth/xano/callback");
      expect(quiet.reason).toBe("Xano said [redacted]");
      setDebugLogging(true);
      expect(JSON.parse(formatLogLine("request", sneaky as never)).email).toBe("alice@example.com");
    } finally {
      setDebugLogging(true); // the test Worker runs with DEBUG_TOOLS=true
    }
  });
});

describe("/health, /status, /debug-oauth", () => {
  it("GET /health: version and every check, one KV read and one Durable Object hop, no list", async () => {
    const response = await SELF.fetch(`${ORIGIN}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get("X-Request-Id")).toBeTruthy();
    const body = (await response.json()) as Record<string, any>;
    expect(body).toMatchObject({ status: "ok", version: SERVER_INFO.version, failed: [], warnings: [] });
    expect(Object.keys(body.checks)).toEqual(["configuration", "bindings", "kv", "durableObject"]);
    expect(events("request").find((r) => r.route === "/health")).toMatchObject({ kvReads: 1, kvLists: 0, kvWrites: 0, storeCalls: 1 });
  });

  it("GET /health through another origin than PUBLIC_URL warns (the localhost/127.0.0.1 trap)", async () => {
    const body = (await (await SELF.fetch("http://127.0.0.1:8787/health")).json()) as Record<string, any>;
    expect(body.warnings[0]).toContain("PUBLIC_URL is http://localhost:8787");
  });

  it("GET /health answers 503 naming the checks that failed when bindings are missing", async () => {
    const config = testConfig();
    const response = await handleHealth(new Request(`${ORIGIN}/health`), { CREDENTIAL_STORE: (env as unknown as Record<string, unknown>).CREDENTIAL_STORE } as never, config);
    expect(response.status).toBe(503);
    const body = (await response.json()) as Record<string, any>;
    expect(body.failed).toEqual(["bindings", "kv"]);
    expect(body.checks.bindings.error).toContain("OAUTH_KV");
    expect(events("health_failed").map((l) => l.check)).toEqual(["bindings", "kv"]);
  });

  it("GET /health checks the RATE_LIMITER binding too: without it, 503 naming it (and only it)", async () => {
    const bound = env as unknown as Record<string, unknown>;
    const { RATE_LIMITER: _, ...withoutRateLimiter } = bound;
    const response = await handleHealth(new Request(`${ORIGIN}/health`), withoutRateLimiter as never, testConfig());
    expect(response.status).toBe(503);
    const body = (await response.json()) as Record<string, any>;
    expect(body.failed).toEqual(["bindings"]);
    expect(body.checks.bindings.error).toBe("missing binding(s): RATE_LIMITER");
    expect(body.checks.bindings.fix).toContain("RATE_LIMITER");
  });

  it("GET /status needs the bearer token: 401 with a challenge without one or with a bad one", async () => {
    const none = await SELF.fetch(`${ORIGIN}/status`);
    expect(none.status).toBe(401);
    expect(none.headers.get("WWW-Authenticate")).toContain(`resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource"`);
    const bad = await bearerFetch("/status", "user:grant:not-a-real-token");
    expect(bad.status).toBe(401);
    expect(bad.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
  });

  it("GET /debug-oauth (debug on) shows the advertised endpoints and the caller's client registration; 404 with debug off", async () => {
    const { client, provider } = await signIn({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    const response = await bearerFetch("/debug-oauth", provider.savedTokens!.access_token);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(provider.savedTokens!.access_token);
    expect(JSON.parse(text)).toMatchObject({
      advertised: { token_endpoint: `${ORIGIN}/oauth/token`, resource: ORIGIN },
      caller: { signInMethod: "metadata_token", client: { clientId: provider.client!.client_id, redirectUris: ["http://localhost:3000/callback"] }, credential: { canRefresh: false } },
    });
    await client.close();
    const off = createPagesRouter({ ...testConfig(), debugTools: false });
    expect((await off.request(`${ORIGIN}/debug-oauth`, {}, env)).status).toBe(404);
  });
});

describe("scheduled purge", () => {
  it("removes expired registrations and grants (and the grants and tokens they orphan), keeps live ones; lists KV only here", async () => {
    // A real, live sign-in that must survive the purge.
    const live = await signIn({ instanceUrl: SHARED_INSTANCE_URL, token: BOB_METADATA_TOKEN });
    const now = Math.floor(Date.now() / 1000);
    const kv = env.OAUTH_KV;
    const client = (id: string, registrationExpiresAt?: number) =>
      kv.put(`client:${id}`, JSON.stringify({ clientId: id, redirectUris: ["http://localhost:3000/cb"], tokenEndpointAuthMethod: "none", registrationDate: now - 7200, ...(registrationExpiresAt ? { registrationExpiresAt } : {}) }));
    const grant = (userId: string, id: string, clientId: string, expiresAt?: number) =>
      kv.put(`grant:${userId}:${id}`, JSON.stringify({ id, clientId, userId, scope: [], metadata: {}, encryptedProps: "x", createdAt: now - 7200, ...(expiresAt ? { expiresAt } : {}) }));
    const token = (userId: string, grantId: string, id: string) =>
      kv.put(`token:${userId}:${grantId}:${id}`, JSON.stringify({ id, grantId, userId, createdAt: now - 60, expiresAt: now + 3600, wrappedEncryptionKey: "x", grant: { clientId: "c", scope: [], encryptedProps: "x" } }));
    await client("expired-client", now - 60);
    await client("renewed-client", now + 3600);
    await client("permanent-client");
    await grant("seeded-user", "expired-grant", "renewed-client", now - 10);
    await token("seeded-user", "expired-grant", "t1");
    await grant("seeded-user", "grant-of-expired-client", "expired-client", now + 3600);
    await grant("seeded-user", "live-grant", "renewed-client", now + 3600);
    await token("seeded-user", "live-grant", "t2");
    await grant("seeded-user", "forever-grant", "permanent-client");
    await token("seeded-user", "vanished-grant", "t3");

    const ctx = createExecutionContext();
    await (worker as ExportedHandler<Env>).scheduled!(createScheduledController({ cron: "17 * * * *", scheduledTime: Date.now() }), env as never, ctx);
    await waitOnExecutionContext(ctx);

    const keys = (await kv.list()).keys.map((k) => k.name);
    for (const gone of ["client:expired-client", "grant:seeded-user:expired-grant", "token:seeded-user:expired-grant:t1", "grant:seeded-user:grant-of-expired-client", "token:seeded-user:vanished-grant:t3"]) {
      expect(keys, gone).not.toContain(gone);
    }
    for (const kept of ["client:renewed-client", "client:permanent-client", "grant:seeded-user:live-grant", "token:seeded-user:live-grant:t2", "grant:seeded-user:forever-grant", `client:${live.provider.client!.client_id}`]) {
      expect(keys, kept).toContain(kept);
    }
    const [purge] = events("purge");
    // t1 went with its grant (revokeGrant); tokensPurged counts only the orphan t3.
    expect(purge).toMatchObject({ clientsPurged: 1, grantsPurged: 2, tokensPurged: 1, done: true });
    // The live connection still works.
    expect((await callTool(live.client, "whoami")).envelope.success).toBe(true);
    await live.client.close();
    // The tool call's request did not list KV; only the scheduled run did.
    expect(events("request").filter((r) => r.route === "/mcp").every((r) => r.kvLists === 0)).toBe(true);
  });
});

function testConfig(): Config {
  const loaded = loadConfig(env as never);
  if (!loaded.ok) throw new Error(loaded.problems.join("; "));
  return loaded.config;
}
