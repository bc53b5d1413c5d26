// Contract cases: XanoScript objects of every kind (functions, tasks, triggers, agents, tools, MCP servers,
// channels, workflow tests): create, check, update, drafts, lists, privacy, security.
// Plain data over fetch (tests/contract/target.ts); the demo seed's values are in fake-xano/README.md.
import { expect } from "vitest";
import { demoCase } from "../demo";
import type { ContractCase } from "../target";
import { SCRIPTS } from "../xanoscript-kinds";

export const logicObjectCases: ContractCase[] = [
  demoCase("XanoScript objects: tenancy across instances", "an object of Alice's shared-instance workspace is not reachable with her sandbox instance's token", async (d) => {
    const { xs, call, expectError, W1, ALICE_SANDBOX_TOKEN } = d;
    const created = await xs(`${W1}/function`, SCRIPTS.function.script("shared_only"));
    const sandbox = `${d.SANDBOX}/api:meta/workspace`;
    const r = await call(`${sandbox}/1/function/${created.data.id}`, { token: ALICE_SANDBOX_TOKEN });
    expectError(r, 404, "ERROR_CODE_NOT_FOUND");
    // On the sandbox instance, her workspace 3 has its own (empty) set of functions.
    expect((await call(`${sandbox}/3/function`, { token: ALICE_SANDBOX_TOKEN })).data.items).toEqual([]);
    // And the shared instance refuses the sandbox token outright.
    expectError(await call(`${W1}/function`, { token: ALICE_SANDBOX_TOKEN }), 401, "ERROR_CODE_UNAUTHORIZED");
  }, { needs: ["otherInstance"] }),
  demoCase("XanoScript objects: kind-specific behaviour", "serves the seeded functions with a generated script, and creates functions from JSON too", async (d) => {
    const { alice, expectError, W1 } = d;
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
  }),
  demoCase("XanoScript objects: kind-specific behaviour", "derives settings from the script: task active/datasource, trigger actions, agent llm, tool instructions", async (d) => {
    const { xs, W1 } = d;
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
  }),
  demoCase("XanoScript objects: kind-specific behaviour", "refuses a trigger whose table, agent, MCP server or channel does not exist, naming the line", async (d) => {
    const { xs, expectError, W1 } = d;
    const r = await xs(`${W1}/table/trigger`, `table_trigger t {\n  stack {\n  }\n  table = "nope"\n}\n`);
    expectError(r, 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
    expect(r.data.payload.line).toBe(4);
    expect(r.data.message).toContain('table "nope" does not exist');
    // Bob's table is not Alice's.
    expectError(await xs(`${W1}/table/trigger`, `table_trigger t {\n  table = "tasks"\n}\n`), 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
    expectError(await xs(`${W1}/agent/trigger`, SCRIPTS.agent_trigger.script("a")), 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
    expectError(await xs(`${W1}/mcp_server/trigger`, SCRIPTS.mcp_server_trigger.script("m")), 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
    expectError(await xs(`${W1}/realtime/channel/trigger`, SCRIPTS.realtime_trigger.script("r")), 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
  }),
  demoCase("XanoScript objects: kind-specific behaviour", "accepts the description's own XanoScript example of every kind", async (d) => {
    const { xs, W1 } = d;
    // The examples quoted from ../shared/xano-meta-api (trimmed to what the checker reads).
    const examples: Record<string, string> = {
      function: 'function foo {\n  input {\n    int score\n  }\n  stack {\n    var $x1 {\n      value = $input.score + 1\n    }\n  }\n  response = $x1\n}\n',
      realtime_channel: 'realtime_channel foo {\n  public_messaging = {active: false}\n  private_messaging = {active: false}\n  settings = {\n    anonymous_clients: false\n    nested_channels  : false\n    message_history  : 0\n    auth_channel     : false\n    presence         : false\n  }\n}\n',
      task: 'task foo {\n  stack {\n    var $x1 {\n      value = 1\n    }\n  }\n  schedule = [{starts_on: 2025-10-28 18:03:58+0000, freq: 900}]\n}\n',
    };
    expect((await xs(`${W1}/function`, examples.function)).status).toBe(200);
    expect((await xs(`${W1}/realtime/channel`, examples.realtime_channel)).data).toEqual({ id: 1, name: "foo", active: true });
    expect((await xs(`${W1}/task`, examples.task)).status).toBe(200);
  }),
];
