/**
 * The operator's view (/admin), through real HTTP into the Worker. ADMIN_EMAILS differs per test,
 * so requests go to the Worker's own fetch with the test's env, as in tests/allow-lists.test.ts.
 *
 * An operator signs in on /apps with Sign in with Xano and opens /admin: they see every person who
 * connected, revoke one's app (its token then gets 401 on /mcp) and personal token, and each action
 * is recorded and shown. Everyone else — no session, a non-operator, an operator signed in with a
 * token, any path, any method — gets the very 404 an unknown path gets. An operator blocks a
 * person from their page (their grant then gets 401 on /mcp, their sign-in is refused) and unblocks
 * them from /admin's Blocked people (they may sign in again); both are recorded and shown.
 */
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import migration from "../migrations/0002_operator_actions.sql?raw";
import { ALICE_METADATA_TOKEN, BOB_METADATA_TOKEN } from "../fixtures/seed";
import { ORIGIN, TestBrowser, decodeEntities, fieldNameForLabel, parseForms, type WorkerFetch } from "./harness/browser";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import type { SignInAs } from "./harness/mcp-client";
import { OPERATOR_ACTIONS_SCHEMA, schemaStatements } from "../src/activity/schema";
import { loadConfig } from "../src/config";
import { insertActivity } from "../src/activity/activity-store";
import { OPERATOR_REQUESTS_PER_MINUTE } from "../src/rate-limit/limits";
import { blockedPeople, unblockPerson } from "../src/admin/blocks";
import { kvRecords } from "./harness/kv";
import { tokensFor, workerWith } from "./harness/worker-with";
import { expectRefusedPage, submitSignIn } from "./harness/sign-in-pages";

useFakeXano();
const alice: SignInAs = { instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN };
const bob: SignInAs = { instanceUrl: SHARED_INSTANCE_URL, token: BOB_METADATA_TOKEN };


const withAliceOperator = workerWith({ ADMIN_EMAILS: "bob@example.org, Alice@Example.com" });
const withBobOperator = workerWith({ ADMIN_EMAILS: "bob@example.com" });

/** An MCP client's grant for `signIn`: its access token, through the real authorization flow. */
function connectApp(fetchWorker: WorkerFetch, signIn: SignInAs, clientName = "Admin Test App") {
  return tokensFor(fetchWorker, signIn, { clientName });
}

function listTools(fetchWorker: WorkerFetch, bearer: string) {
  return fetchWorker(
    new Request(`${ORIGIN}/mcp`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
    }),
  );
}

/** A browser signed in on /apps with Sign in with Xano (through fake Xano's page) as `who`. */
async function signInWithXano(fetchWorker: WorkerFetch, who: { email: string; password: string }): Promise<TestBrowser> {
  const browser = new TestBrowser({}, fetchWorker);
  const page = await (await browser.fetch("/apps")).text();
  const toXano = await browser.submit(parseForms(page).find((f) => f.fields.step === "xano-oauth")!, {});
  const xanoUrl = new URL(toXano.headers.get("Location")!);
  const xanoPage = await (await browser.fetch(xanoUrl.toString())).text();
  const [xanoForm] = parseForms(xanoPage, xanoUrl.origin);
  const back = await browser.submit(xanoForm, who, { name: "decision", value: "approve" });
  const landed = await browser.fetch(back.headers.get("Location")!);
  expect(landed.status).toBe(303);
  expect(landed.headers.get("Location")).toBe("/apps");
  return browser;
}

/** A browser signed in on /apps with a Metadata API token. */
async function signInWithToken(fetchWorker: WorkerFetch, signIn: { instanceUrl: string; token: string }): Promise<TestBrowser> {
  const browser = new TestBrowser({}, fetchWorker);
  const page = await (await browser.fetch("/apps")).text();
  const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
  const signedIn = await browser.submit(form, { [fieldNameForLabel(page, "Instance URL")]: signIn.instanceUrl, [fieldNameForLabel(page, "Metadata API token")]: signIn.token });
  expect(signedIn.status).toBe(303);
  return browser;
}

/** Creates a personal access token on /apps for the signed-in `browser`. */
async function createPersonalToken(browser: TestBrowser, name: string): Promise<string> {
  const page = await (await browser.fetch("/apps")).text();
  const form = parseForms(page).find((f) => f.action === "/apps/tokens")!;
  const created = await (await browser.submit(form, { name, access: "read", lifetime: "30" })).text();
  const token = created.match(/name="personal_token" value="([^"]+)"/)?.[1];
  expect(token).toBeTruthy();
  return decodeEntities(token!);
}

/** What a stranger sees at `path`: status, body and every header but the per-request id. */
async function answerAt(fetchWorker: WorkerFetch, path: string, init: RequestInit = {}, browser?: TestBrowser) {
  const response = browser ? await browser.fetch(path, init) : await fetchWorker(new Request(`${ORIGIN}${path}`, init));
  const headers = [...response.headers].filter(([name]) => name.toLowerCase() !== "x-request-id");
  return { status: response.status, body: await response.text(), headers };
}

describe("/admin for an operator", () => {
  it("shows every person who connected; revoking an app ends its token on /mcp, revoking a personal token ends it; both are recorded and shown", async () => {
    const aliceApp = await connectApp(withAliceOperator, alice, "Alice's Assistant");
    const bobApp = await connectApp(withAliceOperator, bob, "Bob's Assistant");
    expect((await listTools(withAliceOperator, bobApp.accessToken)).status).toBe(200);
    const bobBrowser = await signInWithToken(withAliceOperator, bob);
    const bobToken = await createPersonalToken(bobBrowser, "Bob's CI");
    expect((await listTools(withAliceOperator, bobToken)).status).toBe(200);

    const operator = await signInWithXano(withAliceOperator, { email: "alice@example.com", password: "alice-password" });
    const overview = await operator.fetch("/admin");
    const page = await overview.text();
    expect(overview.status, page).toBe(200);
    expect(overview.headers.get("Cache-Control")).toBe("no-store");
    expect(overview.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    expect(overview.headers.get("X-Frame-Options")).toBe("DENY");
    expect(page).toContain("<h1>Operator's view</h1>");
    expect(page).toContain("alice@example.com");
    expect(page).toContain("bob@example.com");
    expect(page).toMatch(/aria-labelledby="calls-per-day-title calls-per-day-desc"/);
    expect(page).toMatch(/aria-labelledby="error-rate-title error-rate-desc"/);
    expect(page).toMatch(/aria-labelledby="calls-by-tool-title calls-by-tool-desc"/);
    expect(page).not.toContain("<script");

    // Bob's entry: one app and one token; his page lists both with Revoke.
    const bobLink = /<a href="(\/admin\/person\?user=[^"]+)">bob@example\.com<\/a>/.exec(page)![1];
    const bobItem = page.slice(page.indexOf(bobLink));
    expect(bobItem).toMatch(/<dt>Apps<\/dt><dd>1<\/dd>\s*<dt>Tokens<\/dt><dd>1<\/dd>/);
    const personPage = await (await operator.fetch(decodeEntities(bobLink))).text();
    expect(personPage).toContain("Bob&#39;s Assistant");
    expect(personPage).toContain("Bob&#39;s CI");
    expect(parseForms(personPage).some((f) => f.action === "/admin/block")).toBe(true);

    const revokeApp = parseForms(personPage).find((f) => f.action === "/admin/revoke-app")!;
    const revoked = await operator.submit(revokeApp, {});
    expect(revoked.status).toBe(303);
    const after = await (await operator.fetch(revoked.headers.get("Location")!)).text();
    expect(after).toContain("The app was disconnected");
    expect(after).not.toContain("Bob&#39;s Assistant");
    expect((await listTools(withAliceOperator, bobApp.accessToken)).status).toBe(401);
    // Alice's own app is untouched.
    expect((await listTools(withAliceOperator, aliceApp.accessToken)).status).toBe(200);

    const revokeToken = parseForms(after).find((f) => f.action === "/admin/revoke-token")!;
    const revokedToken = await operator.submit(revokeToken, {});
    expect(revokedToken.status).toBe(303);
    expect((await listTools(withAliceOperator, bobToken)).status).toBe(401);

    // Recorded: who, what, whose, when; shown on /admin and /admin/actions.
    const recorded = await env.ACTIVITY_DB.prepare("SELECT operator, action, target_user, target_label, target, detail, at FROM operator_actions WHERE detail IN (?, ?) ORDER BY id").bind("Bob's Assistant", "Bob's CI").all<Record<string, any>>();
    expect(recorded.results).toEqual([
      { operator: "alice@example.com", action: "revoke_app", target_user: expect.stringMatching(/^xano\./), target_label: "bob@example.com", target: expect.any(String), detail: "Bob's Assistant", at: expect.any(Number) },
      { operator: "alice@example.com", action: "revoke_token", target_user: recorded.results[0].target_user, target_label: "bob@example.com", target: expect.any(String), detail: "Bob's CI", at: expect.any(Number) },
    ]);
    const actions = await (await operator.fetch("/admin/actions")).text();
    expect(actions).toContain("Revoked an app");
    expect(actions).toContain("Revoked a personal token");
    expect(actions).toContain("Bob&#39;s Assistant");
    expect(actions).toContain(">bob@example.com</a>");
    const overviewAfter = await (await operator.fetch("/admin")).text();
    expect(overviewAfter).toContain("Revoked a personal token");
  });

  it("refuses a revocation without the CSRF token, or naming another person's grant, and changes nothing", async () => {
    await connectApp(withAliceOperator, alice);
    const bobApp = await connectApp(withAliceOperator, bob);
    const operator = await signInWithXano(withAliceOperator, { email: "alice@example.com", password: "alice-password" });
    const page = await (await operator.fetch("/admin")).text();
    const bobLink = decodeEntities(/<a href="(\/admin\/person\?user=[^"]+)">bob@example\.com<\/a>/.exec(page)![1]);
    const personPage = await (await operator.fetch(bobLink)).text();
    const form = parseForms(personPage).find((f) => f.action === "/admin/revoke-app")!;
    const forged = await operator.submit(form, { csrf_token: "x".repeat(32) });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain("This form expired");
    expect((await listTools(withAliceOperator, bobApp.accessToken)).status).toBe(200);
    // A grant id under another person's user id finds nothing.
    const aliceId = decodeEntities(/<a href="\/admin\/person\?user=([^"]+)">alice@example\.com<\/a>/.exec(page)![1]);
    const mismatched = await operator.submit(form, { user_id: aliceId });
    expect(mismatched.status).toBe(303);
    expect(await (await operator.fetch(mismatched.headers.get("Location")!)).text()).toContain("already gone; nothing was changed");
    expect((await listTools(withAliceOperator, bobApp.accessToken)).status).toBe(200);
    // Someone with nothing connected: a page that says so.
    const nobody = await operator.fetch("/admin/person?user=xano.example.invalid.999");
    expect(nobody.status).toBe(404);
    expect(await nobody.text()).toContain("has no app and no personal token");
  });

  it("shows recent errors across people, and dead credentials", async () => {
    const bobApp = await connectApp(withAliceOperator, bob, "Dying App");
    const grantKey = (await env.OAUTH_KV.list({ prefix: "grant:" })).keys.map((k) => k.name).find((name) => name.includes(".2:"))!;
    const userId = grantKey.split(":")[1];
    await insertActivity(env.ACTIVITY_DB, { at: Date.now() - 1000, userId, via: "oauth", app: bobApp.clientId, tool: "xano_get_table_details", objects: {}, outcome: "NOT_FOUND", durationMs: 7 });
    // The grant's credential store loses its credential (as when it is emptied): a dead credential.
    const grants = await env.OAUTH_KV.list({ prefix: `grant:${userId}:` });
    for (const key of grants.keys) {
      const grant = await env.OAUTH_KV.get<{ clientId: string; metadata: { storeId: string } }>(key.name, { type: "json" });
      if (grant?.clientId === bobApp.clientId) await env.CREDENTIAL_STORE.get(env.CREDENTIAL_STORE.idFromName(grant.metadata.storeId)).forget();
    }
    const operator = await signInWithXano(withAliceOperator, { email: "alice@example.com", password: "alice-password" });
    const errors = await (await operator.fetch("/admin/errors")).text();
    expect(errors).toContain("xano_get_table_details: NOT_FOUND");
    expect(errors).toContain("Dying App");
    let found = false;
    for (let n = 1; n <= 20 && !found; n++) {
      const dead = await (await operator.fetch(`/admin/credentials?page=${n}`)).text();
      expect(dead).toContain("Checked connections");
      found = dead.includes("No credential is stored for it.");
      if (!dead.includes('rel="next"')) break;
    }
    expect(found).toBe(true);
  });

  it("is rate limited per operator", async () => {
    const operator = await signInWithXano(withAliceOperator, { email: "alice@example.com", password: "alice-password" });
    let last: Response | undefined;
    for (let i = 0; i <= OPERATOR_REQUESTS_PER_MINUTE; i++) last = await operator.fetch("/admin/no-such-page");
    expect(last!.status).toBe(429);
    expect(last!.headers.get("Retry-After")).toMatch(/^\d+$/);
  });
});

describe("blocking a person from /admin", () => {
  // KV outlives a test in this pool: nobody stays blocked for the next test. Alice is the operator
  // here: Bob's operator minute is spent by the rate-limit test above.
  afterEach(async () => {
    for (const record of await blockedPeople(env.OAUTH_KV)) await unblockPerson(env, record.userId, { by: "test" });
  });

  async function alicesPage(operator: TestBrowser): Promise<{ overview: string; aliceLink: string; page: string }> {
    const overview = await (await operator.fetch("/admin")).text();
    const aliceLink = decodeEntities(/<a href="(\/admin\/person\?user=[^"]+)">alice@example\.com<\/a>/.exec(overview)![1]);
    return { overview, aliceLink, page: await (await operator.fetch(aliceLink)).text() };
  }

  it("Block (with a reason, confirmed) ends the person's grant on /mcp and refuses their sign-in; Unblock on /admin lets them sign in again; both are recorded and shown", async () => {
    const aliceApp = await connectApp(withBobOperator, alice, "Alice's Assistant");
    const operator = await signInWithXano(withBobOperator, { email: "bob@example.com", password: "bob-password" });
    const { overview, aliceLink, page } = await alicesPage(operator);
    expect(overview).toContain("Blocked people (0)");
    const block = parseForms(page).find((f) => f.action === "/admin/block")!;
    const reasonField = fieldNameForLabel(page, "Reason");
    expect(reasonField).toBe("reason");
    expect(fieldNameForLabel(page, "I understand this ends all of their apps and tokens at once.")).toBe("confirm");
    expect(page).toMatch(/<input type="checkbox" id="block-confirm" name="confirm" value="yes" required>/);

    // Not confirmed: nothing is blocked, and the page says why.
    const unconfirmed = await operator.submit(block, { [reasonField]: "Leaked a token" });
    expect(unconfirmed.status).toBe(303);
    expect(await (await operator.fetch(unconfirmed.headers.get("Location")!)).text()).toContain("Nothing was blocked: tick the box");
    expect((await listTools(withBobOperator, aliceApp.accessToken)).status).toBe(200);
    expect(await blockedPeople(env.OAUTH_KV)).toEqual([]);

    const blocked = await operator.submit(block, { [reasonField]: "Leaked a token", confirm: "yes" });
    expect(blocked.status).toBe(303);
    expect(blocked.headers.get("Location")).toBe(`${aliceLink}&done=blocked`);
    // His grant is ended at once.
    expect((await listTools(withBobOperator, aliceApp.accessToken)).status).toBe(401);
    // He holds nothing now, yet his page shows the block and Unblock.
    const blockedPage = await operator.fetch(blocked.headers.get("Location")!);
    const blockedText = await blockedPage.text();
    expect(blockedPage.status, blockedText).toBe(200);
    expect(blockedText).toContain("<h1>alice@example.com</h1>");
    expect(blockedText).toContain("The person was blocked");
    expect(blockedText).toMatch(/<dt>By<\/dt><dd>bob@example\.com<\/dd>\s*<dt>Reason<\/dt><dd>Leaked a token<\/dd>/);
    expect(parseForms(blockedText).some((f) => f.action === "/admin/unblock")).toBe(true);
    expect(parseForms(blockedText).some((f) => f.action === "/admin/block")).toBe(false);

    // His sign-in is refused.
    const aliceBrowser = new TestBrowser({}, withBobOperator);
    await expectRefusedPage(await submitSignIn(aliceBrowser, await (await aliceBrowser.fetch("/apps")).text(), alice), "has blocked alice@example.com");

    // Recorded and shown; /admin lists him under Blocked people (and no longer under People).
    const userId = new URL(aliceLink, ORIGIN).searchParams.get("user")!;
    const recorded = await env.ACTIVITY_DB.prepare("SELECT operator, action, target_user, target_label, target, detail FROM operator_actions WHERE target_user = ? AND action LIKE '%block%' ORDER BY id").bind(userId).all<Record<string, unknown>>();
    expect(recorded.results).toEqual([{ operator: "bob@example.com", action: "block_person", target_user: userId, target_label: "alice@example.com", target: userId, detail: expect.stringMatching(/^Reason: Leaked a token\. Ended [1-9]\d* apps? and \d+ personal tokens?\.$/) }]);
    const overviewBlocked = await (await operator.fetch("/admin")).text();
    expect(overviewBlocked).toContain("Blocked a person");
    const blockedSection = overviewBlocked.slice(overviewBlocked.indexOf('<h2 id="blocked">'), overviewBlocked.indexOf("<h2>Newest errors</h2>"));
    expect(blockedSection).toContain("Blocked people (1)");
    expect(blockedSection).toContain(">alice@example.com</a>");
    expect(blockedSection).toMatch(/<dt>By<\/dt><dd>bob@example\.com<\/dd>\s*<dt>Reason<\/dt><dd>Leaked a token<\/dd>/);
    const peopleSection = overviewBlocked.slice(overviewBlocked.indexOf('<h2 id="people">'), overviewBlocked.indexOf('<h2 id="blocked">'));
    expect(peopleSection).not.toContain("alice@example.com");
    expect(await (await operator.fetch("/admin/actions")).text()).toContain("Blocked a person");

    // Unblock from /admin's list.
    const unblock = parseForms(overviewBlocked).find((f) => f.action === "/admin/unblock" && f.fields.user_id === userId)!;
    const unblocked = await operator.submit(unblock, {});
    expect(unblocked.status).toBe(303);
    expect(await (await operator.fetch(unblocked.headers.get("Location")!)).text()).toContain("The person was unblocked");
    expect(await blockedPeople(env.OAUTH_KV)).toEqual([]);
    const unblockRow = await env.ACTIVITY_DB.prepare("SELECT operator, action, target_label, detail FROM operator_actions WHERE target_user = ? AND action = 'unblock_person'").bind(userId).first<Record<string, string>>();
    expect(unblockRow).toMatchObject({ operator: "bob@example.com", action: "unblock_person", target_label: "alice@example.com", detail: expect.stringContaining("by bob@example.com. Reason: Leaked a token") });
    const overviewAfter = await (await operator.fetch("/admin")).text();
    expect(overviewAfter).toContain("Blocked people (0)");
    expect(overviewAfter).toContain("Unblocked a person");
    // He may sign in again; what the block ended stays ended.
    await signInWithToken(withBobOperator, alice);
    expect((await listTools(withBobOperator, aliceApp.accessToken)).status).toBe(401);
    // Unblocking again changes nothing and records nothing.
    expect((await operator.submit(unblock, {})).headers.get("Location")).toContain("done=not-blocked");
    expect((await env.ACTIVITY_DB.prepare("SELECT COUNT(*) AS n FROM operator_actions WHERE target_user = ? AND action = 'unblock_person'").bind(userId).first<{ n: number }>())!.n).toBe(1);
  });

  it("refuses a block without the CSRF token, of the operator themselves, or of someone unknown; nothing is stored", async () => {
    const bobApp = await connectApp(withBobOperator, bob);
    const aliceApp = await connectApp(withBobOperator, alice);
    const operator = await signInWithXano(withBobOperator, { email: "bob@example.com", password: "bob-password" });
    const { overview, page } = await alicesPage(operator);
    const block = parseForms(page).find((f) => f.action === "/admin/block")!;
    expect(Object.keys(await kvRecords()).filter((key) => key.startsWith("blocked"))).toEqual([]);
    const blockActionsRecorded = async () => (await env.ACTIVITY_DB.prepare("SELECT COUNT(*) AS n FROM operator_actions WHERE action = 'block_person'").first<{ n: number }>())!.n;
    const recordedBefore = await blockActionsRecorded();

    const forged = await operator.submit(block, { csrf_token: "x".repeat(32), confirm: "yes" });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain("This form expired");
    expect((await listTools(withBobOperator, aliceApp.accessToken)).status).toBe(200);

    // Her own page offers no Block; posting one for her account anyway is refused.
    const bobLink = decodeEntities(/<a href="(\/admin\/person\?user=[^"]+)">bob@example\.com<\/a>/.exec(overview)![1]);
    const ownPage = await (await operator.fetch(bobLink)).text();
    expect(ownPage).toContain("you cannot block yourself");
    expect(parseForms(ownPage).some((f) => f.action === "/admin/block")).toBe(false);
    const self = await operator.submit(block, { user_id: new URL(bobLink, ORIGIN).searchParams.get("user")!, confirm: "yes" });
    expect(self.status).toBe(400);
    expect(await self.text()).toContain("You cannot block yourself");
    expect((await listTools(withBobOperator, bobApp.accessToken)).status).toBe(200);

    for (const userId of ["xano.example.invalid.999", "blocked:../x"]) {
      const unknown = await operator.submit(block, { user_id: userId, confirm: "yes" });
      expect(unknown.status, userId).toBe(404);
      expect(await unknown.text()).toContain("no block for that person, so nothing was blocked");
    }
    expect(Object.keys(await kvRecords()).filter((key) => key.startsWith("blocked"))).toEqual([]);
    expect(await blockActionsRecorded()).toBe(recordedBefore);
    expect((await listTools(withBobOperator, aliceApp.accessToken)).status).toBe(200);
  });
});

describe("/admin for anyone else: the same 404 as an unknown path", () => {
  const paths = ["/admin", "/admin/", "/admin/person?user=x", "/admin/errors", "/admin/actions", "/admin/credentials", "/admin/nothing"];

  it("without a session", async () => {
    const unknown = await answerAt(withAliceOperator, "/no-such-page-7f3a");
    expect(unknown.status).toBe(404);
    for (const path of paths) expect(await answerAt(withAliceOperator, path), path).toEqual(unknown);
    const post = { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "user_id=x&grant_id=y" };
    for (const path of ["/admin/revoke-app", "/admin/block", "/admin/unblock"]) expect(await answerAt(withAliceOperator, path, post), path).toEqual(await answerAt(withAliceOperator, "/no-such-page-7f3a", post));
  });

  it("signed in as someone who is not an operator, or as an operator by token, or with ADMIN_EMAILS empty", async () => {
    const bobBrowser = await signInWithXano(withAliceOperator, { email: "bob@example.com", password: "bob-password" });
    const aliceByToken = await signInWithToken(withAliceOperator, alice);
    const nobody = workerWith({ ADMIN_EMAILS: "" });
    const aliceNoOperators = await signInWithXano(nobody, { email: "alice@example.com", password: "alice-password" });
    for (const [browser, fetchWorker] of [[bobBrowser, withAliceOperator], [aliceByToken, withAliceOperator], [aliceNoOperators, nobody]] as const) {
      const unknown = await answerAt(fetchWorker, "/no-such-page-7f3a", {}, browser);
      expect(unknown.status).toBe(404);
      for (const path of paths) expect(await answerAt(fetchWorker, path, {}, browser), path).toEqual(unknown);
      // A block posted by them, even with a matching CSRF token, is the same 404 and blocks nobody.
      const csrf = parseForms(await (await browser.fetch("/apps")).text()).flatMap((f) => (f.fields.csrf_token ? [f.fields.csrf_token] : []))[0] ?? "x";
      const post = { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ csrf_token: csrf, user_id: "xano.example.invalid.1", confirm: "yes" }).toString() };
      expect(await answerAt(fetchWorker, "/admin/block", post, browser)).toEqual(await answerAt(fetchWorker, "/no-such-page-7f3a", post, browser));
      expect(await blockedPeople(env.OAUTH_KV)).toEqual([]);
      // Their apps page works as ever, without a hint.
      expect(await (await browser.fetch("/apps")).text()).not.toContain("/admin");
    }
  });
});

describe("ADMIN_EMAILS and the record's schema", () => {
  it("the operator_actions schema the Worker applies is the migration's", () => {
    expect(schemaStatements(migration)).toEqual(schemaStatements(OPERATOR_ACTIONS_SCHEMA));
    expect(schemaStatements(migration)).toHaveLength(2);
  });

  it.each(["@example.com", "alice", "alice@", "alice@example.com, *@example.com"])("ADMIN_EMAILS = %s is a clear configuration error", (value) => {
    const loaded = loadConfig({ PUBLIC_URL: "https://mcp.example.com", ADMIN_EMAILS: value });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problems.join("\n")).toContain("ADMIN_EMAILS");
  });

  it("accepts exact addresses, any case", () => {
    expect(loadConfig({ PUBLIC_URL: "https://mcp.example.com", ADMIN_EMAILS: " Alice@Example.com , ops@example.org" }).ok).toBe(true);
  });
});
