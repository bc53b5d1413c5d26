/**
 * Rate limits over HTTP, with the `CF-Connecting-IP` Cloudflare adds to every request: brute-force
 * sign-in (per address and per account, without locking out anyone else), client registration per
 * address, tool calls per grant. Defaults: 10 failed sign-ins, 60 registrations and 120 tool calls
 * per minute (config.ts). Counters outlive a test within this file, so every test uses its own
 * addresses and accounts.
 */
import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ALICE_METADATA_TOKEN, BOB_METADATA_TOKEN } from "../fixtures/seed";
import { ORIGIN, TestBrowser, fieldNameForLabel, parseForms } from "./harness/browser";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { connectWithOAuth } from "./harness/mcp-client";
import { base64Url } from "../src/front-door/secrets";
import { loadConfig } from "../src/config";

useFakeXano();
const REDIRECT = "http://localhost:3000/callback";

function register(ip: string) {
  return SELF.fetch(`${ORIGIN}/oauth/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
    body: JSON.stringify({ client_name: "Rate Test", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" }),
  });
}

/** An authorization request's sign-in page, in a browser that comes from `ip`. */
async function signInPageFrom(ip: string) {
  const client = (await (await register(`198.51.100.${Math.floor(Math.random() * 250)}`)).json()) as { client_id: string };
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("v".repeat(43)))));
  const url = new URL(`${ORIGIN}/authorize`);
  url.search = new URLSearchParams({ response_type: "code", client_id: client.client_id, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: "S256", state: "s", resource: ORIGIN }).toString();
  const browser = new TestBrowser({ "CF-Connecting-IP": ip });
  const page = await (await browser.fetch(url.toString())).text();
  return { browser, page };
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

function expectLimitedPage(response: Response, page: string) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("Retry-After"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.headers.get("Content-Type")).toContain("text/html");
  expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
  expect(page).toContain("Too many attempts");
  expect(page).toContain(`Wait ${retryAfter} second`);
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
    expectLimitedPage(eleventh.response, eleventh.page);
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
      last = await submitPassword(browser, page, "alice@example.com", `guess-${attempt}`);
      if (attempt <= 10) expect(last.response.status, `attempt ${attempt}`).toBe(400);
    }
    expectLimitedPage(last!.response, last!.page);
    // The account key ignores case and spaces: the same account.
    const again = await signInPageFrom("203.0.113.150");
    expect((await submitPassword(again.browser, again.page, " Alice@Example.com", "alice-password")).response.status).toBe(429);
    // Bob signs in with his password, from anywhere.
    const bob = await signInPageFrom("203.0.113.151");
    const signedIn = await submitPassword(bob.browser, bob.page, "bob@example.com", "bob-password");
    expect(signedIn.response.status).toBe(200);
    expect(signedIn.page).toContain("Allow");
  });

  it("an address that is already limited cannot use up other accounts' budgets (its refused attempts count against no account)", async () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const { browser, page } = await signInPageFrom("203.0.113.77");
      expect((await submitPassword(browser, page, `nobody${attempt}@example.com`, "x")).response.status).toBe(400);
    }
    for (let attempt = 1; attempt <= 10; attempt++) {
      const { browser, page } = await signInPageFrom("203.0.113.77");
      expect((await submitPassword(browser, page, "bob@example.com", `guess-${attempt}`)).response.status).toBe(429);
    }
    const bob = await signInPageFrom("203.0.113.78");
    expect((await submitPassword(bob.browser, bob.page, "bob@example.com", "bob-password")).response.status).toBe(200);
  });

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
  it("each limit is configurable, and 0 switches it off", () => {
    const loaded = loadConfig({ PUBLIC_URL: "https://mcp.example.com", RATE_LIMIT_SIGN_IN_PER_MINUTE: "5", RATE_LIMIT_REGISTRATIONS_PER_MINUTE: "0", RATE_LIMIT_TOOL_CALLS_PER_MINUTE: "600" });
    expect(loaded.ok && loaded.config.rateLimits).toEqual({ signInPerMinute: 5, registrationsPerMinute: 0, toolCallsPerMinute: 600 });
  });
});
