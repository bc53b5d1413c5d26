// Contract tests of the fake Xano (fake-xano/), through real `fetch` intercepted by msw inside
// workerd: what every route answers, its error envelope, paging arithmetic, per-user isolation,
// the OAuth server, the app auth group and each test knob. The fake is the spec of what we believe
// Xano does (docs/notes: /work/shared/notes/xano.md), so these tests pin that belief down.

import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeXano } from "../fake-xano/index";
import { startFakeXanoNetwork } from "../fake-xano/msw";
import { callFake, type FakeCallOptions } from "./harness/fake-xano-call";
import {
  ALICE_METADATA_TOKEN, ALICE_SANDBOX_METADATA_TOKEN, BOB_METADATA_TOKEN, PREREGISTERED_CLIENT_ID, SEED_EPOCH_MS,
} from "../fixtures/seed";

const START = SEED_EPOCH_MS + 30 * 86_400_000;
let clock = START;
const fake = createFakeXano({ now: () => clock });
const network = startFakeXanoNetwork(fake);
afterAll(() => network.close());
beforeEach(() => {
  fake.reset();
  clock = START;
});

const ACCOUNT = "https://app.xano.test";
const INSTANCE = "https://x1234-5678-9012.n7.xano.io";
const SANDBOX = "https://x9999-0000-1111.n7c.xano.io";
const META = `${INSTANCE}/api:meta`;
const W1 = `${META}/workspace/1`;
const CUSTOMERS = `${W1}/table/101`;
const REDIRECT = "https://client.example/callback";

const call = callFake;

const alice = (url: string, o: FakeCallOptions = {}) => call(url, { token: ALICE_METADATA_TOKEN, ...o });
const bob = (url: string, o: FakeCallOptions = {}) => call(url, { token: BOB_METADATA_TOKEN, ...o });

function expectError(r: { status: number; data: any }, status: number, code: string) {
  expect(r.status).toBe(status);
  expect(Object.keys(r.data).sort()).toEqual(["code", "message", "payload"]);
  expect(r.data.code).toBe(code);
  expect(typeof r.data.message).toBe("string");
}

// PKCE computed independently of the fake's implementation (RFC 7636 appendix B procedure).
async function pkcePair() {
  const verifier = "v".repeat(20) + crypto.randomUUID().replace(/-/g, "");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const challenge = btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return { verifier, challenge };
}

function decodeJwtPayload(jwt: string): any {
  const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(part + "=".repeat((4 - (part.length % 4)) % 4)));
}

async function registerClient(scopes?: string[]) {
  const r = await call(`${ACCOUNT}/oauth/register`, { json: { client_name: "Test client", redirect_uris: [REDIRECT], ...(scopes ? { scopes } : {}) } });
  expect(r.status).toBe(200);
  return r.data.client_id as string;
}

function authorizeParams(clientId: string, challenge: string, extra: Record<string, string> = {}) {
  return {
    client_id: clientId, redirect_uri: REDIRECT, response_type: "code", code_challenge: challenge,
    code_challenge_method: "S256", state: "st-123", ...extra,
  };
}

/** Runs the consent form for a user and returns the authorization code. */
async function authorize(clientId: string, challenge: string, user = { email: "alice@example.com", password: "alice-password" }, instance = "x1234-5678-9012", extra: Record<string, string> = {}) {
  const r = await call(`${ACCOUNT}/oauth/authorize`, { form: { ...authorizeParams(clientId, challenge, extra), ...user, instance, decision: "approve" } });
  expect(r.status).toBe(302);
  const location = new URL(r.headers.get("location")!);
  expect(location.origin + location.pathname).toBe(REDIRECT);
  expect(location.searchParams.get("state")).toBe("st-123");
  return location.searchParams.get("code")!;
}

async function exchange(clientId: string, code: string, verifier: string) {
  return call(`${ACCOUNT}/oauth/token`, {
    form: { grant_type: "authorization_code", code, client_id: clientId, redirect_uri: REDIRECT, code_verifier: verifier },
  });
}

async function oauthTokens(user?: { email: string; password: string }, scopes?: string[]) {
  const clientId = await registerClient(scopes);
  const { verifier, challenge } = await pkcePair();
  const code = await authorize(clientId, challenge, user);
  const r = await exchange(clientId, code, verifier);
  expect(r.status).toBe(200);
  return { clientId, ...r.data } as { clientId: string; access_token: string; refresh_token: string; expires_in: number };
}

const refresh = (clientId: string, refreshToken: string) =>
  call(`${ACCOUNT}/oauth/token`, { form: { grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId } });

describe("account API", () => {
  it("answers /auth/me and the user's instances as a bare array of instance records", async () => {
    const me = await alice(`${ACCOUNT}/api:meta/auth/me`);
    expect(me.data).toEqual({ id: 1, name: "Alice Example", email: "alice@example.com", extras: {} });

    const list = await alice(`${ACCOUNT}/api:meta/instance`);
    expect(Array.isArray(list.data)).toBe(true);
    expect(list.data.map((i: any) => i.name)).toEqual(["x1234-5678-9012", "x9999-0000-1111"]);
    expect(list.data[0]).toEqual({
      id: 10, name: "x1234-5678-9012", display: "Demo Instance", xano_domain: "x1234-5678-9012.n7.xano.io", custom_domain: null,
      rate_limit: false, meta_api: META, meta_swagger: `${INSTANCE}/apispec:meta?type=json`,
    });
    expect(list.data[1].meta_api).toBe(`${SANDBOX}/api:meta`);

    const bobs = await bob(`${ACCOUNT}/api:meta/instance`);
    expect(bobs.data.map((i: any) => i.name)).toEqual(["x1234-5678-9012"]);
    expect((await bob(`${ACCOUNT}/api:meta/instance/x1234-5678-9012`)).data.display).toBe("Demo Instance");
    expectError(await bob(`${ACCOUNT}/api:meta/instance/x9999-0000-1111`), 404, "ERROR_CODE_NOT_FOUND");
  });

  it("rejects missing, unknown, expired and revoked tokens with 401 and the envelope", async () => {
    expectError(await call(`${ACCOUNT}/api:meta/auth/me`), 401, "ERROR_CODE_UNAUTHORIZED");
    expectError(await call(`${ACCOUNT}/api:meta/auth/me`, { token: "nope" }), 401, "ERROR_CODE_UNAUTHORIZED");
    expect(fake.knobs.expireToken(ALICE_METADATA_TOKEN)).toBe(true);
    expectError(await alice(`${ACCOUNT}/api:meta/auth/me`), 401, "ERROR_CODE_UNAUTHORIZED");
    expect(fake.knobs.revokeToken(BOB_METADATA_TOKEN)).toBe(true);
    expectError(await bob(`${META}/auth/me`), 401, "ERROR_CODE_UNAUTHORIZED");
    expect(fake.knobs.revokeToken("never-issued")).toBe(false);
  });

  it("answers 404 for unknown routes and unknown methods", async () => {
    expectError(await alice(`${ACCOUNT}/api:meta/nothing-here`), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await alice(`${META}/workspace/1/nothing`), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await alice(`${META}/workspace`, { method: "PATCH" }), 404, "ERROR_CODE_NOT_FOUND");
  });
});

describe("instance Meta API: identity, workspaces, isolation", () => {
  it("lists only the caller's own workspaces, as bare arrays", async () => {
    expect((await alice(`${META}/auth/me`)).data).toMatchObject({ id: 1, email: "alice@example.com" });
    expect((await alice(`${META}/workspace`)).data).toEqual([{ id: 1, name: "Alice Workspace", description: "Alice's shop", branch: "v1" }]);
    expect((await bob(`${META}/workspace`)).data).toEqual([{ id: 2, name: "Bob Workspace", description: "Bob's tasks", branch: "v1" }]);
    expect((await alice(`${W1}`)).data.name).toBe("Alice Workspace");
    expect((await alice(`${W1}/branch`)).data).toEqual([{ label: "v1", backup: false, live: true, created_at: "2026-01-01 00:00:00+0000" }]);
    expect((await alice(`${W1}/datasource`)).data).toEqual([{ label: "live", color: expect.any(String) }]);
    expectError(await alice(`${W1}/table?branch=v2`), 404, "ERROR_CODE_NOT_FOUND");
    expect((await alice(`${W1}/table?branch=v1`)).status).toBe(200);
  });

  it("never lets bob see alice's workspace, tables or records (404, not 403)", async () => {
    for (const url of [W1, `${W1}/table`, CUSTOMERS, `${CUSTOMERS}/schema`, `${CUSTOMERS}/content`, `${CUSTOMERS}/content/1`]) {
      expectError(await bob(url), 404, "ERROR_CODE_NOT_FOUND");
    }
    expectError(await bob(`${CUSTOMERS}/content`, { json: { name: "x", email: "x@example.com" } }), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await alice(`${META}/workspace/2/table/201`), 404, "ERROR_CODE_NOT_FOUND");
    // A table id from another workspace is not reachable through one's own workspace either.
    expectError(await alice(`${W1}/table/201`), 404, "ERROR_CODE_NOT_FOUND");
  });

  it("accepts a Metadata token only on its own instance", async () => {
    expectError(await call(`${META}/workspace`, { token: ALICE_SANDBOX_METADATA_TOKEN }), 401, "ERROR_CODE_UNAUTHORIZED");
    const sandbox = await call(`${SANDBOX}/api:meta/workspace`, { token: ALICE_SANDBOX_METADATA_TOKEN });
    expect(sandbox.data).toEqual([{ id: 3, name: "Alice Sandbox Workspace", description: "", branch: "v1" }]);
    expectError(await alice(`${SANDBOX}/api:meta/workspace`), 401, "ERROR_CODE_UNAUTHORIZED");
  });
});

describe("tables", () => {
  it("pages the table list with [{curPage, nextPage, prevPage, items}] (the page in an array, as Xano's description shows it) and no total", async () => {
    const seen: number[] = [];
    let page: number | null = 1;
    const pages: any[] = [];
    while (page !== null) {
      const r = await alice(`${W1}/table?page=${page}&per_page=5&sort=created_at`);
      expect(r.data).toHaveLength(1);
      expect(Object.keys(r.data[0]).sort()).toEqual(["curPage", "items", "nextPage", "prevPage"]);
      pages.push(r.data[0]);
      seen.push(...r.data[0].items.map((t: any) => t.id));
      page = r.data[0].nextPage;
    }
    expect(pages.map((p) => [p.curPage, p.prevPage, p.nextPage, p.items.length])).toEqual([[1, null, 2, 5], [2, 1, 3, 5], [3, 2, null, 2]]);
    expect(new Set(seen).size).toBe(12);
    expect(pages[0].items[0]).toEqual({
      id: 101, created_at: "2026-01-01 00:00:00+0000", updated_at: "2026-01-01 00:00:00+0000", name: "customers", description: "People who buy things",
      docs: "", guid: "guid-101", auth: false, tag: ["crm"], workspace_id: 1,
    });
    const beyond = await alice(`${W1}/table?page=9&per_page=5`);
    expect(beyond.data).toEqual([{ curPage: 9, nextPage: null, prevPage: 8, items: [] }]);
  });

  it("searches case-insensitively, sorts, and validates paging parameters", async () => {
    expect((await alice(`${W1}/table?search=CUST`)).data[0].items.map((t: any) => t.name)).toEqual(["customers"]);
    // Xano's description: sorted by name, ascending, unless asked otherwise.
    expect((await alice(`${W1}/table?search=o`)).data[0].items.map((t: any) => t.name)).toEqual(
      ["audit_log", "categories", "coupons", "customers", "employees", "invoices", "orders", "products"],
    );
    const byName = await alice(`${W1}/table?sort=name&order=desc&per_page=3`);
    expect(byName.data[0].items.map((t: any) => t.name)).toEqual(["suppliers", "shipments", "settings"]);
    expect((await alice(`${W1}/table?per_page=10000`)).data[0].items).toHaveLength(12);
    expect((await alice(`${W1}/table?sort=id`)).data.payload).toEqual({ param: "sort" });
    const tooMany = await alice(`${W1}/table?per_page=10001`);
    expectError(tooMany, 400, "ERROR_CODE_INPUT_ERROR");
    expect(tooMany.data.payload).toEqual({ param: "per_page" });
    expect((await alice(`${W1}/table?page=0`)).data.payload).toEqual({ param: "page" });
    expect((await alice(`${W1}/table?sort=colour`)).data.payload).toEqual({ param: "sort" });
  });

  it("creates, reads, edits and deletes a table", async () => {
    const created = await alice(`${W1}/table`, { json: { name: "leads", description: "new", tag: ["crm"] } });
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({ id: expect.any(Number), name: "leads", description: "new", tag: ["crm"] });
    const url = `${W1}/table/${created.data.id}`;
    const got = await alice(url);
    expect(got.data).toMatchObject({ name: "leads", description: "new", tag: ["crm"], index: [] });
    expect(got.data.schema.map((f: any) => [f.name, f.type])).toEqual([["id", "int"], ["created_at", "timestamp"]]);

    const dup = await alice(`${W1}/table`, { json: { name: "LEADS" } });
    expectError(dup, 400, "ERROR_CODE_INPUT_ERROR");
    expect(dup.data.payload).toEqual({ param: "name" });
    expect((await alice(`${W1}/table`, { json: {} })).data.payload).toEqual({ param: "name" });
    expect((await alice(`${W1}/table`, { json: { name: "bad", schema: [{ name: "x", type: "text" }] } })).data.payload).toEqual({ param: "schema" });

    const updated = await alice(url, { method: "PUT", json: { name: "prospects", auth: true } });
    expect(updated.data).toMatchObject({ name: "prospects", auth: true, description: "new" });
    expect((await alice(url, { method: "PUT", json: { name: "customers" } })).status).toBe(400);
    // The deprecated `…/meta` route still answers the same way.
    expect((await alice(`${url}/meta`, { method: "PUT", json: { docs: "d" } })).data).toMatchObject({ name: "prospects", docs: "d" });

    expect((await alice(url, { method: "DELETE" })).status).toBe(200);
    expectError(await alice(url), 404, "ERROR_CODE_NOT_FOUND");
    expect((await alice(`${W1}/table?per_page=100`)).data[0].items).toHaveLength(12);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const r = await call(`${W1}/table`, { method: "POST", token: ALICE_METADATA_TOKEN, headers: { "content-type": "application/json" } });
    expect(r.status).toBe(400); // empty body: name missing
    const bad = await fetch(`${W1}/table`, { method: "POST", headers: { authorization: `Bearer ${ALICE_METADATA_TOKEN}` }, body: "{nope" });
    expectError({ status: bad.status, data: await bad.json() }, 400, "ERROR_CODE_INPUT_ERROR");
  });
});

describe("schema", () => {
  it("returns full Field shapes and edits one field at a time", async () => {
    const schema = (await alice(`${CUSTOMERS}/schema`)).data;
    expect(schema.map((f: any) => f.name)).toEqual(["id", "created_at", "name", "email", "active", "tier", "balance", "profile", "password"]);
    expect(schema.find((f: any) => f.name === "tier")).toEqual({
      name: "tier", type: "enum", description: "", nullable: false, default: "free", required: false, access: "public",
      style: "single", sensitive: false, values: ["free", "pro", "enterprise"],
    });
    expect((await alice(`${CUSTOMERS}/schema/email`)).data).toMatchObject({ name: "email", type: "email", required: true });
    expectError(await alice(`${CUSTOMERS}/schema/nope`), 404, "ERROR_CODE_NOT_FOUND");

    const added = await alice(`${CUSTOMERS}/schema/type/text`, { json: { name: "nickname", nullable: true } });
    expect(added.data).toEqual({ name: "nickname" });
    expect((await alice(`${CUSTOMERS}/content/1`)).data.nickname).toBeNull();
    expect((await alice(`${CUSTOMERS}/schema/type/text`, { json: { name: "nickname" } })).data.payload).toEqual({ param: "name" });
    expect((await alice(`${CUSTOMERS}/schema/type/colour`, { json: { name: "c" } })).data.payload).toEqual({ param: "type" });
    expect((await alice(`${CUSTOMERS}/schema/type/enum`, { json: { name: "e", values: "a" } })).data.payload).toEqual({ param: "values" });
    // Typed defaults, tableref_id and vector.size, as Xano's description requires them.
    expect((await alice(`${CUSTOMERS}/schema/type/int`, { json: { name: "n", default: "1" } })).data.payload).toEqual({ param: "default" });
    expect((await alice(`${CUSTOMERS}/schema/type/json`, { json: { name: "j", default: "{}" } })).data.payload).toEqual({ param: "default" });
    expect((await alice(`${CUSTOMERS}/schema/type/tableref`, { json: { name: "r" } })).data.payload).toEqual({ param: "tableref_id" });
    expect((await alice(`${CUSTOMERS}/schema/type/tableref`, { json: { name: "r", tableref_id: 201 } })).data.payload).toEqual({ param: "tableref_id" });
    expect((await alice(`${CUSTOMERS}/schema/type/vector`, { json: { name: "v" } })).data.payload).toEqual({ param: "vector" });
    expect((await alice(`${CUSTOMERS}/schema/type/bool`, { json: { name: "vip", default: true } })).status).toBe(200);

    const renamed = await alice(`${CUSTOMERS}/schema/rename`, { json: { old_name: "name", new_name: "full_name" } });
    expect(renamed.status).toBe(200);
    expect((await alice(`${CUSTOMERS}/content/7`)).data).toMatchObject({ full_name: "customer 7" });
    expect((await alice(`${CUSTOMERS}/content/7`)).data).not.toHaveProperty("name");
    expect((await alice(`${CUSTOMERS}/schema/rename`, { json: { old_name: "gone", new_name: "x" } })).data.payload).toEqual({ param: "old_name" });
    expect((await alice(`${CUSTOMERS}/schema/rename`, { json: { old_name: "email", new_name: "tier" } })).data.payload).toEqual({ param: "new_name" });

    expect((await alice(`${CUSTOMERS}/schema/profile`, { method: "DELETE" })).status).toBe(200);
    expect((await alice(`${CUSTOMERS}/content/7`)).data).not.toHaveProperty("profile");
    expectError(await alice(`${CUSTOMERS}/schema/id`, { method: "DELETE" }), 400, "ERROR_CODE_INPUT_ERROR");
  });

  it("replaces the whole schema with PUT, keeping id", async () => {
    const url = `${META}/workspace/2/table/203/schema`;
    const f = (name: string, type: string) => ({ name, type, nullable: false, required: false });
    // Xano's description requires nullable and required on every field of a whole schema.
    expect((await bob(url, { method: "PUT", json: { schema: [{ name: "id", type: "int" }] } })).data.payload).toEqual({ param: "nullable" });
    const put = await bob(url, { method: "PUT", json: { schema: [f("id", "int"), f("body", "text"), f("pinned", "bool")] } });
    expect(put.data.map((f: any) => f.name)).toEqual(["id", "body", "pinned"]);
    expect(put.data[2]).toMatchObject({ nullable: false, required: false, access: "public", style: "single" });
    expectError(await bob(url, { method: "PUT", json: { schema: [f("body", "text")] } }), 400, "ERROR_CODE_INPUT_ERROR");
    expect((await bob(url, { method: "PUT", json: { schema: [f("id", "int"), f("id", "int")] } })).status).toBe(400);
    expect((await bob(url, { method: "PUT", json: {} })).data.payload).toEqual({ param: "schema" });
  });
});

describe("content", () => {
  it("browses with the content envelope and correct paging arithmetic", async () => {
    const first = await alice(`${CUSTOMERS}/content`);
    expect(first.data).toMatchObject({ itemsReceived: 50, curPage: 1, nextPage: 2, prevPage: null, offset: 0, perPage: 50, itemsTotal: 120, pageTotal: 3 });
    expect(Object.keys(first.data).sort()).toEqual(["curPage", "items", "itemsReceived", "itemsTotal", "nextPage", "offset", "pageTotal", "perPage", "prevPage"]);
    expect(first.data.items[0]).toEqual({
      id: 1, created_at: SEED_EPOCH_MS + 3_600_000, name: "customer 1", email: "customer1@example.com", active: true, tier: "pro",
      balance: 12.5, profile: { city: "Lisbon", visits: 1 }, password: null,
    });
    const last = await alice(`${CUSTOMERS}/content?page=3&per_page=50`);
    expect(last.data).toMatchObject({ itemsReceived: 20, curPage: 3, nextPage: null, prevPage: 2, offset: 100, itemsTotal: 120, pageTotal: 3 });
    expect(last.data.items.map((r: any) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => 101 + i));
    const odd = await alice(`${CUSTOMERS}/content?page=2&per_page=7`);
    expect(odd.data).toMatchObject({ offset: 7, itemsReceived: 7, pageTotal: 18, nextPage: 3, prevPage: 1 });
    expect(odd.data.items[0].id).toBe(8);
    expectError(await alice(`${CUSTOMERS}/content?per_page=0`), 400, "ERROR_CODE_INPUT_ERROR");
    expect((await bob(`${META}/workspace/2/table/201/content`)).data.itemsTotal).toBe(60);
  });

  it("searches with field|op keys, |or groups and sorts", async () => {
    const search = (body: unknown) => alice(`${CUSTOMERS}/content/search`, { json: body });
    const pro = await search({ search: { tier: "pro" }, per_page: 100 });
    expect(pro.data.itemsTotal).toBe(40);
    expect(pro.data.items.every((r: any) => r.tier === "pro")).toBe(true);

    const rich = await search({ search: [{ "balance|>=": 1400 }], sort: { balance: "desc" } });
    expect(rich.data.items.map((r: any) => r.id)).toEqual([120, 119, 118, 117, 116, 115, 114, 113, 112]);

    // Written with the |or suffix: (id < 3) OR (id > 118).
    const or = await search({ search: [{ "id|<": 3 }, { "id|>|or": 118 }] });
    expect(or.data.items.map((r: any) => r.id)).toEqual([1, 2, 119, 120]);
    const and = await search({ search: [{ "id|<": 3 }, { "id|>": 118 }] });
    expect(and.data.itemsTotal).toBe(0);
    // (a AND b) OR c: AND binds tighter.
    const mixed = await search({ search: [{ tier: "pro" }, { "id|<=": 4 }, { "id|=|or": 120 }] });
    expect(mixed.data.items.map((r: any) => r.id)).toEqual([1, 4, 120]);

    const inList = await search({ search: { "id|in": [5, 6, 200] }, sort: [{ id: "desc" }] });
    expect(inList.data.items.map((r: any) => r.id)).toEqual([6, 5]);
    const notIn = await search({ search: { "tier|not in": ["pro", "enterprise"], "id|<": 10 } });
    expect(notIn.data.items.map((r: any) => r.id)).toEqual([3, 6, 9]);
    const iso = await search({ search: { "created_at|<": new Date(SEED_EPOCH_MS + 3 * 3_600_000).toISOString() } });
    expect(iso.data.items.map((r: any) => r.id)).toEqual([1, 2]);
    const paged = await search({ search: { active: true }, page: 2, per_page: 10 });
    expect(paged.data).toMatchObject({ curPage: 2, perPage: 10, offset: 10, itemsTotal: 80, pageTotal: 8, nextPage: 3, prevPage: 1 });

    expect((await search({ search: { colour: "red" } })).data.payload).toEqual({ param: "colour" });
    expect((await search({ search: { "id|~": 1 } })).data.payload).toEqual({ param: "id|~" });
    expect((await search({ search: { "id|in": 1 } })).status).toBe(400);
    expect((await search({ sort: { id: "up" } })).data.payload).toEqual({ param: "sort" });
  });

  it("creates, reads, updates and deletes one record with validation naming the field", async () => {
    clock = START + 1234;
    const created = await alice(`${CUSTOMERS}/content`, { json: { name: "new one", email: "new@example.com", tier: "enterprise", id: 5 } });
    expect(created.data).toMatchObject({ id: 121, created_at: START + 1234, name: "new one", active: true, tier: "enterprise", balance: 0, profile: null });
    expect((await alice(`${CUSTOMERS}/content/121`)).data.email).toBe("new@example.com");

    const badEmail = await alice(`${CUSTOMERS}/content`, { json: { name: "x", email: "not-an-email" } });
    expectError(badEmail, 400, "ERROR_CODE_INPUT_ERROR");
    expect(badEmail.data.payload).toEqual({ param: "email" });
    expect(badEmail.data.message).toContain("email");
    expect((await alice(`${CUSTOMERS}/content`, { json: { email: "a@example.com" } })).data.payload).toEqual({ param: "name" });
    expect((await alice(`${CUSTOMERS}/content`, { json: { name: "x", email: "a@example.com", tier: "gold" } })).data.payload).toEqual({ param: "tier" });
    expect((await alice(`${CUSTOMERS}/content`, { json: { name: "x", email: "a@example.com", colour: 1 } })).data.payload).toEqual({ param: "colour" });
    expect((await alice(`${META}/workspace/1/table/102/content`, { json: { customer_id: 1.5 } })).data.payload).toEqual({ param: "customer_id" });

    const updated = await alice(`${CUSTOMERS}/content/2`, { method: "PUT", json: { balance: "99.5", active: false } });
    expect(updated.data).toMatchObject({ id: 2, name: "customer 2", balance: 99.5, active: false });
    expect((await alice(`${CUSTOMERS}/content/2`, { method: "PUT", json: { id: 3 } })).data.payload).toEqual({ param: "id" });
    expect((await alice(`${CUSTOMERS}/content/2`, { method: "PUT", json: { name: null } })).data.payload).toEqual({ param: "name" });
    expectError(await alice(`${CUSTOMERS}/content/999`, { method: "PUT", json: { name: "x" } }), 404, "ERROR_CODE_NOT_FOUND");

    expect((await alice(`${CUSTOMERS}/content/2`, { method: "DELETE" })).data).toEqual({});
    expectError(await alice(`${CUSTOMERS}/content/2`), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await alice(`${CUSTOMERS}/content/abc`), 404, "ERROR_CODE_NOT_FOUND");
    expect((await alice(`${CUSTOMERS}/content`)).data.itemsTotal).toBe(120);
  });

  it("does bulk create, bulk patch, bulk delete, search/patch and truncate", async () => {
    const tasks = `${META}/workspace/2/table/201`;
    const bulk = await bob(`${tasks}/content/bulk`, { json: { items: [{ title: "a" }, { title: "b", priority: "high" }] } });
    expect(bulk.data).toEqual([61, 62]);
    const withIds = await bob(`${tasks}/content/bulk`, { json: { allow_id_field: true, items: [{ id: 500, title: "c" }] } });
    expect(withIds.data).toEqual([500]);
    expect((await bob(`${tasks}/content/bulk`, { json: { allow_id_field: true, items: [{ id: 500, title: "dup" }] } })).data.payload).toEqual({ param: "id" });
    // All-or-nothing: a bad item leaves the table untouched.
    expect((await bob(`${tasks}/content/bulk`, { json: { items: [{ title: "ok" }, { done: "maybe", title: "x" }] } })).data.payload).toEqual({ param: "done" });
    expect((await bob(`${tasks}/content`)).data.itemsTotal).toBe(63);
    expect((await bob(`${tasks}/content/bulk`, { json: {} })).data.payload).toEqual({ param: "items" });

    // Row ids are text in Xano's description (numbers are accepted too); answers list them as text.
    const patch = await bob(`${tasks}/content/bulk/patch`, { json: { items: [{ row_id: "1", updates: { done: true } }, { row_id: 9999, updates: { done: true } }] } });
    expect(patch.data).toEqual({ success: ["1"], success_total: 1 });
    expect((await bob(`${tasks}/content/1`)).data.done).toBe(true);

    const del = await bob(`${tasks}/content/bulk/delete`, { json: { row_ids: ["61", 62, "9999"] } });
    expect(del.data).toEqual({ success: ["61", "62"], success_total: 2, error: ["9999"] });

    const sp = await bob(`${tasks}/content/search/patch`, { json: { search: { priority: "high", "id|<=": 6 }, updates: { title: "urgent" } } });
    expect(sp.data).toEqual({ success: ["2", "5"], success_total: 2 });
    expect((await bob(`${tasks}/content/5`)).data.title).toBe("urgent");
    expect((await bob(`${tasks}/content/search/patch`, { json: { search: {} } })).data.payload).toEqual({ param: "updates" });

    const noReset = await bob(`${tasks}/truncate`, { method: "DELETE", json: {} });
    expect(noReset.data.payload).toEqual({ param: "reset" });
    expect((await bob(`${tasks}/truncate`, { method: "DELETE", json: { reset: true } })).status).toBe(200);
    expect((await bob(`${tasks}/content`)).data).toMatchObject({ itemsTotal: 0, pageTotal: 0, items: [], nextPage: null });
    expect((await bob(`${tasks}/content`, { json: { title: "fresh" } })).data.id).toBe(1);
  });

  it("reset() restores the seed", async () => {
    await alice(`${CUSTOMERS}/content/1`, { method: "DELETE" });
    fake.reset();
    expect((await alice(`${CUSTOMERS}/content/1`)).status).toBe(200);
  });
});

describe("Xano OAuth server", () => {
  it("publishes RFC 8414 discovery", async () => {
    const r = await call(`${ACCOUNT}/.well-known/oauth-authorization-server`);
    expect(r.data).toMatchObject({
      issuer: ACCOUNT,
      authorization_endpoint: `${ACCOUNT}/oauth/authorize`,
      token_endpoint: `${ACCOUNT}/oauth/token`,
      registration_endpoint: `${ACCOUNT}/oauth/register`,
      revocation_endpoint: `${ACCOUNT}/oauth/revoke`,
      code_challenge_methods_supported: ["S256"],
      scopes_supported: ["offline_access", "workspace:read", "workspace:write", "xano:dev"],
    });
  });

  it("registers clients with 200 and a scopes array", async () => {
    const r = await call(`${ACCOUNT}/oauth/register`, { json: { client_name: "MCP", redirect_uris: [REDIRECT, "http://127.0.0.1:9000/cb"], scopes: ["workspace:read"] } });
    expect(r.status).toBe(200);
    expect(r.data).toMatchObject({ client_id: expect.any(String), redirect_uris: [REDIRECT, "http://127.0.0.1:9000/cb"], scopes: ["workspace:read"], token_endpoint_auth_method: "none" });
    expect((await call(`${ACCOUNT}/oauth/register`, { json: { redirect_uris: ["http://evil.example/cb"] } })).data.payload).toEqual({ param: "redirect_uris" });
    expect((await call(`${ACCOUNT}/oauth/register`, { json: { redirect_uris: [REDIRECT], scopes: ["admin"] } })).data.payload).toEqual({ param: "scopes" });
  });

  it("renders a labelled, escaped consent form and validates the authorization request", async () => {
    const clientId = await registerClient();
    const { challenge } = await pkcePair();
    const q = new URLSearchParams(authorizeParams(clientId, challenge, { state: `"><script>alert(1)</script>` }));
    const page = await call(`${ACCOUNT}/oauth/authorize?${q}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html: string = page.data;
    expect(html).not.toContain("<script>");
    expect(html).toContain("&quot;&gt;&lt;script&gt;");
    for (const id of ["email", "password", "instance"]) {
      expect(html).toContain(`<label for="${id}">`);
      expect(html).toMatch(new RegExp(`id="${id}"`));
    }
    expect(html).toContain('<option value="x1234-5678-9012">Demo Instance');

    const badClient = await call(`${ACCOUNT}/oauth/authorize?${new URLSearchParams(authorizeParams("nope", challenge))}`);
    expectError(badClient, 400, "ERROR_CODE_INPUT_ERROR");
    const badRedirect = await call(`${ACCOUNT}/oauth/authorize?${new URLSearchParams(authorizeParams(clientId, challenge, { redirect_uri: `${REDIRECT}/x` }))}`);
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.headers.get("location")).toBeNull();
    const plain = await call(`${ACCOUNT}/oauth/authorize?${new URLSearchParams(authorizeParams(clientId, challenge, { code_challenge_method: "plain" }))}`);
    expect(plain.status).toBe(302);
    expect(new URL(plain.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
    const noState = await call(`${ACCOUNT}/oauth/authorize?${new URLSearchParams(authorizeParams(clientId, challenge, { state: "" }))}`);
    expect(new URL(noState.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");

    const wrongPassword = await call(`${ACCOUNT}/oauth/authorize`, { form: { ...authorizeParams(clientId, challenge), email: "alice@example.com", password: "x", instance: "x1234-5678-9012" } });
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.data).toContain('role="alert"');
    const notHers = await call(`${ACCOUNT}/oauth/authorize`, { form: { ...authorizeParams(clientId, challenge), email: "bob@example.com", password: "bob-password", instance: "x9999-0000-1111" } });
    expect(notHers.status).toBe(403);
    const denied = await call(`${ACCOUNT}/oauth/authorize`, { form: { ...authorizeParams(clientId, challenge), decision: "deny" } });
    expect(new URL(denied.headers.get("location")!).searchParams.get("error")).toBe("access_denied");
  });

  it("exchanges a code with PKCE S256 for a JWT bound to the chosen instance; codes are single use", async () => {
    const clientId = await registerClient();
    const { verifier, challenge } = await pkcePair();
    const code = await authorize(clientId, challenge);

    const wrong = await exchange(clientId, code, verifier + "x");
    expect(wrong.status).toBe(401);
    expect(wrong.data).toEqual({ code: "ERROR_CODE_UNAUTHORIZED", message: "invalid_grant", payload: "" });
    expect((await call(`${ACCOUNT}/oauth/token`, { form: { grant_type: "authorization_code", code, client_id: clientId, redirect_uri: REDIRECT } })).data.payload).toEqual({ param: "code_verifier" });
    expect((await call(`${ACCOUNT}/oauth/token`, { form: { grant_type: "password" } })).data.message).toBe("unsupported_grant_type");
    expect((await call(`${ACCOUNT}/oauth/token`, { json: { grant_type: "authorization_code" } })).status).toBe(400);

    const ok = await exchange(clientId, code, verifier);
    expect(ok.status).toBe(200);
    expect(ok.data).toMatchObject({ token_type: "Bearer", expires_in: 3600, refresh_token: expect.any(String), access_token: expect.any(String) });
    const claims = decodeJwtPayload(ok.data.access_token);
    expect(claims).toMatchObject({ iss: ACCOUNT, sub: "1", aud: INSTANCE });
    expect(claims.exp - claims.iat).toBe(3600);

    // The access token is a Meta API bearer on its instance and on the account API, not elsewhere.
    expect((await call(`${META}/workspace`, { token: ok.data.access_token })).data[0].id).toBe(1);
    expect((await call(`${ACCOUNT}/api:meta/auth/me`, { token: ok.data.access_token })).data.id).toBe(1);
    expectError(await call(`${SANDBOX}/api:meta/workspace`, { token: ok.data.access_token }), 401, "ERROR_CODE_UNAUTHORIZED");

    // Reuse fails and revokes what the code produced.
    expect((await exchange(clientId, code, verifier)).data.message).toBe("invalid_grant");
    expectError(await call(`${META}/workspace`, { token: ok.data.access_token }), 401, "ERROR_CODE_UNAUTHORIZED");
  });

  it("expires access tokens on the clock", async () => {
    const t = await oauthTokens();
    clock += 3600 * 1000;
    expectError(await call(`${META}/workspace`, { token: t.access_token }), 401, "ERROR_CODE_UNAUTHORIZED");
  });

  it("rotates refresh tokens; a spent refresh token answers 401 invalid_grant", async () => {
    const t = await oauthTokens();
    const next = await refresh(t.clientId, t.refresh_token);
    expect(next.status).toBe(200);
    expect(next.data.refresh_token).not.toBe(t.refresh_token);
    expect((await call(`${META}/auth/me`, { token: next.data.access_token })).data.id).toBe(1);

    const replay = await refresh(t.clientId, t.refresh_token);
    expect(replay.status).toBe(401);
    expect(replay.data).toEqual({ code: "ERROR_CODE_UNAUTHORIZED", message: "invalid_grant", payload: "" });
    expect((await refresh("another-client", next.data.refresh_token)).status).toBe(401);
    expect((await refresh(t.clientId, next.data.refresh_token)).status).toBe(200);
  });

  it("revokes a refresh token (and its grant's access tokens) and answers 200 for unknown tokens", async () => {
    const t = await oauthTokens();
    const r = await call(`${ACCOUNT}/oauth/revoke`, { form: { token: t.refresh_token, token_type_hint: "refresh_token" } });
    expect(r.status).toBe(200);
    expect((await refresh(t.clientId, t.refresh_token)).data.message).toBe("invalid_grant");
    expectError(await call(`${META}/workspace`, { token: t.access_token }), 401, "ERROR_CODE_UNAUTHORIZED");
    expect((await call(`${ACCOUNT}/oauth/revoke`, { form: { token: "unknown" } })).status).toBe(200);

    const t2 = await oauthTokens();
    await call(`${ACCOUNT}/oauth/revoke`, { form: { token: t2.access_token, token_type_hint: "access_token" } });
    expectError(await call(`${META}/workspace`, { token: t2.access_token }), 401, "ERROR_CODE_UNAUTHORIZED");
  });

  it("keeps users apart and enforces scopes", async () => {
    const b = await oauthTokens({ email: "bob@example.com", password: "bob-password" });
    expect(decodeJwtPayload(b.access_token).sub).toBe("2");
    expect((await call(`${META}/workspace`, { token: b.access_token })).data.map((w: any) => w.id)).toEqual([2]);
    expectError(await call(W1, { token: b.access_token }), 404, "ERROR_CODE_NOT_FOUND");

    const readOnly = await oauthTokens(undefined, ["workspace:read"]);
    expect(readOnly.refresh_token).toBeUndefined(); // no offline_access, no refresh token
    expect((await call(`${W1}/table`, { token: readOnly.access_token })).status).toBe(200);
    expectError(await call(`${W1}/table`, { token: readOnly.access_token, json: { name: "t" } }), 403, "ERROR_CODE_ACCESS_DENIED");
  });

  it("works with the pre-registered client id", async () => {
    const { verifier, challenge } = await pkcePair();
    const r = await call(`${ACCOUNT}/oauth/authorize`, {
      form: { ...authorizeParams(PREREGISTERED_CLIENT_ID, challenge, { redirect_uri: "http://localhost:8787/callback" }), email: "alice@example.com", password: "alice-password", instance: "x1234-5678-9012" },
    });
    const code = new URL(r.headers.get("location")!).searchParams.get("code")!;
    const t = await call(`${ACCOUNT}/oauth/token`, { form: { grant_type: "authorization_code", code, client_id: PREREGISTERED_CLIENT_ID, redirect_uri: "http://localhost:8787/callback", code_verifier: verifier } });
    expect(t.status).toBe(200);
  });
});

describe("app auth group", () => {
  const AUTH = `${INSTANCE}/api:auth`;

  it("logs in and returns the user row carrying the Metadata token as api_key", async () => {
    const login = await call(`${AUTH}/auth/login`, { json: { email: "alice@example.com", password: "alice-password" } });
    expect(login.data).toEqual({ authToken: expect.any(String) });
    const me = await call(`${AUTH}/auth/me`, { token: login.data.authToken });
    expect(me.data).toEqual({ id: 1, name: "Alice Example", email: "alice@example.com", api_key: ALICE_METADATA_TOKEN, created_at: expect.any(Number) });
    expect((await call(`${META}/workspace`, { token: me.data.api_key })).data[0].id).toBe(1);
    // An authToken is not a Meta API credential.
    expectError(await call(`${META}/workspace`, { token: login.data.authToken }), 401, "ERROR_CODE_UNAUTHORIZED");

    clock += 24 * 3_600_000;
    expectError(await call(`${AUTH}/auth/me`, { token: login.data.authToken }), 401, "ERROR_CODE_UNAUTHORIZED");
  });

  it("rejects bad credentials and missing fields with the envelope", async () => {
    expectError(await call(`${AUTH}/auth/login`, { json: { email: "alice@example.com", password: "wrong" } }), 403, "ERROR_CODE_ACCESS_DENIED");
    expectError(await call(`${AUTH}/auth/login`, { json: { email: "nobody@example.com", password: "x" } }), 403, "ERROR_CODE_ACCESS_DENIED");
    expect((await call(`${AUTH}/auth/login`, { json: { password: "x" } })).data.payload).toEqual({ param: "email" });
    expectError(await call(`${AUTH}/auth/me`), 401, "ERROR_CODE_UNAUTHORIZED");
    expectError(await call(`${SANDBOX}/api:auth/auth/login`, { json: { email: "alice@example.com", password: "alice-password" } }), 404, "ERROR_CODE_NOT_FOUND");
  });
});

describe("knobs", () => {
  it("failNext before: the call fails with the right envelope and has no effect", async () => {
    fake.knobs.failNext({ route: "POST /api:meta/workspace/{w}/table/{t}/content", status: 500 });
    const r = await alice(`${CUSTOMERS}/content`, { json: { name: "x", email: "x@example.com" } });
    expectError(r, 500, "ERROR_FATAL");
    expect((await alice(`${CUSTOMERS}/content`)).data.itemsTotal).toBe(120);
    // Consumed: the next call succeeds.
    expect((await alice(`${CUSTOMERS}/content`, { json: { name: "x", email: "x@example.com" } })).status).toBe(200);

    fake.knobs.failNext({ route: "GET /api:meta/workspace", status: 503, count: 2 });
    expect((await alice(`${META}/workspace`)).data.code).toBe("ERROR_FATAL");
    expect((await alice(`${META}/workspace`)).status).toBe(503);
    expect((await alice(`${META}/workspace`)).status).toBe(200);
  });

  it("failNext after: the effect happens, then the response is replaced", async () => {
    fake.knobs.failNext({ route: "POST /api:meta/workspace/{w}/table/{t}/content", status: 502, when: "after" });
    expect((await alice(`${CUSTOMERS}/content`, { json: { name: "x", email: "x@example.com" } })).status).toBe(502);
    expect((await alice(`${CUSTOMERS}/content`)).data.itemsTotal).toBe(121);
  });

  it('failNext "network" drops the call; "after" models a rotated refresh whose response was lost', async () => {
    fake.knobs.failNext({ route: "GET /api:meta/workspace", status: "network" });
    await expect(fetch(`${META}/workspace`, { headers: { authorization: `Bearer ${ALICE_METADATA_TOKEN}` } })).rejects.toThrow(TypeError);
    expect(fake.log.entries.at(-1)).toMatchObject({ route: "GET /api:meta/workspace", status: 0 });

    const t = await oauthTokens();
    fake.knobs.failNext({ route: "POST /oauth/token", status: "network", when: "after" });
    await expect(fetch(`${ACCOUNT}/oauth/token`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: t.refresh_token, client_id: t.clientId }),
    })).rejects.toThrow();
    // The rotation happened server-side, so the client's refresh token is now spent.
    const retry = await refresh(t.clientId, t.refresh_token);
    expect(retry.data).toEqual({ code: "ERROR_CODE_UNAUTHORIZED", message: "invalid_grant", payload: "" });
  });

  it("failNext can target one origin, and rejects unknown route templates", async () => {
    fake.knobs.failNext({ route: "GET /api:meta/auth/me", status: 500, origin: INSTANCE });
    expect((await alice(`${ACCOUNT}/api:meta/auth/me`)).status).toBe(200);
    expect((await alice(`${META}/auth/me`)).status).toBe(500);
    expect(() => fake.knobs.failNext({ route: "GET /api:meta/workspace/:w", status: 500 })).toThrow(/unknown route template/);
  });

  it("rateLimit answers 429 with Retry-After for the next N matching calls", async () => {
    fake.knobs.rateLimit({ route: "GET /api:meta/workspace/{w}/table", count: 2, retryAfterSeconds: 7 });
    expect((await alice(`${META}/workspace`)).status).toBe(200); // other routes unaffected
    for (let i = 0; i < 2; i++) {
      const r = await alice(`${W1}/table`);
      expectError(r, 429, "ERROR_CODE_TOO_MANY_REQUESTS");
      expect(r.headers.get("retry-after")).toBe("7");
    }
    expect((await alice(`${W1}/table`)).status).toBe(200);

    fake.knobs.rateLimit({ count: 1, retryAfterSeconds: 1 });
    expect((await call(`${ACCOUNT}/.well-known/oauth-authorization-server`)).status).toBe(429);
    expect((await call(`${ACCOUNT}/.well-known/oauth-authorization-server`)).status).toBe(200);
  });

  it("setLatency really delays responses", async () => {
    fake.knobs.setLatency(300);
    const t0 = performance.now();
    await alice(`${META}/workspace`);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
    fake.knobs.setLatency(0);
  });

  it("logs every request with its route template, status and token owner, never the token", async () => {
    await alice(`${META}/workspace`);
    await bob(`${META}/workspace`);
    await call(`${META}/workspace`);
    await alice(`${META}/nope`);
    expect(fake.log.count("GET /api:meta/workspace")).toBe(3);
    expect(fake.log.counts()).toEqual({ "GET /api:meta/workspace": 3, unmatched: 1 });
    expect(fake.log.entries.map((e) => [e.tokenOwner, e.tokenKind, e.status])).toEqual([
      [1, "metadata", 200], [2, "metadata", 200], [null, "none", 401], [1, "metadata", 404],
    ]);
    expect(fake.log.entries[0]).toEqual({
      at: START, method: "GET", origin: INSTANCE, path: "/api:meta/workspace", route: "GET /api:meta/workspace",
      status: 200, tokenOwner: 1, tokenKind: "metadata",
    });
    expect(JSON.stringify(fake.log.entries)).not.toContain(ALICE_METADATA_TOKEN);
    fake.log.clear();
    expect(fake.log.entries).toHaveLength(0);
  });

  it("drives the knobs over the admin route", async () => {
    const admin = (knob: string, json: unknown) => call(`${ACCOUNT}/__admin/${knob}`, { json });
    expect((await admin("failNext", { route: "GET /api:meta/workspace", status: 404 })).data).toEqual({ ok: true });
    expectError(await alice(`${META}/workspace`), 404, "ERROR_CODE_NOT_FOUND");
    expect((await admin("rateLimit", { route: "GET /api:meta/workspace", count: 1, retryAfterSeconds: 3 })).status).toBe(200);
    expect((await alice(`${META}/workspace`)).headers.get("retry-after")).toBe("3");
    expect((await admin("expireToken", { token: BOB_METADATA_TOKEN })).data).toEqual({ ok: true });
    expect((await bob(`${META}/workspace`)).status).toBe(401);
    expect((await admin("revokeToken", { token: ALICE_METADATA_TOKEN })).data).toEqual({ ok: true });
    expect((await alice(`${META}/workspace`)).status).toBe(401);

    const log = await call(`${ACCOUNT}/__admin/log`);
    expect(log.data.counts["GET /api:meta/workspace"]).toBe(4);
    expect(log.data.entries).toHaveLength(4); // admin calls are not logged

    expect((await admin("failNext", { route: "GET /nowhere", status: 500 })).status).toBe(400);
    expect((await admin("explode", {})).status).toBe(404);
    expect((await admin("setLatency", { ms: 0 })).status).toBe(200);
    expect((await admin("reset", {})).status).toBe(200);
    expect((await alice(`${META}/workspace`)).status).toBe(200);
    expect((await admin("clearLog", {})).status).toBe(200);
    expect((await call(`${ACCOUNT}/__admin/log`)).data).toEqual({ entries: [], counts: {} });
  });

  it("leaves hosts that are not the fake's unhandled (the network errors)", async () => {
    await expect(fetch("https://elsewhere.example/")).rejects.toThrow();
  });
});
