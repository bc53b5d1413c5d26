/**
 * An upstream MCP server's credential in the grant's credential store (the Durable Object, through
 * env.CREDENTIAL_STORE), refreshed against the fake upstream authorization server over the
 * intercepted network: single flight under 50 concurrent acquires, the rotated refresh token
 * persisted before use, a killed refresh token ending in death without another upstream call, a
 * 503 that keeps the credential, a lost answer that never resends the spent token, a rejected
 * bearer ending in death, secrets masked, revocation, and the handle refusing a credential of the
 * other kind. The same store serves Xano (tests/credential-lifecycle.test.ts).
 */
import { env, runInDurableObject } from "cloudflare:test";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { overrideNetwork } from "./harness/fake-xano-network";
import { UPSTREAM_AUTH_ORIGIN, UPSTREAM_MCP_URL, asRequest, useFakeUpstreamAuthorization } from "./harness/fake-upstream-authorization";
import { CredentialDeadError, CredentialHandle } from "../src/credentials/credential-handle";
import { keyFromBase64Url, newRawKey, unseal } from "../src/credentials/encryption";
import { revokeCredentialUpstream } from "../src/credentials/revoke";
import { secretsOf } from "../src/credentials/secret-mask";
import type { UpstreamCredential, UpstreamOAuthCredential } from "../src/credentials/upstream-credential";
import { beginUpstreamAuthorization, completeUpstreamAuthorization } from "../src/upstream/oauth-authorization";

const { fakeAs } = useFakeUpstreamAuthorization({ clients: { "confidential-client": "a-confidential-client-secret" } });
const OURS = { publicUrl: "http://localhost:8787", redirectUri: "http://localhost:8787/servers/support/oauth/callback", clientName: "Xano MCP front door" };
let stores = 0;

/** A real sign-in at the fake (discovery, registration, authorize, code exchange): alice's credential. */
async function signIn(user = "alice", configuredClient?: { clientId: string; clientSecret: string }): Promise<UpstreamOAuthCredential> {
  const { authorizationUrl, pending } = await beginUpstreamAuthorization({ server: "support", url: UPSTREAM_MCP_URL }, OURS, { configuredClient });
  const back = await fetch(`${authorizationUrl}&user=${user}`, { redirect: "manual" });
  return completeUpstreamAuthorization(pending, new URL(back.headers.get("Location")!).searchParams);
}

/** A fresh grant's store holding `credential`. */
async function storeWith(credential: UpstreamCredential) {
  const storeId = `upstream-store-${++stores}-${Date.now()}`;
  const store = env.CREDENTIAL_STORE.get(env.CREDENTIAL_STORE.idFromName(storeId));
  const storeKey = newRawKey();
  await store.initialize(storeKey, credential);
  return { store, storeKey, storeId };
}

async function storedCredential(store: ReturnType<typeof env.CREDENTIAL_STORE.get>, storeKey: string): Promise<UpstreamCredential | null> {
  const state = await runInDurableObject(store, async (_instance, s) => s.storage.get<{ sealed: string }>("credential"));
  return state ? unseal<UpstreamCredential>(await keyFromBase64Url(storeKey), state.sealed) : null;
}

describe("an upstream OAuth credential in the credential store", () => {
  it("is described without secrets: method, host, server, expiry, refreshable", async () => {
    const credential = await signIn();
    const { store } = await storeWith(credential);
    const status = await store.status();
    expect(status).toMatchObject({ method: "upstream_oauth", instanceHost: "mcp.upstream.test", upstreamServer: "support", canRefresh: true, refreshCount: 0, dead: null, expiresAt: credential.expiresAt });
    expect(JSON.stringify(status)).not.toContain(credential.accessToken);
  });

  it("expired: 50 concurrent acquires cause exactly one refresh, and the rotated refresh token is persisted before use", async () => {
    const credential = await signIn();
    const { store, storeKey } = await storeWith(credential);
    expect(await store.markExpired(storeKey)).toBe(true);
    const results = await Promise.all(Array.from({ length: 50 }, () => store.acquire(storeKey)));
    expect(fakeAs.counters.refreshes).toBe(1);
    expect(fakeAs.counters.refreshesRefused).toBe(0);
    const tokens = new Set(results.map((r) => (r.ok ? (r.credential as UpstreamOAuthCredential).accessToken : `failed: ${JSON.stringify(r)}`)));
    expect(tokens.size).toBe(1);
    const [fresh] = tokens;
    expect(fresh).not.toBe(credential.accessToken);
    expect(fakeAs.tokenOwner(fresh)).toBe("alice");
    expect(results.filter((r) => r.ok && r.refreshed)).toHaveLength(1);

    // What the store keeps is the rotated pair: the old refresh token is spent at the AS, the stored one live.
    const stored = (await storedCredential(store, storeKey)) as UpstreamOAuthCredential;
    expect(stored.accessToken).toBe(fresh);
    expect(stored.refreshToken).not.toBe(credential.refreshToken);
    expect(fakeAs.refreshTokenState(credential.refreshToken!)).toBe("spent");
    expect(fakeAs.refreshTokenState(stored.refreshToken!)).toBe("live");
    expect(await store.status()).toMatchObject({ refreshCount: 1, dead: null });

    // And the persisted token is the one the next refresh uses (it succeeds; nothing spent is resent).
    await store.markExpired(storeKey);
    expect(await store.acquire(storeKey)).toMatchObject({ ok: true, refreshed: true });
    expect(fakeAs.counters.refreshes).toBe(2);
    expect(fakeAs.counters.refreshesRefused).toBe(0);
  });

  it("rejected by the upstream (401): 50 concurrent calls that saw the old token share one refresh", async () => {
    const credential = await signIn();
    const { store, storeKey } = await storeWith(credential);
    fakeAs.knobs.expireAllTokens();
    expect(fakeAs.tokenOwner(credential.accessToken)).toBeNull();
    const results = await Promise.all(Array.from({ length: 50 }, () => store.acquire(storeKey, { rejectedToken: credential.accessToken })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fakeAs.counters.refreshes).toBe(1);
    const fresh = (results[0] as { credential: UpstreamOAuthCredential }).credential.accessToken;
    expect(fakeAs.tokenOwner(fresh)).toBe("alice");
  });

  it("a confidential client's refresh authenticates with its secret and sends the resource", async () => {
    const credential = await signIn("bob", { clientId: "confidential-client", clientSecret: "a-confidential-client-secret" });
    const { store, storeKey } = await storeWith(credential);
    const seen: Array<{ authorization: string | null; form: URLSearchParams }> = [];
    overrideNetwork(
      http.post(`${UPSTREAM_AUTH_ORIGIN}/token`, async ({ request }) => {
        seen.push({ authorization: request.headers.get("Authorization"), form: new URLSearchParams(await request.clone().text()) });
        return fakeAs.fetch(asRequest(request));
      }),
    );
    await store.markExpired(storeKey);
    expect(await store.acquire(storeKey)).toMatchObject({ ok: true, refreshed: true });
    expect(seen).toHaveLength(1);
    expect(seen[0].authorization).toMatch(/^Basic /);
    expect(Object.fromEntries(seen[0].form)).toEqual({ grant_type: "refresh_token", refresh_token: credential.refreshToken, resource: UPSTREAM_MCP_URL });
  });

  it("a killed refresh token: dead, and the next acquire does not call the authorization server again", async () => {
    const credential = await signIn();
    const { store, storeKey } = await storeWith(credential);
    fakeAs.knobs.killRefreshToken({ user: "alice" });
    await store.markExpired(storeKey);
    const first = await store.acquire(storeKey);
    expect(first).toMatchObject({ ok: false, kind: "dead" });
    expect((first as { reason: string }).reason).toMatch(/HTTP 400: invalid_grant/);
    const calls = fakeAs.counters.tokenRequests;
    expect(await store.acquire(storeKey)).toMatchObject({ ok: false, kind: "dead" });
    expect(await store.acquire(storeKey, { force: true })).toMatchObject({ ok: false, kind: "dead" });
    expect(fakeAs.counters.tokenRequests).toBe(calls);
    expect((await store.status())!.dead).toMatchObject({ reason: expect.stringContaining("invalid_grant") });
  });

  it("a 503 is transient: Retry-After passed on, the credential kept, the next acquire refreshes", async () => {
    const credential = await signIn();
    const { store, storeKey } = await storeWith(credential);
    fakeAs.knobs.failNextTokenRequest(503, 7);
    await store.markExpired(storeKey);
    expect(await store.acquire(storeKey)).toMatchObject({ ok: false, kind: "transient", status: 503, retryAfterSeconds: 7 });
    expect((await store.status())!.dead).toBeNull();
    expect(fakeAs.refreshTokenState(credential.refreshToken!)).toBe("live");
    expect(await store.acquire(storeKey)).toMatchObject({ ok: true, refreshed: true });
    expect(fakeAs.counters.refreshes).toBe(1);
  });

  it("an answer lost after the authorization server rotated: dead, and the spent refresh token is never sent again", async () => {
    const credential = await signIn();
    const { store, storeKey } = await storeWith(credential);
    overrideNetwork(
      http.post(`${UPSTREAM_AUTH_ORIGIN}/token`, async ({ request }) => {
        await fakeAs.fetch(asRequest(request)); // the AS acts (the token is spent) …
        return HttpResponse.error(); // … and the answer never arrives
      }),
    );
    await store.markExpired(storeKey);
    const lost = await store.acquire(storeKey);
    expect(lost).toMatchObject({ ok: false, kind: "dead" });
    expect((lost as { reason: string }).reason).toMatch(/may have been spent/);
    expect(fakeAs.refreshTokenState(credential.refreshToken!)).toBe("spent");
    const calls = fakeAs.counters.tokenRequests;
    expect(await store.acquire(storeKey)).toMatchObject({ ok: false, kind: "dead" });
    expect(fakeAs.counters.tokenRequests).toBe(calls);
    expect(fakeAs.counters.refreshesRefused).toBe(0);
  });

  it("a refusal quoting the caller's secrets is masked in the reason the store records", async () => {
    const credential = await signIn();
    const { store, storeKey } = await storeWith(credential);
    overrideNetwork(http.post(`${UPSTREAM_AUTH_ORIGIN}/token`, () => HttpResponse.json({ error: `invalid_grant: ${credential.refreshToken} (access ${credential.accessToken})` }, { status: 400 })));
    await store.markExpired(storeKey);
    const dead = (await store.acquire(storeKey)) as { reason: string };
    const recorded = (await store.status())!.dead!.reason;
    for (const text of [dead.reason, recorded]) {
      expect(text).not.toContain(credential.refreshToken);
      expect(text).not.toContain(credential.accessToken);
      expect(text).toContain("[redacted: your token]");
    }
    expect(secretsOf(credential)).toEqual([credential.accessToken, credential.refreshToken]);
    expect(secretsOf({ ...credential, clientSecret: "a-confidential-client-secret" })).toContain("a-confidential-client-secret");
  });

  it("logout: destroy returns the live credential, and revoking it kills the refresh token at the authorization server", async () => {
    const credential = await signIn();
    const { store, storeKey } = await storeWith(credential);
    const destroyed = await store.destroy(storeKey);
    expect(destroyed).toMatchObject({ kind: "upstream", auth: "oauth", refreshToken: credential.refreshToken });
    expect(await revokeCredentialUpstream(destroyed!)).toBe(true);
    expect(fakeAs.refreshTokenState(credential.refreshToken!)).toBe("killed");
    expect(await store.status()).toBeNull();
  });
});

describe("bearer and none credentials", () => {
  const bearer: UpstreamCredential = { kind: "upstream", auth: "bearer", server: "builder", url: "https://x1234.n7.xano.io/mcp/abc", token: "a-pasted-bearer-token-for-builder" };
  const none: UpstreamCredential = { kind: "upstream", auth: "none", server: "open", url: "https://open.upstream.test/mcp" };

  it("a bearer is handed out as is, never refreshed, and dies once the server rejects it", async () => {
    const { store, storeKey } = await storeWith(bearer);
    expect(await store.status()).toMatchObject({ method: "upstream_bearer", instanceHost: "x1234.n7.xano.io", upstreamServer: "builder", canRefresh: false, expiresAt: null });
    expect(await store.markExpired(storeKey)).toBe(false);
    expect(await store.acquire(storeKey, { force: true })).toMatchObject({ ok: true, refreshed: false, credential: bearer });
    // A 401 to a token no longer held (another call's) changes nothing.
    expect(await store.acquire(storeKey, { rejectedToken: "some-older-token" })).toMatchObject({ ok: true });
    const rejected = await store.acquire(storeKey, { rejectedToken: bearer.token });
    expect(rejected).toMatchObject({ ok: false, kind: "dead", reason: 'the MCP server "builder" rejected the credential, and it cannot be refreshed' });
    expect(await store.acquire(storeKey)).toMatchObject({ ok: false, kind: "dead" });
    expect(fakeAs.counters.tokenRequests).toBe(0);
    expect(secretsOf(bearer)).toEqual([bearer.token]);
  });

  it("none holds nothing secret and is never refreshed nor ended by a 401", async () => {
    const { store, storeKey } = await storeWith(none);
    expect(await store.status()).toMatchObject({ method: "upstream_none", canRefresh: false, dead: null });
    expect(await store.acquire(storeKey, { rejectedToken: "anything" })).toMatchObject({ ok: true, credential: none });
    expect(secretsOf(none)).toEqual([]);
    expect(await revokeCredentialUpstream(none)).toBe(false);
  });
});

describe("the Worker-side handle", () => {
  it("hands an upstream credential only to an upstream handle; a Xano handle meets it as dead", async () => {
    const credential = await signIn();
    const { storeId, storeKey } = await storeWith(credential);
    const upstream = CredentialHandle.forUpstream(env, { storeId, storeKey, userId: "u1" });
    expect(await upstream.credential()).toMatchObject({ kind: "upstream", accessToken: credential.accessToken });
    expect(upstream.secrets()).toContain(credential.refreshToken);

    fakeAs.knobs.expireAllTokens();
    const refreshed = (await upstream.afterRejected(credential.accessToken)) as UpstreamOAuthCredential;
    expect(fakeAs.tokenOwner(refreshed.accessToken)).toBe("alice");
    expect(upstream.secrets()).toEqual(expect.arrayContaining([credential.accessToken, refreshed.accessToken, refreshed.refreshToken]));

    const xano = CredentialHandle.for(env, { storeId, storeKey, userId: "u1" } as never);
    await expect(xano.credential()).rejects.toBeInstanceOf(CredentialDeadError);
    expect(xano.dead).toMatch(/another server/);
  });
});
