/**
 * The Xano credential lifecycle, end to end through the Worker against fake-xano: each sign-in
 * method, proactive and 401-driven refresh, single flight under concurrency, dead credentials
 * ending in a 401 challenge, transient failures that keep the credential, a refresh whose
 * response is lost, logout, and isolation between users.
 */
import { SELF, env, runInDurableObject } from "cloudflare:test";
import type { TokenSummary } from "@cloudflare/workers-oauth-provider";
import { describe, expect, it, vi } from "vitest";
import { ALICE_METADATA_TOKEN, ALICE_SANDBOX_METADATA_TOKEN, BOB_METADATA_TOKEN, CUSTOMERS_TABLE_ID, TASKS_TABLE_ID } from "../fixtures/seed";
import { ORIGIN, TestBrowser, parseForms } from "./harness/browser";
import { SANDBOX_INSTANCE_URL, SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { callTool, connectWithOAuth, type SignInAs } from "./harness/mcp-client";
import { oauthHelpers, refresh } from "./harness/oauth-flow";
import { keyFromBase64Url, newRawKey, unseal } from "../src/credentials/encryption";
import { isXanoCredential, type XanoCredential } from "../src/credentials/credential";
import type { GrantProps } from "../src/credentials/grant-props";
import { MASKED } from "../src/credentials/secret-mask";
import { XanoCredentialStore } from "../src/credentials/credential-store";

const fake = useFakeXano();
const ALICE = 1;
const BOB = 2;
const aliceOAuth: SignInAs = { method: "xano_oauth", email: "alice@example.com", password: "alice-password", instance: "x1234-5678-9012" };
const bobOAuth: SignInAs = { method: "xano_oauth", email: "bob@example.com", password: "bob-password" };
const REFRESH = "POST /oauth/token";

function refreshCalls() {
  return fake.log.entries.filter((e) => e.route === REFRESH);
}

/** A raw MCP tools/call with a bearer, to see the HTTP status and challenge a client would see. */
function rawToolCall(accessToken: string, name = "xano_list_databases") {
  return SELF.fetch(`${ORIGIN}/mcp`, {
    method: "POST",
    headers: {
      Host: "localhost:8787",
      Authorization: `Bearer ${accessToken}`,
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      "MCP-Protocol-Version": "2025-06-18",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name, arguments: {} } }),
  });
}

/** The token's grant with its props decrypted, read from KV the way the Worker does. */
async function grantOf(accessToken: string): Promise<TokenSummary<GrantProps>> {
  const summary = await oauthHelpers().unwrapToken<GrantProps>(accessToken);
  if (!summary) throw new Error("the access token has no grant");
  return summary;
}

describe("sign-in methods, end to end with the MCP SDK client", () => {
  it("Sign in with Xano (OAuth, instance picked on Xano's page)", async () => {
    const { client, provider } = await connectWithOAuth(aliceOAuth);
    const me = await callTool(client, "whoami");
    expect(me.envelope.data).toMatchObject({ user: { id: 1, email: "alice@example.com" }, signInMethod: "xano_oauth", instance: { host: "x1234-5678-9012.n7.xano.io" } });
    const status = await callTool(client, "debug_auth");
    expect(status.envelope.data).toMatchObject({ signInMethod: "xano_oauth", credential: { canRefresh: true, refreshCount: 0, dead: null } });
    expect(Date.parse(status.envelope.data.credential.expiresAt)).toBeGreaterThan(Date.now());
    // No Xano token (a JWT), nor any piece of one, in what the client sees.
    const everything = JSON.stringify([me.result, status.result, provider.savedTokens]);
    expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    await client.close();
  });

  it("Email and password against the app's auth group: the password is used once, never stored", async () => {
    const PASSWORD = "bob-password";
    const { client, provider } = await connectWithOAuth({ method: "app_auth", email: "bob@example.com", password: PASSWORD });
    const me = await callTool(client, "whoami");
    expect(me.envelope.data).toMatchObject({ user: { id: 2, email: "bob@example.com" }, signInMethod: "app_auth" });
    const tasks = await callTool(client, "xano_browse_table_content", { workspace_id: 2, table_id: TASKS_TABLE_ID, per_page: 5 });
    expect(tasks.envelope.data.items).toHaveLength(5);
    await client.close();

    // The grant's props (decrypted with the access token, as the library does on each request).
    const summary = await grantOf(provider.savedTokens!.access_token);
    const props = summary.grant.props;
    expect(JSON.stringify(props)).not.toContain(PASSWORD);
    // The credential store, unsealed with the grant's storeKey: the auth token, no password.
    const store = env.CREDENTIAL_STORE.get(env.CREDENTIAL_STORE.idFromName(props.storeId));
    const stored = await runInDurableObject(store, async (_instance, state) => [...(await state.storage.list()).entries()]);
    expect(stored.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toContain(PASSWORD);
    const state = stored.find(([key]) => key === "credential")?.[1] as { sealed: string };
    const credential = await unseal<XanoCredential>(await keyFromBase64Url(props.storeKey), state.sealed);
    expect(credential).toMatchObject({ method: "app_auth", authToken: expect.any(String), accessToken: expect.any(String) });
    expect(JSON.stringify(credential)).not.toContain(PASSWORD);
    // Nor in any KV record (grants, tokens, sign-in sessions, consent transactions), as stored.
    const { keys } = await env.OAUTH_KV.list();
    for (const { name } of keys) expect(`${name} ${await env.OAUTH_KV.get(name)}`).not.toContain(PASSWORD);
  });

  it("Metadata API token: no refresh exists, so a rejected token ends the sign-in cleanly", async () => {
    const { client, provider } = await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    expect((await callTool(client, "debug_auth")).envelope.data.credential).toMatchObject({ canRefresh: false, expiresAt: null });
    // Asking for a refresh of a token that has none checks it with Xano and changes nothing.
    const noRefresh = await callTool(client, "debug_refresh_profile");
    expect(noRefresh.envelope).toMatchObject({ success: true, data: { credential: { canRefresh: false, refreshCount: 0, dead: null }, xanoSaysYouAre: { id: 1 } } });
    expect(noRefresh.envelope.message).toMatch(/cannot be refreshed/);
    expect((await callTool(client, "whoami")).envelope.success).toBe(true);
    fake.knobs.revokeToken(ALICE_METADATA_TOKEN);
    const response = await rawToolCall(provider.savedTokens!.access_token);
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toContain(`resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource"`);
    expect(response.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
    await client.close();
  });
});

describe("refresh", () => {
  it("a credential marked expired is refreshed before the call (proactive), once", async () => {
    const { client } = await connectWithOAuth(aliceOAuth);
    await callTool(client, "debug_expire_oauth_tokens");
    fake.log.clear();
    const result = await callTool(client, "xano_list_databases");
    expect(result.envelope.success).toBe(true);
    expect(refreshCalls()).toHaveLength(1);
    const status = (await callTool(client, "debug_auth")).envelope.data.credential;
    expect(status.refreshCount).toBe(1);
    expect(Date.parse(status.expiresAt)).toBeGreaterThan(Date.now());
    await client.close();
  });

  it("a 401 from Xano triggers one refresh and one retry", async () => {
    const { client } = await connectWithOAuth(aliceOAuth);
    fake.knobs.expireUserTokens({ userId: ALICE, kind: "oauth_access" });
    fake.log.clear();
    const result = await callTool(client, "xano_list_tables", { workspace_id: 1, per_page: 2 });
    expect(result.envelope.success).toBe(true);
    expect(refreshCalls()).toHaveLength(1);
    expect(fake.log.entries.filter((e) => e.route === "GET /api:meta/workspace/{w}/table").map((e) => e.status)).toEqual([401, 200]);
    await client.close();
  });

  it("50 concurrent tool calls on an expired credential all succeed with exactly one upstream refresh", async () => {
    const { client } = await connectWithOAuth(aliceOAuth);
    fake.knobs.expireUserTokens({ userId: ALICE, kind: "oauth_access" });
    fake.log.clear();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => callTool(client, "xano_browse_table_content", { workspace_id: 1, table_id: CUSTOMERS_TABLE_ID, page: (i % 3) + 1 })),
    );
    expect(results.filter((r) => r.envelope.success)).toHaveLength(50);
    expect(refreshCalls()).toHaveLength(1);
    expect(refreshCalls()[0].status).toBe(200);
    await client.close();
  });

  it("Xano rate-limiting the refresh is not death: a retryable error, the credential is kept", async () => {
    const { client } = await connectWithOAuth(aliceOAuth);
    await callTool(client, "debug_expire_oauth_tokens");
    fake.knobs.rateLimit({ route: REFRESH, count: 1, retryAfterSeconds: 30 });
    const limited = await callTool(client, "xano_list_databases");
    expect(limited.envelope.error).toMatchObject({ code: "RATE_LIMITED", details: { retryAfterSeconds: 30 } });
    const after = await callTool(client, "xano_list_databases");
    expect(after.envelope.success).toBe(true);
    await client.close();
  });

  it("a Xano 5xx on refresh is not death either", async () => {
    const { client } = await connectWithOAuth(aliceOAuth);
    await callTool(client, "debug_expire_oauth_tokens");
    fake.knobs.failNext({ route: REFRESH, status: 503 });
    expect((await callTool(client, "xano_list_databases")).envelope.error.code).toBe("XANO_SERVER_ERROR");
    expect((await callTool(client, "xano_list_databases")).envelope.success).toBe(true);
    await client.close();
  });

  it("email and password: after debug_expire_oauth_tokens, one refresh leaves a fresh credential, not one that stays expired", async () => {
    const { client } = await connectWithOAuth({ method: "app_auth", email: "bob@example.com", password: "bob-password" });
    const expire = await callTool(client, "debug_expire_oauth_tokens");
    expect(expire.envelope.message).toMatch(/auth\/me/);
    for (let i = 0; i < 5; i++) expect((await callTool(client, "xano_list_databases")).envelope.success).toBe(true);
    const status = (await callTool(client, "debug_auth")).envelope.data.credential;
    expect(status).toMatchObject({ refreshCount: 1, expiresAt: null, dead: null });
    await client.close();
  });

  it("debug_expire_oauth_tokens says what the next call does for Sign in with Xano, and refuses a Metadata API token (nothing could refresh it)", async () => {
    const oauth = await connectWithOAuth(aliceOAuth);
    expect((await callTool(oauth.client, "debug_expire_oauth_tokens")).envelope.message).toMatch(/refresh token/);
    await oauth.client.close();

    const metadata = await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    const refused = await callTool(metadata.client, "debug_expire_oauth_tokens");
    expect(refused.envelope.message).toMatch(/cannot be refreshed/);
    expect(refused.envelope.data.credential).toMatchObject({ expiresAt: null, dead: null });
    // Nothing was marked: the sign-in goes on.
    expect((await callTool(metadata.client, "whoami")).envelope.success).toBe(true);
    await metadata.client.close();
  });

  it("debug_refresh_profile refreshes now and reports", async () => {
    const { client } = await connectWithOAuth(aliceOAuth);
    fake.log.clear();
    const result = await callTool(client, "debug_refresh_profile");
    expect(result.envelope.data).toMatchObject({ credential: { refreshCount: 1 }, xanoSaysYouAre: { id: 1 } });
    expect(refreshCalls()).toHaveLength(1);
    await client.close();
  });
});

describe("a dead credential ends in re-authentication", () => {
  it("refresh rejected (revoked at Xano): the grant is revoked and the MCP request gets a 401 challenge", async () => {
    const { client, provider } = await connectWithOAuth(aliceOAuth);
    fake.knobs.revokeUserTokens({ userId: ALICE, kind: "oauth_refresh" });
    fake.knobs.expireUserTokens({ userId: ALICE, kind: "oauth_access" });
    const response = await rawToolCall(provider.savedTokens!.access_token);
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer .*error="invalid_token".*resource_metadata=/);
    // The grant is gone: the client's refresh token no longer works, so it cannot loop.
    const refresh = await SELF.fetch(`${ORIGIN}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: provider.savedTokens!.refresh_token!, client_id: String(provider.client!.client_id) }).toString(),
    });
    expect(refresh.status).toBe(400);
    expect(((await refresh.json()) as { error: string }).error).toBe("invalid_grant");
    // The SDK client's next call fails with an auth error (its refresh gets invalid_grant), never a
    // tool result from a dead credential; signing in again works at once.
    await expect(client.callTool({ name: "xano_list_databases", arguments: {} })).rejects.toThrow(/Grant not found|Unauthorized/);
    const again = await connectWithOAuth(aliceOAuth);
    expect((await callTool(again.client, "whoami")).envelope.data.user.id).toBe(ALICE);
    await again.client.close();
  });

  it("a refresh whose response is lost after Xano rotated: the spent token is never sent again; the grant ends in a 401 challenge", async () => {
    const { provider } = await connectWithOAuth(aliceOAuth);
    fake.knobs.expireUserTokens({ userId: ALICE, kind: "oauth_access" });
    fake.knobs.failNext({ route: REFRESH, status: "network", when: "after" });
    fake.log.clear();
    const first = await rawToolCall(provider.savedTokens!.access_token);
    expect(first.status).toBe(401);
    expect(first.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
    const second = await rawToolCall(provider.savedTokens!.access_token);
    expect(second.status).toBe(401);
    // Exactly one refresh attempt: the possibly-spent refresh token was not replayed.
    expect(refreshCalls()).toHaveLength(1);
  });
});

describe("a dead credential over legacy SSE", () => {
  it("the failing call's own POST meets the 401 challenge (as on /mcp), and the grant is over", async () => {
    const { client, provider } = await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN }, "sse");
    expect((await callTool(client, "xano_list_databases")).envelope.success).toBe(true);
    fake.knobs.revokeToken(ALICE_METADATA_TOKEN);
    // Each message runs through the /mcp door before its answer goes on the stream, so the door
    // sees the credential die and answers the POST itself: the SDK tries its refresh token and
    // gets invalid_grant (the grant was revoked).
    await expect(client.callTool({ name: "xano_list_databases", arguments: {} })).rejects.toThrow(/Grant not found|Unauthorized|invalid_grant/);
    const after = await refresh(provider.clientInformation()!.client_id, provider.savedTokens!.refresh_token!);
    expect(after.body.error).toBe("invalid_grant");
  });
});

describe("isolation", () => {
  it("two users with interleaved expiries and refreshes never see each other's data or credential", async () => {
    const [alice, bob] = await Promise.all([connectWithOAuth(aliceOAuth), connectWithOAuth(bobOAuth)]);
    for (let round = 0; round < 3; round++) {
      if (round % 2 === 0) fake.knobs.expireUserTokens({ userId: ALICE, kind: "oauth_access" });
      else fake.knobs.expireUserTokens({ userId: BOB, kind: "oauth_access" });
      const [a, b] = await Promise.all([callTool(alice.client, "xano_list_databases"), callTool(bob.client, "xano_list_databases")]);
      expect(a.envelope.data.items.map((w: { id: number }) => w.id)).toEqual([1]);
      expect(b.envelope.data.items.map((w: { id: number }) => w.id)).toEqual([2]);
    }
    const [a, b] = await Promise.all([callTool(alice.client, "debug_auth"), callTool(bob.client, "debug_auth")]);
    expect(a.envelope.data.user.id).toBe(1);
    expect(b.envelope.data.user.id).toBe(2);
    expect(a.envelope.data.credential.refreshCount + b.envelope.data.credential.refreshCount).toBe(3);
    // Every workspace call Xano saw was made with the token of the user it belongs to.
    for (const entry of fake.log.entries.filter((e) => e.route === "GET /api:meta/workspace" && e.status === 200)) {
      expect([ALICE, BOB]).toContain(entry.tokenOwner);
    }
    await Promise.all([alice.client.close(), bob.client.close()]);
  });

  it("metadata-token users stay apart too", async () => {
    const [alice, bob] = await Promise.all([
      connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN }),
      connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: BOB_METADATA_TOKEN }),
    ]);
    const [a, b] = await Promise.all([callTool(alice.client, "whoami"), callTool(bob.client, "whoami")]);
    expect([a.envelope.data.user.id, b.envelope.data.user.id]).toEqual([1, 2]);
    await Promise.all([alice.client.close(), bob.client.close()]);
  });
});

describe("logout", () => {
  it("with the MCP token: Xano's refresh token is revoked, the grant ends, the next MCP call gets a 401 challenge", async () => {
    const { client, provider } = await connectWithOAuth(aliceOAuth);
    const token = provider.savedTokens!.access_token;
    const response = await SELF.fetch(`${ORIGIN}/logout`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ loggedOut: true, xanoTokenRevoked: true });
    expect(response.headers.getSetCookie().join("\n")).toContain("__Host-xano-mcp-session=; Max-Age=0");
    expect(fake.log.count("POST /oauth/revoke")).toBe(1);
    const after = await rawToolCall(token);
    expect(after.status).toBe(401);
    expect(after.headers.get("WWW-Authenticate")).toContain("resource_metadata=");
    await client.close();
  });

  it("an unknown token is refused with the 401 challenge /status sends (RFC 6750 §3, RFC 9728 §5.1)", async () => {
    const response = await SELF.fetch(`${ORIGIN}/logout`, { method: "POST", headers: { Authorization: "Bearer nope" } });
    expect(response.status).toBe(401);
    const challenge = response.headers.get("WWW-Authenticate") ?? "";
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('error="invalid_token"');
    expect(challenge).toContain(`resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource"`);
    expect(await response.json()).toMatchObject({ error: "invalid_token" });
  });

  it("a token bound to another audience (RFC 8707) is refused as on /status, and its grant is not ended", async () => {
    const { client, provider } = await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: BOB_METADATA_TOKEN });
    const token = provider.savedTokens!.access_token;
    const [userId, grantId] = token.split(":");
    // The token's record as the library keeps it in KV, re-bound to another resource server.
    const { keys } = await env.OAUTH_KV.list({ prefix: `token:${userId}:${grantId}:` });
    expect(keys.length).toBeGreaterThan(0);
    for (const { name } of keys) {
      const record = (await env.OAUTH_KV.get(name, "json")) as Record<string, unknown>;
      await env.OAUTH_KV.put(name, JSON.stringify({ ...record, audience: "https://other-server.example" }));
    }
    for (const [path, method] of [["/status", "GET"], ["/logout", "POST"]]) {
      const response = await SELF.fetch(`${ORIGIN}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
      expect(response.status, path).toBe(401);
      expect(response.headers.get("WWW-Authenticate"), path).toContain('error="invalid_token"');
    }
    expect(await env.OAUTH_KV.get(`grant:${userId}:${grantId}`)).not.toBeNull();
    await client.close();
  });

  it("from the browser: a labelled Sign out button, CSRF-checked, disconnects every app of the person", async () => {
    const browser = new TestBrowser();
    // A credential no other test of this file connects with, so these are all the grants it manages.
    const sandbox = { instanceUrl: SANDBOX_INSTANCE_URL, token: ALICE_SANDBOX_METADATA_TOKEN };
    const first = await connectWithOAuth(sandbox, "streamable", undefined, browser);
    const second = await connectWithOAuth(sandbox, "streamable", undefined, browser);
    // These two grants' credential stores, found from the grant records the library keeps in KV
    // (an access token is `userId:grantId:secret`).
    const grantKeys = [first, second].map((c) => {
      const [userId, grantId] = c.provider.savedTokens!.access_token.split(":");
      return `grant:${userId}:${grantId}`;
    });
    const storeIds: string[] = [];
    for (const key of grantKeys) {
      const record = (await env.OAUTH_KV.get(key, "json")) as { metadata?: { storeId?: string } } | null;
      if (record?.metadata?.storeId) storeIds.push(record.metadata.storeId);
    }
    const stores = storeIds.map((id) => env.CREDENTIAL_STORE.get(env.CREDENTIAL_STORE.idFromName(id)));
    const before = await Promise.all(stores.map((store) => store.status()));
    expect(before.filter((status) => status !== null)).toHaveLength(2);
    const pageResponse = await browser.fetch("/logout");
    const body = await pageResponse.text();
    expect(body).toContain("alice@example.com");
    const [form] = parseForms(body);
    expect(form.buttons.map((b) => b.text)).toContain("Sign out and disconnect all apps");

    const forged = await new TestBrowser().submit(form, {});
    expect(forged.status).toBe(403);

    const done = await browser.submit(form, {});
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("<p>2 connected app(s) disconnected.");
    expect(browser.cookies.has("__Host-xano-mcp-session")).toBe(false);
    for (const connection of [first, second]) expect((await rawToolCall(connection.provider.savedTokens!.access_token)).status).toBe(401);
    // Nothing of the Xano credentials is left behind in their stores.
    expect(await Promise.all(stores.map((store) => store.status()))).toEqual(stores.map(() => null));
  });
});

describe("the credential store serialises forgetting with refreshing", () => {
  /** A store whose app_auth credential is due for a refresh that Xano answers slowly. */
  async function storeMidRefresh(name: string) {
    const store = env.CREDENTIAL_STORE.get(env.CREDENTIAL_STORE.idFromName(name));
    const storeKey = newRawKey();
    await store.initialize(storeKey, {
      method: "app_auth",
      accessToken: "old-api-key",
      authToken: "an-auth-token-xano-no-longer-accepts",
      authBase: `${SHARED_INSTANCE_URL}/api:auth`,
      metaApiBase: `${SHARED_INSTANCE_URL}/api:meta`,
      expiresAt: Date.now() - 1000,
    });
    fake.knobs.setLatency(150);
    const acquiring = store.acquire(storeKey);
    await new Promise((resolve) => setTimeout(resolve, 30)); // the refresh is now waiting on Xano
    return { store, storeKey, acquiring };
  }

  it("forget() during a refresh waits for it: the refresh finishes, then nothing is left stored", async () => {
    const { store, acquiring } = await storeMidRefresh("forget-during-refresh");
    const [acquired, forgot] = await Promise.allSettled([acquiring, store.forget()]);
    fake.knobs.setLatency(0);
    expect(forgot.status).toBe("fulfilled");
    expect(acquired).toMatchObject({ status: "fulfilled", value: { ok: false, kind: "dead" } });
    expect(await store.status()).toBeNull();
    expect(await store.lastUsed()).toBeNull();
  });

  it("destroy() during a refresh waits for it, then returns what the refresh left and stores nothing", async () => {
    const { store, storeKey, acquiring } = await storeMidRefresh("destroy-during-refresh");
    const [acquired, destroyed] = await Promise.allSettled([acquiring, store.destroy(storeKey)]);
    fake.knobs.setLatency(0);
    expect(acquired).toMatchObject({ status: "fulfilled", value: { ok: false, kind: "dead" } });
    expect(destroyed).toMatchObject({ status: "fulfilled", value: { method: "app_auth" } });
    expect(await store.status()).toBeNull();
  });
});

describe("the caller's own Xano tokens never reach the model or /status", () => {
  /** Makes fake-xano answer `path` with an error that quotes the request's bearer token back. */
  function echoBearerOn(path: string, status: number) {
    const original = fake.fetch.bind(fake);
    (fake as { fetch: typeof fake.fetch }).fetch = async (request: Request) => {
      if (new URL(request.url).pathname !== path) return original(request);
      const bearer = (request.headers.get("Authorization") ?? "").replace(/^Bearer /, "");
      return Response.json({ code: "ERROR_FATAL", message: `Request failed for token ${bearer}`, payload: { token: bearer, [bearer]: "as a key" } }, { status });
    };
    return () => ((fake as { fetch: typeof fake.fetch }).fetch = original);
  }

  it("a Xano error quoting the Metadata API token reaches the model masked, in the text and in structuredContent", async () => {
    const { client } = await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    const restore = echoBearerOn("/api:meta/workspace", 500);
    try {
      const { result, envelope } = await callTool(client, "xano_list_databases");
      expect(envelope.error.code).toBe("XANO_SERVER_ERROR");
      const seen = JSON.stringify(result);
      expect(seen).not.toContain(ALICE_METADATA_TOKEN);
      expect(envelope.error.message).toContain(`Request failed for token ${MASKED}`);
      expect(envelope.error.details.payload).toEqual({ token: MASKED, [MASKED]: "as a key" });
    } finally {
      restore();
      await client.close();
    }
  });

  it("a refresh failure quoting the app's auth token is masked in the reason the store records (and /status shows)", async () => {
    const authToken = "an-app-auth-token-that-must-stay-secret";
    const store = env.CREDENTIAL_STORE.get(env.CREDENTIAL_STORE.idFromName("refresh-echo"));
    const storeKey = newRawKey();
    await store.initialize(storeKey, {
      method: "app_auth",
      accessToken: "the-app-users-api-key",
      authToken,
      authBase: `${SHARED_INSTANCE_URL}/api:auth`,
      metaApiBase: `${SHARED_INSTANCE_URL}/api:meta`,
      expiresAt: Date.now() - 1000,
    });
    const restore = echoBearerOn("/api:auth/auth/me", 401);
    try {
      const acquired = await store.acquire(storeKey);
      expect(acquired).toMatchObject({ ok: false, kind: "dead" });
      const reason = (acquired as { reason: string }).reason;
      expect(reason).toContain(MASKED);
      expect(reason).not.toContain(authToken);
      const status = await store.status();
      expect(status?.dead?.reason).toBe(reason);
    } finally {
      restore();
    }
  });
});

/**
 * The isolate's copy of a grant's credential (src/credentials/credential-cache.ts). "Another
 * isolate" is the test calling the grant's store directly: the copy in the Worker is not told.
 * The store has moved on when it refreshed the credential or found it dead; a copy may then be
 * sent to Xano, which rejects it, and nothing after that rejection uses it.
 */
describe("the isolate's copy of the credential", () => {
  async function storeOf(accessToken: string) {
    const { props } = (await grantOf(accessToken)).grant;
    return { store: env.CREDENTIAL_STORE.get(env.CREDENTIAL_STORE.idFromName(props.storeId)), storeKey: props.storeKey };
  }
  /** The tool calls the store has counted in the grant's window. */
  async function toolCallsCounted(store: DurableObjectStub<XanoCredentialStore>) {
    const stored = await runInDurableObject(store, async (_instance, state) => state.storage.get<{ buckets: Array<[number, number]> }>("toolCalls"));
    return (stored?.buckets ?? []).reduce((sum, [, hits]) => sum + hits, 0);
  }
  const TABLES = "GET /api:meta/workspace/{w}/table";
  const tableStatuses = () => fake.log.entries.filter((e) => e.route === TABLES).map((e) => e.status);

  it("meets a credential refreshed elsewhere: the old token, once Xano rejects it, is never sent again, and nothing refreshes twice", async () => {
    const { client, provider } = await connectWithOAuth(aliceOAuth);
    expect((await callTool(client, "xano_list_tables", { workspace_id: 1, per_page: 2 })).envelope.success).toBe(true); // the isolate holds a copy now
    const { store, storeKey } = await storeOf(provider.savedTokens!.access_token);
    const before = await store.acquire(storeKey, {});
    const after = await store.acquire(storeKey, { force: true });
    if (!before.ok || !after.ok || !isXanoCredential(before.credential) || !isXanoCredential(after.credential)) throw new Error("the store should hand out the Xano credential");
    expect(after.credential.accessToken).not.toBe(before.credential.accessToken);
    fake.knobs.revokeToken(before.credential.accessToken);
    fake.log.clear();

    const result = await callTool(client, "xano_list_tables", { workspace_id: 1, per_page: 2 });
    expect(result.envelope.success).toBe(true);
    expect(tableStatuses()).toEqual([401, 200]); // the copy's token, rejected; then the store's current one
    expect(refreshCalls()).toHaveLength(0); // the store had moved on already

    fake.log.clear();
    for (let i = 0; i < 3; i++) expect((await callTool(client, "xano_list_tables", { workspace_id: 1, per_page: 2 })).envelope.success).toBe(true);
    expect(tableStatuses()).toEqual([200, 200, 200]);
    await client.close();
  });

  it("meets a credential that died elsewhere: the next call ends in the 401 challenge", async () => {
    const { client, provider } = await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    expect((await callTool(client, "whoami")).envelope.success).toBe(true); // the isolate holds a copy now
    const { store, storeKey } = await storeOf(provider.savedTokens!.access_token);
    // Another isolate's call was refused by Xano; a Metadata API token cannot be refreshed, so the store marks it dead.
    fake.knobs.revokeToken(ALICE_METADATA_TOKEN);
    expect(await store.acquire(storeKey, { rejectedToken: ALICE_METADATA_TOKEN })).toMatchObject({ ok: false, kind: "dead" });

    const response = await rawToolCall(provider.savedTokens!.access_token);
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
    await client.close();
  });

  it("every call admitted from the copy is counted by the store, and most calls skip the store hop", async () => {
    const requestLines: Array<Record<string, unknown>> = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => {
      if (typeof line === "string" && line.startsWith('{"event":"request"')) requestLines.push(JSON.parse(line));
    });
    try {
      const { client, provider } = await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
      const CALLS = 30;
      for (let i = 0; i < CALLS; i++) expect((await callTool(client, "xano_list_databases")).envelope.success).toBe(true);
      const toolCallLines = requestLines.filter((l) => l.rpc === "tools/call");
      expect(toolCallLines).toHaveLength(CALLS);
      expect(toolCallLines.filter((l) => l.storeCalls === 0).length).toBeGreaterThan(CALLS / 2);

      // The counting hops run after the answers (waitUntil): wait until the window holds them all.
      const { store } = await storeOf(provider.savedTokens!.access_token);
      await vi.waitFor(async () => expect(await toolCallsCounted(store)).toBe(CALLS), { timeout: 5_000, interval: 50 });
      await client.close();
    } finally {
      spy.mockRestore();
    }
  });

  it("concurrent calls admitted from the copy are all counted by the store, in fewer hops than calls", async () => {
    const { client, provider } = await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    const { store } = await storeOf(provider.savedTokens!.access_token);
    expect((await callTool(client, "xano_list_databases")).envelope.success).toBe(true); // the isolate holds a copy now
    await vi.waitFor(async () => expect(await toolCallsCounted(store)).toBe(1), { timeout: 5_000, interval: 50 });

    // The store's own method, watched: every hop that counts calls admitted from the copy asks with no limit (credential-handle.ts).
    const acquire = vi.spyOn(XanoCredentialStore.prototype, "acquire");
    const countingHops = () => acquire.mock.calls.map(([, options]) => options?.toolCalls).filter((calls) => calls?.limit === Number.MAX_SAFE_INTEGER);
    try {
      const CALLS = 30;
      const results = await Promise.all(Array.from({ length: CALLS }, () => callTool(client, "xano_list_databases")));
      expect(results.every((r) => r.envelope.success)).toBe(true);
      await vi.waitFor(async () => expect(await toolCallsCounted(store)).toBe(1 + CALLS), { timeout: 5_000, interval: 50 });
      expect(acquire).toHaveBeenCalled(); // the spy sees the store's calls
      expect(countingHops().length).toBeLessThan(CALLS / 2);
    } finally {
      acquire.mockRestore();
    }
    await client.close();
  });

  it("calls whose counting hop fails twice are logged as not counted; the next call asks the store, and the calls after are counted again", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logSpy = vi.spyOn(console, "log").mockImplementation((line: unknown) => {
      if (typeof line === "string" && line.startsWith('{"event":')) lines.push(JSON.parse(line));
    });
    const storeAcquire = XanoCredentialStore.prototype.acquire;
    const acquire = vi.spyOn(XanoCredentialStore.prototype, "acquire");
    try {
      const { client, provider } = await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
      const { store } = await storeOf(provider.savedTokens!.access_token);
      expect((await callTool(client, "xano_list_databases")).envelope.success).toBe(true); // the isolate holds a copy now
      await vi.waitFor(async () => expect(await toolCallsCounted(store)).toBe(1), { timeout: 5_000, interval: 50 });

      // The store fails every counting hop (asked with no limit, credential-handle.ts), and only those.
      // (workerd prints each refusal as an "uncaught exception" on the store's side; the Worker catches it.)
      acquire.mockImplementation(function (this: XanoCredentialStore, storeKey, options) {
        if (options?.toolCalls?.limit === Number.MAX_SAFE_INTEGER) return Promise.reject(new Error("store unavailable"));
        return storeAcquire.call(this, storeKey, options);
      });
      const CALLS = 5;
      const results = await Promise.all(Array.from({ length: CALLS }, () => callTool(client, "xano_list_databases")));
      expect(results.every((r) => r.envelope.success)).toBe(true);
      const lost = () =>
        lines
          .filter((l) => l.event === "front_door_error")
          .map((l) => Number(/^(\d+) tool calls not counted: .*store unavailable/.exec(String(l.reason))?.[1]))
          .reduce((sum, calls) => sum + calls, 0);
      // Each call is either lost with its hop or, on a loaded machine, came after a failure and asked the store itself.
      await vi.waitFor(async () => expect(lost() + (await toolCallsCounted(store)) - 1).toBe(CALLS), { timeout: 5_000, interval: 50 });
      expect(lost()).toBeGreaterThan(0);

      acquire.mockImplementation(storeAcquire);
      lines.length = 0;
      expect((await callTool(client, "xano_list_databases")).envelope.success).toBe(true);
      expect(lines.find((l) => l.event === "request" && l.rpc === "tools/call")).toMatchObject({ storeCalls: 1 }); // no call used the copy meanwhile
      const before = await toolCallsCounted(store);
      for (let i = 0; i < 3; i++) expect((await callTool(client, "xano_list_databases")).envelope.success).toBe(true);
      await vi.waitFor(async () => expect(await toolCallsCounted(store)).toBe(before + 3), { timeout: 5_000, interval: 50 });
      await client.close();
    } finally {
      acquire.mockRestore();
      logSpy.mockRestore();
    }
  });
});
