// Contract tests of fake-xano's XanoScript objects and the other operations added for issue 13
// (functions, middleware, addons, tasks, triggers, agents, tools, MCP servers, realtime, workflow
// tests, audit logs, run history, data sources, static hosting, workspace operations, conversion,
// beta runs), through real `fetch` intercepted by msw inside workerd. Shapes follow Xano's own
// description in ../shared/xano-meta-api/; what the fake decides beyond it is in fake-xano/README.md.

import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeXano, SERVED_OPERATIONS } from "../fake-xano/index";
import { LOGIC_KINDS } from "../fake-xano/logic-kinds";
import { startFakeXanoNetwork } from "../fake-xano/msw";
import { callFake } from "./harness/fake-xano-call";
import { ALICE_METADATA_TOKEN, BOB_METADATA_TOKEN } from "../fixtures/seed";

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
  it("exports every served operation in the description's spelling", () => {
    const keys = SERVED_OPERATIONS.map((o) => `${o.method} ${o.path}`);
    expect(keys).toContain("GET /workspace/{workspace_id}/function/{function_id}");
    expect(keys).toContain("PUT /workspace/{workspace_id}/realtime/channel/trigger/{trigger_id}/security");
    expect(keys).toContain("DELETE /workspace/{workspace_id}/table/{table_id}/content/{content_id}");
    expect(new Set(keys).size).toBe(keys.length);
  });
});
