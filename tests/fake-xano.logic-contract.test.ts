/// <reference types="vite/client" />
// Contract tests of fake-xano's XanoScript objects and the other operations added for issue 13
// (functions, middleware, addons, tasks, triggers, agents, tools, MCP servers, realtime, workflow
// tests, audit logs, run history, data sources, static hosting, workspace operations, conversion,
// beta runs), through real `fetch` intercepted by msw inside workerd. Shapes follow Xano's own
// description in ../shared/xano-meta-api/; what the fake decides beyond it is in fake-xano/README.md.

import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeXano, ROUTES, SERVED_OPERATIONS } from "../fake-xano/index";
import { LOGIC_KINDS } from "../fake-xano/logic-kinds";
import { duplicateRoutes, servesOperation } from "../fake-xano/served-operations";
import { startFakeXanoNetwork } from "../fake-xano/msw";
import { callFake } from "./harness/fake-xano-call";
import { ALICE_METADATA_TOKEN, ALICE_SANDBOX_METADATA_TOKEN, BOB_METADATA_TOKEN } from "../fixtures/seed";

const fake = createFakeXano();
const network = startFakeXanoNetwork(fake);
afterAll(() => network.close());
beforeEach(() => fake.reset());

const META = "https://x1234-5678-9012.n7.xano.io/api:meta";
const W1 = `${META}/workspace/1`;
const W2 = `${META}/workspace/2`;

type Options = { method?: string; json?: unknown; form?: FormData };
const alice = (url: string, o: Options = {}) => callFake(url, { ...o, token: ALICE_METADATA_TOKEN });
const bob = (url: string, o: Options = {}) => callFake(url, { ...o, token: BOB_METADATA_TOKEN });

/** Sends a XanoScript body, as Xano's description says (`Content-Type: text/x-xanoscript`). */
async function xs(url: string, script: string, method = "POST", token = ALICE_METADATA_TOKEN) {
  const res = await fetch(url, {
    method, body: script, headers: { authorization: `Bearer ${token}`, "content-type": "text/x-xanoscript" },
  });
  const text = await res.text();
  return { status: res.status, data: text === "" ? undefined : JSON.parse(text) };
}

function expectError(r: { status: number; data: any }, status: number, code: string, param?: string) {
  expect(r.status).toBe(status);
  expect(Object.keys(r.data).sort()).toEqual(["code", "message", "payload"]);
  expect(r.data.code).toBe(code);
  if (param) expect(r.data.payload.param).toBe(param);
}

/** A well-formed script of each kind, with what a kind needs to refer to (created first). */
const SCRIPTS: Record<string, { script: (name: string) => string; needs?: Array<{ path: string; script: string }> }> = {
  function: { script: (n) => `function ${n} {\n  input {\n    int score\n  }\n  stack {\n    var $x1 {\n      value = $input.score + 1\n    }\n  }\n  response = $x1\n}\n` },
  middleware: { script: (n) => `middleware ${n} {\n  input {\n  }\n  stack {\n  }\n  response = null\n}\n` },
  addon: { script: (n) => `addon ${n} {\n  input {\n    int order_id\n  }\n  stack {\n    db.query orders {\n      where = $db.orders.id == $input.order_id\n      return = {type: "single"}\n    }\n  }\n}\n` },
  task: { script: (n) => `task ${n} {\n  description = "nightly"\n  stack {\n    var $x1 {\n      value = 1\n    }\n  }\n  schedule = [{starts_on: 2026-01-01 00:00:00+0000, freq: 86400}]\n}\n` },
  table_trigger: { script: (n) => `table_trigger ${n} {\n  table = "customers"\n  input {\n    json new\n  }\n  stack {\n  }\n  actions = {insert: true, update: true}\n}\n` },
  workspace_trigger: { script: (n) => `workspace_trigger ${n} {\n  stack {\n  }\n  actions = {branch_live: true}\n}\n` },
  agent: { script: (n) => `agent ${n} {\n  canonical = "support"\n  llm = {\n    type: "anthropic"\n    max_steps: 5\n  }\n  tools = []\n}\n` },
  agent_trigger: {
    script: (n) => `agent_trigger ${n} {\n  agent = "helper"\n  stack {\n  }\n  actions = {connection: true}\n}\n`,
    needs: [{ path: "agent", script: `agent helper {\n  llm = {type: "anthropic"}\n}\n` }],
  },
  tool: { script: (n) => `tool ${n} {\n  instructions = "Looks a customer up."\n  input {\n    email email\n  }\n  stack {\n  }\n  response = null\n}\n` },
  mcp_server: { script: (n) => `mcp_server ${n} {\n  description = "shop tools"\n  canonical = "shop"\n  tags = ["shop"]\n}\n` },
  mcp_server_trigger: {
    script: (n) => `mcp_server_trigger ${n} {\n  mcp_server = "shop_tools"\n  stack {\n  }\n}\n`,
    needs: [{ path: "mcp_server", script: `mcp_server shop_tools {\n  canonical = "st"\n}\n` }],
  },
  realtime_channel: { script: (n) => `realtime_channel ${n} {\n  public_messaging = {active: false}\n  settings = {presence: false}\n}\n` },
  realtime_trigger: {
    script: (n) => `realtime_trigger ${n} {\n  channel = "room"\n  stack {\n  }\n  actions = {message: true}\n}\n`,
    needs: [{ path: "realtime/channel", script: `realtime_channel room {\n  settings = {presence: true}\n}\n` }],
  },
  workflow_test: { script: (n) => `workflow_test ${n} {\n  stack {\n    var $x1 {\n      value = 1 + 2\n    }\n  }\n}\n` },
};

const collection = (kind: (typeof LOGIC_KINDS)[number], ws = W1) => `${ws}${kind.path.replace("/workspace/{workspace_id}", "")}`;

describe.each(LOGIC_KINDS.map((k) => [k.kind, k] as const))("XanoScript objects: %s", (_name, kind) => {
  const example = SCRIPTS[kind.kind];
  const url = collection(kind);

  async function createNeeds() {
    for (const need of example.needs ?? []) expect((await xs(`${W1}/${need.path}`, need.script)).status).toBe(200);
  }

  it("creates from XanoScript, stores it verbatim and reads it back with include_xanoscript", async () => {
    await createNeeds();
    const script = example.script("first_one");
    const created = await xs(`${url}?include_xanoscript=true`, script);
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({ id: expect.any(Number), name: "first_one" });
    expect(Object.keys(created.data).filter((k) => k !== "xanoscript" && k !== "security")).toEqual(kind.fields);
    expect(created.data.xanoscript).toEqual({ status: "ok", value: script, message: "" });

    const read = await alice(`${url}/${created.data.id}`);
    expect(read.status).toBe(200);
    expect(read.data.name).toBe("first_one");
    expect(read.data.xanoscript).toBeUndefined();
    const withScript = await alice(`${url}/${created.data.id}?include_xanoscript=true`);
    expect(withScript.data.xanoscript.value).toBe(script);
  });

  it("refuses a malformed script with a 400 naming the line and column, and a script of another kind", async () => {
    await createNeeds();
    const broken = example.script("broken").replace(/\n}\n$/, "\n");
    const r = await xs(url, broken);
    expectError(r, 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
    expect(r.data.message).toMatch(/line \d+, column \d+/);
    expect(r.data.payload).toEqual({ param: "xanoscript", line: 1, column: expect.any(Number) });

    const wrongKind = await xs(url, `query nope verb=GET {\n  stack {\n  }\n}\n`);
    expectError(wrongKind, 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
    expect(wrongKind.data.message).toContain(`expected "${kind.keyword}"`);

    const noName = await xs(url, `${kind.keyword} {\n}\n`);
    expect(noName.data.payload).toEqual({ param: "xanoscript", line: 1, column: kind.keyword.length + 2 });
    expect(noName.data.message).toContain("needs a name");

    const unclosedString = await xs(url, example.script("quoted").replace(/\{\n/, '{\n  description = "oops\n'));
    expect(unclosedString.data.payload).toMatchObject({ line: 2, column: 17 });
    expect((await alice(`${url}?search=quoted`)).data.items).toEqual([]);
  });

  it("updates, keeps drafts apart from the published version where Xano does, and deletes", async () => {
    await createNeeds();
    const created = await xs(url, example.script("versioned"));
    const item = `${url}/${created.data.id}`;
    const v2 = example.script("versioned_v2");
    if (kind.drafts) {
      const draft = await xs(`${item}?publish=false&include_xanoscript=true`, v2, "PUT");
      expect(draft.status).toBe(200);
      expect(draft.data.name).toBe("versioned_v2");
      expect((await alice(item)).data.name).toBe("versioned");
      expect((await alice(`${item}?include_draft=true&include_xanoscript=true`)).data.xanoscript.value).toBe(v2);
      expect((await alice(`${url}?include_draft=true&search=versioned`)).data.items.map((i: any) => i.name)).toEqual(["versioned_v2"]);
      expect((await alice(`${url}?search=versioned`)).data.items.map((i: any) => i.name)).toEqual(["versioned"]);
    }
    const published = await xs(item, v2, "PUT");
    expect(published.status).toBe(200);
    expect((await alice(item)).data.name).toBe("versioned_v2");
    expectError(await xs(item, "}", "PUT"), 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");

    const deleted = await alice(item, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect(deleted.data).toEqual({});
    expectError(await alice(item), 404, "ERROR_CODE_NOT_FOUND");
  });

  it("pages, searches and sorts the list (created_at desc by default)", async () => {
    await createNeeds();
    for (const n of ["alpha", "bravo", "charlie"]) expect((await xs(url, example.script(n))).status).toBe(200);
    const baseline = kind.kind === "function" ? 3 : 0;
    const all = await alice(`${url}?per_page=50`);
    expect(all.data.items).toHaveLength(3 + baseline);
    if (kind.defaultSort === "created_at") expect(all.data.items[0].name).toBe("charlie");
    const page = await alice(`${url}?per_page=2&page=1&sort=name&order=asc&search=a`);
    expect(page.data).toMatchObject({ curPage: 1, nextPage: 2, prevPage: null });
    expect(page.data.items.map((i: any) => i.name)).toEqual(
      [...["alpha", "bravo", "charlie"], ...(baseline ? ["calculate_total", "normalise_email", "send_receipt"] : [])].filter((n) => n.includes("a")).sort().slice(0, 2),
    );
    expectError(await alice(`${url}?sort=id`), 400, "ERROR_CODE_INPUT_ERROR", "sort");
    expectError(await alice(`${url}?order=up`), 400, "ERROR_CODE_INPUT_ERROR", "order");
    expectError(await xs(url, example.script("alpha")), 400, "ERROR_CODE_INPUT_ERROR", "name");
  });

  it("is private to its workspace's owner", async () => {
    await createNeeds();
    const created = await xs(url, example.script("private_one"));
    expectError(await bob(`${url}/${created.data.id}`), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await bob(url), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await xs(`${url}/${created.data.id}`, example.script("stolen"), "PUT", BOB_METADATA_TOKEN), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await bob(`${url}/${created.data.id}`, { method: "DELETE" }), 404, "ERROR_CODE_NOT_FOUND");
    expect((await bob(collection(kind, W2))).data.items.every((i: any) => i.name !== "private_one")).toBe(true);
    expect((await alice(`${url}/${created.data.id}`)).status).toBe(200);
  });

  it.runIf(kind.security)("sets the security GUID to one of the workspace's API groups, or clears it", async () => {
    await createNeeds();
    const created = await xs(url, example.script("guarded"));
    const groupGuid = (await alice(`${W1}/apigroup/1`)).data.guid;
    const set = await alice(`${url}/${created.data.id}/security`, { method: "PUT", json: { guid: groupGuid, include_xanoscript: true } });
    expect(set.status).toBe(200);
    expect(set.data.security).toEqual({ guid: groupGuid });
    expect(set.data.xanoscript.status).toBe("ok");
    expect((await alice(`${url}/${created.data.id}`)).data.security).toEqual({ guid: groupGuid });
    expectError(await alice(`${url}/${created.data.id}/security`, { method: "PUT", json: { guid: "nope" } }), 400, "ERROR_CODE_INPUT_ERROR", "guid");
    expectError(await alice(`${url}/${created.data.id}/security`, { method: "PUT", json: {} }), 400, "ERROR_CODE_INPUT_ERROR", "guid");
    expect((await alice(`${url}/${created.data.id}/security`, { method: "PUT", json: { guid: "" } })).data.security).toEqual({ guid: "" });
  });
});

describe("XanoScript objects: tenancy across instances", () => {
  it("an object of Alice's shared-instance workspace is not reachable with her sandbox instance's token", async () => {
    const created = await xs(`${W1}/function`, SCRIPTS.function.script("shared_only"));
    const sandbox = "https://x9999-0000-1111.n7c.xano.io/api:meta/workspace";
    const r = await callFake(`${sandbox}/1/function/${created.data.id}`, { token: ALICE_SANDBOX_METADATA_TOKEN });
    expectError(r, 404, "ERROR_CODE_NOT_FOUND");
    // On the sandbox instance, her workspace 3 has its own (empty) set of functions.
    expect((await callFake(`${sandbox}/3/function`, { token: ALICE_SANDBOX_METADATA_TOKEN })).data.items).toEqual([]);
    // And the shared instance refuses the sandbox token outright.
    expectError(await callFake(`${W1}/function`, { token: ALICE_SANDBOX_METADATA_TOKEN }), 401, "ERROR_CODE_UNAUTHORIZED");
  });
});

describe("XanoScript objects: kind-specific behaviour", () => {
  it("serves the seeded functions with a generated script, and creates functions from JSON too", async () => {
    const seeded = await alice(`${W1}/function/1?include_xanoscript=true`);
    expect(seeded.data).toMatchObject({ id: 1, name: "calculate_total", description: "Order total with tax", branch: "v1", tag: ["shop"] });
    expect(seeded.data.xanoscript.value).toMatch(/^function calculate_total \{/);
    expect(seeded.data.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+0000$/);

    const created = await alice(`${W1}/function`, { json: { name: "from_json", description: "made from fields", tag: ["x"] } });
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({ id: 5, name: "from_json", description: "made from fields", tag: ["x"], cache: { active: false, ttl: 3600 } });
    expectError(await alice(`${W1}/function`, { json: { name: "no_description" } }), 400, "ERROR_CODE_INPUT_ERROR", "description");
    const renamed = await alice(`${W1}/function/5?include_xanoscript=true`, { method: "PUT", json: { name: "renamed", description: "d", cache: { active: true } } });
    expect(renamed.data.xanoscript.value).toMatch(/^function renamed \{/);
    expect(renamed.data.cache.active).toBe(true);
    // An addon has no JSON form in the description: it is XanoScript only.
    expectError(await alice(`${W1}/addon`, { json: { name: "x", description: "y" } }), 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
  });

  it("derives settings from the script: task active/datasource, trigger actions, agent llm, tool instructions", async () => {
    const task = await xs(`${W1}/task`, `task nightly {\n  active = false\n  datasource = "live"\n  stack {\n  }\n}\n`);
    expect(task.data).toMatchObject({ name: "nightly", active: false, datasource: "live" });
    const trigger = await xs(`${W1}/table/trigger`, SCRIPTS.table_trigger.script("on_customer"));
    expect(trigger.data.actions).toEqual({ insert: true, update: true, delete: false, truncate: false });
    const agent = await xs(`${W1}/agent`, SCRIPTS.agent.script("bot"));
    expect(agent.data.llm).toEqual({ type: "anthropic", max_steps: 5 });
    const tool = await xs(`${W1}/tool`, SCRIPTS.tool.script("lookup"));
    expect(tool.data.instructions).toBe("Looks a customer up.");
    const server = await xs(`${W1}/mcp_server`, SCRIPTS.mcp_server.script("srv"));
    expect(server.data).toMatchObject({ description: "shop tools", tag: ["shop"] });
  });

  it("refuses a trigger whose table, agent, MCP server or channel does not exist, naming the line", async () => {
    const r = await xs(`${W1}/table/trigger`, `table_trigger t {\n  stack {\n  }\n  table = "nope"\n}\n`);
    expectError(r, 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
    expect(r.data.payload.line).toBe(4);
    expect(r.data.message).toContain('table "nope" does not exist');
    // Bob's table is not Alice's.
    expectError(await xs(`${W1}/table/trigger`, `table_trigger t {\n  table = "tasks"\n}\n`), 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
    expectError(await xs(`${W1}/agent/trigger`, SCRIPTS.agent_trigger.script("a")), 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
    expectError(await xs(`${W1}/mcp_server/trigger`, SCRIPTS.mcp_server_trigger.script("m")), 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
    expectError(await xs(`${W1}/realtime/channel/trigger`, SCRIPTS.realtime_trigger.script("r")), 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
  });

  it("accepts the description's own XanoScript example of every kind", async () => {
    // The examples quoted from ../shared/xano-meta-api (trimmed to what the checker reads).
    const examples: Record<string, string> = {
      function: 'function foo {\n  input {\n    int score\n  }\n  stack {\n    var $x1 {\n      value = $input.score + 1\n    }\n  }\n  response = $x1\n}\n',
      realtime_channel: 'realtime_channel foo {\n  public_messaging = {active: false}\n  private_messaging = {active: false}\n  settings = {\n    anonymous_clients: false\n    nested_channels  : false\n    message_history  : 0\n    auth_channel     : false\n    presence         : false\n  }\n}\n',
      task: 'task foo {\n  stack {\n    var $x1 {\n      value = 1\n    }\n  }\n  schedule = [{starts_on: 2025-10-28 18:03:58+0000, freq: 900}]\n}\n',
    };
    expect((await xs(`${W1}/function`, examples.function)).status).toBe(200);
    expect((await xs(`${W1}/realtime/channel`, examples.realtime_channel)).data).toEqual({ id: 1, name: "foo", active: true });
    expect((await xs(`${W1}/task`, examples.task)).status).toBe(200);
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
});

describe("run history and audit logs", () => {
  it("records a function run in the function history, and pages, filters and searches it", async () => {
    const seeded = await alice(`${W1}/function_history?function_id=1`);
    expect(seeded.status).toBe(200);
    expect(Object.keys(seeded.data).sort()).toEqual(["curPage", "items", "nextPage", "prevPage"]);
    expect(seeded.data.items.map((r: any) => r.id)).toEqual([3, 2, 1]);
    expect(Object.keys(seeded.data.items[0]).sort()).toEqual(["branch", "created_at", "duration", "function_id", "id", "input", "workspace_id"]);

    await xs(`${W1}/function`, "function answer {\n  stack {\n  }\n  response = 42\n}\n");
    const ran = await alice(`${META}/beta/workspace/1/function/run`, { json: { name: "answer", input: { a: 1 } } });
    expect(ran.status).toBe(200);
    expect(ran.data.response).toBe(42);
    const history = await alice(`${W1}/function_history?function_id=5&include_output=true`);
    expect(history.data.items).toEqual([expect.objectContaining({ id: 4, function_id: 5, input: { a: 1 }, output: 42, branch: "v1" })]);

    const searched = await alice(`${W1}/function_history/search`, { json: { function_id: 1, per_page: 2, search: { "id|>=": 2 }, sort: { id: "asc" } } });
    expect(searched.data.items.map((r: any) => r.id)).toEqual([2, 3]);
    expect(searched.data.items[0]).not.toHaveProperty("output");
    expectError(await alice(`${W1}/function_history?per_page=501`), 400, "ERROR_CODE_INPUT_ERROR", "per_page");
    expectError(await alice(`${W1}/function_history/search`, { json: { search: { nope: 1 } } }), 400, "ERROR_CODE_INPUT_ERROR");
    expectError(await bob(`${W1}/function_history`), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await alice(`${META}/beta/workspace/1/function/run`, { json: { name: "missing", input: {} } }), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await alice(`${META}/beta/workspace/1/function/run`, { json: { name: "answer" } }), 400, "ERROR_CODE_INPUT_ERROR", "input");
  });

  it("serves the middleware, task, trigger and tool histories with their own id filters", async () => {
    for (const [path, id] of [["middleware_history", "middleware_id"], ["task_history", "task_id"], ["trigger_history", "trigger_id"], ["tool_history", "tool_id"]]) {
      const r = await alice(`${W1}/${path}?${id}=1`);
      expect(r.status).toBe(200);
      expect(r.data).toEqual({ curPage: 1, nextPage: null, prevPage: null, items: [] });
      expect((await alice(`${W1}/${path}/search`, { json: { [id]: 1 } })).status).toBe(200);
    }
  });

  it("logs every change in the workspace audit log, newest first, data only when asked; the instance log spans the caller's workspaces", async () => {
    const created = await xs(`${W1}/task`, SCRIPTS.task.script("audited"));
    await xs(`${W1}/task/${created.data.id}`, SCRIPTS.task.script("audited_v2"), "PUT");
    await alice(`${W1}/task/${created.data.id}`, { method: "DELETE" });
    const log = await alice(`${W1}/audit_log?per_page=2`);
    expect(log.status).toBe(200);
    expect(log.data).toMatchObject({ itemsReceived: 2, curPage: 1, nextPage: 2, perPage: 2, itemsTotal: 3, pageTotal: 2 });
    expect(log.data.items[0]).toMatchObject({
      type: "task.delete", obj: { type: "task", id: created.data.id }, data: null,
      user: { id: 1, email: "alice@example.com" }, workspace: { id: 1, name: "Alice Workspace" }, branch: { label: "v1" },
    });
    expect((await alice(`${W1}/audit_log?include_data=true`)).data.items[2].data).toEqual({ name: "audited" });
    const search = await alice(`${W1}/audit_log/search`, { json: { search: { type: "task.update" }, include_data: true } });
    expect(search.data.items.map((e: any) => e.data.name)).toEqual(["audited_v2"]);

    await xs(`${W2}/task`, SCRIPTS.task.script("bobs"), "POST", BOB_METADATA_TOKEN);
    expect((await alice(`${META}/audit_log`)).data.itemsTotal).toBe(3);
    expect((await bob(`${META}/audit_log`)).data.items.map((e: any) => e.type)).toEqual(["task.create"]);
    expect((await bob(`${META}/audit_log/search`, { json: { search: { "workspace_id": 1 } } })).data.items).toEqual([]);
    expectError(await bob(`${W1}/audit_log`), 404, "ERROR_CODE_NOT_FOUND");
  });
});

describe("workspace operations", () => {
  it("creates, recolours and deletes data sources; live stays", async () => {
    expect((await alice(`${W1}/datasource`, { json: { label: "test", color: "#112233" } })).data).toEqual({ color: "#112233", label: "test" });
    expect((await alice(`${W1}/datasource`)).data).toEqual([{ label: "live", color: "#ebc346" }, { label: "test", color: "#112233" }]);
    expect((await alice(`${W1}/datasource/test`, { method: "PUT", json: { color: "#445566" } })).data).toEqual({ color: "#445566", label: "test" });
    expectError(await alice(`${W1}/datasource`, { json: { label: "test" } }), 400, "ERROR_CODE_INPUT_ERROR", "label");
    expectError(await alice(`${W1}/datasource`, { json: { label: "x", color: "red" } }), 400, "ERROR_CODE_INPUT_ERROR", "color");
    expectError(await alice(`${W1}/datasource/live`, { method: "DELETE" }), 400, "ERROR_CODE_INPUT_ERROR", "label");
    expect((await alice(`${W1}/datasource/test`, { method: "DELETE" })).data).toEqual({});
    expectError(await alice(`${W1}/datasource/test`, { method: "DELETE" }), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await bob(`${W1}/datasource`, { json: { label: "mine" } }), 404, "ERROR_CODE_NOT_FOUND");
  });

  it("reads and updates realtime settings", async () => {
    expect((await alice(`${W1}/realtime`)).data).toEqual({ enabled: false, hash: "realtime-1", channels: [] });
    const put = await alice(`${W1}/realtime`, { method: "PUT", json: { enabled: true, channels: [{ id: 1, pattern: "room/*", enabled: true }] } });
    expect(put.data).toEqual({ enabled: true, hash: "realtime-1", channels: [{ id: 1, pattern: "room/*", enabled: true }] });
    expectError(await alice(`${W1}/realtime`, { method: "PUT", json: { enabled: "yes" } }), 400, "ERROR_CODE_INPUT_ERROR", "enabled");
    expect((await bob(`${W2}/realtime`)).data.enabled).toBe(false);
  });

  it("uploads static host builds, lists, deploys and deletes them", async () => {
    const hosts = await alice(`${W1}/static_host`);
    expect(hosts.data).toMatchObject({ itemsReceived: 1, curPage: 1, items: [{ name: "default", dev: null, prod: null }] });
    const form = new FormData();
    form.append("file", new Blob(["zip bytes"], { type: "application/zip" }), "site.zip");
    form.append("name", "first build");
    const build = await alice(`${W1}/static_host/default/build`, { form });
    expect(build.status).toBe(200);
    expect(build.data).toMatchObject({ id: 1, name: "first build", file_bytes: 9, original: "site.zip", static_host: "default" });
    expect((await alice(`${W1}/static_host/default/build`)).data.items.map((b: any) => b.id)).toEqual([1]);
    expect((await alice(`${W1}/static_host/default/build/1/env`, { json: { env: "prod" } })).status).toBe(200);
    expect((await alice(`${W1}/static_host`)).data.items[0].prod).toEqual({ build_id: 1 });
    expectError(await alice(`${W1}/static_host/default/build/1/env`, { json: { env: "staging" } }), 400, "ERROR_CODE_INPUT_ERROR", "env");
    expectError(await alice(`${W1}/static_host/nope/build`), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await bob(`${W2}/static_host/default/build/1`), 404, "ERROR_CODE_NOT_FOUND");
    expect((await alice(`${W1}/static_host/default/build/1`, { method: "DELETE" })).data).toEqual({});
    expect((await alice(`${W1}/static_host`)).data.items[0].prod).toBeNull();
  });

  it("answers the workspace context as YAML by default or JSON, limited by include", async () => {
    await xs(`${W1}/task`, SCRIPTS.task.script("ctx_task"));
    const json = await alice(`${W1}/context?format=json`);
    expect(json.data.workspace).toMatchObject({ id: 1, name: "Alice Workspace" });
    expect(json.data.tables.map((t: any) => t.name)).toContain("customers");
    expect(json.data.task).toEqual([{ id: 1, name: "ctx_task", description: "nightly" }]);
    const only = await alice(`${W1}/context?format=json&include=function`);
    expect(Object.keys(only.data).sort()).toEqual(["function", "workspace"]);
    const yaml = await fetch(`${W1}/context?include=task`, { headers: { authorization: `Bearer ${ALICE_METADATA_TOKEN}` } });
    expect(yaml.headers.get("content-type")).toContain("text/yaml");
    expect(await yaml.text()).toContain('name: "ctx_task"');
    expectError(await alice(`${W1}/context?format=xml`), 400, "ERROR_CODE_INPUT_ERROR", "format");
    expectError(await alice(`${W1}/context?include=secrets`), 400, "ERROR_CODE_INPUT_ERROR", "include");
  });

  it("exports a workspace and imports it back, replacing its tables and logic", async () => {
    await xs(`${W1}/function`, "function exported {\n  stack {\n  }\n}\n");
    const exported = await fetch(`${W1}/export`, {
      method: "POST", headers: { authorization: `Bearer ${ALICE_METADATA_TOKEN}`, "content-type": "application/json" }, body: "{}",
    });
    expect(exported.headers.get("content-type")).toBe("application/octet-stream");
    expect(exported.headers.get("content-disposition")).toBe('attachment; filename="workspace-1-v1.xano"');
    const archive = await exported.arrayBuffer();

    await xs(`${W1}/function`, "function after_export {\n  stack {\n  }\n}\n");
    await alice(`${W1}/table/103`, { method: "DELETE" });
    const form = new FormData();
    form.append("file", new Blob([archive]), "workspace.xano");
    const imported = await alice(`${W1}/import`, { form });
    expect(imported.status).toBe(200);
    expect(imported.data).toMatchObject({ id: 1, name: "Alice Workspace", branch: { label: "v1" } });
    const names = (await alice(`${W1}/function?per_page=50`)).data.items.map((f: any) => f.name);
    expect(names).toContain("exported");
    expect(names).not.toContain("after_export");
    expect((await alice(`${W1}/table/103/content?per_page=1`)).data.itemsTotal).toBe(15);

    const junk = new FormData();
    junk.append("file", new Blob(["not an archive"]), "x.xano");
    expectError(await alice(`${W1}/import`, { form: junk }), 400, "ERROR_CODE_INPUT_ERROR", "file");
  });

  it("imports a schema into a new branch, optionally setting it live", async () => {
    const schema = await fetch(`${W2}/export-schema`, {
      method: "POST", headers: { authorization: `Bearer ${BOB_METADATA_TOKEN}`, "content-type": "application/json" }, body: "{}",
    });
    const bytes = await schema.arrayBuffer();
    const form = (label: string, live: boolean) => {
      const f = new FormData();
      f.append("file", new Blob([bytes]), "schema.xano");
      f.append("newbranch", label);
      f.append("setlive", String(live));
      return f;
    };
    expect((await bob(`${W2}/import-schema`, { form: form("staging", false) })).data).toMatchObject({ label: "staging", live: false });
    expect((await bob(`${W2}/import-schema`, { form: form("v2", true) })).data).toMatchObject({ label: "v2", live: true });
    expect((await bob(`${W2}/branch`)).data.filter((b: any) => b.live).map((b: any) => b.label)).toEqual(["v2"]);
    expectError(await bob(`${W2}/import-schema`, { form: form("v2", false) }), 400, "ERROR_CODE_INPUT_ERROR", "newbranch");
    expectError(await alice(`${W2}/import-schema`, { form: form("x", false) }), 404, "ERROR_CODE_NOT_FOUND");
  });

  it("serves the workspace-wide and per-endpoint OpenAPI documents", async () => {
    const all = await alice(`${W1}/openapi`);
    expect(all.data.openapi).toBe("3.0.0");
    // Alice's five endpoints over two groups; Bob's group is not in it.
    expect(Object.keys(all.data.paths)).toHaveLength(5);
    expect(all.data.paths["/api:shop1/products"]).toHaveProperty("get");
    expect(Object.keys(all.data.paths).some((p) => p.includes("tasks"))).toBe(false);
    const one = await alice(`${W1}/apigroup/1/api/1/openapi`);
    expect(Object.keys(one.data.paths)).toHaveLength(1);
    expectError(await alice(`${W1}/apigroup/1/api/4/openapi`), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await bob(`${W1}/openapi`), 404, "ERROR_CODE_NOT_FOUND");
  });

  it("sets security on API groups, endpoints and tables, and table autocomplete", async () => {
    const guid = (await alice(`${W1}/apigroup/2`)).data.guid;
    const group = await alice(`${W1}/apigroup/1/security`, { method: "PUT", json: { guid, canonical: "shop_v2" } });
    expect(group.data).toMatchObject({ id: 1, canonical: "shop_v2", security: { guid } });
    expectError(await alice(`${W1}/apigroup/1/security`, { method: "PUT", json: { guid } }), 400, "ERROR_CODE_INPUT_ERROR", "canonical");
    expect((await alice(`${W1}/apigroup/1/api/1/security`, { method: "PUT", json: { guid: "" } })).data.security).toEqual({ guid: "" });
    expect((await alice(`${W1}/table/101/security`, { method: "PUT", json: { guid } })).data).toMatchObject({ id: 101, security: { guid } });
    expectError(await alice(`${W1}/table/101/security`, { method: "PUT", json: { guid: "other" } }), 400, "ERROR_CODE_INPUT_ERROR", "guid");
    expect((await alice(`${W1}/table/101/autocomplete`, { method: "PUT", json: { autocomplete: [{ name: "email" }] } })).data).toEqual({ id: 101, autocomplete: [{ name: "email" }] });
    expectError(await alice(`${W1}/table/101/autocomplete`, { method: "PUT", json: { autocomplete: [{ name: "nope" }] } }), 400, "ERROR_CODE_INPUT_ERROR", "autocomplete");
    expectError(await bob(`${W1}/table/101/security`, { method: "PUT", json: { guid: "" } }), 404, "ERROR_CODE_NOT_FOUND");
  });

  it("deletes the records a search matches, and refuses an empty search", async () => {
    const r = await alice(`${W1}/table/103/content/search/delete`, { json: { search: { "id|<=": 3 } } });
    expect(r.data).toEqual({ success: ["1", "2", "3"], success_total: 3 }); // row ids as text, as the description types them
    expect((await alice(`${W1}/table/103/content?per_page=1`)).data.itemsTotal).toBe(12);
    expectError(await alice(`${W1}/table/103/content/search/delete`, { json: {} }), 400, "ERROR_CODE_INPUT_ERROR", "search");
  });
});

describe("conversion, MCP documentation and beta runs", () => {
  it("converts XanoScript statements to JSON and objects to XanoScript", async () => {
    const from = await xs(`${W1}/convert/fromXS`, "var $x1 {\n  value = 1\n}\nvar $x2 {\n  value = 2\n}\n");
    expect(from.data.statements).toEqual([{ keyword: "var", name: "$x1", line: 1 }, { keyword: "var", name: "$x2", line: 4 }]);
    const broken = await xs(`${W1}/convert/fromXS`, "var $x1 {\n  value = [1\n}\n");
    expectError(broken, 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
    expect(broken.data.payload.line).toBe(3);
    const to = await alice(`${W1}/convert/toXS?kind=function`, { json: { name: "made", description: "by toXS" } });
    expect(to.data.xanoscript).toMatch(/^function made \{\n {2}description = "by toXS"/);
    expect((await xs(`${W1}/function`, to.data.xanoscript)).status).toBe(200);
    expectError(await alice(`${W1}/convert/toXS`, { json: { name: "x" } }), 400, "ERROR_CODE_INPUT_ERROR", "kind");
    expectError(await alice(`${W1}/convert/toXS?kind=spell`, { json: { name: "x" } }), 400, "ERROR_CODE_INPUT_ERROR", "kind");
  });

  it("serves the MCP server documentation and the other beta operations", async () => {
    expect((await alice(`${META}/mcp_server/documentation`)).data.type).toBe("start");
    expectError(await alice(`${META}/mcp_server/documentation?type=poem`), 400, "ERROR_CODE_INPUT_ERROR", "type");
    const anon = await alice(`${META}/beta/workspace/1/anonymous/run`, { json: { xanoscript: 'function t {\n  response = "hi"\n}\n', input: {} } });
    expect(anon.data).toEqual({ response: "hi" });
    const anonBad = await alice(`${META}/beta/workspace/1/anonymous/run`, { json: { xanoscript: "function t {\n", input: {} } });
    expect(anonBad.data.payload).toEqual({ param: "xanoscript", line: 1, column: 12 });
    const multidoc = await alice(`${META}/beta/workspace/1/multidoc`);
    expect(multidoc.data.multidoc).toContain("function calculate_total {");
    const job = await xs(`${META}/beta/ephemeral/job`, 'run.job testjob {\n  main = {name: "testjob"}\n}\n---\nfunction testjob {\n  stack {\n  }\n  response = 1\n}\n');
    expect(job.data).toMatchObject({ job: "testjob", documents: 2 });
    const badJob = await xs(`${META}/beta/ephemeral/job`, "run.job testjob {\n}\n---\nfunction testjob {\n  stack {\n}\n");
    expect(badJob.data.payload).toMatchObject({ line: 4, column: 18 });
    expect((await xs(`${META}/beta/ephemeral/service`, "workspace svc {\n}\n---\napi_group hello {\n  canonical = \"hello\"\n}\n")).data).toMatchObject({ service: "svc" });
    expect((await alice(`${META}/beta/ephemeral/cleanup`, { method: "POST" })).data).toEqual({});
  });
});

// Xano's description, where the clone has it beside it (../shared/xano-meta-api); absent elsewhere.
const DESCRIPTION = import.meta.glob("../../shared/xano-meta-api/openapi/*.json", { eager: true, import: "default" }) as Record<string, any>;
const describedOperations = Object.values(DESCRIPTION).flatMap((doc) =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op }))),
);

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

describe("table updates", () => {
  it("updates a table from JSON fields, replacing its schema and indexes", async () => {
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
  });

  it("updates a table from XanoScript, keeping the fields it still names, and names the line of a bad type", async () => {
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
  });

  it("creates a table from XanoScript and answers tables as XanoScript when asked", async () => {
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
  });

  it("replaces every index with PUT …/index", async () => {
    const r = await alice(`${W1}/table/101/index`, { method: "PUT", json: { index: [{ type: "unique", fields: [{ name: "email" }] }] } });
    expect(r.status).toBe(200);
    expect(r.data).toEqual([expect.objectContaining({ type: "unique", fields: [{ name: "email", op: "asc" }] })]);
    expect((await alice(`${W1}/table/101/index`, { method: "PUT", json: { index: [] } })).data).toEqual([]);
    expectError(await alice(`${W1}/table/101/index`, { method: "PUT", json: {} }), 400, "ERROR_CODE_INPUT_ERROR", "index");
  });
});

describe("API endpoints in XanoScript (over the older endpoint routes)", () => {
  const API = `${W1}/apigroup/1/api`;
  const endpoint = (name: string, fn = "calculate_total") =>
    `query ${name} verb=GET {\n  description = "totals"\n  input {\n    int order_id\n  }\n  stack {\n    function.run "${fn}" {\n      input = {order_id: $input.order_id}\n    } as $total\n  }\n  response = $total\n}\n`;

  it("creates an endpoint whose logic calls a function, and reads its script back", async () => {
    const created = await xs(`${API}?include_xanoscript=true`, endpoint("order_total"));
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({ id: 7, name: "order_total", verb: "GET", description: "totals" });
    expect(created.data.xanoscript).toEqual({ status: "ok", value: endpoint("order_total"), message: "" });
    expect((await alice(`${API}/7?include_xanoscript=true`)).data.xanoscript.value).toBe(endpoint("order_total"));
    expect((await alice(`${API}/7`)).data.xanoscript).toBeUndefined();
    const listed = await alice(`${API}?include_xanoscript=true&per_page=50`);
    const seeded = listed.data.items.find((a: any) => a.id === 1);
    expect(seeded.xanoscript.value).toMatch(/^query products verb=GET \{/);
    // JSON bodies still go to the older handler.
    expect((await alice(API, { json: { name: "plain", verb: "POST", description: "d" } })).status).toBe(200);
  });

  it("refuses a call to a function that does not exist, naming the line, and a query without a verb", async () => {
    const r = await xs(API, endpoint("bad_call", "no_such_function"));
    expectError(r, 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
    expect(r.data.payload).toEqual({ param: "xanoscript", line: 7, column: 5 });
    expect(r.data.message).toContain('"no_such_function"');
    const noVerb = await xs(API, "query nothing {\n  stack {\n  }\n}\n");
    expect(noVerb.data.message).toContain("needs verb=");
    expect((await xs(API, endpoint("dup"))).status).toBe(200);
    expectError(await xs(API, endpoint("dup")), 400, "ERROR_CODE_INPUT_ERROR", "name");
  });

  it("keeps an endpoint draft apart until published, and hides other users' endpoints", async () => {
    const created = await xs(API, endpoint("drafted"));
    const item = `${API}/${created.data.id}`;
    const v2 = endpoint("drafted_v2");
    expect((await xs(`${item}?publish=false`, v2, "PUT")).data.name).toBe("drafted_v2");
    expect((await alice(item)).data.name).toBe("drafted");
    expect((await alice(`${item}?include_draft=true&include_xanoscript=true`)).data).toMatchObject({ name: "drafted_v2", xanoscript: { value: v2 } });
    expect((await xs(item, v2, "PUT")).data.name).toBe("drafted_v2");
    expect((await alice(`${item}?include_xanoscript=true`)).data.xanoscript.value).toBe(v2);
    expectError(await xs(item, v2, "PUT", BOB_METADATA_TOKEN), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await xs(`${W1}/apigroup/3/api`, endpoint("x"), "POST"), 404, "ERROR_CODE_NOT_FOUND");
  });

  it("creates and updates API groups from XanoScript, and reads them back as XanoScript", async () => {
    const script = 'api_group billing {\n  description = "invoices"\n  canonical = "billing"\n  swagger = {active: false}\n  tags = ["money"]\n}\n';
    const created = await xs(`${W1}/apigroup?include_xanoscript=true`, script);
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({ id: 4, name: "billing", canonical: "billing", swagger: false, description: "invoices", tag: ["money"] });
    expect(created.data.xanoscript.value).toBe(script);
    const updated = await xs(`${W1}/apigroup/4`, 'api_group billing_v2 {\n  swagger = {active: true}\n}\n', "PUT");
    expect(updated.data).toMatchObject({ name: "billing_v2", canonical: "billing", swagger: true });
    expect((await alice(`${W1}/apigroup/1?include_xanoscript=true`)).data.xanoscript.value).toMatch(/^api_group shop \{\n[\s\S]*\n {2}canonical = "shop1"\n/);
    expect((await alice(`${W1}/apigroup?include_xanoscript=true`)).data.items.every((g: any) => g.xanoscript.status === "ok")).toBe(true);
    expectError(await xs(`${W1}/apigroup`, 'api_group other {\n  canonical = "billing"\n}\n'), 400, "ERROR_CODE_INPUT_ERROR", "canonical");
    expectError(await xs(`${W1}/apigroup`, "api_group shop {\n}\n"), 400, "ERROR_CODE_INPUT_ERROR", "name");
    expectError(await xs(`${W1}/apigroup`, "query shop verb=GET {\n}\n"), 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
    expectError(await xs(`${W1}/apigroup/4`, "api_group x {\n}\n", "PUT", BOB_METADATA_TOKEN), 404, "ERROR_CODE_NOT_FOUND");
  });

  it("checks function.run in every kind of script", async () => {
    const r = await xs(`${W1}/task`, 'task calls {\n  stack {\n    function.run "ghost" {\n    } as $x\n  }\n}\n');
    expect(r.data.payload).toEqual({ param: "xanoscript", line: 3, column: 5 });
    expect((await xs(`${W1}/task`, 'task calls {\n  stack {\n    function.run "send_receipt" {\n    } as $x\n  }\n}\n')).status).toBe(200);
  });
});

describe("robustness of the served operations", () => {
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
        const res = await fetch(`${META}${path}${query}`, {
          method: op.method, body: b?.body, headers: { authorization: `Bearer ${ALICE_METADATA_TOKEN}`, ...(b ? { "content-type": b.type } : {}) },
        });
        if (res.status >= 500) failures.push(`${op.method} ${op.path} [${b?.type ?? "no body"}] → ${res.status} ${await res.text()}`);
        else await res.arrayBuffer();
      }
    }
    expect(failures).toEqual([]);
  });
});
