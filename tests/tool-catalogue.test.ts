/**
 * The operation table and the tools built from it: coverage against Xano's own description,
 * kinds and annotations that agree (and tools that disagree refused at construction), requests
 * built as described, toolset selection, every tool's input schema snapshotted, the catalogue
 * tools, and the XanoScript loop end to end through the official MCP client against fake-xano.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ALICE_METADATA_TOKEN } from "../fixtures/seed";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { connectWithOAuth } from "./harness/mcp-client";
import { DEBUG_TOOLS, TOOLS, toolsFor } from "../src/mcp/tools";
import { ANNOTATIONS_OF, defineTool } from "../src/mcp/tools/registry";
import { DEFAULT_TOOLSETS, TOOLSETS } from "../src/mcp/tools/toolsets";
import { OPERATIONS, buildRequest, operation, operationSchema } from "../src/xano/operations";
import { answerPart, MAX_ANSWER_CHARS } from "../src/mcp/tools/large-answers";
import { XanoApiError, describeXanoScriptRejection } from "../src/xano/errors";
import { XANOSCRIPT_KINDS, XANOSCRIPT_REFERENCE } from "../src/mcp/xanoscript-reference";
import { checkXanoScript } from "../fake-xano/xanoscript";

const fake = useFakeXano();
const alice = { instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN };

// Xano's description sits beside the project in CI (../shared), not in a person's clone.
const described = Object.values((import.meta as ImportMeta & { glob: (pattern: string, options: object) => Record<string, unknown> }).glob("../../shared/xano-meta-api/operations.txt", { eager: true, query: "?raw", import: "default" }))[0] as string | undefined;

describe("the operation table against Xano's description", () => {
  it.skipIf(!described)("holds every described operation, and tools reach all of them (at least 190 through typed tools)", () => {
    const lines = described!.split("\n").filter((l) => l.trim() !== "");
    const rows = [...OPERATIONS.values()];
    const missing = lines
      .map((line) => /^\S+\s+(GET|POST|PUT|DELETE)\s+(\S+)/.exec(line)!)
      .filter(([, method, path]) => !rows.some((row) => row.method === method && row.path === path))
      .map(([, method, path]) => `${method} ${path}`);
    expect(lines.length).toBe(205);
    expect(missing).toEqual([]);
    expect(rows.length).toBe(205);
    const typed = new Set(TOOLS.flatMap((tool) => tool.operations));
    const viaCatalogue = TOOLS.some((tool) => tool.name === "xano_call_operation") ? rows.length : 0;
    expect(viaCatalogue).toBe(205);
    expect(typed.size).toBeGreaterThanOrEqual(190);
  });

  it("without the description, says why the coverage count is skipped", () => {
    if (!described) console.warn("../shared/xano-meta-api is absent: the coverage count against Xano's description was skipped.");
    expect(OPERATIONS.size).toBe(205);
  });
});

describe("tools declare their kind; annotations follow from it", () => {
  it("every tool's annotations are its kind's, and its operations exist", () => {
    for (const tool of [...TOOLS, ...DEBUG_TOOLS]) {
      if (tool.kind !== "session") expect(tool.annotations, tool.name).toEqual(ANNOTATIONS_OF[tool.kind]);
      for (const id of tool.operations) expect(OPERATIONS.has(id), `${tool.name} → ${id}`).toBe(true);
      expect(TOOLSETS).toContain(tool.toolset);
    }
  });

  const base = { title: "t", description: "a tool for the test", area: "Functions", input: z.object({}), describe: () => "test", run: async () => ({ message: "", data: null }) };
  it("refuses a tool whose name, kind, operations and annotations disagree", () => {
    expect(() => defineTool({ ...base, name: "xano_get_thing", kind: "create", operations: [] })).toThrow(/verb "get" means read/);
    expect(() => defineTool({ ...base, name: "xano_delete_function", kind: "destructive", operations: ["function.get"] })).toThrow(/at most read/);
    expect(() => defineTool({ ...base, name: "xano_list_functions", kind: "read", operations: ["function.delete"] })).toThrow(/at most destructive/);
    expect(() => defineTool({ ...base, name: "xano_get_function", kind: "read", operations: ["function.nothing"] })).toThrow(/unknown operation/);
    expect(() => defineTool({ ...base, name: "xano_update_function", kind: "update", operations: ["function.update"], annotations: ANNOTATIONS_OF.read })).toThrow(/annotations disagree/);
    expect(() => defineTool({ ...base, name: "xano_frobnicate_function", kind: "update", operations: [] })).toThrow(/unknown verb/);
    expect(defineTool({ ...base, name: "xano_update_function", kind: "update", operations: ["function.update"] }).annotations).toEqual(ANNOTATIONS_OF.update);
  });
});

describe("requests built as Xano's description says", () => {
  it("a XanoScript body goes as text/x-xanoscript, flags in the query", () => {
    const row = operation("function.update");
    const args = operationSchema(row).parse({ workspace_id: 1, function_id: "7", xanoscript: "function f {\n}", publish: false });
    const built = buildRequest(row, args);
    expect(built.method).toBe("PUT");
    expect(built.segments).toEqual(["workspace", 1, "function", "7"]);
    expect(built.options.text).toEqual({ contentType: "text/x-xanoscript", value: "function f {\n}" });
    expect(built.options.query).toEqual({ publish: false });
    expect(built.options.body).toBeUndefined();
  });

  it("an endpoint's code goes as XanoScript to its group's route", () => {
    const built = buildRequest(operation("apigroup.api.create"), { workspace_id: 1, apigroup_id: 4, xanoscript: 'query "price" verb=GET {\n}' });
    expect(built).toMatchObject({ method: "POST", segments: ["workspace", 1, "apigroup", 4, "api"], options: { text: { contentType: "text/x-xanoscript" } } });
  });

  it("x-data-source is a header; a record is the whole JSON body; an upload is multipart", () => {
    const content = buildRequest(operation("table.content.create"), { workspace_id: 1, table_id: 2, data_source: "test", body: { name: "a" } });
    expect(content.options.headers).toEqual({ "x-data-source": "test" });
    expect(content.options.body).toEqual({ name: "a" });
    const upload = buildRequest(operation("static_host.build.create"), { workspace_id: 1, static_host: "site", file: { base64: btoa("zip"), file_name: "a.zip" }, name: "v1" });
    expect(upload.options.form).toBeInstanceOf(FormData);
    expect((upload.options.form!.get("file") as File).name).toBe("a.zip");
    const history = buildRequest(operation("request_history.search"), { workspace_id: 1, apigroup_id: 3, search: { "status|>=": 400 }, page: 2 });
    expect(history.options.body).toEqual({ apigroup_id: 3, search: { "status|>=": 400 }, page: 2 });
    expect(history.options.query).toEqual({});
  });

  it("arguments are checked against the operation's parameters", () => {
    expect(operationSchema(operation("function.get")).safeParse({ workspace_id: 1, function_id: 2, include_xanoscript: "yes" }).success).toBe(false);
    expect(operationSchema(operation("function.get")).safeParse({ workspace_id: 1, function_id: 2, surprise: 1 }).success).toBe(false);
    expect(operationSchema(operation("function.create")).safeParse({ workspace_id: 1 }).success).toBe(false);
    expect(operationSchema(operation("function.create")).safeParse({ workspace_id: 1, name: "f", description: "" }).success).toBe(true);
    expect(operationSchema(operation("table.content.list")).safeParse({ workspace_id: 1, table_id: 2, data_source: "a\r\nX-Evil: 1" }).success).toBe(false);
  });

  it("a refused script keeps Xano's line and column and says to fix and retry", () => {
    const error = describeXanoScriptRejection(new XanoApiError(400, "ERROR_CODE_INPUT_ERROR", "XanoScript error on line 3, column 5: unexpected }"), "create the function");
    expect(error).toMatchObject({ code: "XANOSCRIPT_INVALID", details: { line: 3, column: 5 } });
    expect(error.message).toMatch(/line 3, column 5.*Fix the script/);
  });

  it("large answers come in parts with the offset of the next, never cut silently", () => {
    const big = { text: "x".repeat(MAX_ANSWER_CHARS * 2) };
    const first = answerPart(big, 0);
    expect(first.data).toMatchObject({ partial: true, offset: 0, nextOffset: MAX_ANSWER_CHARS });
    expect(first.note).toMatch(/offset = 100000/);
    const last = answerPart(big, MAX_ANSWER_CHARS * 2);
    expect(last.data).toMatchObject({ nextOffset: null });
    expect(answerPart({ small: 1 }, 0)).toEqual({ data: { small: 1 }, note: "" });
  });
});

describe("toolsets", () => {
  const config = { debugTools: false };
  it("selects by toolset, keeps the catalogue tools, and a read-only grant keeps only reads and the per-call checked tool", () => {
    const data = toolsFor(config, { toolsets: ["data"] });
    expect(new Set(data.map((t) => t.toolset))).toEqual(new Set(["data", "operations"]));
    expect(data.filter((t) => t.toolset === "operations").map((t) => t.name)).toEqual(["xano_find_operations", "xano_call_operation"]);
    const readOnly = toolsFor(config, { canWrite: false });
    expect(readOnly.every((t) => t.annotations.readOnlyHint || t.name === "xano_call_operation")).toBe(true);
    expect(readOnly.map((t) => t.name)).toContain("xano_call_operation");
    expect(toolsFor(config).map((t) => t.name)).toEqual(TOOLS.map((t) => t.name));
  });

  it("the default (common path of data and logic) is about 60 tools", () => {
    const defaults = toolsFor(config, { toolsets: "default" });
    expect(defaults.length).toBeGreaterThanOrEqual(50);
    expect(defaults.length).toBeLessThanOrEqual(70);
    const inDefaultSets = defaults.filter((t) => DEFAULT_TOOLSETS.includes(t.toolset)).length;
    expect(inDefaultSets / defaults.length).toBeGreaterThan(0.8);
  });
});

describe("our XanoScript reference", () => {
  it.each(XANOSCRIPT_KINDS.filter((kind) => kind !== "basics"))("its %s example is well-formed for its kind, as fake-xano checks scripts", (kind) => {
    const lines = XANOSCRIPT_REFERENCE[kind].split("\n");
    const start = lines.findIndex((line) => line.startsWith(`${kind} `));
    expect(start, `an example starting with "${kind} "`).toBeGreaterThan(0);
    const end = lines.findIndex((line, i) => i > start && line === "}");
    expect(end).toBeGreaterThan(start);
    const example = lines.slice(start, end + 1).join("\n");
    const checked = checkXanoScript(example, [kind]);
    expect(checked.ok, JSON.stringify(checked)).toBe(true);
  });
});

describe("input schemas", () => {
  it("match the committed snapshot (a schema change shows up in review)", async () => {
    const schemas = Object.fromEntries([...TOOLS, ...DEBUG_TOOLS].map((tool) => [tool.name, z.toJSONSchema(tool.input, { unrepresentable: "any" })]));
    await expect(JSON.stringify(schemas, null, 1) + "\n").toMatchFileSnapshot("./__snapshots__/tool-input-schemas.json");
  });
});

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = (await client.callTool({ name, arguments: args })) as { structuredContent: Record<string, any>; isError?: boolean };
  return result.structuredContent;
}

function ok(envelope: Record<string, any>) {
  expect(envelope.error, JSON.stringify(envelope.error)).toBeUndefined();
  expect(envelope.success).toBe(true);
  return envelope.data;
}

describe("building a small backend as a model would (MCP client → Worker → fake-xano)", () => {
  it("table, function, API group and endpoint calling it, trigger and task; read back as XanoScript; a refused script names its line; fixed; published; audit log and history", async () => {
    const { client } = await connectWithOAuth(alice);
    const w = 1;
    const table = ok(await call(client, "xano_create_table", { workspace_id: w, name: "book", schema: [{ name: "id", type: "int" }, { name: "title", type: "text" }] }));
    expect(table.id).toBeGreaterThan(0);

    const fn = "function discount {\n  input {\n    decimal price\n  }\n  stack {\n    var $p { value = $input.price * 0.9 }\n  }\n  response = $p\n}\n";
    const created = ok(await call(client, "xano_create_function", { workspace_id: w, xanoscript: fn }));
    const functionId = created.id;

    const broken = "function discount {\n  stack {\n    var $p { value = 1 \n  }\n";
    const refused = await call(client, "xano_update_function", { workspace_id: w, function_id: functionId, xanoscript: broken });
    expect(refused.success).toBe(false);
    expect(refused.error.code).toBe("XANOSCRIPT_INVALID");
    expect(refused.error.details.line).toBeGreaterThan(0);
    expect(refused.error.message).toMatch(/line \d+.*call the tool again/);

    const fixed = fn.replace("0.9", "0.8");
    ok(await call(client, "xano_update_function", { workspace_id: w, function_id: functionId, xanoscript: fixed, publish: false }));
    const draft = ok(await call(client, "xano_get_function", { workspace_id: w, function_id: functionId, include_xanoscript: true, include_draft: true }));
    expect(draft.xanoscript.value).toContain("0.8");
    ok(await call(client, "xano_update_function", { workspace_id: w, function_id: functionId, xanoscript: fixed, publish: true }));
    const published = ok(await call(client, "xano_get_function", { workspace_id: w, function_id: functionId, include_xanoscript: true }));
    expect(published.xanoscript).toMatchObject({ status: "ok" });
    expect(published.xanoscript.value).toContain("0.8");

    const group = ok(await call(client, "xano_create_api_group", { workspace_id: w, name: "bookstore_mcp" }));
    // The endpoint's logic calls the function; a script naming a function that does not exist is refused with its line.
    const endpoint = (fnName: string) => `query price verb=GET {\n  input {\n    decimal amount\n  }\n  stack {\n    function.run "${fnName}" {\n      input = {price: $input.amount}\n    } as $discounted\n  }\n  response = $discounted\n}\n`;
    const wrongName = await call(client, "xano_create_api", { workspace_id: w, apigroup_id: group.id, xanoscript: endpoint("discount_typo") });
    expect(wrongName.error).toMatchObject({ code: "XANOSCRIPT_INVALID", details: { line: 6 } });
    const api = ok(await call(client, "xano_create_api", { workspace_id: w, apigroup_id: group.id, xanoscript: endpoint("discount") }));
    const apiBack = ok(await call(client, "xano_get_api", { workspace_id: w, apigroup_id: group.id, api_id: api.id, include_xanoscript: true }));
    expect(apiBack).toMatchObject({ name: "price", verb: "GET" });
    expect(apiBack.xanoscript.value).toContain('function.run "discount"');
    // A script saved as a draft (publish=false) is read back with include_draft; the published code stays until published.
    const apiArgs = { workspace_id: w, apigroup_id: group.id, api_id: api.id };
    ok(await call(client, "xano_update_api", { ...apiArgs, xanoscript: endpoint("discount").replace("query price", "query price_v2"), publish: false }));
    expect(ok(await call(client, "xano_get_api", { ...apiArgs, include_xanoscript: true, include_draft: true })).xanoscript.value).toMatch(/^query price_v2 /);
    expect(ok(await call(client, "xano_get_api", { ...apiArgs, include_xanoscript: true })).xanoscript.value).toMatch(/^query price /);
    // The read tools answer code only when asked (include_xanoscript).
    expect(ok(await call(client, "xano_get_api", apiArgs)).xanoscript).toBeUndefined();
    const listed = ok(await call(client, "xano_list_apis", { workspace_id: w, apigroup_id: group.id, include_xanoscript: true }));
    expect(listed.items[0].xanoscript.value).toContain("query price");
    const functions = ok(await call(client, "xano_list_functions", { workspace_id: w, include_xanoscript: true }));
    expect(functions.items.find((f: { id: number }) => f.id === functionId).xanoscript.value).toContain("function discount");
    const bookTable = ok(await call(client, "xano_get_table_details", { workspace_id: w, table_id: table.id, include_xanoscript: true }));
    expect(bookTable.xanoscript.value).toMatch(/^table book/);

    const trigger = 'table_trigger on_book {\n  table = "book"\n  stack {\n    var $x { value = 1 }\n  }\n  actions = {insert: true}\n}\n';
    const t = ok(await call(client, "xano_create_table_trigger", { workspace_id: w, xanoscript: trigger }));
    const tBack = ok(await call(client, "xano_get_table_trigger", { workspace_id: w, trigger_id: t.id, include_xanoscript: true }));
    expect(tBack.xanoscript.value).toContain("on_book");

    const task = "task nightly {\n  stack {\n    var $x { value = 1 }\n  }\n  schedule = [{starts_on: 2026-01-01 02:00:00+0000, freq: 86400}]\n}\n";
    const k = ok(await call(client, "xano_create_task", { workspace_id: w, xanoscript: task }));
    const kBack = ok(await call(client, "xano_get_task", { workspace_id: w, task_id: k.id, include_xanoscript: true }));
    expect(kBack.xanoscript.value).toContain("nightly");

    const audit = ok(await call(client, "xano_browse_audit_logs", { workspace_id: w }));
    expect(JSON.stringify(audit)).toContain("discount");
    const history = await call(client, "xano_browse_function_history", { workspace_id: w, function_id: functionId });
    expect(history.success).toBe(true);
    await client.close();
  });

  it("the catalogue finds any operation and calls it with checked arguments", async () => {
    const { client } = await connectWithOAuth(alice);
    const found = ok(await call(client, "xano_find_operations", { words: "middleware history search" }));
    expect(found.items[0]).toMatchObject({ id: "middleware_history.search", method: "POST", kind: "read" });
    const listed = ok(await call(client, "xano_call_operation", { operation_id: "function.list", arguments: { workspace_id: 1, per_page: 5 } }));
    expect(Array.isArray(listed.items)).toBe(true);
    const bad = await call(client, "xano_call_operation", { operation_id: "function.list", arguments: { workspace_id: 1, per_page: 0 } });
    expect(bad.error).toMatchObject({ code: "INVALID_INPUT", details: { field: "arguments.per_page" } });
    const unknown = await call(client, "xano_call_operation", { operation_id: "nothing.here" });
    expect(unknown.error.code).toBe("NOT_FOUND");
    const before = fake.log.entries.length;
    const script = await call(client, "xano_call_operation", { operation_id: "function.create", arguments: { workspace_id: 1, xanoscript: "function {" } });
    expect(script.error.code).toBe("XANOSCRIPT_INVALID");
    expect(fake.log.entries.length).toBe(before + 1);
    await client.close();
  });

  it("a read-only grant lists xano_call_operation but it refuses every operation that is not a read, before Xano", async () => {
    const { client } = await connectWithOAuth({ ...alice, access: "read" });
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toContain("xano_call_operation");
    expect(names).not.toContain("xano_create_function");
    const before = fake.log.entries.length;
    const refused = await call(client, "xano_call_operation", { operation_id: "function.delete", arguments: { workspace_id: 1, function_id: 1 } });
    expect(refused.error).toMatchObject({ code: "INSUFFICIENT_SCOPE", details: { field: "operation_id" } });
    expect(fake.log.entries.length).toBe(before);
    ok(await call(client, "xano_call_operation", { operation_id: "workspace.get", arguments: { workspace_id: 1 } }));
    await client.close();
  });
});
