// Contract cases: tables (list, create, update with PUT …/table/{t}, delete, XanoScript), their schema and indexes.
// Plain data over fetch (tests/contract/target.ts); the demo seed's values are in fake-xano/README.md.
import { expect } from "vitest";
import { demoCase } from "../demo";
import type { ContractCase } from "../target";

export const tableCases: ContractCase[] = [
  demoCase("tables", "pages the table list with [{curPage, nextPage, prevPage, items}] (the page in an array, as Xano's description shows it) and no total", async (d) => {
    const { alice, W1 } = d;
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
  }, { readOnly: true }),
  demoCase("tables", "searches case-insensitively, sorts, and validates paging parameters", async (d) => {
    const { alice, expectError, W1 } = d;
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
  }, { readOnly: true }),
  demoCase("tables", "creates, reads, edits and deletes a table", async (d) => {
    const { alice, expectError, W1 } = d;
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
  }),
  demoCase("tables", "answers 400 for a body that is not JSON", async (d) => {
    const { call, expectError, W1, ALICE_TOKEN, fetch } = d;
    const r = await call(`${W1}/table`, { method: "POST", token: ALICE_TOKEN, headers: { "content-type": "application/json" } });
    expect(r.status).toBe(400); // empty body: name missing
    const bad = await fetch(`${W1}/table`, { method: "POST", headers: { authorization: `Bearer ${ALICE_TOKEN}` }, body: "{nope" });
    expectError({ status: bad.status, data: await bad.json() }, 400, "ERROR_CODE_INPUT_ERROR");
  }),
  demoCase("schema", "returns full Field shapes and edits one field at a time", async (d) => {
    const { alice, expectError, CUSTOMERS } = d;
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
  }),
  demoCase("schema", "replaces the whole schema with PUT, keeping id", async (d) => {
    const { bob, expectError, META } = d;
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
  }),
  demoCase("indexes", "creates, lists and deletes indexes of each kind, validating fields and ops", async (d) => {
    const { alice, bob, expectError, CUSTOMERS } = d;
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
  }),
  demoCase("indexes", "vector indexes need a vector field; indexes follow field renames and deletions", async (d) => {
    const { alice, CUSTOMERS } = d;
    expect((await alice(`${CUSTOMERS}/schema/type/vector`, { json: { name: "embedding", vector: { size: 3 } } })).status).toBe(200);
    const vector = await alice(`${CUSTOMERS}/index/vector`, { json: { fields: [{ name: "embedding", op: "vector_l2_ops" }] } });
    expect(vector.status).toBe(200);
    await alice(`${CUSTOMERS}/index/unique`, { json: { fields: [{ name: "email", op: "asc" }] } });

    await alice(`${CUSTOMERS}/schema/rename`, { json: { old_name: "email", new_name: "mail" } });
    expect((await alice(`${CUSTOMERS}/index`)).data.map((i: any) => i.fields[0].name)).toEqual(["embedding", "mail"]);
    await alice(`${CUSTOMERS}/schema/embedding`, { method: "DELETE" });
    expect((await alice(`${CUSTOMERS}/index`)).data.map((i: any) => i.type)).toEqual(["unique"]);
  }),
  demoCase("table updates", "updates a table from JSON fields, replacing its schema and indexes", async (d) => {
    const { alice, bob, expectError, W1 } = d;
    const r = await alice(`${W1}/table/103?include_xanoscript=true`, {
      method: "PUT",
      json: { name: "catalogue", description: "what we sell", tag: ["shop"], index: [{ type: "primary", fields: [{ name: "id" }] }, { type: "btree", fields: [{ name: "name" }] }] },
    });
    expect(r.status).toBe(200);
    expect(r.data).toMatchObject({ id: 103, name: "catalogue", description: "what we sell", tag: ["shop"] });
    expect(r.data.xanoscript.value).toMatch(/^table catalogue \{\n {2}description = "what we sell"\n {2}schema \{\n {4}int id\n/);
    expect((await alice(`${W1}/table/103/index`)).data).toEqual([expect.objectContaining({ type: "btree", fields: [{ name: "name", op: "asc" }] })]);
    expectError(await alice(`${W1}/table/103`, { method: "PUT", json: { name: "customers" } }), 400, "ERROR_CODE_INPUT_ERROR", "name");
    expectError(await alice(`${W1}/table/103`, { method: "PUT", json: { index: [{ type: "btree", fields: [{ name: "nope" }] }] } }), 400, "ERROR_CODE_INPUT_ERROR", "fields");
    expectError(await bob(`${W1}/table/103`, { method: "PUT", json: { name: "mine" } }), 404, "ERROR_CODE_NOT_FOUND");
  }),
  demoCase("table updates", "updates a table from XanoScript, keeping the fields it still names, and names the line of a bad type", async (d) => {
    const { alice, xs, expectError, W1 } = d;
    const script = 'table book {\n  schema {\n    int id\n    text name\n    decimal price?\n  }\n  index = [\n    {type: "primary", field: [{name: "id"}]}\n  ]\n}\n';
    const r = await xs(`${W1}/table/103`, script, "PUT");
    expect(r.status).toBe(200);
    expect(r.data.name).toBe("book");
    const schema = (await alice(`${W1}/table/103/schema`)).data;
    expect(schema.map((f: any) => [f.name, f.type])).toEqual([["id", "int"], ["name", "text"], ["price", "decimal"]]);
    const bad = await xs(`${W1}/table/103`, "table book {\n  schema {\n    int id\n    money price\n  }\n}\n", "PUT");
    expectError(bad, 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
    expect(bad.data.payload).toEqual({ param: "xanoscript", line: 4, column: 5 });
    expectError(await xs(`${W1}/table/103`, "function book {\n}\n", "PUT"), 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
  }),
  demoCase("table updates", "creates a table from XanoScript and answers tables as XanoScript when asked", async (d) => {
    const { alice, xs, expectError, W1 } = d;
    const script = 'table billing_runs {\n  description = "billing"\n  schema {\n    int id\n    timestamp created_at?\n    decimal amount\n    text[] notes\n  }\n}\n';
    const created = await xs(`${W1}/table?include_xanoscript=true`, script);
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({ name: "billing_runs", description: "billing" });
    expect(created.data.xanoscript.value).toContain("    decimal amount\n    text[] notes\n");
    const id = created.data.id;
    expect((await alice(`${W1}/table/${id}/schema`)).data.map((f: any) => f.name)).toEqual(["id", "created_at", "amount", "notes"]);
    expect((await alice(`${W1}/table/${id}?include_xanoscript=true`)).data.xanoscript.value).toMatch(/^table billing_runs \{/);
    expect((await alice(`${W1}/table/${id}`)).data.xanoscript).toBeUndefined();
    const listed = await alice(`${W1}/table?include_xanoscript=true&per_page=50`);
    // The table list is the envelope in a one-element array, as the description shows it.
    expect(listed.data[0].items.every((t: any) => t.xanoscript.status === "ok")).toBe(true);
    expectError(await xs(`${W1}/table`, script), 400, "ERROR_CODE_INPUT_ERROR", "name");
    const unclosed = await xs(`${W1}/table`, "table broken {\n  schema {\n    int id\n}\n");
    expect(unclosed.data.payload).toEqual({ param: "xanoscript", line: 1, column: 14 });
    // JSON creates still go to the older handler.
    expect((await alice(`${W1}/table`, { json: { name: "plain_json" } })).status).toBe(200);
  }),
  demoCase("table updates", "replaces every index with PUT …/index", async (d) => {
    const { alice, expectError, W1 } = d;
    const r = await alice(`${W1}/table/101/index`, { method: "PUT", json: { index: [{ type: "unique", fields: [{ name: "email" }] }] } });
    expect(r.status).toBe(200);
    expect(r.data).toEqual([expect.objectContaining({ type: "unique", fields: [{ name: "email", op: "asc" }] })]);
    expect((await alice(`${W1}/table/101/index`, { method: "PUT", json: { index: [] } })).data).toEqual([]);
    expectError(await alice(`${W1}/table/101/index`, { method: "PUT", json: {} }), 400, "ERROR_CODE_INPUT_ERROR", "index");
  }),
];
