/**
 * An operator blocks a person (src/admin/blocks.ts; /admin's Block and Unblock buttons call the same
 * functions, as these tests do), and everything else goes through real HTTP into the Worker:
 * everything the person held stops at once on /mcp (two OAuth grants and a personal access token)
 * while another person's grant keeps working; every sign-in door refuses them with the refusal page
 * and stores nothing (every KV record compared before and after); sign-in sessions and consent pages
 * from before the block make nothing after it; unblocked, they can sign in again.
 */
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { ALICE_METADATA_TOKEN, ALICE_SANDBOX_METADATA_TOKEN, BOB_METADATA_TOKEN } from "../fixtures/seed";
import { blockPerson, blockedPeople, isBlocked, unblockPerson, type BlockEnv } from "../src/admin/blocks";
import { credentialStoreFor } from "../src/credentials/credential-store";
import { userIdFor } from "../src/credentials/grant-props";
import { listPersonalTokens } from "../src/credentials/personal-tokens";
import { ORIGIN, TestBrowser, decodeEntities, parseForms } from "./harness/browser";
import { captureWorkerConsole } from "./harness/console-lines";
import { SANDBOX_INSTANCE_URL, SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { kvRecords } from "./harness/kv";
import { workerFetch, type SignInAs } from "./harness/mcp-client";
import { authorizeUrl, oauthHelpers, pkcePair, refresh, register, tokensFor } from "./harness/oauth-flow";
import { expectRefusedPage, submitSignIn, throughXano } from "./harness/sign-in-pages";

const fake = useFakeXano();
const { lines } = captureWorkerConsole();
const SHARED_HOST = new URL(SHARED_INSTANCE_URL).host;
const ALICE_ID = userIdFor(SHARED_INSTANCE_URL, 1);
const ALICE_SANDBOX_ID = userIdFor(SANDBOX_INSTANCE_URL, 1);
const alice: SignInAs = { instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN };
const aliceSandbox: SignInAs = { instanceUrl: SANDBOX_INSTANCE_URL, token: ALICE_SANDBOX_METADATA_TOKEN };
const bob: SignInAs = { instanceUrl: SHARED_INSTANCE_URL, token: BOB_METADATA_TOKEN };
const aliceWithXano = { email: "alice@example.com", password: "alice-password", instance: "x1234-5678-9012" };
const OPERATOR = "ops@example.com";

/** The Worker's env as /admin gets it: the library's helpers included. */
const admin = (): BlockEnv => ({ ...env, OAUTH_PROVIDER: oauthHelpers() }) as unknown as BlockEnv;

// KV outlives a test in this pool: start each with nobody blocked and no personal tokens.
beforeEach(async () => {
  for (const record of await blockedPeople(env.OAUTH_KV)) await unblockPerson(env, record.userId, { by: OPERATOR });
  for (const { name } of (await env.OAUTH_KV.list({ prefix: "pat" })).keys) await env.OAUTH_KV.delete(name);
});

function toolsList(accessToken: string): Promise<Response> {
  return workerFetch(`${ORIGIN}/mcp`, {
    method: "POST",
    headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream", "MCP-Protocol-Version": "2025-06-18" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
  });
}

async function expectEnded(accessToken: string): Promise<void> {
  const response = await toolsList(accessToken);
  expect(response.status).toBe(401);
  expect(response.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
}

/** A browser signed in on /apps (303 back to /apps), or the page it was refused with. */
async function signInToApps(signIn: SignInAs, browser = new TestBrowser()): Promise<{ browser: TestBrowser; response: Response }> {
  const page = await (await browser.fetch("/apps")).text();
  return { browser, response: await submitSignIn(browser, page, signIn) };
}

/** Posts /apps's create-token form: the page showing the token, a redirect to Xano, or a refusal. */
async function postCreateToken(browser: TestBrowser): Promise<Response> {
  const form = parseForms(await (await browser.fetch("/apps")).text()).find((f) => f.action === "/apps/tokens");
  if (!form) throw new Error("no create form on /apps");
  return browser.submit(form, { name: "Nightly job", access: "read", lifetime: "30" });
}

function shownToken(page: string): string {
  const shown = page.match(/name="personal_token" value="([^"]+)"/);
  if (!shown) throw new Error(`no token shown:\n${page.slice(0, 1_000)}`);
  return decodeEntities(shown[1]);
}

/** The /authorize consent page a Sign-in-with-Xano start leads to, pressed Allow: the redirect to Xano. */
async function allowThenToXano(browser: TestBrowser, signInPage: string): Promise<Response> {
  const consentPage = await (await browser.submit(parseForms(signInPage).find((f) => f.fields.step === "xano-oauth")!, {})).text();
  const [consent] = parseForms(consentPage);
  return browser.submit(consent, {}, consent.buttons.find((b) => b.text === "Allow")!);
}

async function newAuthorizationUrl(): Promise<URL> {
  const { client } = await register();
  const { challenge } = await pkcePair();
  return authorizeUrl(client.client_id, challenge);
}

describe("blocking a person", () => {
  it("ends both of their grants and their personal access token at once; another person's grant keeps working, and /mcp reads no block", async () => {
    const first = await tokensFor({ signIn: alice });
    const second = await tokensFor({ signIn: alice });
    const bobs = await tokensFor({ signIn: bob });
    const { browser, response } = await signInToApps(alice);
    expect(response.status).toBe(303);
    const created = await postCreateToken(browser);
    expect(created.status).toBe(200);
    const personalToken = shownToken(await created.text());
    for (const token of [first.accessToken, second.accessToken, personalToken, bobs.accessToken]) expect((await toolsList(token)).status).toBe(200);
    const storeIds = [
      ...(await oauthHelpers().listUserGrants(ALICE_ID)).items.map((grant) => grant.metadata.storeId as string),
      ...(await listPersonalTokens(env.OAUTH_KV, ALICE_ID)).map((token) => token.storeId),
    ];
    expect(storeIds).toHaveLength(3);

    const { record, ended } = await blockPerson(admin(), ALICE_ID, { by: OPERATOR, reason: "Ran a bulk delete on production" });
    expect(ended).toEqual({ grants: 2, personalTokens: 1 });
    expect(record).toMatchObject({ userId: ALICE_ID, email: "alice@example.com", instanceHost: SHARED_HOST, blockedBy: OPERATOR, reason: "Ran a bulk delete on production" });
    expect(await blockedPeople(env.OAUTH_KV)).toEqual([record]);
    // Blocking again (she now holds nothing) keeps what the block knew of her.
    const again = await blockPerson(admin(), ALICE_ID, { by: OPERATOR });
    expect(again.record).toMatchObject({ email: "alice@example.com", instanceHost: SHARED_HOST });

    await expectEnded(first.accessToken);
    await expectEnded(second.accessToken);
    await expectEnded(personalToken);
    // Their refresh tokens are dead too, and the sealed Xano credentials are gone.
    expect((await refresh(first.clientId, first.refreshToken)).response.status).toBe(400);
    for (const storeId of storeIds) expect(await credentialStoreFor(env, storeId).status()).toBeNull();
    expect(await listPersonalTokens(env.OAUTH_KV, ALICE_ID)).toEqual([]);
    expect((await oauthHelpers().listUserGrants(ALICE_ID)).items).toEqual([]);

    // Bob is not touched, and his MCP request reads no more KV than before blocking existed (the token lookup).
    lines.length = 0;
    expect((await toolsList(bobs.accessToken)).status).toBe(200);
    const requestLine = lines.filter((line) => line.startsWith('{"event":"request"')).map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.route === "/mcp");
    expect(requestLine?.kvReads).toBeLessThanOrEqual(1);
  });

  it("refuses their sign-in at every door with the refusal page, and stores nothing for them", async () => {
    await tokensFor({ signIn: alice });
    const { record } = await blockPerson(admin(), ALICE_ID, { by: OPERATOR });
    expect(record.email).toBe("alice@example.com"); // learnt from the grant
    const url = await newAuthorizationUrl();
    const before = await kvRecords();

    // /authorize with a Metadata API token.
    const browser = new TestBrowser();
    const signInPage = await (await browser.fetch(url.toString())).text();
    const page = await expectRefusedPage(await submitSignIn(browser, signInPage, alice), "has blocked alice@example.com", "Ask the person who runs this server");
    expect(page).toContain("Nothing was saved");
    expect(browser.cookies.has("__Host-xano-mcp-session")).toBe(false);
    // The same person's account on another instance: refused by the email the block carries.
    await expectRefusedPage(await submitSignIn(browser, signInPage, aliceSandbox), "has blocked alice@example.com");
    // /authorize with Sign in with Xano: refused on the way back, Xano's fresh tokens revoked at Xano.
    await expectRefusedPage(await throughXano(browser, await allowThenToXano(browser, signInPage), aliceWithXano), "has blocked alice@example.com");
    // /apps, with a token and with Sign in with Xano.
    const apps = await signInToApps(alice);
    await expectRefusedPage(apps.response, "has blocked alice@example.com");
    const appsPage = await (await apps.browser.fetch("/apps")).text();
    const viaXano = await throughXano(apps.browser, await apps.browser.submit(parseForms(appsPage).find((f) => f.fields.step === "xano-oauth")!, {}), aliceWithXano);
    await expectRefusedPage(viaXano, "has blocked alice@example.com");
    expect(apps.browser.cookies.has("__Host-xano-mcp-session")).toBe(false);

    expect(fake.log.count("POST /oauth/revoke")).toBe(2);
    expect(await kvRecords()).toEqual(before);
    // Someone else signs in as usual.
    expect((await toolsList((await tokensFor({ signIn: bob })).accessToken)).status).toBe(200);
  });

  it("a sign-in session, a consent page or a token trip from before the block makes nothing after it", async () => {
    // Alice on /authorize up to the consent page; on /apps with a token; on /apps with Sign in with Xano, on her way to Xano for a token.
    const url = await newAuthorizationUrl();
    const authorizing = new TestBrowser();
    const consentPage = await (await submitSignIn(authorizing, await (await authorizing.fetch(url.toString())).text(), alice)).text();
    const [consent] = parseForms(consentPage);
    expect(consent.buttons.some((b) => b.text === "Allow")).toBe(true);
    const { browser: appsBrowser } = await signInToApps(alice);
    const xanoBrowser = new TestBrowser();
    const appsPage = await (await xanoBrowser.fetch("/apps")).text();
    expect((await throughXano(xanoBrowser, await xanoBrowser.submit(parseForms(appsPage).find((f) => f.fields.step === "xano-oauth")!, {}), aliceWithXano)).status).toBe(303);
    const toXano = await postCreateToken(xanoBrowser);
    expect(toXano.status).toBe(303);
    const another = await newAuthorizationUrl();

    // She holds nothing yet, so the operator names her email for the block to carry.
    const { ended } = await blockPerson(admin(), ALICE_ID, { by: OPERATOR, email: "Alice@Example.com" });
    expect(ended).toEqual({ grants: 0, personalTokens: 0 });
    const before = await kvRecords();

    await expectRefusedPage(await authorizing.submit(consent, {}, consent.buttons.find((b) => b.text === "Allow")!), "has blocked alice@example.com");
    await expectRefusedPage(await authorizing.fetch(another.toString()), "has blocked alice@example.com");
    await expectRefusedPage(await postCreateToken(appsBrowser), "has blocked alice@example.com");
    // The token trip's state is used up whatever happens; nothing else is stored, and Xano's fresh tokens are revoked.
    const tripKey = Object.keys(before).find((key) => key.startsWith("apps-token-trip:"))!;
    await expectRefusedPage(await throughXano(xanoBrowser, toXano, aliceWithXano), "has blocked alice@example.com");
    expect(fake.log.count("POST /oauth/revoke")).toBe(1);
    const { [tripKey]: _usedUp, ...rest } = before;
    expect(await kvRecords()).toEqual(rest);
  });

  it("unblocked, they can sign in again; what the block ended stays ended", async () => {
    const old = await tokensFor({ signIn: alice });
    await blockPerson(admin(), ALICE_ID, { by: OPERATOR });
    const removed = await unblockPerson(env, ALICE_ID, { by: OPERATOR });
    expect(removed).toMatchObject({ userId: ALICE_ID, email: "alice@example.com" });
    expect(await unblockPerson(env, ALICE_ID, { by: OPERATOR })).toBeNull();
    expect(await blockedPeople(env.OAUTH_KV)).toEqual([]);
    expect(Object.keys(await kvRecords()).filter((key) => key.startsWith("blocked"))).toEqual([]);

    await expectEnded(old.accessToken);
    expect((await toolsList((await tokensFor({ signIn: alice })).accessToken)).status).toBe(200);
    expect((await toolsList((await tokensFor({ signIn: aliceSandbox })).accessToken)).status).toBe(200);
  });

  it("matches by userId, or by email case-insensitively; unblocking one of two blocks that share an email keeps the email blocked", async () => {
    const other = "xano.other.example.com.9";
    await blockPerson(admin(), ALICE_ID, { by: OPERATOR, email: "alice@example.com" });
    await blockPerson(admin(), other, { by: OPERATOR, email: "ALICE@example.com" });
    expect(await isBlocked(env.OAUTH_KV, { userId: ALICE_SANDBOX_ID, xanoUser: { email: " Alice@Example.COM " } })).toBe(true);
    expect(await isBlocked(env.OAUTH_KV, { userId: ALICE_ID, xanoUser: { email: null } })).toBe(true);
    expect(await isBlocked(env.OAUTH_KV, { userId: ALICE_SANDBOX_ID, xanoUser: { email: null } })).toBe(false);
    expect(await isBlocked(env.OAUTH_KV, { userId: userIdFor(SHARED_INSTANCE_URL, 2), xanoUser: { email: "bob@example.com" } })).toBe(false);

    await unblockPerson(env, ALICE_ID, { by: OPERATOR });
    expect(await isBlocked(env.OAUTH_KV, { userId: ALICE_SANDBOX_ID, xanoUser: { email: "alice@example.com" } })).toBe(true);
    await unblockPerson(env, other, { by: OPERATOR });
    expect(await isBlocked(env.OAUTH_KV, { userId: ALICE_SANDBOX_ID, xanoUser: { email: "alice@example.com" } })).toBe(false);
    await expect(blockPerson(admin(), "blocked:../x", { by: OPERATOR })).rejects.toThrow("not a user id");
  });
});
