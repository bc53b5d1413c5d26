/**
 * The account, workspace, table, schema and index tools, end to end: the official MCP SDK client
 * signs in to the Worker and calls each tool against fake-xano. For every tool: the success path
 * with its real effect (read back through a tool or fake-xano's log), a 404, and a validation error
 * that names the bad field (whether the SDK or our envelope reports it).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ALICE_METADATA_TOKEN, BOB_METADATA_TOKEN, CUSTOMERS_TABLE_ID, SANDBOX_INSTANCE, SHARED_INSTANCE } from "../fixtures/seed";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { callTool, connectWithOAuth } from "./harness/mcp-client";
import { XanoMetaClient } from "../src/xano/client";
import { staticBearer } from "../src/xano/http";

const fake = useFakeXano();
let alice: Client;
let bob: Client;

beforeAll(async () => {
  alice = (await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN })).client;
  bob = (await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: BOB_METADATA_TOKEN })).client;
});

/** A successful call's data. */
async function ok(client: Client, tool: string, args: Record<string, unknown> = {}) {
  const { result, envelope } = await callTool(client, tool, args);
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  expect(envelope).toMatchObject({ success: true, operation: tool });
  expect(typeof envelope.message).toBe("string");
  return envelope.data;
}

/** A failed call's error envelope, with the code expected. */
async function fails(client: Client, tool: string, args: Record<string, unknown>, code: string) {
  const { result, envelope } = await callTool(client, tool, args);
  expect(result.isError).toBe(true);
  expect(envelope).toMatchObject({ success: false, operation: tool, error: { code } });
  return envelope.error as { code: string; message: string; details?: Record<string, any> };
}

/** A 404, whose message names what was not found. */
async function notFound(client: Client, tool: string, args: Record<string, unknown>, names: string) {
  const error = await fails(client, tool, args, "NOT_FOUND");
  expect(error.message).toContain(names);
  return error;
}

/**
 * Invalid arguments: an error result whose text names the field, and no call reaches Xano. (The SDK
 * reports it today; the lead is moving it into our INVALID_INPUT envelope; both name the field.)
 */
async function invalid(client: Client, tool: string, args: Record<string, unknown>, field: string) {
  fake.log.clear();
  const result = await client.callTool({ name: tool, arguments: args });
  expect(result.isError).toBe(true);
  expect(JSON.stringify(result.content)).toContain(field);
  expect(fake.log.entries).toEqual([]);
}

const T = (table: number | string, extra: Record<string, unknown> = {}) => ({ workspace_id: 1, table_id: table, ...extra });

describe("account and instances", () => {
  it("xano_get_instance_details: the signed-in instance by default, another by name, from the account API", async () => {
    const here = await ok(alice, "xano_get_instance_details");
    expect(here).toMatchObject({ name: SHARED_INSTANCE, display: "Demo Instance", meta_api: `${SHARED_INSTANCE_URL}/api:meta`, source: "account_api" });
    const sandbox = await ok(alice, "xano_get_instance_details", { instance_name: SANDBOX_INSTANCE });
    expect(sandbox).toMatchObject({ name: SANDBOX_INSTANCE, display: "Alice Sandbox", xano_domain: "x9999-0000-1111.n7c.xano.io" });
    expect(fake.log.entries.some((e) => e.path === `/api:meta/instance/${SANDBOX_INSTANCE}`)).toBe(true);
  });

  it("xano_get_instance_details: when the account API refuses a Metadata token, only what the sign-in established", async () => {
    fake.knobs.failNext({ route: "GET /api:meta/instance", status: 403, origin: fake.accountOrigin });
    const data = await ok(alice, "xano_get_instance_details");
    expect(data).toEqual({ name: "x1234-5678-9012.n7.xano.io", xano_domain: "x1234-5678-9012.n7.xano.io", meta_api: `${SHARED_INSTANCE_URL}/api:meta`, source: "sign-in" });
  });

  it("xano_get_instance_details: 404 names the instance; validation names instance_name", async () => {
    await notFound(bob, "xano_get_instance_details", { instance_name: SANDBOX_INSTANCE }, SANDBOX_INSTANCE);
    await invalid(bob, "xano_get_instance_details", { instance_name: "../evil.example" }, "instance_name");
  });
});

describe("workspaces", () => {
  it("xano_get_workspace_details", async () => {
    expect(await ok(alice, "xano_get_workspace_details", { workspace_id: "1" })).toMatchObject({ id: 1, name: "Alice Workspace", branch: "v1" });
    await notFound(alice, "xano_get_workspace_details", { workspace_id: 2 }, "workspace 2");
    await invalid(alice, "xano_get_workspace_details", { workspace_id: "abc" }, "workspace_id");
  });

  it("xano_list_branches", async () => {
    const data = await ok(bob, "xano_list_branches", { workspace_id: 2 });
    expect(data.items).toEqual([
      expect.objectContaining({ label: "v1", live: true }),
      expect.objectContaining({ label: "dev", live: false }),
    ]);
    await notFound(bob, "xano_list_branches", { workspace_id: 99 }, "workspace 99");
    await invalid(bob, "xano_list_branches", { workspace_id: 0 }, "workspace_id");
  });

  it("xano_delete_branch deletes a non-live branch", async () => {
    expect(await ok(bob, "xano_delete_branch", { workspace_id: 2, branch_label: "dev" })).toEqual({ label: "dev", deleted: true });
    expect((await ok(bob, "xano_list_branches", { workspace_id: 2 })).items.map((b: { label: string }) => b.label)).toEqual(["v1"]);
    await notFound(bob, "xano_delete_branch", { workspace_id: 2, branch_label: "dev" }, '"dev"');
  });

  it("xano_delete_branch refuses the live branch without asking Xano to delete it", async () => {
    fake.log.clear();
    const error = await fails(bob, "xano_delete_branch", { workspace_id: 2, branch_label: "v1" }, "INVALID_INPUT");
    expect(error.message).toContain("live branch");
    expect(error.details).toMatchObject({ field: "branch_label" });
    expect(fake.log.entries.filter((e) => e.method === "DELETE")).toEqual([]);
    expect((await ok(bob, "xano_list_branches", { workspace_id: 2 })).items).toHaveLength(2);
    await invalid(bob, "xano_delete_branch", { workspace_id: 2, branch_label: "../v1" }, "branch_label");
  });

  it("xano_list_data_sources", async () => {
    expect((await ok(alice, "xano_list_data_sources", { workspace_id: 1 })).items).toEqual([{ label: "live", color: expect.any(String) }]);
    await notFound(alice, "xano_list_data_sources", { workspace_id: 2 }, "workspace 2");
    await invalid(alice, "xano_list_data_sources", {}, "workspace_id");
  });

  it("xano_export_workspace_schema returns Xano's export file, base64, without echoing the password", async () => {
    const { result, envelope } = await callTool(bob, "xano_export_workspace_schema", { workspace_id: 2, password: "s3cret-export-pass" });
    expect(result.isError).toBeFalsy();
    expect(envelope.data).toMatchObject({ format: "file", fileName: "schema-2-v1.xano", contentType: "application/octet-stream" });
    const bytes = Uint8Array.from(atob(envelope.data.base64), (c) => c.charCodeAt(0));
    expect(bytes.length).toBe(envelope.data.sizeBytes);
    const document = JSON.parse(new TextDecoder().decode(bytes));
    expect(document.tables.map((t: { name: string }) => t.name)).toEqual(["tasks", "projects", "notes"]);
    expect(JSON.stringify(result)).not.toContain("s3cret-export-pass");

    expect((await ok(bob, "xano_export_workspace_schema", { workspace_id: "2", branch: "dev" })).fileName).toBe("schema-2-dev.xano");
    await notFound(bob, "xano_export_workspace_schema", { workspace_id: 2, branch: "nope" }, "workspace 2");
    await invalid(bob, "xano_export_workspace_schema", { workspace_id: 2, password: "" }, "password");
  });
});

describe("tables", () => {
  it("xano_get_table_details: metadata, schema and indexes", async () => {
    const table = await ok(alice, "xano_get_table_details", T(CUSTOMERS_TABLE_ID));
    expect(table).toMatchObject({ id: 101, name: "customers", tag: ["crm"], index: [] });
    expect(table.schema.map((f: { name: string }) => f.name)).toContain("email");
    await notFound(alice, "xano_get_table_details", T(999), "table 999");
    await invalid(alice, "xano_get_table_details", T(-1), "table_id");
  });

  it("xano_create_table, with and without an initial schema", async () => {
    const created = await ok(alice, "xano_create_table", {
      workspace_id: 1, name: "leads", description: "Possible customers", tag: ["crm"],
      schema: [{ name: "id", type: "int" }, { name: "company", type: "text", required: true }, { name: "stage", type: "enum", values: ["new", "won"] }],
    });
    expect(created).toMatchObject({ id: expect.any(Number), name: "leads" });
    const leads = await ok(alice, "xano_get_table_details", T(created.id));
    expect(leads).toMatchObject({ name: "leads", description: "Possible customers", tag: ["crm"] });
    expect(leads.schema.map((f: { name: string; type: string }) => `${f.name}:${f.type}`)).toEqual(["id:int", "company:text", "stage:enum"]);

    const plain = await ok(alice, "xano_create_table", { workspace_id: "1", name: "notes" });
    expect((await ok(alice, "xano_get_table_schema", T(plain.id))).schema.map((f: { name: string }) => f.name)).toEqual(["id", "created_at"]);

    // Xano's own validation: the message says what to fix and the details name the field.
    const dup = await fails(alice, "xano_create_table", { workspace_id: 1, name: "Customers" }, "INVALID_INPUT");
    expect(dup.details).toMatchObject({ payload: { param: "name" } });
    await notFound(alice, "xano_create_table", { workspace_id: 2, name: "x" }, "workspace 2");
    await invalid(alice, "xano_create_table", { workspace_id: 1, name: "" }, "name");
    await invalid(alice, "xano_create_table", { workspace_id: 1, name: "x", schema: [{ name: "id", type: "integer" }] }, "schema");
  });

  it("xano_update_table changes only the given metadata", async () => {
    fake.log.clear();
    const updated = await ok(alice, "xano_update_table", T(110, { name: "shipping", tag: ["ops"] }));
    // Xano's current route (table.update), not the deprecated …/meta.
    expect(fake.log.entries.map((e) => e.route)).toEqual(["PUT /api:meta/workspace/{w}/table/{t}"]);
    expect(updated).toMatchObject({ id: 110, name: "shipping", tag: ["ops"] });
    const after = await ok(alice, "xano_get_table_details", T(110));
    expect(after).toMatchObject({ name: "shipping", tag: ["ops"] });
    await notFound(alice, "xano_update_table", T(999, { description: "x" }), "table 999");
    await invalid(alice, "xano_update_table", T(110, { tag: "ops" }), "tag");
    const nothing = await alice.callTool({ name: "xano_update_table", arguments: T(110) });
    expect(nothing.isError).toBe(true);
    expect(JSON.stringify(nothing.content)).toContain("at least one of name");
  });

  it("xano_update_table replaces the whole definition from XanoScript", async () => {
    const { id } = await ok(alice, "xano_create_table", { workspace_id: 1, name: "books" });
    const script = "table books {\n  schema {\n    int id\n    text title\n  }\n}\n";
    fake.log.clear();
    const updated = await ok(alice, "xano_update_table", T(id, { xanoscript: script }));
    expect(updated).toMatchObject({ id, name: "books" });
    expect(fake.log.entries.map((e) => e.route)).toEqual(["PUT /api:meta/workspace/{w}/table/{t}"]);
    const back = await ok(alice, "xano_get_table_details", T(id, { include_xanoscript: true }));
    expect(back.schema.map((f: { name: string }) => f.name)).toEqual(["id", "title"]);
    expect(back.xanoscript.value).toMatch(/^table books/);
    await invalid(alice, "xano_update_table", T(id, { xanoscript: script, description: "x" }), "description");
    const broken = await fails(alice, "xano_update_table", T(id, { xanoscript: "table books {" }), "XANOSCRIPT_INVALID");
    expect(broken.details).toMatchObject({ line: expect.any(Number) });
  });

  it("xano_delete_table removes the table", async () => {
    const { id } = await ok(alice, "xano_create_table", { workspace_id: 1, name: "scratch" });
    expect(await ok(alice, "xano_delete_table", T(id))).toEqual({ id, deleted: true });
    await notFound(alice, "xano_get_table_details", T(id), `table ${id}`);
    await notFound(alice, "xano_delete_table", T(id), `table ${id}`);
    await invalid(alice, "xano_delete_table", T("1.5"), "table_id");
  });
});

describe("schema", () => {
  it("xano_get_table_schema and xano_get_schema_field", async () => {
    const { schema } = await ok(alice, "xano_get_table_schema", T(CUSTOMERS_TABLE_ID));
    expect(schema.map((f: { name: string }) => f.name)).toEqual(["id", "created_at", "name", "email", "active", "tier", "balance", "profile", "password"]);
    expect(await ok(alice, "xano_get_schema_field", T(CUSTOMERS_TABLE_ID, { field_name: "tier" }))).toMatchObject({ type: "enum", values: ["free", "pro", "enterprise"] });
    await notFound(alice, "xano_get_table_schema", T(999), "table 999");
    await notFound(alice, "xano_get_schema_field", T(CUSTOMERS_TABLE_ID, { field_name: "nope" }), '"nope"');
    await invalid(alice, "xano_get_table_schema", { table_id: 101 }, "workspace_id");
    await invalid(alice, "xano_get_schema_field", T(CUSTOMERS_TABLE_ID, { field_name: "bad name!" }), "field_name");
  });

  it("xano_add_field_to_schema uses Xano's add-field route, never a whole-schema write", async () => {
    fake.log.clear();
    const added = await ok(alice, "xano_add_field_to_schema", T(CUSTOMERS_TABLE_ID, { field_name: "nickname", field_type: "text", nullable: true, description: "Short name" }));
    expect(added).toEqual({ name: "nickname" });
    const routes = fake.log.entries.map((e) => e.route);
    expect(routes).toContain("POST /api:meta/workspace/{w}/table/{t}/schema/type/{type}");
    expect(routes).not.toContain("PUT /api:meta/workspace/{w}/table/{t}/schema");
    expect(routes).not.toContain("GET /api:meta/workspace/{w}/table/{t}/schema");
    expect(await ok(alice, "xano_get_schema_field", T(CUSTOMERS_TABLE_ID, { field_name: "nickname" }))).toMatchObject({ type: "text", nullable: true, description: "Short name" });

    await ok(alice, "xano_add_field_to_schema", T(CUSTOMERS_TABLE_ID, { field_name: "plan", field_type: "enum", values: ["a", "b"], default: "a" }));
    expect(await ok(alice, "xano_get_schema_field", T(CUSTOMERS_TABLE_ID, { field_name: "plan" }))).toMatchObject({ values: ["a", "b"], default: "a" });
    // What Xano's description requires per type is checked before any call, naming the field.
    await invalid(alice, "xano_add_field_to_schema", T(CUSTOMERS_TABLE_ID, { field_name: "kind", field_type: "enum" }), "values");
    await invalid(alice, "xano_add_field_to_schema", T(CUSTOMERS_TABLE_ID, { field_name: "n", field_type: "int", default: "1" }), "default");
    await invalid(alice, "xano_add_field_to_schema", T(CUSTOMERS_TABLE_ID, { field_name: "j", field_type: "json", default: "{}" }), "default");
    await invalid(alice, "xano_add_field_to_schema", T(CUSTOMERS_TABLE_ID, { field_name: "r", field_type: "tableref" }), "tableref_id");
    await invalid(alice, "xano_add_field_to_schema", T(CUSTOMERS_TABLE_ID, { field_name: "v", field_type: "vector" }), "vector_size");
    // Typed defaults, tableref_id and vector.size reach Xano as it describes them.
    await ok(alice, "xano_add_field_to_schema", T(CUSTOMERS_TABLE_ID, { field_name: "visits", field_type: "int", default: 3 }));
    expect((await ok(alice, "xano_get_table_record", T(CUSTOMERS_TABLE_ID, { record_id: 1 }))).visits).toBe(3);
    await ok(alice, "xano_add_field_to_schema", T(CUSTOMERS_TABLE_ID, { field_name: "favourite", field_type: "tableref", tableref_id: 103 }));
    expect(await ok(alice, "xano_get_schema_field", T(CUSTOMERS_TABLE_ID, { field_name: "favourite" }))).toMatchObject({ type: "tableref", tableref_id: 103 });

    await notFound(alice, "xano_add_field_to_schema", T(999, { field_name: "x", field_type: "text" }), "table 999");
    await invalid(alice, "xano_add_field_to_schema", T(CUSTOMERS_TABLE_ID, { field_name: "x", field_type: "colour" }), "field_type");
  });

  it("xano_rename_schema_field keeps the data under the new name", async () => {
    await ok(alice, "xano_rename_schema_field", T(CUSTOMERS_TABLE_ID, { old_name: "name", new_name: "full_name" }));
    const names = (await ok(alice, "xano_get_table_schema", T(CUSTOMERS_TABLE_ID))).schema.map((f: { name: string }) => f.name);
    expect(names).toContain("full_name");
    expect(names).not.toContain("name");
    const page = await ok(alice, "xano_browse_table_content", T(CUSTOMERS_TABLE_ID, { per_page: 1 }));
    expect(page.items[0]).toMatchObject({ full_name: "customer 1" });
    await notFound(alice, "xano_rename_schema_field", T(999, { old_name: "a", new_name: "b" }), "table 999");
    await invalid(alice, "xano_rename_schema_field", T(CUSTOMERS_TABLE_ID, { old_name: "email", new_name: "1mail" }), "new_name");
  });

  it("xano_delete_field removes the field", async () => {
    await ok(alice, "xano_delete_field", T(CUSTOMERS_TABLE_ID, { field_name: "profile" }));
    const names = (await ok(alice, "xano_get_table_schema", T(CUSTOMERS_TABLE_ID))).schema.map((f: { name: string }) => f.name);
    expect(names).not.toContain("profile");
    await notFound(alice, "xano_get_schema_field", T(CUSTOMERS_TABLE_ID, { field_name: "profile" }), '"profile"');
    await notFound(alice, "xano_delete_field", T(CUSTOMERS_TABLE_ID, { field_name: "profile" }), '"profile"');
    await invalid(alice, "xano_delete_field", T(CUSTOMERS_TABLE_ID), "field_name");
  });

  it("xano_replace_table_schema replaces every field", async () => {
    const notes = { workspace_id: 2, table_id: 203 };
    await ok(bob, "xano_replace_table_schema", { ...notes, schema: [{ name: "id", type: "int" }, { name: "body", type: "text" }, { name: "pinned", type: "bool", default: "false" }] });
    const { schema } = await ok(bob, "xano_get_table_schema", notes);
    expect(schema.map((f: { name: string; type: string }) => `${f.name}:${f.type}`)).toEqual(["id:int", "body:text", "pinned:bool"]);
    const noId = await fails(bob, "xano_replace_table_schema", { ...notes, schema: [{ name: "body", type: "text" }] }, "INVALID_INPUT");
    expect(noId.details).toMatchObject({ payload: { param: "schema" } });
    await notFound(bob, "xano_replace_table_schema", { workspace_id: 2, table_id: 999, schema: [{ name: "id", type: "int" }] }, "table 999");
    await invalid(bob, "xano_replace_table_schema", { ...notes, schema: [] }, "schema");
  });
});

describe("indexes", () => {
  it("xano_create_index and xano_list_indexes", async () => {
    expect((await ok(alice, "xano_list_indexes", T(CUSTOMERS_TABLE_ID))).items).toEqual([]);
    const unique = await ok(alice, "xano_create_index", T(CUSTOMERS_TABLE_ID, { index_type: "unique", fields: [{ name: "email" }] }));
    expect(unique).toMatchObject({ id: expect.any(String), type: "unique" });
    await ok(alice, "xano_add_field_to_schema", T(CUSTOMERS_TABLE_ID, { field_name: "embedding", field_type: "vector", vector_size: 3 }));
    expect(await ok(alice, "xano_get_schema_field", T(CUSTOMERS_TABLE_ID, { field_name: "embedding" }))).toMatchObject({ vector: { size: 3 } });
    await ok(alice, "xano_create_index", T(CUSTOMERS_TABLE_ID, { index_type: "vector", fields: [{ name: "embedding", op: "vector_l2_ops" }] }));

    const { items } = await ok(alice, "xano_list_indexes", T(CUSTOMERS_TABLE_ID));
    expect(items).toEqual([
      expect.objectContaining({ id: unique.id, type: "unique", fields: [{ name: "email", op: "asc" }] }),
      expect.objectContaining({ type: "vector", fields: [{ name: "embedding", op: "vector_l2_ops" }] }),
    ]);
    // A search index: name, language and weighted fields, as Xano's description has it.
    const search = await ok(alice, "xano_create_index", T(CUSTOMERS_TABLE_ID, { index_type: "search", name: "people", lang: "english", fields: [{ name: "name", priority: 2 }, { name: "email" }] }));
    expect(search).toMatchObject({ type: "search", name: "people", lang: "english", fields: [{ name: "name", priority: 2 }, { name: "email", priority: 1 }] });
    await invalid(alice, "xano_create_index", T(CUSTOMERS_TABLE_ID, { index_type: "search", name: "s", fields: [{ name: "name" }] }), "lang");
    await invalid(alice, "xano_create_index", T(CUSTOMERS_TABLE_ID, { index_type: "btree", fields: [{ name: "name", op: "vector_l1_ops" }] }), "op");
    await invalid(alice, "xano_create_index", T(CUSTOMERS_TABLE_ID, { index_type: "btree", name: "x", fields: [{ name: "name" }] }), "name");
    const wrongKind = await fails(alice, "xano_create_index", T(CUSTOMERS_TABLE_ID, { index_type: "vector", fields: [{ name: "email" }] }), "INVALID_INPUT");
    expect(wrongKind.details).toMatchObject({ payload: { param: "fields" } });

    await notFound(alice, "xano_list_indexes", T(999), "table 999");
    await notFound(alice, "xano_create_index", T(999, { index_type: "btree", fields: [{ name: "id" }] }), "table 999");
    await invalid(alice, "xano_list_indexes", T("x"), "table_id");
    await invalid(alice, "xano_create_index", T(CUSTOMERS_TABLE_ID, { index_type: "hash", fields: [{ name: "email" }] }), "index_type");
    await invalid(alice, "xano_create_index", T(CUSTOMERS_TABLE_ID, { index_type: "btree", fields: [] }), "fields");
  });

  it("xano_delete_index", async () => {
    const { id } = await ok(alice, "xano_create_index", T(CUSTOMERS_TABLE_ID, { index_type: "btree", fields: [{ name: "tier" }, { name: "balance", op: "desc" }] }));
    expect(await ok(alice, "xano_delete_index", T(CUSTOMERS_TABLE_ID, { index_id: id }))).toEqual({ id, deleted: true });
    expect((await ok(alice, "xano_list_indexes", T(CUSTOMERS_TABLE_ID))).items).toEqual([]);
    await notFound(alice, "xano_delete_index", T(CUSTOMERS_TABLE_ID, { index_id: id }), `index ${id}`);
    await invalid(alice, "xano_delete_index", T(CUSTOMERS_TABLE_ID, { index_id: "../x" }), "index_id");
  });
});

describe("the Xano client's schema export", () => {
  // Xano's docs show a JSON answer to export-schema while its CLI saves a binary file; fake-xano
  // answers the file, so the JSON form is checked here against a one-response upstream.
  it("passes a JSON answer through and returns a file answer as bytes, with branch and password in the body", async () => {
    const bodies: unknown[] = [];
    const upstream = (answer: Response): typeof fetch => async (input, init) => {
      expect(String(input)).toBe("https://x1.example/api:meta/workspace/7/export-schema");
      bodies.push(JSON.parse(String(init?.body)));
      return answer;
    };
    const json = new XanoMetaClient("https://x1.example/api:meta", staticBearer("t"), upstream(Response.json({ tables: [] })));
    expect(await json.exportWorkspaceSchema(7)).toEqual({ tables: [] });
    const file = new XanoMetaClient("https://x1.example/api:meta", staticBearer("t"), upstream(new Response(new Uint8Array([1, 2, 3]), { headers: { "content-type": "application/octet-stream" } })));
    expect(await file.exportWorkspaceSchema(7, { branch: "dev", password: "p" })).toEqual({ contentType: "application/octet-stream", disposition: null, bytes: new Uint8Array([1, 2, 3]) });
    expect(bodies).toEqual([{ branch: "", password: "" }, { branch: "dev", password: "p" }]);
  });
});

describe("errors tell the assistant what to do next", () => {
  it("a Xano 400 names the field Xano complained about in the message", async () => {
    const dup = await fails(alice, "xano_create_table", { workspace_id: 1, name: "Customers" }, "INVALID_INPUT");
    expect(dup.message).toMatch(/"name"/);
    expect(dup.details).toMatchObject({ field: "name" });
  });

  it("a Xano 403 names the Metadata API permission the call needs", async () => {
    fake.knobs.failNext({ route: "DELETE /api:meta/workspace/{w}/table/{t}", status: 403 });
    const denied = await fails(alice, "xano_delete_table", T(CUSTOMERS_TABLE_ID), "XANO_FORBIDDEN");
    expect(denied.message).toContain('"Workspace Database: Delete"');
    expect(denied.details).toMatchObject({ permission: "Workspace Database: Delete" });
    fake.knobs.failNext({ route: "GET /api:meta/workspace/{w}/table/{t}/schema", status: 403 });
    expect((await fails(alice, "xano_get_table_schema", T(CUSTOMERS_TABLE_ID), "XANO_FORBIDDEN")).details).toMatchObject({ permission: "Workspace Database: Read" });
  });

  it.each([
    // The names Xano's published description gives each operation ("Required API Scope").
    ["xano_get_table_record", "GET /api:meta/workspace/{w}/table/{t}/content/{id}", T(CUSTOMERS_TABLE_ID, { record_id: 1 }), "Workspace Content: Read"],
    ["xano_truncate_table", "DELETE /api:meta/workspace/{w}/table/{t}/truncate", T(CUSTOMERS_TABLE_ID), "Workspace Content: Delete"],
    ["xano_get_workspace_details", "GET /api:meta/workspace/{w}", { workspace_id: 1 }, "Instance Workspace: Read"],
    ["xano_delete_branch", "DELETE /api:meta/workspace/{w}/branch/{label}", { workspace_id: 2, branch_label: "dev" }, "Instance Workspace: Update"],
    ["xano_list_files", "GET /api:meta/workspace/{w}/file", { workspace_id: 1 }, "Workspace File: Read"],
    ["xano_get_api_group_openapi", "GET /api:meta/workspace/{w}/apigroup/{g}/openapi", { workspace_id: 1, apigroup_id: 1 }, "Workspace Api: Read"],
    ["xano_get_workspace_openapi", "GET /api:meta/workspace/{w}/openapi", { workspace_id: 1 }, "Instance Workspace: Read"],
  ] as const)("a 403 from %s names Xano's permission for it", async (tool, route, args, permission) => {
    fake.knobs.failNext({ route, status: 403 });
    const client = tool === "xano_delete_branch" ? bob : alice;
    const denied = await fails(client, tool, args as Record<string, unknown>, "XANO_FORBIDDEN");
    expect(denied.message).toContain(`"${permission}"`);
    expect(denied.details).toMatchObject({ permission });
  });

  it("a refusal by this server reads as ours, not as Xano's", async () => {
    const error = await fails(bob, "xano_delete_branch", { workspace_id: 2, branch_label: "v1" }, "INVALID_INPUT");
    expect(error.message).not.toContain("Xano said");
    expect(error.details).toMatchObject({ field: "branch_label" });
  });
});
