// Contract cases: run history and audit logs, conversion and beta runs, API endpoints and groups in XanoScript.
// Plain data over fetch (tests/contract/target.ts); the demo seed's values are in fake-xano/README.md.
import { expect } from "vitest";
import { demoCase } from "../demo";
import type { ContractCase } from "../target";
import { SCRIPTS } from "../xanoscript-kinds";

/** An endpoint of Alice's API group 1 in XanoScript, whose logic calls a function. */
const endpoint = (name: string, fn = "calculate_total") =>
  `query ${name} verb=GET {\n  description = "totals"\n  input {\n    int order_id\n  }\n  stack {\n    function.run "${fn}" {\n      input = {order_id: $input.order_id}\n    } as $total\n  }\n  response = $total\n}\n`;

export const logicRunCases: ContractCase[] = [
  demoCase("run history and audit logs", "records a function run in the function history, and pages, filters and searches it", async (d) => {
    const { alice, bob, xs, expectError, META, W1 } = d;
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
  }),
  demoCase("run history and audit logs", "serves the middleware, task, trigger and tool histories with their own id filters", async (d) => {
    const { alice, W1 } = d;
    for (const [path, id] of [["middleware_history", "middleware_id"], ["task_history", "task_id"], ["trigger_history", "trigger_id"], ["tool_history", "tool_id"]]) {
      const r = await alice(`${W1}/${path}?${id}=1`);
      expect(r.status).toBe(200);
      expect(r.data).toEqual({ curPage: 1, nextPage: null, prevPage: null, items: [] });
      expect((await alice(`${W1}/${path}/search`, { json: { [id]: 1 } })).status).toBe(200);
    }
  }),
  demoCase("run history and audit logs", "logs every change in the workspace audit log, newest first, data only when asked; the instance log spans the caller's workspaces", async (d) => {
    const { alice, bob, xs, expectError, META, W1, W2, BOB_TOKEN } = d;
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

    await xs(`${W2}/task`, SCRIPTS.task.script("bobs"), "POST", BOB_TOKEN);
    expect((await alice(`${META}/audit_log`)).data.itemsTotal).toBe(3);
    expect((await bob(`${META}/audit_log`)).data.items.map((e: any) => e.type)).toEqual(["task.create"]);
    expect((await bob(`${META}/audit_log/search`, { json: { search: { "workspace_id": 1 } } })).data.items).toEqual([]);
    expectError(await bob(`${W1}/audit_log`), 404, "ERROR_CODE_NOT_FOUND");
  }),
  demoCase("conversion, MCP documentation and beta runs", "converts XanoScript statements to JSON and objects to XanoScript", async (d) => {
    const { alice, xs, expectError, W1 } = d;
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
  }),
  demoCase("conversion, MCP documentation and beta runs", "serves the MCP server documentation and the other beta operations", async (d) => {
    const { alice, xs, expectError, META } = d;
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
  }),
  demoCase("API endpoints in XanoScript (over the older endpoint routes)", "creates an endpoint whose logic calls a function, and reads its script back", async (d) => {
    const { alice, xs } = d;
    const API = `${d.W1}/apigroup/1/api`;
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
  }),
  demoCase("API endpoints in XanoScript (over the older endpoint routes)", "refuses a call to a function that does not exist, naming the line, and a query without a verb", async (d) => {
    const { xs, expectError } = d;
    const API = `${d.W1}/apigroup/1/api`;
    const r = await xs(API, endpoint("bad_call", "no_such_function"));
    expectError(r, 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
    expect(r.data.payload).toEqual({ param: "xanoscript", line: 7, column: 5 });
    expect(r.data.message).toContain('"no_such_function"');
    const noVerb = await xs(API, "query nothing {\n  stack {\n  }\n}\n");
    expect(noVerb.data.message).toContain("needs verb=");
    expect((await xs(API, endpoint("dup"))).status).toBe(200);
    expectError(await xs(API, endpoint("dup")), 400, "ERROR_CODE_INPUT_ERROR", "name");
  }),
  demoCase("API endpoints in XanoScript (over the older endpoint routes)", "keeps an endpoint draft apart until published, and hides other users' endpoints", async (d) => {
    const { alice, xs, expectError, W1, BOB_TOKEN } = d;
    const API = `${d.W1}/apigroup/1/api`;
    const created = await xs(API, endpoint("drafted"));
    const item = `${API}/${created.data.id}`;
    const v2 = endpoint("drafted_v2");
    expect((await xs(`${item}?publish=false`, v2, "PUT")).data.name).toBe("drafted_v2");
    expect((await alice(item)).data.name).toBe("drafted");
    expect((await alice(`${item}?include_draft=true&include_xanoscript=true`)).data).toMatchObject({ name: "drafted_v2", xanoscript: { value: v2 } });
    expect((await xs(item, v2, "PUT")).data.name).toBe("drafted_v2");
    expect((await alice(`${item}?include_xanoscript=true`)).data.xanoscript.value).toBe(v2);
    expectError(await xs(item, v2, "PUT", BOB_TOKEN), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await xs(`${W1}/apigroup/3/api`, endpoint("x"), "POST"), 404, "ERROR_CODE_NOT_FOUND");
  }),
  demoCase("API endpoints in XanoScript (over the older endpoint routes)", "creates and updates API groups from XanoScript, and reads them back as XanoScript", async (d) => {
    const { alice, xs, expectError, W1, BOB_TOKEN } = d;
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
    expectError(await xs(`${W1}/apigroup/4`, "api_group x {\n}\n", "PUT", BOB_TOKEN), 404, "ERROR_CODE_NOT_FOUND");
  }),
  demoCase("API endpoints in XanoScript (over the older endpoint routes)", "checks function.run in every kind of script", async (d) => {
    const { xs, W1 } = d;
    const r = await xs(`${W1}/task`, 'task calls {\n  stack {\n    function.run "ghost" {\n    } as $x\n  }\n}\n');
    expect(r.data.payload).toEqual({ param: "xanoscript", line: 3, column: 5 });
    expect((await xs(`${W1}/task`, 'task calls {\n  stack {\n    function.run "send_receipt" {\n    } as $x\n  }\n}\n')).status).toBe(200);
  }),
];
