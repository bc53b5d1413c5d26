// Contract cases for any Xano instance: they assume nothing of the demo seed, only a token and a
// workspace (the target's, or the first the token lists) with at least one table, so they are the ones
// `npm run contract` runs against a real instance. The read-only cases send GETs and searches only; the
// write cases create objects named `contract_check_<random>` and delete them before they finish,
// whether they pass or fail.
import { expect } from "vitest";
import { caller, expectError, type Call } from "../http";
import type { ContractCase, ContractTarget } from "../target";

const LIST_KEYS = ["curPage", "items", "nextPage", "prevPage"];
const CONTENT_KEYS = ["curPage", "items", "itemsReceived", "itemsTotal", "nextPage", "offset", "pageTotal", "perPage", "prevPage"];

interface Ctx {
  target: ContractTarget;
  call: Call;
  /** The Meta API with the target's token. */
  meta: Call;
  /** `${metaUrl}/workspace/${id}`. */
  ws: string;
}

async function context(target: ContractTarget, fetch: typeof globalThis.fetch): Promise<Ctx> {
  const call = caller(fetch);
  const meta: Call = (path, o = {}) => call(`${target.metaUrl}${path}`, { token: target.token, ...o });
  let id = target.seed.workspaceId;
  if (id === undefined) {
    const list = await meta("/workspace");
    expect(list.status, "GET /workspace").toBe(200);
    expect(list.data.length, "the token lists no workspace").toBeGreaterThan(0);
    id = list.data[0].id as number;
  }
  return { target, call, meta, ws: `/workspace/${id}` };
}

/** The target's table, or the workspace's first one. */
async function someTable({ target, meta, ws }: Ctx): Promise<number> {
  if (target.seed.tableId !== undefined) return target.seed.tableId;
  const list = await meta(`${ws}/table?per_page=1`);
  const id = list.data?.[0]?.items?.[0]?.id;
  expect(id, `${ws} has no table to read`).toBeTypeOf("number");
  return id;
}

const uniqueName = () => `contract_check_${crypto.randomUUID().slice(0, 8)}`;

function check(area: string, name: string, readOnly: boolean, body: (c: Ctx) => Promise<void>, needs: ContractCase["needs"] = []): ContractCase {
  return { area: `any instance: ${area}`, name, readOnly, needs, run: async (target, fetch) => body(await context(target, fetch)) };
}

export const anyInstanceCases: ContractCase[] = [
  check("identity", "answers /auth/me and a bare array of workspaces {id, name, description, branch}", true, async ({ meta, ws }) => {
    const me = await meta("/auth/me");
    expect(me.status).toBe(200);
    expect(me.data).toMatchObject({ id: expect.anything(), name: expect.any(String), email: expect.any(String) });
    const list = await meta("/workspace");
    expect(Array.isArray(list.data)).toBe(true);
    for (const w of list.data) expect(w).toMatchObject({ id: expect.any(Number), name: expect.any(String), description: expect.any(String) });
    const one = await meta(ws);
    expect(one.status).toBe(200);
    expect(`/workspace/${one.data.id}`).toBe(ws);
  }),

  check("identity", "answers 401 with the error envelope for a missing or unknown token, 404 for an unknown workspace", true, async ({ target, call, meta }) => {
    expectError(await call(`${target.metaUrl}/workspace`), 401, "ERROR_CODE_UNAUTHORIZED");
    expectError(await call(`${target.metaUrl}/workspace`, { token: "contract-check-not-a-token" }), 401, "ERROR_CODE_UNAUTHORIZED");
    expectError(await meta("/workspace/987654321"), 404, "ERROR_CODE_NOT_FOUND");
  }),

  check("identity", "lists the instance on the account API with this Meta API as its meta_api", true, async ({ target, call }) => {
    const me = await call(`${target.accountUrl}/api:meta/auth/me`, { token: target.token });
    expect(me.data).toMatchObject({ id: expect.anything(), email: expect.any(String) });
    const instances = await call(`${target.accountUrl}/api:meta/instance`, { token: target.token });
    expect(Array.isArray(instances.data)).toBe(true);
    expect(instances.data.map((i: any) => i.meta_api)).toContain(target.metaUrl);
  }, ["account"]),

  check("workspace", "lists branches {label, backup, live, created_at} with exactly one live, and data sources {label, color} with live", true, async ({ meta, ws }) => {
    const branches = await meta(`${ws}/branch`);
    expect(Array.isArray(branches.data)).toBe(true);
    for (const b of branches.data) expect(b).toMatchObject({ label: expect.any(String), live: expect.any(Boolean), created_at: expect.anything() });
    expect(branches.data.filter((b: any) => b.live)).toHaveLength(1);
    const sources = await meta(`${ws}/datasource`);
    expect(sources.data.map((s: any) => s.label)).toContain("live");
    for (const s of sources.data) expect(Object.keys(s).sort()).toEqual(["color", "label"]);
  }),

  check("tables", "pages the table list as one {curPage, nextPage, prevPage, items} in an array, and refuses page 0 naming it", true, async ({ meta, ws }) => {
    const first = await meta(`${ws}/table?page=1&per_page=1`);
    expect(first.status).toBe(200);
    expect(first.data).toHaveLength(1);
    expect(Object.keys(first.data[0]).sort()).toEqual(LIST_KEYS);
    expect(first.data[0]).toMatchObject({ curPage: 1, prevPage: null });
    expect(first.data[0].items.length).toBeLessThanOrEqual(1);
    if (first.data[0].nextPage !== null) {
      const second = await meta(`${ws}/table?page=2&per_page=1`);
      expect(second.data[0]).toMatchObject({ curPage: 2, prevPage: 1 });
      expect(second.data[0].items[0]?.id).not.toBe(first.data[0].items[0].id);
    }
    expectError(await meta(`${ws}/table?page=0`), 400, "ERROR_CODE_INPUT_ERROR", "page");
  }),

  check("tables", "answers a table with its schema (id first) and index list; …/schema and …/index agree with it", true, async (c) => {
    const t = await someTable(c);
    const table = await c.meta(`${c.ws}/table/${t}`);
    expect(table.status).toBe(200);
    expect(table.data).toMatchObject({ id: t, name: expect.any(String) });
    const schema = await c.meta(`${c.ws}/table/${t}/schema`);
    expect(Array.isArray(schema.data)).toBe(true);
    expect(schema.data[0]).toMatchObject({ name: "id", type: expect.any(String) });
    expect(schema.data.map((f: any) => f.name)).toEqual(table.data.schema.map((f: any) => f.name));
    const index = await c.meta(`${c.ws}/table/${t}/index`);
    expect(Array.isArray(index.data)).toBe(true);
    expectError(await c.meta(`${c.ws}/table/${t}/schema/contract_check_no_such_field`), 404, "ERROR_CODE_NOT_FOUND");
  }),

  check("content", "browses records with the content envelope and consistent paging arithmetic, and searches with the same envelope", true, async (c) => {
    const t = await someTable(c);
    const page = await c.meta(`${c.ws}/table/${t}/content?page=1&per_page=2`);
    expect(page.status).toBe(200);
    expect(Object.keys(page.data).sort()).toEqual(CONTENT_KEYS);
    const { items, itemsReceived, itemsTotal, pageTotal, perPage, offset, curPage, prevPage } = page.data;
    expect([curPage, prevPage, perPage, offset]).toEqual([1, null, 2, 0]);
    expect(itemsReceived).toBe(items.length);
    expect(items.length).toBeLessThanOrEqual(2);
    expect(pageTotal).toBe(Math.ceil(itemsTotal / 2));
    const searched = await c.meta(`${c.ws}/table/${t}/content/search`, { json: { page: 1, per_page: 2, search: {}, sort: {} } });
    expect(searched.status).toBe(200);
    expect(Object.keys(searched.data).sort()).toEqual(CONTENT_KEYS);
    expect(searched.data.itemsTotal).toBe(itemsTotal);
    expectError(await c.meta(`${c.ws}/table/${t}/content?per_page=0`), 400, "ERROR_CODE_INPUT_ERROR");
  }),

  check("lists", "answers files, API groups, functions and request history as {curPage, nextPage, prevPage, items}", true, async ({ meta, ws }) => {
    for (const path of ["file", "apigroup", "function", "request_history"]) {
      const r = await meta(`${ws}/${path}?page=1&per_page=1`);
      expect(r.status, path).toBe(200);
      expect(Object.keys(r.data).sort(), path).toEqual(LIST_KEYS);
      expect(r.data.curPage, path).toBe(1);
    }
  }),

  check("tables", "creates a table, renames it with PUT /workspace/{w}/table/{t}, adds a field and a record, and deletes it", false, async ({ meta, ws }) => {
    const name = uniqueName();
    const created = await meta(`${ws}/table`, { json: { name, description: "created by the contract check" } });
    expect(created.status, JSON.stringify(created.data)).toBe(200);
    const url = `${ws}/table/${created.data.id}`;
    try {
      expect(created.data).toMatchObject({ id: expect.any(Number), name });
      const updated = await meta(url, { method: "PUT", json: { name: `${name}_renamed`, description: "renamed" } });
      expect(updated.status, JSON.stringify(updated.data)).toBe(200);
      expect((await meta(url)).data).toMatchObject({ name: `${name}_renamed`, description: "renamed" });
      expect((await meta(`${url}/schema/type/text`, { json: { name: "note", nullable: true } })).status).toBe(200);
      const record = await meta(`${url}/content`, { json: { note: "hello" } });
      expect(record.status, JSON.stringify(record.data)).toBe(200);
      expect((await meta(`${url}/content/${record.data.id}`)).data.note).toBe("hello");
    } finally {
      expect((await meta(url, { method: "DELETE" })).status).toBe(200);
    }
    expectError(await meta(url), 404, "ERROR_CODE_NOT_FOUND");
  }),

  check("API groups", "creates an API group and an endpoint in it, reads them back, and deletes both", false, async ({ meta, ws }) => {
    const name = uniqueName();
    const group = await meta(`${ws}/apigroup`, { json: { name, description: "created by the contract check", swagger: false } });
    expect(group.status, JSON.stringify(group.data)).toBe(200);
    const url = `${ws}/apigroup/${group.data.id}`;
    try {
      const endpoint = await meta(`${url}/api`, { json: { name: "check", verb: "GET", description: "contract check" } });
      expect(endpoint.status, JSON.stringify(endpoint.data)).toBe(200);
      expect((await meta(`${url}/api/${endpoint.data.id}`)).data).toMatchObject({ name: "check", verb: "GET" });
      expect((await meta(`${url}/api/${endpoint.data.id}`, { method: "DELETE" })).status).toBe(200);
    } finally {
      expect((await meta(url, { method: "DELETE" })).status).toBe(200);
    }
    expectError(await meta(url), 404, "ERROR_CODE_NOT_FOUND");
  }),

  check("functions", "creates a function from XanoScript, reads its script back, and deletes it", false, async ({ meta, ws }) => {
    const name = uniqueName();
    const script = `function ${name} {\n  input {\n    int score\n  }\n  stack {\n    var $x1 {\n      value = $input.score + 1\n    }\n  }\n  response = $x1\n}\n`;
    const created = await meta(`${ws}/function`, { xanoscript: script });
    expect(created.status, JSON.stringify(created.data)).toBe(200);
    const url = `${ws}/function/${created.data.id}`;
    try {
      const read = await meta(`${url}?include_xanoscript=true`);
      expect(read.data).toMatchObject({ name, xanoscript: { status: "ok" } });
      expect(read.data.xanoscript.value).toContain(`function ${name}`);
    } finally {
      expect((await meta(url, { method: "DELETE" })).status).toBe(200);
    }
    expectError(await meta(url), 404, "ERROR_CODE_NOT_FOUND");
  }),
];
