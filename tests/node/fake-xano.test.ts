// fake-xano's own machinery, which no real Xano has and the contract cases (tests/contract/, run by
// tests/node/contract.test.ts) therefore do not cover: the test knobs and the request log (in-process
// and over the admin route), token lifetimes on the fake's clock, reset(), a seed of one's own, the
// msw wiring the worker tests use, the route table (one route per operation, the write scope on every
// change) and, where ../shared/xano-meta-api is beside the clone, the route table against Xano's description.
// The fake runs on loopback (fake-xano/serve.ts) with a clock of the test's.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeXano, ROUTES, SERVED_OPERATIONS } from "../../fake-xano/index";
import { LOGIC_KINDS } from "../../fake-xano/logic-kinds";
import { startFakeXanoNetwork } from "../../fake-xano/msw";
import { startFakeXanoServer } from "../../fake-xano/serve";
import { duplicateRoutes, servesOperation } from "../../fake-xano/served-operations";
import {
  ALICE_METADATA_TOKEN, ALICE_SANDBOX_METADATA_TOKEN, BOB_METADATA_TOKEN, DEFAULT_INSTANCE_ORIGINS, SANDBOX_INSTANCE, SEED_EPOCH_MS, SHARED_INSTANCE, seed,
} from "../../fixtures/seed";
import { demo } from "../contract/demo";
import { oauthFlow } from "../contract/demo-oauth";
import { SCRIPTS, XANOSCRIPT_KINDS } from "../contract/xanoscript-kinds";

const START = SEED_EPOCH_MS + 30 * 86_400_000;
let clock = START;
const server = await startFakeXanoServer({ port: 0, now: () => clock });
const fake = server.fake;
afterAll(() => server.close());
beforeEach(() => {
  fake.reset();
  clock = START;
});

const d = demo({
  label: "fake-xano", metaUrl: `${server.instanceOrigins[SHARED_INSTANCE]}/api:meta`, token: ALICE_METADATA_TOKEN, accountUrl: server.accountOrigin,
  seed: { writes: true, demo: true }, otherUser: { token: BOB_METADATA_TOKEN, workspaceId: 2 },
  otherInstance: { metaUrl: `${server.instanceOrigins[SANDBOX_INSTANCE]}/api:meta`, token: ALICE_SANDBOX_METADATA_TOKEN, workspaceId: 3 },
}, fetch);
const { alice, bob, call, xs, expectError, ACCOUNT, INSTANCE, META, W1, W2, CUSTOMERS, ALICE_TOKEN, BOB_TOKEN } = d;
const { oauthTokens, refresh } = oauthFlow(d);

describe("tokens on the fake's clock and knobs", () => {
  it("expires and revokes Metadata tokens through the knobs", async () => {
    expect(fake.knobs.expireToken(ALICE_TOKEN)).toBe(true);
    expectError(await alice(`${ACCOUNT}/api:meta/auth/me`), 401, "ERROR_CODE_UNAUTHORIZED");
    expect(fake.knobs.revokeToken(BOB_TOKEN)).toBe(true);
    expectError(await bob(`${META}/auth/me`), 401, "ERROR_CODE_UNAUTHORIZED");
    expect(fake.knobs.revokeToken("never-issued")).toBe(false);
  });

  it("expires OAuth access tokens on the clock", async () => {
    const t = await oauthTokens();
    clock += 3600 * 1000;
    expectError(await call(`${META}/workspace`, { token: t.access_token }), 401, "ERROR_CODE_UNAUTHORIZED");
  });

  it("expires the app auth group's authToken after a day", async () => {
    const login = await call(`${INSTANCE}/api:auth/auth/login`, { json: { email: "alice@example.com", password: "alice-password" } });
    expect((await call(`${INSTANCE}/api:auth/auth/me`, { token: login.data.authToken })).status).toBe(200);
    clock += 24 * 3_600_000;
    expectError(await call(`${INSTANCE}/api:auth/auth/me`, { token: login.data.authToken }), 401, "ERROR_CODE_UNAUTHORIZED");
  });

  it("reset() restores the seed", async () => {
    await alice(`${CUSTOMERS}/content/1`, { method: "DELETE" });
    fake.reset();
    expect((await alice(`${CUSTOMERS}/content/1`)).status).toBe(200);
  });

  it("keeps the default branch (the oldest) even when another branch is live (a seed of its own, called in-process)", async () => {
    const devLive = createFakeXano({
      seed: { ...seed, workspaces: seed.workspaces.map((w) => (w.id === 2 ? { ...w, branches: w.branches!.map((b) => ({ ...b, live: b.label === "dev" })) } : w)) },
    });
    const w2 = `${DEFAULT_INSTANCE_ORIGINS[SHARED_INSTANCE]}/api:meta/workspace/2`;
    const refused = await devLive.fetch(new Request(`${w2}/branch/v1`, { method: "DELETE", headers: { authorization: `Bearer ${BOB_TOKEN}` } }));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: "ERROR_CODE_INPUT_ERROR", payload: { param: "branch_label" }, message: expect.stringContaining("default branch") });
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
    await expect(fetch(`${META}/workspace`, { headers: { authorization: `Bearer ${ALICE_TOKEN}` } })).rejects.toThrow(TypeError);
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
    expect(JSON.stringify(fake.log.entries)).not.toContain(ALICE_TOKEN);
    fake.log.clear();
    expect(fake.log.entries).toHaveLength(0);
  });
  it("drives the knobs over the admin route", async () => {
    const admin = (knob: string, json: unknown) => call(`${ACCOUNT}/__admin/${knob}`, { json });
    expect((await admin("failNext", { route: "GET /api:meta/workspace", status: 404 })).data).toEqual({ ok: true });
    expectError(await alice(`${META}/workspace`), 404, "ERROR_CODE_NOT_FOUND");
    expect((await admin("rateLimit", { route: "GET /api:meta/workspace", count: 1, retryAfterSeconds: 3 })).status).toBe(200);
    expect((await alice(`${META}/workspace`)).headers.get("retry-after")).toBe("3");
    expect((await admin("expireToken", { token: BOB_TOKEN })).data).toEqual({ ok: true });
    expect((await bob(`${META}/workspace`)).status).toBe(401);
    expect((await admin("revokeToken", { token: ALICE_TOKEN })).data).toEqual({ ok: true });
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

  it("on the msw network (the worker tests'), answers the fake's hosts and leaves other hosts unhandled", async () => {
    const network = startFakeXanoNetwork(createFakeXano());
    try {
      const r = await fetch(`${DEFAULT_INSTANCE_ORIGINS[SHARED_INSTANCE]}/api:meta/workspace`, { headers: { authorization: `Bearer ${ALICE_TOKEN}` } });
      expect(r.status).toBe(200);
      await expect(fetch("https://elsewhere.example/")).rejects.toThrow();
    } finally {
      network.close();
    }
  });
});

describe("served operations", () => {
  it("needs the write scope for every change, except where the description asks only Read", () => {
    // Searches, exports and conversions only read; import-schema and the beta runs need Read in the description.
    const readOnlyPosts = /\/(search|export|export-schema|convert\/(fromXS|toXS)|import-schema|function\/run|anonymous\/run)$/;
    const wrong = ROUTES.filter((r) => r.surface === "instance" && r.path.startsWith("/api:meta/"))
      .filter((r) => (r.method === "GET" ? r.auth !== "meta:read" : r.auth !== (readOnlyPosts.test(r.path) ? "meta:read" : "meta:write")))
      .map((r) => `${r.method} ${r.path} ${r.auth}`);
    expect(wrong).toEqual([]);
  });
  it("exports every served operation in the description's spelling", () => {
    const keys = SERVED_OPERATIONS.map((o) => `${o.method} ${o.path}`);
    expect(keys).toContain("GET /workspace/{workspace_id}/function/{function_id}");
    expect(keys).toContain("PUT /workspace/{workspace_id}/realtime/channel/trigger/{trigger_id}/security");
    expect(keys).toContain("DELETE /workspace/{workspace_id}/table/{table_id}/content/{content_id}");
    expect(new Set(keys).size).toBe(keys.length);
  });
  it("serves each operation from one route only (no route shadows another)", () => {
    expect(duplicateRoutes(ROUTES)).toEqual([]);
  });

  it("the contract cases' table of XanoScript kinds is the fake's", () => {
    expect(XANOSCRIPT_KINDS.map((k) => ({ ...k, fields: [...k.fields] }))).toEqual(
      LOGIC_KINDS.map((k) => ({
        kind: k.kind, path: k.path.replace("/workspace/{workspace_id}/", ""), keyword: k.keyword, drafts: k.drafts, security: k.security,
        defaultSort: k.defaultSort, fields: [...k.fields],
      })),
    );
  });
  it("answers odd input to every served operation with a Xano error, never a 500", async () => {
    const bodies: Array<{ type: string; body: BodyInit } | null> = [
      null,
      { type: "application/json", body: "[1,2]" },
      { type: "application/json", body: '{"name": 5, "search": "x", "page": -1, "index": [null], "input": [], "guid": 7, "file": 1}' },
      { type: "text/x-xanoscript", body: 'function "unterminated {\n' },
      { type: "text/x-xanoscript", body: `${"[".repeat(40)}${"]".repeat(40)}` },
      { type: "multipart/form-data; boundary=nope", body: "not multipart" },
    ];
    const failures: string[] = [];
    for (const op of SERVED_OPERATIONS) {
      const path = op.path.replace(/\{[^}]+\}/g, (p) => (p === "{workspace_id}" ? "1" : p === "{static_host}" ? "default" : "1"));
      for (const [b, query] of bodies.flatMap((b) => [[b, ""], [b, "?page=x&include_xanoscript=maybe&kind=function"]] as const)) {
        if (op.method === "GET" && b) continue;
        // In-process (fake.fetch, no HTTP): some 2000 requests, about the handlers, not the transport.
        const res = await fake.fetch(new Request(`${META}${path}${query}`, {
          method: op.method, body: b?.body, headers: { authorization: `Bearer ${ALICE_TOKEN}`, ...(b ? { "content-type": b.type } : {}) },
        }));
        if (res.status >= 500) failures.push(`${op.method} ${op.path} [${b?.type ?? "no body"}] → ${res.status} ${await res.text()}`);
        else await res.arrayBuffer();
      }
    }
    expect(failures).toEqual([]);
  });
});

// Xano's description, where the clone has it beside it (../shared/xano-meta-api); absent elsewhere.
const DESCRIPTION = resolve(__dirname, "../../../shared/xano-meta-api/openapi");
const describedOperations = (existsSync(DESCRIPTION) ? readdirSync(DESCRIPTION).filter((f) => f.endsWith(".json")) : []).flatMap((file) => {
  const doc = JSON.parse(readFileSync(join(DESCRIPTION, file), "utf8"));
  return Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
});
const collection = (kind: (typeof LOGIC_KINDS)[number]) => `${W1}${kind.path.replace("/workspace/{workspace_id}", "")}`;

describe.skipIf(describedOperations.length === 0)("against Xano's description (../shared/xano-meta-api)", () => {
  it("serves every operation of the description", () => {
    const missing = describedOperations.filter((o) => !servesOperation(SERVED_OPERATIONS, o.method, o.path)).map((o) => `${o.method} ${o.path}`);
    expect(describedOperations).toHaveLength(205);
    expect(missing).toEqual([]);
  });
  it("answers each kind's record with exactly the fields the description lists (xanoscript when asked)", () => {
    for (const kind of LOGIC_KINDS) {
      const get = describedOperations.find((o) => o.method === "GET" && o.path === `${kind.path}/{${kind.idParam}}`);
      const props = Object.keys(get?.op.responses["200"].content["application/json"].schema.properties ?? {});
      expect(props.filter((p) => p !== "xanoscript"), kind.kind).toEqual([...kind.fields]);
    }
  });
  it("accepts the description's XanoScript example on each endpoint that takes one, and checks its keyword", async () => {
    let tried = 0;
    for (const { method, path, op } of describedOperations) {
      const example: string | undefined = op.requestBody?.content?.["text/x-xanoscript"]?.schema?.example;
      const kind = LOGIC_KINDS.find((k) => path === k.path && method === "POST");
      if (!example || !kind) continue;
      tried++;
      for (const need of SCRIPTS[kind.kind].needs ?? []) await xs(`${W1}/${need.path}`, need.script);
      // The examples name objects the fake does not have (table "user"): point them at the seed.
      const script = example.replace('table = "user"', 'table = "customers"').replace('agent = "my_agent"', 'agent = "helper"')
        .replace('mcp_server = "my_server"', 'mcp_server = "shop_tools"').replace('channel = "my_channel"', 'channel = "room"');
      const r = await xs(collection(kind), script);
      expect(r.status, `${kind.kind}: ${JSON.stringify(r.data)}`).toBe(200);
      expect(r.data.name).toBe("foo");
    }
    expect(tried).toBe(LOGIC_KINDS.length);
  });
});
