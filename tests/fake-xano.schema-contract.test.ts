// Contract tests of fake-xano's workspace, schema and index routes added for the tool catalogue
// (branches, branch deletion, schema export, indexes, and how schema edits carry indexes along),
// through real `fetch` intercepted by msw inside workerd. Shapes follow /work/shared/notes/xano.md.

import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeXano } from "../fake-xano/index";
import { startFakeXanoNetwork } from "../fake-xano/msw";
import { callFake } from "./harness/fake-xano-call";
import { ALICE_METADATA_TOKEN, BOB_METADATA_TOKEN, seed } from "../fixtures/seed";

const fake = createFakeXano();
const network = startFakeXanoNetwork(fake);
afterAll(() => network.close());
beforeEach(() => fake.reset());

const META = "https://x1234-5678-9012.n7.xano.io/api:meta";
const W1 = `${META}/workspace/1`;
const W2 = `${META}/workspace/2`;
const CUSTOMERS = `${W1}/table/101`;

const call = (url: string, token: string, o: { method?: string; json?: unknown } = {}) => callFake(url, { ...o, token });
const alice = (url: string, o?: { method?: string; json?: unknown }) => call(url, ALICE_METADATA_TOKEN, o);
const bob = (url: string, o?: { method?: string; json?: unknown }) => call(url, BOB_METADATA_TOKEN, o);

function expectError(r: { status: number; data: any }, status: number, code: string, param?: string) {
  expect(r.status).toBe(status);
  expect(Object.keys(r.data).sort()).toEqual(["code", "message", "payload"]);
  expect(r.data.code).toBe(code);
  if (param) expect(r.data.payload).toEqual({ param });
}

describe("branches", () => {
  it("lists a workspace's branches as a bare array and deletes a non-live one", async () => {
    expect((await bob(`${W2}/branch`)).data).toEqual([
      // Timestamps as text, as Xano's description writes them.
      { label: "v1", backup: false, live: true, created_at: "2026-01-01 00:00:00+0000" },
      { label: "dev", backup: false, live: false, created_at: "2026-01-02 00:00:00+0000" },
    ]);
    // An existing branch can be named with ?branch=; a missing one is a 404.
    expect((await bob(`${W2}/table?branch=dev`)).status).toBe(200);

    const deleted = await bob(`${W2}/branch/dev`, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect(deleted.data).toEqual({});
    expect((await bob(`${W2}/branch`)).data.map((b: any) => b.label)).toEqual(["v1"]);
    expectError(await bob(`${W2}/table?branch=dev`), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await bob(`${W2}/branch/dev`, { method: "DELETE" }), 404, "ERROR_CODE_NOT_FOUND");
  });

  it("refuses to delete the live branch and the default one, and hides other users' branches", async () => {
    expectError(await bob(`${W2}/branch/v1`, { method: "DELETE" }), 400, "ERROR_CODE_INPUT_ERROR", "branch_label");
    // The default branch (the oldest, v1) stays even when another branch is live (a fake of its own, called in-process).
    const devLive = createFakeXano({
      seed: { ...seed, workspaces: seed.workspaces.map((w) => (w.id === 2 ? { ...w, branches: w.branches!.map((b) => ({ ...b, live: b.label === "dev" })) } : w)) },
    });
    const refused = await devLive.fetch(new Request(`${W2}/branch/v1`, { method: "DELETE", headers: { authorization: `Bearer ${BOB_METADATA_TOKEN}` } }));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: "ERROR_CODE_INPUT_ERROR", payload: { param: "branch_label" }, message: expect.stringContaining("default branch") });
    expect((await bob(`${W2}/branch`)).data).toHaveLength(2);
    expectError(await alice(`${W2}/branch`), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await alice(`${W2}/branch/dev`, { method: "DELETE" }), 404, "ERROR_CODE_NOT_FOUND");
    expect((await bob(`${W2}/branch`)).data).toHaveLength(2);
  });

  it("answers the data sources as a bare array of {label, color}", async () => {
    expect((await bob(`${W2}/datasource`)).data).toEqual([{ label: "live", color: expect.stringMatching(/^#[0-9a-f]{6}$/) }]);
    expectError(await bob(`${META}/workspace/99/datasource`), 404, "ERROR_CODE_NOT_FOUND");
  });
});

describe("schema export", () => {
  it("answers a binary file of the branch's tables, live branch by default", async () => {
    const r = await fetch(`${W2}/export-schema`, {
      method: "POST",
      headers: { authorization: `Bearer ${BOB_METADATA_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ branch: "", password: "" }),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/octet-stream");
    expect(r.headers.get("content-disposition")).toBe('attachment; filename="schema-2-v1.xano"');
    const doc = JSON.parse(new TextDecoder().decode(await r.arrayBuffer()));
    expect(doc.branch).toBe("v1");
    expect(doc.workspace).toMatchObject({ id: 2, name: "Bob Workspace" });
    expect(doc.tables.map((t: any) => t.name)).toEqual(["tasks", "projects", "notes"]);
    expect(doc.tables[0].schema.map((f: any) => f.name)).toContain("title");

    const dev = await bob(`${W2}/export-schema`, { json: { branch: "dev" } });
    expect(dev.data.branch).toBe("dev");
    expectError(await bob(`${W2}/export-schema`, { json: { branch: "nope" } }), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await bob(`${W2}/export-schema`, { json: { password: 5 } }), 400, "ERROR_CODE_INPUT_ERROR", "password");
    expectError(await alice(`${W2}/export-schema`, { json: {} }), 404, "ERROR_CODE_NOT_FOUND");
  });
});

describe("indexes", () => {
  it("creates, lists and deletes indexes of each kind, validating fields and ops", async () => {
    expect((await alice(`${CUSTOMERS}/index`)).data).toEqual([]);
    const unique = await alice(`${CUSTOMERS}/index/unique`, { json: { fields: [{ name: "email", op: "asc" }] } });
    expect(unique.status).toBe(200);
    expect(unique.data).toEqual({ id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const btree = await alice(`${CUSTOMERS}/index/btree`, { json: { fields: [{ name: "tier", op: "asc" }, { name: "balance", op: "desc" }] } });
    const search = await alice(`${CUSTOMERS}/index/search`, { json: { name: "people", lang: "english", fields: [{ name: "name", priority: 2 }] } });
    expect(search.status).toBe(200);

    const list = (await alice(`${CUSTOMERS}/index`)).data;
    expect(list).toEqual([
      { id: unique.data.id, type: "unique", fields: [{ name: "email", op: "asc" }], created_at: expect.any(Number) },
      { id: btree.data.id, type: "btree", fields: [{ name: "tier", op: "asc" }, { name: "balance", op: "desc" }], created_at: expect.any(Number) },
      { id: search.data.id, type: "search", name: "people", lang: "english", fields: [{ name: "name", priority: 2 }], created_at: expect.any(Number) },
    ]);
    // The table's details carry the same list.
    expect((await alice(CUSTOMERS)).data.index).toEqual(list);

    expectError(await alice(`${CUSTOMERS}/index/btree`, { json: { fields: [{ name: "colour", op: "asc" }] } }), 400, "ERROR_CODE_INPUT_ERROR", "fields");
    // As Xano's description has them: op is required; a search index needs name, lang and priorities.
    expectError(await alice(`${CUSTOMERS}/index/btree`, { json: { fields: [{ name: "email" }] } }), 400, "ERROR_CODE_INPUT_ERROR", "op");
    expectError(await alice(`${CUSTOMERS}/index/search`, { json: { name: "s", lang: "english", fields: [{ name: "name" }] } }), 400, "ERROR_CODE_INPUT_ERROR", "priority");
    expectError(await alice(`${CUSTOMERS}/index/search`, { json: { lang: "english", fields: [{ name: "name", priority: 1 }] } }), 400, "ERROR_CODE_INPUT_ERROR", "name");
    expectError(await alice(`${CUSTOMERS}/index/search`, { json: { name: "s", lang: "klingon", fields: [{ name: "name", priority: 1 }] } }), 400, "ERROR_CODE_INPUT_ERROR", "lang");
    expectError(await alice(`${CUSTOMERS}/index/btree`, { json: { fields: [] } }), 400, "ERROR_CODE_INPUT_ERROR", "fields");
    expectError(await alice(`${CUSTOMERS}/index/btree`, { json: { fields: [{ name: "email", op: "sideways" }] } }), 400, "ERROR_CODE_INPUT_ERROR", "op");
    expectError(await alice(`${CUSTOMERS}/index/vector`, { json: { fields: [{ name: "email", op: "vector_l1_ops" }] } }), 400, "ERROR_CODE_INPUT_ERROR", "fields");
    expectError(await alice(`${CUSTOMERS}/index/spatial`, { json: { fields: [{ name: "email", op: "gist" }] } }), 400, "ERROR_CODE_INPUT_ERROR", "fields");
    expectError(await alice(`${CUSTOMERS}/index/hash`, { json: { fields: [{ name: "email" }] } }), 400, "ERROR_CODE_INPUT_ERROR", "type");

    expect((await alice(`${CUSTOMERS}/index/${btree.data.id}`, { method: "DELETE" })).data).toEqual({});
    expect((await alice(`${CUSTOMERS}/index`)).data.map((i: any) => i.type)).toEqual(["unique", "search"]);
    expectError(await alice(`${CUSTOMERS}/index/${btree.data.id}`, { method: "DELETE" }), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await bob(`${CUSTOMERS}/index`), 404, "ERROR_CODE_NOT_FOUND");
  });

  it("vector indexes need a vector field; indexes follow field renames and deletions", async () => {
    expect((await alice(`${CUSTOMERS}/schema/type/vector`, { json: { name: "embedding", vector: { size: 3 } } })).status).toBe(200);
    const vector = await alice(`${CUSTOMERS}/index/vector`, { json: { fields: [{ name: "embedding", op: "vector_l2_ops" }] } });
    expect(vector.status).toBe(200);
    await alice(`${CUSTOMERS}/index/unique`, { json: { fields: [{ name: "email", op: "asc" }] } });

    await alice(`${CUSTOMERS}/schema/rename`, { json: { old_name: "email", new_name: "mail" } });
    expect((await alice(`${CUSTOMERS}/index`)).data.map((i: any) => i.fields[0].name)).toEqual(["embedding", "mail"]);
    await alice(`${CUSTOMERS}/schema/embedding`, { method: "DELETE" });
    expect((await alice(`${CUSTOMERS}/index`)).data.map((i: any) => i.type)).toEqual(["unique"]);
  });
});
