// Contract cases: workspace-wide operations: branches, data sources, schema export and import, realtime, static
// hosting, context, export/import, OpenAPI documents, security, search-delete.
// Plain data over fetch (tests/contract/target.ts); the demo seed's values are in fake-xano/README.md.
import { expect } from "vitest";
import { demoCase } from "../demo";
import type { ContractCase } from "../target";
import { SCRIPTS } from "../xanoscript-kinds";

export const workspaceCases: ContractCase[] = [
  demoCase("branches", "lists a workspace's branches as a bare array and deletes a non-live one", async (d) => {
    const { bob, expectError, W2 } = d;
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
  }),
  demoCase("branches", "refuses to delete the live branch, and hides other users' branches", async (d) => {
    const { alice, bob, expectError, W2 } = d;
    expectError(await bob(`${W2}/branch/v1`, { method: "DELETE" }), 400, "ERROR_CODE_INPUT_ERROR", "branch_label");
    // (That the default branch stays even when another one is live needs a seed of its own: tests/node/fake-xano.test.ts.)
    expect((await bob(`${W2}/branch`)).data).toHaveLength(2);
    expectError(await alice(`${W2}/branch`), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await alice(`${W2}/branch/dev`, { method: "DELETE" }), 404, "ERROR_CODE_NOT_FOUND");
    expect((await bob(`${W2}/branch`)).data).toHaveLength(2);
  }),
  demoCase("branches", "answers the data sources as a bare array of {label, color}", async (d) => {
    const { bob, expectError, META, W2 } = d;
    expect((await bob(`${W2}/datasource`)).data).toEqual([{ label: "live", color: expect.stringMatching(/^#[0-9a-f]{6}$/) }]);
    expectError(await bob(`${META}/workspace/99/datasource`), 404, "ERROR_CODE_NOT_FOUND");
  }, { readOnly: true }),
  demoCase("schema export", "answers a binary file of the branch's tables, live branch by default", async (d) => {
    const { alice, bob, expectError, W2, BOB_TOKEN, fetch } = d;
    const r = await fetch(`${W2}/export-schema`, {
      method: "POST",
      headers: { authorization: `Bearer ${BOB_TOKEN}`, "content-type": "application/json" },
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
  }, { readOnly: true }),
  demoCase("workspace operations", "creates, recolours and deletes data sources; live stays", async (d) => {
    const { alice, bob, expectError, W1 } = d;
    expect((await alice(`${W1}/datasource`, { json: { label: "test", color: "#112233" } })).data).toEqual({ color: "#112233", label: "test" });
    expect((await alice(`${W1}/datasource`)).data).toEqual([{ label: "live", color: "#ebc346" }, { label: "test", color: "#112233" }]);
    expect((await alice(`${W1}/datasource/test`, { method: "PUT", json: { color: "#445566" } })).data).toEqual({ color: "#445566", label: "test" });
    expectError(await alice(`${W1}/datasource`, { json: { label: "test" } }), 400, "ERROR_CODE_INPUT_ERROR", "label");
    expectError(await alice(`${W1}/datasource`, { json: { label: "x", color: "red" } }), 400, "ERROR_CODE_INPUT_ERROR", "color");
    expectError(await alice(`${W1}/datasource/live`, { method: "DELETE" }), 400, "ERROR_CODE_INPUT_ERROR", "label");
    expect((await alice(`${W1}/datasource/test`, { method: "DELETE" })).data).toEqual({});
    expectError(await alice(`${W1}/datasource/test`, { method: "DELETE" }), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await bob(`${W1}/datasource`, { json: { label: "mine" } }), 404, "ERROR_CODE_NOT_FOUND");
  }),
  demoCase("workspace operations", "reads and updates realtime settings", async (d) => {
    const { alice, bob, expectError, W1, W2 } = d;
    expect((await alice(`${W1}/realtime`)).data).toEqual({ enabled: false, hash: "realtime-1", channels: [] });
    const put = await alice(`${W1}/realtime`, { method: "PUT", json: { enabled: true, channels: [{ id: 1, pattern: "room/*", enabled: true }] } });
    expect(put.data).toEqual({ enabled: true, hash: "realtime-1", channels: [{ id: 1, pattern: "room/*", enabled: true }] });
    expectError(await alice(`${W1}/realtime`, { method: "PUT", json: { enabled: "yes" } }), 400, "ERROR_CODE_INPUT_ERROR", "enabled");
    expect((await bob(`${W2}/realtime`)).data.enabled).toBe(false);
  }),
  demoCase("workspace operations", "uploads static host builds, lists, deploys and deletes them", async (d) => {
    const { alice, bob, expectError, W1, W2 } = d;
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
  }),
  demoCase("workspace operations", "answers the workspace context as YAML by default or JSON, limited by include", async (d) => {
    const { alice, xs, expectError, W1, ALICE_TOKEN, fetch } = d;
    await xs(`${W1}/task`, SCRIPTS.task.script("ctx_task"));
    const json = await alice(`${W1}/context?format=json`);
    expect(json.data.workspace).toMatchObject({ id: 1, name: "Alice Workspace" });
    expect(json.data.tables.map((t: any) => t.name)).toContain("customers");
    expect(json.data.task).toEqual([{ id: 1, name: "ctx_task", description: "nightly" }]);
    const only = await alice(`${W1}/context?format=json&include=function`);
    expect(Object.keys(only.data).sort()).toEqual(["function", "workspace"]);
    const yaml = await fetch(`${W1}/context?include=task`, { headers: { authorization: `Bearer ${ALICE_TOKEN}` } });
    expect(yaml.headers.get("content-type")).toContain("text/yaml");
    expect(await yaml.text()).toContain('name: "ctx_task"');
    expectError(await alice(`${W1}/context?format=xml`), 400, "ERROR_CODE_INPUT_ERROR", "format");
    expectError(await alice(`${W1}/context?include=secrets`), 400, "ERROR_CODE_INPUT_ERROR", "include");
  }),
  demoCase("workspace operations", "exports a workspace and imports it back, replacing its tables and logic", async (d) => {
    const { alice, xs, expectError, W1, ALICE_TOKEN, fetch } = d;
    await xs(`${W1}/function`, "function exported {\n  stack {\n  }\n}\n");
    const exported = await fetch(`${W1}/export`, {
      method: "POST", headers: { authorization: `Bearer ${ALICE_TOKEN}`, "content-type": "application/json" }, body: "{}",
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
  }),
  demoCase("workspace operations", "imports a schema into a new branch, optionally setting it live", async (d) => {
    const { alice, bob, expectError, W2, BOB_TOKEN, fetch } = d;
    const schema = await fetch(`${W2}/export-schema`, {
      method: "POST", headers: { authorization: `Bearer ${BOB_TOKEN}`, "content-type": "application/json" }, body: "{}",
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
  }),
  demoCase("workspace operations", "serves the workspace-wide and per-endpoint OpenAPI documents", async (d) => {
    const { alice, bob, expectError, W1 } = d;
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
  }),
  demoCase("workspace operations", "sets security on API groups, endpoints and tables, and table autocomplete", async (d) => {
    const { alice, bob, expectError, W1 } = d;
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
  }),
  demoCase("workspace operations", "deletes the records a search matches, and refuses an empty search", async (d) => {
    const { alice, expectError, W1 } = d;
    const r = await alice(`${W1}/table/103/content/search/delete`, { json: { search: { "id|<=": 3 } } });
    expect(r.data).toEqual({ success: ["1", "2", "3"], success_total: 3 }); // row ids as text, as the description types them
    expect((await alice(`${W1}/table/103/content?per_page=1`)).data.itemsTotal).toBe(12);
    expectError(await alice(`${W1}/table/103/content/search/delete`, { json: {} }), 400, "ERROR_CODE_INPUT_ERROR", "search");
  }),
];
