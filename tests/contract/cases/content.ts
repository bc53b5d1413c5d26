// Contract cases: records: the content envelope and paging, search syntax, single and bulk changes.
// Plain data over fetch (tests/contract/target.ts); the demo seed's values are in fake-xano/README.md.
import { expect } from "vitest";
import { demoCase } from "../demo";
import { SEED_EPOCH_MS } from "../demo";
import type { ContractCase } from "../target";

export const contentCases: ContractCase[] = [
  demoCase("content", "browses with the content envelope and correct paging arithmetic", async (d) => {
    const { alice, bob, expectError, META, CUSTOMERS } = d;
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
  }, { readOnly: true }),
  demoCase("content", "searches with field|op keys, |or groups and sorts", async (d) => {
    const { alice, CUSTOMERS } = d;
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
  }, { readOnly: true }),
  demoCase("content", "creates, reads, updates and deletes one record with validation naming the field", async (d) => {
    const { alice, expectError, META, CUSTOMERS } = d;
    const before = Date.now();
    const created = await alice(`${CUSTOMERS}/content`, { json: { name: "new one", email: "new@example.com", tier: "enterprise", id: 5 } });
    expect(created.data.created_at).toBeGreaterThanOrEqual(before - 1000); // record timestamps: epoch ms, now
    expect(created.data).toMatchObject({ id: 121, name: "new one", active: true, tier: "enterprise", balance: 0, profile: null });
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
  }),
  demoCase("content", "does bulk create, bulk patch, bulk delete, search/patch and truncate", async (d) => {
    const { bob, META } = d;
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
  }),
];
