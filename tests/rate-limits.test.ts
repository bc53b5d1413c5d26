/**
 * Rate limits over HTTP, with the `CF-Connecting-IP` Cloudflare adds to every request: brute-force
 * sign-in (per address and account pair, per account, and a ten times larger budget per address,
 * without letting one address lock out anyone else), requests that store something before anyone
 * is signed in (per address), client registration per address (and the size of what it stores),
 * tool calls per grant. Defaults: 10 failed sign-ins per pair and per account, 100 per address,
 * 30 storing requests, 60 registrations and 120 tool calls per minute (config.ts). Counters outlive
 * a test within this file, so every test uses its own addresses and, where it locks one, its own
 * account (only alice and bob can sign in; other emails are accounts Xano does not know).
 */
import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ALICE_METADATA_TOKEN, BOB_METADATA_TOKEN } from "../fixtures/seed";
import { ORIGIN, TestBrowser, fieldNameForLabel, parseForms } from "./harness/browser";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { connectWithOAuth } from "./harness/mcp-client";
import { base64Url } from "../src/lib/secrets";
import { loadConfig, type RateLimits } from "../src/config";
import { beginSignInAttempt, countRegistration, countStoringRequest, signInAttempt } from "../src/rate-limit/limits";
import { limiterFor, type RateLimiterEnv } from "../src/rate-limit/rate-limiter";
import type { XanoCredentialStore } from "../src/credentials/credential-store";

useFakeXano();
const REDIRECT = "http://localhost:3000/callback";

function register(ip: string) {
  return SELF.fetch(`${ORIGIN}/oauth/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
    body: JSON.stringify({ client_name: "Rate Test", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" }),
  });
}

/** An authorization request of a freshly registered client (registered from no address, so uncounted). */
async function authorizationRequest(state = "s") {
  const registered = await SELF.fetch(`${ORIGIN}/oauth/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ client_name: "Rate Test", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" }),
  });
  const client = (await registered.json()) as { client_id: string };
  return requestFor(client.client_id, state);
}

function requestFor(clientId: string, state: string) {
  const challenge = base64Url(new TextEncoder().encode("c".repeat(32)));
  const url = new URL(`${ORIGIN}/authorize`);
  url.search = new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: "S256", state, resource: ORIGIN }).toString();
  return url;
}

/** An authorization request's sign-in page, in a browser that comes from `ip`. */
async function signInPageFrom(ip: string) {
  const url = await authorizationRequest();
  const browser = new TestBrowser({ "CF-Connecting-IP": ip });
  const page = await (await browser.fetch(url.toString())).text();
  return { browser, page, url };
}

/** Submits the token form of `page`; returns the response and the page it shows. */
async function submitToken(browser: TestBrowser, page: string, token: string) {
  const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
  const response = await browser.submit(form, { [fieldNameForLabel(page, "Instance URL")]: SHARED_INSTANCE_URL, [fieldNameForLabel(page, "Metadata API token")]: token });
  return { response, page: await response.text() };
}

async function submitPassword(browser: TestBrowser, page: string, email: string, password: string) {
  const form = parseForms(page).find((f) => f.fields.method === "app_auth")!;
  const response = await browser.submit(form, { [fieldNameForLabel(page, "Email")]: email, [fieldNameForLabel(page, "Password")]: password });
  return { response, page: await response.text() };
}

function expectLimitedPage(response: Response, page: string, why?: string) {
  expect(response.status).toBe(429);
  if (why) expect(page).toContain(why);
  const retryAfter = Number(response.headers.get("Retry-After"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.headers.get("Content-Type")).toContain("text/html");
  expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
  expect(page).toContain("Too many attempts");
  expect(page).toContain(`Wait ${retryAfter} second`);
  // "go back" is a link, to the sign-in form the attempt came from.
  expect(page).toMatch(/<a href="\/(authorize\?[^"]+|apps)">go back<\/a>/);
  expect(page).not.toMatch(/at .*\.ts:\d+|Error:/);
}

describe("brute-force sign-in", () => {
  it("the 11th wrong token from one address within a minute gets 429 with Retry-After; another account from another address still signs in", async () => {
    const attacker = "203.0.113.10";
    let { browser, page } = await signInPageFrom(attacker);
    for (let attempt = 1; attempt <= 10; attempt++) {
      const result = await submitToken(browser, page, `wrong-token-${attempt}`);
      expect(result.response.status, `attempt ${attempt}`).toBe(400);
      expect(result.page).toContain("Xano did not accept this token");
      page = result.page;
    }
    const eleventh = await submitToken(browser, page, "wrong-token-11");
    expectLimitedPage(eleventh.response, eleventh.page, "for this Xano instance from your network");
    // Even the right token is refused from this address for now.
    const right = await submitToken(browser, page, ALICE_METADATA_TOKEN);
    expect(right.response.status).toBe(429);

    // Bob, from his own address, is not affected.
    const bob = await signInPageFrom("192.0.2.20");
    const signedIn = await submitToken(bob.browser, bob.page, BOB_METADATA_TOKEN);
    expect(signedIn.response.status).toBe(200);
    expect(signedIn.page).toContain("Allow");
  });

  it("counts IPv6 addresses per /64, so rotating inside one's own block does not help", async () => {
    let last: { response: Response; page: string } | null = null;
    for (let attempt = 1; attempt <= 11; attempt++) {
      const { browser, page } = await signInPageFrom(`2001:db8:aa:bb::${attempt.toString(16)}`);
      last = await submitToken(browser, page, "wrong");
      if (attempt <= 10) expect(last.response.status).toBe(400);
    }
    expectLimitedPage(last!.response, last!.page);
    const neighbour = await signInPageFrom("2001:db8:aa:cc::1");
    expect((await submitToken(neighbour.browser, neighbour.page, "wrong")).response.status).toBe(400);
  });

  it("wrong passwords for one account from many addresses lock that account only, for at most a minute", async () => {
    let last: { response: Response; page: string } | null = null;
    for (let attempt = 1; attempt <= 11; attempt++) {
      const { browser, page } = await signInPageFrom(`203.0.113.${100 + attempt}`);
      last = await submitPassword(browser, page, "dave@example.com", `guess-${attempt}`);
      if (attempt <= 10) expect(last.response.status, `attempt ${attempt}`).toBe(400);
    }
    expectLimitedPage(last!.response, last!.page, "for this account in the last minute, from several networks");
    // The account key ignores case and spaces: the same account.
    const again = await signInPageFrom("203.0.113.150");
    expect((await submitPassword(again.browser, again.page, " Dave@Example.com", "dave-password")).response.status).toBe(429);
    // Bob signs in with his password, from anywhere.
    const bob = await signInPageFrom("203.0.113.151");
    const signedIn = await submitPassword(bob.browser, bob.page, "bob@example.com", "bob-password");
    expect(signedIn.response.status).toBe(200);
    expect(signedIn.page).toContain("Allow");
  });

  it("after 11 wrong passwords for bob from one address, alice signs in from the same address at once", async () => {
    const office = "203.0.113.30";
    let { browser, page } = await signInPageFrom(office);
    for (let attempt = 1; attempt <= 10; attempt++) {
      const result = await submitPassword(browser, page, "bob@example.com", `typo-${attempt}`);
      expect(result.response.status, `attempt ${attempt}`).toBe(400);
      page = result.page;
    }
    const eleventh = await submitPassword(browser, page, "bob@example.com", "typo-11");
    expectLimitedPage(eleventh.response, eleventh.page, "for this account from your network");

    const alice = await signInPageFrom(office);
    const signedIn = await submitPassword(alice.browser, alice.page, "alice@example.com", "alice-password");
    expect(signedIn.response.status).toBe(200);
    expect(signedIn.page).toContain("Allow");
    // And her own typo is an ordinary wrong password, not a refusal.
    const typo = await signInPageFrom(office);
    expect((await submitPassword(typo.browser, typo.page, "alice@example.com", "alice-pasword")).response.status).toBe(400);
  });

  it("one address cannot keep an account locked: it counts for at most half the account's budget", async () => {
    const attacker = "203.0.113.31";
    let { browser, page } = await signInPageFrom(attacker);
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 25; attempt++) {
      const result = await submitPassword(browser, page, "alice@example.com", `guess-${attempt}`);
      statuses.push(result.response.status);
      if (result.response.status === 400) page = result.page;
    }
    expect(statuses).toEqual([...Array(10).fill(400), ...Array(15).fill(429)]);
    // Alice, from her own network, is not locked out: her right password works at once.
    const alice = await signInPageFrom("192.0.2.31");
    const signedIn = await submitPassword(alice.browser, alice.page, "alice@example.com", "alice-password");
    expect(signedIn.response.status).toBe(200);
    expect(signedIn.page).toContain("Allow");
  });

  it("an address gets ten times the budget across accounts; once it is used up, its attempts count against no account", async () => {
    const sprayer = "203.0.113.77";
    const { browser, page } = await signInPageFrom(sprayer);
    // 100 failed sign-ins, each for another instance (an empty token fails without asking Xano, which
    // keeps this fast enough to stay inside the minute), twenty at a time: parallel attempts count too.
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    for (let batch = 0; batch < 5; batch++) {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => browser.submit(form, { instance_url: `https://x${batch * 20 + i}.n7.xano.io`, token: "" })));
      expect(results.map((r) => r.status), `batch ${batch}`).toEqual(Array(20).fill(400));
    }
    const limited = await submitPassword(browser, page, "nobody-else@example.com", "x");
    expectLimitedPage(limited.response, limited.page, "from your network in the last minute");
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect((await submitPassword(browser, page, "bob@example.com", `guess-${attempt}`)).response.status).toBe(429);
    }
    const bob = await signInPageFrom("203.0.113.78");
    expect((await submitPassword(bob.browser, bob.page, "bob@example.com", "bob-password")).response.status).toBe(200);
  }, 55_000); // under the minute the counters cover; a busy machine needs more than the default 30 s

  it("successful sign-ins do not use up the budget", async () => {
    const browser = new TestBrowser({ "CF-Connecting-IP": "203.0.113.200" });
    for (let i = 1; i <= 12; i++) {
      browser.cookies.delete("__Host-xano-mcp-session"); // a fresh sign-in every time
      const page = await (await browser.fetch("/apps")).text();
      const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
      const response = await browser.submit(form, { [fieldNameForLabel(page, "Instance URL")]: SHARED_INSTANCE_URL, [fieldNameForLabel(page, "Metadata API token")]: BOB_METADATA_TOKEN });
      expect(response.status, `sign-in ${i}`).toBe(303);
    }
  });

  it("the connected-apps sign-in shares the limit", async () => {
    const browser = new TestBrowser({ "CF-Connecting-IP": "203.0.113.210" });
    let page = await (await browser.fetch("/apps")).text();
    for (let attempt = 1; attempt <= 10; attempt++) {
      const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
      const response = await browser.submit(form, { [fieldNameForLabel(page, "Instance URL")]: SHARED_INSTANCE_URL, [fieldNameForLabel(page, "Metadata API token")]: "wrong" });
      expect(response.status).toBe(400);
      page = await response.text();
    }
    const form = parseForms(page).find((f) => f.fields.method === "metadata_token")!;
    const limited = await browser.submit(form, { [fieldNameForLabel(page, "Instance URL")]: SHARED_INSTANCE_URL, [fieldNameForLabel(page, "Metadata API token")]: "wrong" });
    expectLimitedPage(limited, await limited.text());
  });
});

/** What a person sees when their network opened too many sign-in pages that store something. */
function expectTooManyRequestsPage(response: Response, page: string) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("Retry-After"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.headers.get("Content-Type")).toContain("text/html");
  expect(page).toContain("Too many sign-in requests");
  expect(page).toContain("from your network in the last minute");
  expect(page).toContain(`Wait ${retryAfter} second`);
  expect(page).toMatch(/<a href="\/(authorize\?[^"]+|apps)">try again<\/a>/);
}

const transactionsInKv = async () => (await env.OAUTH_KV.list({ prefix: "transaction:" })).keys.length;
const consentHandleOf = (page: string) => parseForms(page).find((f) => f.fields.step === "consent")?.fields.handle;

describe("requests that store something before anyone is signed in", () => {
  it("'Sign in with Xano' from fresh browsers at one address: 30 consent transactions a minute, then 429 and nothing stored", async () => {
    const url = await authorizationRequest();
    const start = async (ip: string) => {
      const browser = new TestBrowser({ "CF-Connecting-IP": ip });
      const page = await (await browser.fetch(url.toString())).text();
      const form = parseForms(page).find((f) => f.fields.step === "xano-oauth")!;
      const response = await browser.submit(form, {});
      return { response, page: await response.text() };
    };
    for (let i = 1; i <= 30; i++) {
      const consent = await start("203.0.113.40");
      expect(consent.response.status, `request ${i}`).toBe(200);
      expect(consentHandleOf(consent.page)).toBeDefined();
    }
    const before = await transactionsInKv();
    const limited = await start("203.0.113.40");
    expectTooManyRequestsPage(limited.response, limited.page);
    expect(await transactionsInKv()).toBe(before);
    // The same budget covers Connected apps' "Sign in with Xano", which stores its state too.
    const apps = new TestBrowser({ "CF-Connecting-IP": "203.0.113.40" });
    const appsPage = await (await apps.fetch("/apps")).text();
    const appsLimited = await apps.submit(parseForms(appsPage).find((f) => f.fields.step === "xano-oauth")!, {});
    expectTooManyRequestsPage(appsLimited, await appsLimited.text());
    // Another address is not affected.
    expect((await start("203.0.113.41")).response.status).toBe(200);
  });

  it("a signed-in browser opening new authorization requests in a loop is limited the same way (its sign-in counted too)", async () => {
    const browser = new TestBrowser({ "CF-Connecting-IP": "203.0.113.42" });
    const clientId = (await authorizationRequest()).searchParams.get("client_id")!;
    const first = await (await browser.fetch(requestFor(clientId, "state-0").toString())).text();
    const signedIn = await submitToken(browser, first, ALICE_METADATA_TOKEN);
    expect(signedIn.response.status).toBe(200);
    for (let i = 1; i <= 29; i++) {
      const response = await browser.fetch(requestFor(clientId, `state-${i}`).toString());
      expect(response.status, `request ${i}`).toBe(200);
      expect(consentHandleOf(await response.text())).toBeDefined();
    }
    const limited = await browser.fetch(requestFor(clientId, "state-30").toString());
    expectTooManyRequestsPage(limited, await limited.text());
  });

  it("the same browser reopening the same authorization request gets the same consent, stored once", async () => {
    const browser = new TestBrowser({ "CF-Connecting-IP": "203.0.113.43" });
    const url = await authorizationRequest("reuse");
    const first = await (await browser.fetch(url.toString())).text();
    const consent = await submitToken(browser, first, ALICE_METADATA_TOKEN);
    const handle = consentHandleOf(consent.page)!;
    expect(handle).toBeDefined();
    const before = await transactionsInKv();
    for (let i = 0; i < 5; i++) {
      const again = await browser.fetch(url.toString());
      expect(again.status).toBe(200);
      expect(consentHandleOf(await again.text())).toBe(handle);
    }
    expect(await transactionsInKv()).toBe(before);

    // Another authorization request (another state) is another consent.
    const other = await (await browser.fetch(requestFor(url.searchParams.get("client_id")!, "other").toString())).text();
    expect(consentHandleOf(other)).not.toBe(handle);

    // The reused consent still works, once: Allow sends the code; reopening afterwards starts afresh.
    const page = await (await browser.fetch(url.toString())).text();
    const form = parseForms(page).find((f) => f.fields.step === "consent")!;
    const approved = await browser.submit(form, {}, { name: "decision", value: "approve" });
    expect(approved.status).toBe(302);
    expect(new URL(approved.headers.get("Location")!).searchParams.get("code")).toBeTruthy();
    const afterwards = await browser.fetch(url.toString());
    expect(afterwards.status).toBe(200);
    const fresh = consentHandleOf(await afterwards.text());
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(handle);
  });

  it("'Sign in with Xano' pressed again in the same browser for the same request reuses its consent", async () => {
    const browser = new TestBrowser({ "CF-Connecting-IP": "203.0.113.44" });
    const url = await authorizationRequest("xano-again");
    const page = await (await browser.fetch(url.toString())).text();
    const form = parseForms(page).find((f) => f.fields.step === "xano-oauth")!;
    const handles = new Set<string | undefined>();
    const before = await transactionsInKv();
    for (let i = 0; i < 3; i++) handles.add(consentHandleOf(await (await browser.submit(form, {})).text()));
    expect(handles.size).toBe(1);
    expect([...handles][0]).toBeDefined();
    expect(await transactionsInKv()).toBe(before + 1);
  });
});

describe("dynamic client registration", () => {
  it("the 61st registration from one address within a minute gets 429 JSON with Retry-After; another address still registers", async () => {
    for (let i = 1; i <= 60; i++) expect((await register("203.0.113.50")).status, `registration ${i}`).toBe(201);
    const limited = await register("203.0.113.50");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get("Content-Type")).toContain("application/json");
    expect(await limited.json()).toMatchObject({ error: "too_many_requests", error_description: expect.stringContaining("Try again in") });
    expect((await register("203.0.113.51")).status).toBe(201);
  });

  const registration = (body: Record<string, unknown>) => ({ client_name: "Sized", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", ...body });
  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    SELF.fetch(`${ORIGIN}/oauth/register`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });

  it("a registration over 16 KiB is refused with 413 and an OAuth error, declared or streamed, and nothing is stored", async () => {
    const clientsBefore = (await env.OAUTH_KV.list({ prefix: "client:" })).keys.length;
    const padded = (size: number) => {
      const base = JSON.stringify(registration({ software_id: "" }));
      return JSON.stringify(registration({ software_id: "x".repeat(size - base.length) }));
    };
    const declared = await post(padded(16 * 1024 + 1));
    expect(declared.status).toBe(413);
    expect(declared.headers.get("Content-Type")).toContain("application/json");
    expect(await declared.json()).toEqual({ error: "invalid_request", error_description: "The registration request must be at most 16 KiB." });

    // Without Content-Length (chunked): the stream is cut at the cap, not read whole.
    const chunks = [new TextEncoder().encode(padded(64 * 1024))];
    const streamed = await post(new ReadableStream({ pull(controller) { const next = chunks.shift(); if (next) controller.enqueue(next); else controller.close(); } }));
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ error: "invalid_request" });
    expect((await env.OAUTH_KV.list({ prefix: "client:" })).keys.length).toBe(clientsBefore);

    // Exactly 16 KiB is fine.
    expect((await post(padded(16 * 1024))).status).toBe(201);
  });

  it("client_name loses control and bidi characters and is cut to 100 characters; the cleaned name is what people see", async () => {
    const spoof = "Claude\u202E\u0000evil\u2066 \n\tapp\u200F" + "!".repeat(300);
    const registered = await post(JSON.stringify(registration({ client_name: spoof })));
    expect(registered.status).toBe(201);
    const client = (await registered.json()) as { client_id: string; client_name: string };
    const cleaned = `Claudeevil app${"!".repeat(85)}…`;
    expect(client.client_name).toBe(cleaned);
    expect([...client.client_name].length).toBe(100);

    // The sign-in page, the consent page and Connected apps all show the cleaned name.
    const browser = new TestBrowser();
    const url = requestFor(client.client_id, "named");
    const signInPage = await (await browser.fetch(url.toString())).text();
    expect(signInPage).toContain(`<strong>${cleaned}</strong>`);
    const consent = await submitToken(browser, signInPage, BOB_METADATA_TOKEN);
    expect(consent.page).toContain(`Allow ${cleaned} to use your Xano backend?`);
    const form = parseForms(consent.page).find((f) => f.fields.step === "consent")!;
    expect((await browser.submit(form, {}, { name: "decision", value: "approve" })).status).toBe(302);
    const apps = await (await browser.fetch("/apps")).text();
    expect(apps).toContain(cleaned);
    for (const page of [signInPage, consent.page, apps]) expect(page).not.toMatch(/[\u0000-\u0008\u202A-\u202E\u2066-\u2069\u200E\u200F]/);

    // A name that is nothing but such characters is dropped: the page falls back to the client id.
    const blank = await post(JSON.stringify(registration({ client_name: "\u202E\u0007" })));
    expect(blank.status).toBe(201);
    expect(((await blank.json()) as { client_name?: string }).client_name).toBeUndefined();
  });
});

describe("tool calls per grant", () => {
  function call(accessToken: string, body: unknown) {
    return SELF.fetch(`${ORIGIN}/mcp`, {
      method: "POST",
      headers: { Host: "localhost:8787", "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: `Bearer ${accessToken}` },
      body: JSON.stringify(body),
    });
  }
  const toolCall = (id: number) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "debug_auth", arguments: {} } });

  it("one call over RATE_LIMIT_TOOL_CALLS_PER_MINUTE gets 429 with a JSON-RPC error; listing and other grants are not limited", async () => {
    // vitest.config.ts raises the limit so suites that make many calls on one connection stay under it.
    const limit = Number((env as unknown as Record<string, unknown>).RATE_LIMIT_TOOL_CALLS_PER_MINUTE ?? 120);
    const limitedGrant = await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    const otherGrant = await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    const token = limitedGrant.provider.savedTokens!.access_token;

    // limit - 1 in one batch (each call counts), then one more single call: the limit.
    const batch = Array.from({ length: limit - 1 }, (_, i) => toolCall(i + 1));
    expect((await call(token, batch)).status).not.toBe(429);
    expect((await call(token, toolCall(limit))).status).toBe(200);

    const limited = await call(token, toolCall(limit + 1));
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({ jsonrpc: "2.0", id: limit + 1, error: { message: expect.stringContaining("Too many tool calls"), data: { retryAfterSeconds: retryAfter } } });

    // Listing tools is not a tool call; another grant of the same person has its own budget.
    expect((await limitedGrant.client.listTools()).tools.length).toBeGreaterThan(0);
    expect((await otherGrant.client.callTool({ name: "debug_auth", arguments: {} })).isError).toBeFalsy();
    await limitedGrant.client.close();
    await otherGrant.client.close();
  });
});

describe("configuration", () => {
  it("each limit is configurable", () => {
    const loaded = loadConfig({ PUBLIC_URL: "https://mcp.example.com", RATE_LIMIT_SIGN_IN_PER_MINUTE: "5", RATE_LIMIT_REGISTRATIONS_PER_MINUTE: "0", RATE_LIMIT_TOOL_CALLS_PER_MINUTE: "600", RATE_LIMIT_AUTHORIZATIONS_PER_MINUTE: "0" });
    // The per-address sign-in budget follows the tight limit (ten times) unless set.
    expect(loaded.ok && loaded.config.rateLimits).toEqual({ signInPerMinute: 5, signInPerAddressPerMinute: 50, registrationsPerMinute: 0, toolCallsPerMinute: 600, authorizationsPerMinute: 0 });
    const explicit = loadConfig({ PUBLIC_URL: "https://mcp.example.com", RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE: "300" });
    expect(explicit.ok && explicit.config.rateLimits).toMatchObject({ signInPerMinute: 10, signInPerAddressPerMinute: 300, authorizationsPerMinute: 30 });
  });

  // The Worker reads its configuration once, at start-up, from the test bindings (vitest.config.ts),
  // so a limit of 0 cannot be switched on per request over SELF.fetch; these call the counters the
  // routes call, against the real RATE_LIMITER and CREDENTIAL_STORE Durable Objects. Each case runs
  // the same traffic with a limit of 1 first, so the test fails if the traffic is not counted at all.
  it("0 switches each limit off: traffic a limit of 1 refuses is all let through", async () => {
    const bindings = env as unknown as RateLimiterEnv & { CREDENTIAL_STORE: DurableObjectNamespace<XanoCredentialStore> };
    const limitsWith = (value: number): RateLimits => ({ signInPerMinute: value, signInPerAddressPerMinute: value, registrationsPerMinute: value, toolCallsPerMinute: value, authorizationsPerMinute: value });
    const from = (ip: string) => new Request(`${ORIGIN}/`, { headers: { "CF-Connecting-IP": ip } });
    const TRIES = 5;

    async function allowedOf(run: (limits: RateLimits, ip: string) => Promise<boolean>, value: number, ip: string): Promise<boolean[]> {
      const results: boolean[] = [];
      for (let i = 0; i < TRIES; i++) results.push(await run(limitsWith(value), ip));
      return results;
    }
    const counters: Record<string, (limits: RateLimits, ip: string) => Promise<boolean>> = {
      registrations: async (limits, ip) => (await countRegistration(bindings, from(ip), limits)).allowed,
      "storing requests": async (limits, ip) => (await countStoringRequest(bindings, from(ip), limits)).allowed,
      "sign-in attempts": async (limits, ip) =>
        (await beginSignInAttempt(bindings, await signInAttempt(from(ip), limits, { account: `zero-${ip}@example.com` }))).allowed,
      // A store with no credential: admitted calls go on to meet "dead"; refused ones are "rate_limited".
      "tool calls": async (limits, ip) => {
        const store = bindings.CREDENTIAL_STORE.get(bindings.CREDENTIAL_STORE.idFromName(`zero-limit-${ip}`));
        const result = await store.acquire("unused", { toolCalls: { count: 1, limit: limits.toolCallsPerMinute, windowMs: 60_000 } });
        return !(result.ok === false && result.kind === "rate_limited");
      },
    };
    for (const [name, run] of Object.entries(counters)) {
      expect(await allowedOf(run, 1, `198.51.100.${Object.keys(counters).indexOf(name) + 1}`), `${name} at limit 1`).toEqual([true, false, false, false, false]);
      expect(await allowedOf(run, 0, `198.51.100.${Object.keys(counters).indexOf(name) + 11}`), `${name} at limit 0`).toEqual(Array(TRIES).fill(true));
    }
  });

  it("hits that reach one counter at the same time are each counted: none is lost to another's copy", async () => {
    const limiter = limiterFor(env as unknown as RateLimiterEnv, "concurrent-hits-check");
    const decisions = await Promise.all(Array.from({ length: 40 }, () => limiter.hit(30, 60_000)));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(30);
    expect((await limiter.check(30, 60_000)).allowed).toBe(false);
  });

  it("a per-address sign-in budget below the per-account one is refused with a message that names both", () => {
    const loaded = loadConfig({ PUBLIC_URL: "https://mcp.example.com", RATE_LIMIT_SIGN_IN_PER_MINUTE: "20", RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE: "5" });
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.problems.join("\n")).toContain("RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE must be at least RATE_LIMIT_SIGN_IN_PER_MINUTE");
  });
});
