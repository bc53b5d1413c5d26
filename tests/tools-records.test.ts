/**
 * The records, files, API group and endpoint, function and request-history tools, called through
 * the official MCP SDK client against the Worker, with fake-xano behind it. For each tool: the
 * success path and its real effect (read back through another tool), a 404, and a validation error
 * that names the bad field without calling Xano. One sign-in for the whole file; fake-xano's state
 * is reset before each test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ALICE_METADATA_TOKEN, CUSTOMERS_TABLE_ID, customerRow } from "../fixtures/seed";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { callTool, connectWithOAuth } from "./harness/mcp-client";

const fake = useFakeXano();
let client: Client;
beforeAll(async () => {
  ({ client } = await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN }));
});
afterAll(() => client.close());

const T = { workspace_id: 1, table_id: CUSTOMERS_TABLE_ID };
const MISSING_TABLE = { workspace_id: 1, table_id: 999 };

/** Calls a tool that must succeed; returns its envelope's data. */
async function ok(name: string, args: Record<string, unknown>) {
  const { result, envelope } = await callTool(client, name, args);
  expect(result.isError, JSON.stringify(envelope)).toBeFalsy();
  expect(envelope).toMatchObject({ success: true, operation: name });
  expect(typeof envelope.message).toBe("string");
  return envelope as { data: any; message: string };
}

/** Calls a tool that must fail with this envelope error code; returns the error. */
async function fails(name: string, args: Record<string, unknown>, code: string) {
  const { result, envelope } = await callTool(client, name, args);
  expect(result.isError).toBe(true);
  expect(envelope).toMatchObject({ success: false, operation: name, error: { code } });
  return envelope.error as { code: string; message: string; details?: any };
}

/** A validation error: isError, the text names the field, and Xano was never called. */
async function rejects(name: string, args: Record<string, unknown>, field: string) {
  fake.log.clear();
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError).toBe(true);
  const text = JSON.stringify(result.content);
  expect(text).toContain(field);
  expect(fake.log.entries).toHaveLength(0);
  return text;
}

const customers = Array.from({ length: 120 }, (_, i) => customerRow(i + 1));

describe("as clients list them", () => {
  it("deleting and changing tools are destructive, creating ones not, reads read-only, and record search documents its syntax", async () => {
    const { tools } = await client.listTools();
    const mine = tools.filter((t) => /^xano_.*(record|table_content|truncate|file|api|function|request_history)/.test(t.name));
    expect(mine.length).toBeGreaterThanOrEqual(29);
    for (const tool of mine) {
      if (/delete|truncate/.test(tool.name)) expect(tool.annotations, tool.name).toMatchObject({ destructiveHint: true, readOnlyHint: false });
      else if (/^xano_(list|get|browse|search)_/.test(tool.name)) expect(tool.annotations, tool.name).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      // Creating is additive; changing values in place is a destructive update in MCP's sense.
      else if (/_(create|upload)_?/.test(tool.name)) expect(tool.annotations, tool.name).toMatchObject({ readOnlyHint: false, destructiveHint: false });
      else expect(tool.annotations, tool.name).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    }
    const search = tools.find((t) => t.name === "xano_search_table_content")!;
    for (const piece of ['"<field>|<op>|or"', "not in", '{"balance|>=": 100}', '"asc"|"desc"']) expect(search.description).toContain(piece);
  });
});

describe("record tools", () => {
  it("xano_search_table_content filters with |op and |or terms, sorts and pages", async () => {
    const { data } = await ok("xano_search_table_content", { ...T, search: [{ tier: "pro" }, { "balance|>=": 1000 }], sort: { balance: "desc" }, per_page: 5 });
    const expected = customers.filter((c) => c.tier === "pro" && (c.balance as number) >= 1000).sort((a, b) => b.id - a.id);
    expect(data).toMatchObject({ curPage: 1, nextPage: 2, itemsTotal: expected.length, perPage: 5 });
    expect(data.items.map((r: any) => r.id)).toEqual(expected.slice(0, 5).map((c) => c.id));

    const either = await ok("xano_search_table_content", { ...T, search: [{ name: "customer 1" }, { "name|or": "customer 2" }] });
    expect(either.data.items.map((r: any) => r.id)).toEqual([1, 2]);
    const inList = await ok("xano_search_table_content", { ...T, search: { "id|in": [3, 5, 400] }, page: 1 });
    expect(inList.data.items.map((r: any) => r.id)).toEqual([3, 5]);

    const missing = await fails("xano_search_table_content", { ...MISSING_TABLE, search: { tier: "pro" } }, "NOT_FOUND");
    expect(missing.message).toContain("table 999");
    await rejects("xano_search_table_content", { ...T, search: { "tier|like": "pro" } }, "search");
    await rejects("xano_search_table_content", { ...T, search: { "id|in": 3 } }, "search");
    await rejects("xano_search_table_content", { ...T, sort: { balance: "up" } }, "sort");
  });

  it("xano_get_table_record reads one record", async () => {
    expect((await ok("xano_get_table_record", { ...T, record_id: "7" })).data).toMatchObject(customerRow(7));
    expect((await fails("xano_get_table_record", { ...T, record_id: 9999 }, "NOT_FOUND")).message).toContain("record 9999");
    await rejects("xano_get_table_record", { ...T, record_id: "abc" }, "record_id");
  });

  it("xano_create_table_record adds a record that can be read back", async () => {
    const created = await ok("xano_create_table_record", { ...T, record: { name: "Ada", email: "ada@example.com", tier: "pro" } });
    expect(created.data).toMatchObject({ id: 121, name: "Ada", tier: "pro" });
    expect(created.message).toContain("121");
    expect((await ok("xano_get_table_record", { ...T, record_id: 121 })).data.email).toBe("ada@example.com");

    await fails("xano_create_table_record", { ...MISSING_TABLE, record: { name: "x" } }, "NOT_FOUND");
    const bad = await fails("xano_create_table_record", { ...T, record: { name: "x", email: "not-an-email" } }, "INVALID_INPUT");
    expect(bad.message).toContain("email");
    await rejects("xano_create_table_record", { ...T }, "record");
  });

  it("xano_update_table_record changes only the given fields", async () => {
    const updated = await ok("xano_update_table_record", { ...T, record_id: 2, updates: { balance: 99.5, active: false } });
    expect(updated.data).toMatchObject({ ...customerRow(2), balance: 99.5, active: false });
    expect((await ok("xano_get_table_record", { ...T, record_id: 2 })).data).toMatchObject({ name: "customer 2", balance: 99.5 });
    await fails("xano_update_table_record", { ...T, record_id: 9999, updates: { name: "x" } }, "NOT_FOUND");
    await rejects("xano_update_table_record", { ...T, record_id: 2, updates: "balance=1" }, "updates");
  });

  it("xano_delete_table_record deletes one record", async () => {
    await ok("xano_delete_table_record", { ...T, record_id: 3 });
    await fails("xano_get_table_record", { ...T, record_id: 3 }, "NOT_FOUND");
    await fails("xano_delete_table_record", { ...T, record_id: 3 }, "NOT_FOUND");
    await rejects("xano_delete_table_record", { ...T, record_id: 0 }, "record_id");
  });

  it("xano_bulk_create_records adds many records at once, capped at 500", async () => {
    const { data, message } = await ok("xano_bulk_create_records", { ...T, records: [{ name: "a", email: "a@example.com" }, { name: "b", email: "b@example.com" }, { name: "c", email: "c@example.com" }] });
    expect(data.ids).toEqual([121, 122, 123]);
    expect(message).toContain("3 record(s)");
    expect((await ok("xano_browse_table_content", T)).data.itemsTotal).toBe(123);
    expect((await ok("xano_get_table_record", { ...T, record_id: 123 })).data.name).toBe("c");

    await fails("xano_bulk_create_records", { ...MISSING_TABLE, records: [{ name: "a" }] }, "NOT_FOUND");
    const tooMany = await rejects("xano_bulk_create_records", { ...T, records: Array.from({ length: 501 }, () => ({ name: "x" })) }, "records");
    expect(tooMany).toContain("500");
  });

  it("xano_bulk_update_records changes records by id and reports the ids not found", async () => {
    const { data, message } = await ok("xano_bulk_update_records", {
      ...T, items: [{ record_id: 1, updates: { tier: "enterprise" } }, { record_id: "4", updates: { active: false } }, { record_id: 9999, updates: { tier: "pro" } }],
    });
    // Row ids travel as text, as Xano's description types them; notFound keeps the ids as given.
    expect(data).toMatchObject({ success: ["1", "4"], success_total: 2, notFound: [9999] });
    expect(message).toContain("not found: 9999");
    expect((await ok("xano_get_table_record", { ...T, record_id: 1 })).data.tier).toBe("enterprise");
    expect((await ok("xano_get_table_record", { ...T, record_id: 4 })).data.active).toBe(false);

    await fails("xano_bulk_update_records", { ...MISSING_TABLE, items: [{ record_id: 1, updates: {} }] }, "NOT_FOUND");
    await rejects("xano_bulk_update_records", { ...T, items: [] }, "items");
  });

  it("xano_bulk_delete_records deletes by id, capped at 1000", async () => {
    const { data, message } = await ok("xano_bulk_delete_records", { ...T, record_ids: [1, "2", 9999] });
    expect(data).toMatchObject({ success: ["1", "2"], success_total: 2, error: ["9999"] });
    expect(message).toContain("Deleted 2 of 3");
    expect((await ok("xano_browse_table_content", T)).data.itemsTotal).toBe(118);

    await fails("xano_bulk_delete_records", { ...MISSING_TABLE, record_ids: [1] }, "NOT_FOUND");
    const tooMany = await rejects("xano_bulk_delete_records", { ...T, record_ids: Array.from({ length: 1001 }, (_, i) => i + 1) }, "record_ids");
    expect(tooMany).toContain("1000");
  });

  it("xano_update_records_by_search changes every matching record and refuses an empty search", async () => {
    const free = customers.filter((c) => c.tier === "free").length;
    const { data, message } = await ok("xano_update_records_by_search", { ...T, search: { tier: "free" }, updates: { active: false } });
    expect(data.success_total).toBe(free);
    expect(message).toContain(`Updated ${free}`);
    const stillActive = await ok("xano_search_table_content", { ...T, search: [{ tier: "free" }, { active: true }] });
    expect(stillActive.data.itemsTotal).toBe(0);

    await fails("xano_update_records_by_search", { ...MISSING_TABLE, search: { tier: "free" }, updates: { active: false } }, "NOT_FOUND");
    await rejects("xano_update_records_by_search", { ...T, search: {}, updates: { active: false } }, "search");
  });

  it("xano_truncate_table empties a table, restarting ids when asked", async () => {
    const { message } = await ok("xano_truncate_table", { ...T, reset: true });
    expect(message).toContain("ids restart at 1");
    expect((await ok("xano_browse_table_content", T)).data).toMatchObject({ itemsTotal: 0, items: [] });
    expect((await ok("xano_create_table_record", { ...T, record: { name: "first", email: "first@example.com" } })).data.id).toBe(1);

    await ok("xano_truncate_table", { workspace_id: 1, table_id: 102 });
    expect((await ok("xano_create_table_record", { workspace_id: 1, table_id: 102, record: { customer_id: 1 } })).data.id).toBe(41);

    await fails("xano_truncate_table", MISSING_TABLE, "NOT_FOUND");
    await rejects("xano_truncate_table", { ...T, reset: "yes" }, "reset");
  });
});

describe("file tools", () => {
  it("xano_list_files pages, searches and filters by access (public ones unless asked, as Xano does)", async () => {
    const last = await ok("xano_list_files", { workspace_id: 1, page: 2, per_page: 5 });
    expect(last.data).toMatchObject({ curPage: 2, nextPage: null, prevPage: 1 });
    expect(last.data.items).toHaveLength(3);
    expect(last.message).toContain('ask with access "private"');
    const priv = await ok("xano_list_files", { workspace_id: "1", access: "private", sort: "size", order: "desc" });
    expect(priv.data.items.map((f: any) => f.id)).toEqual([12, 9, 6, 3]);
    await fails("xano_list_files", { workspace_id: 2 }, "NOT_FOUND"); // Bob's workspace
    await rejects("xano_list_files", { workspace_id: 1, access: "secret" }, "access");
  });

  it("xano_upload_file uploads base64 bytes or text, and the file lists with its size", async () => {
    const png = btoa(String.fromCharCode(137, 80, 78, 71, 13, 10, 26));
    const image = await ok("xano_upload_file", { workspace_id: 1, name: "logo.png", content_base64: png, type: "image", access: "private" });
    expect(image.data).toMatchObject({ name: "logo.png", size: 7, type: "image", mime: "image/png", access: "private" });
    const text = await ok("xano_upload_file", { workspace_id: 1, name: "notes.txt", text: "hello, world ✓" });
    expect(text.data).toMatchObject({ name: "notes.txt", size: new TextEncoder().encode("hello, world ✓").length, type: "attachment", access: "public" });
    const dataUrl = await ok("xano_upload_file", { workspace_id: 1, name: "pixel", content_base64: `data:image/gif;base64,${btoa("GIF89a")}`, type: "image" });
    expect(dataUrl.data).toMatchObject({ mime: "image/gif", size: 6 });

    const listed = await ok("xano_list_files", { workspace_id: 1, search: "logo", access: "private" });
    expect(listed.data.items).toEqual([expect.objectContaining({ id: image.data.id, name: "logo.png", size: 7 })]);

    await fails("xano_upload_file", { workspace_id: 99, name: "a.txt", text: "a" }, "NOT_FOUND");
    const mismatch = await fails("xano_upload_file", { workspace_id: 1, name: "a.txt", text: "a", type: "image" }, "INVALID_INPUT");
    expect(mismatch.details).toMatchObject({ payload: { param: "type" } });
    await rejects("xano_upload_file", { workspace_id: 1, name: "a.bin", content_base64: "not base64!" }, "content_base64");
    await rejects("xano_upload_file", { workspace_id: 1, name: "a.txt" }, "content_base64");
    await rejects("xano_upload_file", { workspace_id: 1, name: "a.txt", text: "a", content_base64: "YQ==" }, "content_base64");
    await rejects("xano_upload_file", { workspace_id: 1, name: "../a.txt", text: "a" }, "name");
    const tooBig = await rejects("xano_upload_file", { workspace_id: 1, name: "big.txt", text: "x".repeat(2 * 1024 * 1024 + 1) }, "text");
    expect(tooBig).toContain("2 MB (2097152 bytes)");
    const bigBytes = "A".repeat((Math.floor((2 * 1024 * 1024) / 3) + 2) * 4); // decodes to 2 MiB + 4 bytes
    expect(await rejects("xano_upload_file", { workspace_id: 1, name: "big.bin", content_base64: bigBytes }, "content_base64")).toContain("upload limit is 2 MB");
  });

  it("xano_delete_file deletes one file", async () => {
    await ok("xano_delete_file", { workspace_id: 1, file_id: 5 });
    expect((await ok("xano_list_files", { workspace_id: 1, per_page: 100 })).data.items.map((f: any) => f.id)).not.toContain(5);
    await fails("xano_delete_file", { workspace_id: 1, file_id: 5 }, "NOT_FOUND");
    await rejects("xano_delete_file", { workspace_id: 1, file_id: -1 }, "file_id");
  });

  it("xano_bulk_delete_files deletes many files", async () => {
    await ok("xano_bulk_delete_files", { workspace_id: 1, file_ids: [1, "2", 3] });
    const left = async (access: string) => (await ok("xano_list_files", { workspace_id: 1, per_page: 100, access, sort: "created_at", order: "asc" })).data.items.map((f: any) => f.id);
    expect([...(await left("public")), ...(await left("private"))].sort((a: number, b: number) => a - b)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
    await fails("xano_bulk_delete_files", { workspace_id: 99, file_ids: [1] }, "NOT_FOUND");
    await rejects("xano_bulk_delete_files", { workspace_id: 1, file_ids: [] }, "file_ids");
  });
});

describe("API group and endpoint tools", () => {
  it("xano_list_api_groups, xano_get_api_group", async () => {
    const list = await ok("xano_list_api_groups", { workspace_id: 1 });
    expect(list.data).toMatchObject({ curPage: 1, nextPage: null, prevPage: null });
    expect(list.data.items.map((g: any) => g.name)).toEqual(["admin", "shop"]); // newest first, as Xano sorts by default
    await fails("xano_list_api_groups", { workspace_id: 2 }, "NOT_FOUND");
    await rejects("xano_list_api_groups", { workspace_id: 1, per_page: 0 }, "per_page");

    expect((await ok("xano_get_api_group", { workspace_id: 1, apigroup_id: "1" })).data).toMatchObject({ id: 1, name: "shop", canonical: "shop1" });
    expect((await fails("xano_get_api_group", { workspace_id: 1, apigroup_id: 3 }, "NOT_FOUND")).message).toContain("API group 3");
    await rejects("xano_get_api_group", { workspace_id: 1, apigroup_id: "x" }, "apigroup_id");
  });

  it("xano_create_api_group, xano_update_api_group, xano_delete_api_group", async () => {
    const created = await ok("xano_create_api_group", { workspace_id: 1, name: "mobile", description: "App API", tag: ["app"] });
    const id = created.data.id;
    expect((await ok("xano_get_api_group", { workspace_id: 1, apigroup_id: id })).data).toMatchObject({ name: "mobile", description: "App API", tag: ["app"] });
    await fails("xano_create_api_group", { workspace_id: 99, name: "x" }, "NOT_FOUND");
    expect((await fails("xano_create_api_group", { workspace_id: 1, name: "shop" }, "INVALID_INPUT")).message).toContain("shop");
    await rejects("xano_create_api_group", { workspace_id: 1, name: "" }, "name");

    await ok("xano_update_api_group", { workspace_id: 1, apigroup_id: id, description: "Mobile app", swagger: false });
    expect((await ok("xano_get_api_group", { workspace_id: 1, apigroup_id: id })).data).toMatchObject({ name: "mobile", description: "Mobile app", swagger: false });
    await fails("xano_update_api_group", { workspace_id: 1, apigroup_id: 99, description: "x" }, "NOT_FOUND");
    await rejects("xano_update_api_group", { workspace_id: 1, apigroup_id: id }, "name");
    // Or the whole group as XanoScript, sent as is (no read first); never beside the fields.
    fake.log.clear();
    const groupScript = 'api_group mobile_app {\n  canonical = "mobile"\n}\n';
    expect((await ok("xano_update_api_group", { workspace_id: 1, apigroup_id: id, xanoscript: groupScript })).data).toMatchObject({ name: "mobile_app" });
    expect(fake.log.entries.map((e) => e.route)).toEqual(["PUT /api:meta/workspace/{w}/apigroup/{g}"]);
    const groupBack = (await ok("xano_get_api_group", { workspace_id: 1, apigroup_id: id, include_xanoscript: true })).data;
    expect(groupBack.xanoscript.value).toMatch(/^api_group mobile_app/);
    await rejects("xano_update_api_group", { workspace_id: 1, apigroup_id: id, xanoscript: groupScript, name: "x" }, "name");

    await ok("xano_delete_api_group", { workspace_id: 1, apigroup_id: 1 });
    await fails("xano_get_api_group", { workspace_id: 1, apigroup_id: 1 }, "NOT_FOUND");
    await fails("xano_list_apis", { workspace_id: 1, apigroup_id: 1 }, "NOT_FOUND");
    await fails("xano_delete_api_group", { workspace_id: 1, apigroup_id: 1 }, "NOT_FOUND");
    await rejects("xano_delete_api_group", { workspace_id: 1 }, "apigroup_id");
  });

  it("xano_get_api_group_openapi", async () => {
    const { data, message } = await ok("xano_get_api_group_openapi", { workspace_id: 1, apigroup_id: 1 });
    expect(data.openapi).toBe("3.0.0");
    expect(Object.keys(data.paths)).toEqual(["/products", "/products/{product_id}", "/orders"]);
    expect(message).toContain("3 path(s)");
    await fails("xano_get_api_group_openapi", { workspace_id: 1, apigroup_id: 99 }, "NOT_FOUND");
    await rejects("xano_get_api_group_openapi", { workspace_id: "../x", apigroup_id: 1 }, "workspace_id");
  });

  it("xano_list_apis, xano_get_api", async () => {
    const list = await ok("xano_list_apis", { workspace_id: 1, apigroup_id: 1, per_page: 2, sort: "created_at", order: "asc" });
    expect(list.data).toMatchObject({ curPage: 1, nextPage: 2 });
    expect(list.data.items.map((a: any) => `${a.verb} ${a.name}`)).toEqual(["GET products", "GET products/{product_id}"]);
    await fails("xano_list_apis", { workspace_id: 1, apigroup_id: 99 }, "NOT_FOUND");
    await rejects("xano_list_apis", { workspace_id: 1, apigroup_id: 1, sort: "colour" }, "sort");

    expect((await ok("xano_get_api", { workspace_id: 1, apigroup_id: 1, api_id: 3 })).data).toMatchObject({ verb: "POST", name: "orders", apigroup_id: 1 });
    await fails("xano_get_api", { workspace_id: 1, apigroup_id: 1, api_id: 4 }, "NOT_FOUND"); // it belongs to group 2
    await rejects("xano_get_api", { workspace_id: 1, apigroup_id: 1, api_id: 0 }, "api_id");
  });

  it("xano_create_api, xano_update_api, xano_delete_api", async () => {
    const created = await ok("xano_create_api", { workspace_id: 1, apigroup_id: 1, name: "products", verb: "POST", description: "Add a product" });
    const id = created.data.id;
    const names = (await ok("xano_list_apis", { workspace_id: 1, apigroup_id: 1 })).data.items.map((a: any) => `${a.verb} ${a.name}`);
    expect(names).toContain("POST products");
    await fails("xano_create_api", { workspace_id: 1, apigroup_id: 99, name: "x", verb: "GET" }, "NOT_FOUND");
    await rejects("xano_create_api", { workspace_id: 1, apigroup_id: 1, name: "x", verb: "FETCH" }, "verb");

    // Xano takes the whole endpoint: the tool reads it, merges the change and writes it all back.
    fake.log.clear();
    await ok("xano_update_api", { workspace_id: 1, apigroup_id: 1, api_id: id, verb: "PUT" });
    expect(fake.log.entries.map((e) => e.route)).toEqual([
      "GET /api:meta/workspace/{w}/apigroup/{g}/api/{a}", "PUT /api:meta/workspace/{w}/apigroup/{g}/api/{a}",
    ]);
    expect((await ok("xano_get_api", { workspace_id: 1, apigroup_id: 1, api_id: id })).data).toMatchObject({ verb: "PUT", name: "products", description: "Add a product" });

    // Or the whole endpoint as XanoScript, sent as text/x-xanoscript.
    const script = "query coupons verb=GET {\n  stack {\n  }\n  response = []\n}\n";
    const scripted = await ok("xano_create_api", { workspace_id: 1, apigroup_id: 1, xanoscript: script });
    expect(scripted.data).toMatchObject({ name: "coupons", verb: "GET" });
    // Stored verbatim: the fake answers the script when asked (include_xanoscript, false by default in Xano's description).
    const stored = await fake.fetch(new Request(`${SHARED_INSTANCE_URL}/api:meta/workspace/1/apigroup/1/api/${scripted.data.id}?include_xanoscript=true`, {
      headers: { authorization: `Bearer ${ALICE_METADATA_TOKEN}` },
    }));
    expect(((await stored.json()) as { xanoscript: unknown }).xanoscript).toEqual({ status: "ok", value: script, message: "" });
    await rejects("xano_create_api", { workspace_id: 1, apigroup_id: 1, xanoscript: script, verb: "GET" }, "verb");
    await rejects("xano_create_api", { workspace_id: 1, apigroup_id: 1, verb: "GET" }, "name");
    // A script Xano refuses comes back as XANOSCRIPT_INVALID with Xano's line, for the model to fix and resend.
    const broken = await fails("xano_update_api", { workspace_id: 1, apigroup_id: 1, api_id: id, xanoscript: "query x verb=GET {" }, "XANOSCRIPT_INVALID");
    expect(broken.details).toMatchObject({ line: expect.any(Number) });
    expect((await ok("xano_get_api_openapi", { workspace_id: 1, apigroup_id: 1, api_id: id })).data.paths).toHaveProperty("/products");
    expect(Object.keys((await ok("xano_get_workspace_openapi", { workspace_id: 1 })).data.paths).length).toBeGreaterThan(5);
    await fails("xano_update_api", { workspace_id: 1, apigroup_id: 1, api_id: 99, verb: "GET" }, "NOT_FOUND");
    await rejects("xano_update_api", { workspace_id: 1, apigroup_id: 1, api_id: id }, "name");

    await ok("xano_delete_api", { workspace_id: 1, apigroup_id: 1, api_id: id });
    await fails("xano_get_api", { workspace_id: 1, apigroup_id: 1, api_id: id }, "NOT_FOUND");
    await fails("xano_delete_api", { workspace_id: 1, apigroup_id: 1, api_id: id }, "NOT_FOUND");
    await rejects("xano_delete_api", { workspace_id: 1, apigroup_id: 1, api_id: 1.5 }, "api_id");
  });
});

describe("function and request-history tools", () => {
  it("xano_list_functions", async () => {
    const { data } = await ok("xano_list_functions", { workspace_id: 1, sort: "name", order: "desc" });
    expect(data.items.map((f: any) => f.name)).toEqual(["send_receipt", "normalise_email", "calculate_total"]);
    expect((await ok("xano_list_functions", { workspace_id: 1, search: "total" })).data.items).toHaveLength(1);
    await fails("xano_list_functions", { workspace_id: 2 }, "NOT_FOUND");
    await rejects("xano_list_functions", { workspace_id: 1, order: "up" }, "order");
  });

  it("xano_browse_request_history pages newest first, by API group, with output on request", async () => {
    const { data } = await ok("xano_browse_request_history", { workspace_id: 1, per_page: 10 });
    expect(data).toMatchObject({ curPage: 1, nextPage: 2, prevPage: null });
    expect(data.items.map((r: any) => r.id)).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21]);
    expect(data.items[0]).not.toHaveProperty("output");
    const admin = await ok("xano_browse_request_history", { workspace_id: 1, apigroup_id: "2", include_output: true, per_page: 100 });
    expect(admin.data.items.length).toBe(12);
    expect(admin.data.items.every((r: any) => r.api_id === 2 && "output" in r)).toBe(true);
    await fails("xano_browse_request_history", { workspace_id: 2 }, "NOT_FOUND");
    await rejects("xano_browse_request_history", { workspace_id: 1, per_page: 501 }, "per_page");
  });

  it("xano_search_request_history filters by status and duration", async () => {
    const failed = await ok("xano_search_request_history", { workspace_id: 1, search: [{ "status|>=": 400 }], sort: { id: "asc" } });
    expect(failed.data.items.map((r: any) => r.id)).toEqual([7, 10, 14, 20, 21, 28, 30]);
    const slowOrders = await ok("xano_search_request_history", { workspace_id: 1, search: { "duration|>": 1 }, query_id: 3 });
    expect(slowOrders.data.items.length).toBeGreaterThan(0);
    expect(slowOrders.data.items.every((r: any) => r.duration > 1 && r.query_id === 3)).toBe(true);
    await fails("xano_search_request_history", { workspace_id: 99 }, "NOT_FOUND");
    await rejects("xano_search_request_history", { workspace_id: 1, search: { "status|like": 400 } }, "search");
  });

  it("xano_search_request_history sends the description's shape: everything in the body, the conditions under `search`", async () => {
    // fake-xano reads paging, apigroup_id, query_id and the conditions only from the body.
    const all = await ok("xano_search_request_history", { workspace_id: 1, per_page: 500 });
    const { data } = await ok("xano_search_request_history", { workspace_id: 1, search: { "duration|<|": 2 }, query_id: 3, per_page: 2 });
    const expected = all.data.items.filter((r: any) => r.query_id === 3 && r.duration < 2);
    expect(expected.length).toBeGreaterThan(2);
    expect(data.items).toHaveLength(2);
    expect(data.nextPage).toBe(2);
    expect(data.items.every((r: any) => r.query_id === 3 && r.duration < 2)).toBe(true);
  });
});

describe("ids and search keys as Xano writes them", () => {
  it("a uuid record id is passed through; a 16-digit id that JavaScript cannot hold exactly is refused", async () => {
    const uuid = "0b6f8a56-6d57-4d2e-9a3c-6f8a2d7d9c11";
    fake.log.clear();
    const missing = await fails("xano_get_table_record", { ...T, record_id: uuid }, "NOT_FOUND");
    expect(missing.message).toContain(uuid);
    expect(fake.log.entries.some((e) => e.path.endsWith(`/content/${uuid}`))).toBe(true);
    await rejects("xano_get_table_record", { ...T, record_id: "9999999999999999" }, "record_id");
    await rejects("xano_get_table_record", { ...T, record_id: "../1" }, "record_id");
  });

  it('a search key with a trailing pipe ("balance|>=|"), as in Xano\'s own examples, is accepted', async () => {
    const { data } = await ok("xano_search_table_content", { ...T, search: { "balance|>=|": 1000 }, per_page: 1 });
    expect(data.itemsTotal).toBe(customers.filter((c) => (c.balance as number) >= 1000).length);
  });
});

describe("multipart upload through XanoHttp.request", () => {
  it("after a 401, the refreshed credential re-sends the same multipart body once", async () => {
    const { client: oauthClient } = await connectWithOAuth({ method: "xano_oauth", email: "alice@example.com", password: "alice-password", instance: "x1234-5678-9012" });
    fake.knobs.expireUserTokens({ userId: 1, kind: "oauth_access" });
    fake.log.clear();
    const { envelope } = await callTool(oauthClient, "xano_upload_file", { workspace_id: 1, name: "retry.txt", text: "twice sent, once stored" });
    expect(envelope).toMatchObject({ success: true, data: { name: "retry.txt", size: 23 } });
    expect(fake.log.entries.filter((e) => e.route === "POST /api:meta/workspace/{w}/file").map((e) => e.status)).toEqual([401, 200]);
    const listed = await callTool(oauthClient, "xano_list_files", { workspace_id: 1, search: "retry" });
    expect(listed.envelope.data.items).toEqual([expect.objectContaining({ name: "retry.txt", size: 23 })]);
    await oauthClient.close();
  });
});
