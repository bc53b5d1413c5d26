// Xano's published description of its Metadata API (../shared/xano-meta-api/openapi/*.json beside
// the clone) against two things of ours, in plain Node (it reads files, so not in workerd; it
// starts no server: the fake is called in-process):
// 1. every request the server's Xano client sends: each XanoMetaClient method (its own and its areas') is called against
//    fake-xano, and each request it makes must be an operation of the description (method, path,
//    declared query parameters and headers, a declared content type, a body of the described
//    shape with its required fields) and an operation the fake serves;
// 2. fake-xano: for every described operation the fake serves, a request built from the
//    description alone (required fields, described defaults, a few seed ids) is accepted, and the
//    answer has the described shape.
// Where the folder is absent (a person's own clone) the suite is skipped with a message.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { SERVED_OPERATIONS, createFakeXano, type FakeXano } from "../../fake-xano/index";
import { servesOperation } from "../../fake-xano/served-operations";
import { ALICE_METADATA_TOKEN, BOB_METADATA_TOKEN, DEFAULT_INSTANCE_ORIGINS, SHARED_INSTANCE } from "../../fixtures/seed";
import { callOperation, operation } from "../../src/xano/operations";
import { XanoMetaClient } from "../../src/xano/client";
import { staticBearer } from "../../src/xano/http";

const DESCRIPTION = resolve(__dirname, "../../../shared/xano-meta-api/openapi");
const present = existsSync(DESCRIPTION);
const META = `${DEFAULT_INSTANCE_ORIGINS[SHARED_INSTANCE]}/api:meta`;

type Schema = Record<string, any>;
interface Operation { method: string; path: string; op: Schema; doc: Schema }

function loadOperations(): Operation[] {
  const operations: Operation[] = [];
  for (const file of readdirSync(DESCRIPTION).filter((f) => f.endsWith(".json"))) {
    const doc = JSON.parse(readFileSync(join(DESCRIPTION, file), "utf8"));
    for (const [path, item] of Object.entries<Schema>(doc.paths)) {
      for (const [method, op] of Object.entries<Schema>(item)) {
        if (["get", "post", "put", "patch", "delete"].includes(method)) operations.push({ method: method.toUpperCase(), path, op, doc });
      }
    }
  }
  return operations;
}

/** Does a concrete or templated path fit a template? `{…}` segments match any one segment. */
function fits(template: string, path: string): boolean {
  const t = template.split("/").filter(Boolean);
  const p = path.split("/").filter(Boolean);
  return t.length === p.length && t.every((seg, i) => seg.startsWith("{") || p[i].startsWith("{") || seg === p[i]);
}

/** The most specific described operation for a request (literal segments beat parameters). */
function findOperation(operations: Operation[], method: string, path: string): Operation | undefined {
  const literals = (o: Operation) => o.path.split("/").filter((s) => s && !s.startsWith("{")).length;
  return operations.filter((o) => o.method === method && fits(o.path, path)).sort((a, b) => literals(b) - literals(a))[0];
}

function resolveRef(schema: Schema, doc: Schema): Schema {
  return schema && typeof schema.$ref === "string" ? doc.components.schemas[schema.$ref.split("/").pop()!] : schema;
}

/**
 * Where `value` departs from `schema`. An object schema without properties is the description's
 * placeholder for "not described" and accepts any value. `strict` also refuses properties the
 * schema does not list (used on request bodies: the client must send only described fields).
 */
function mismatches(value: unknown, raw: Schema, doc: Schema, where: string, strict = false): string[] {
  const schema = resolveRef(raw, doc) ?? {};
  if (value === null) return schema.nullable ? [] : [`${where}: null where ${schema.type ?? "a value"} is described`];
  switch (schema.type) {
    case "object": {
      const props: Record<string, Schema> = schema.properties ?? {};
      if (Object.keys(props).length === 0) return [];
      if (typeof value !== "object" || Array.isArray(value)) return [`${where}: ${JSON.stringify(value)?.slice(0, 60)} is not an object`];
      const out: string[] = [];
      for (const key of schema.required ?? []) if (!(key in (value as object))) out.push(`${where}.${key}: required, missing`);
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (props[key]) out.push(...mismatches(v, props[key], doc, `${where}.${key}`, strict));
        else if (strict) out.push(`${where}.${key}: not in the description`);
      }
      return out;
    }
    case "array":
      if (!Array.isArray(value)) return [`${where}: ${JSON.stringify(value)?.slice(0, 60)} is not an array`];
      return value.flatMap((v, i) => mismatches(v, schema.items ?? {}, doc, `${where}[${i}]`, strict));
    case "string":
      if (typeof value !== "string") return [`${where}: ${JSON.stringify(value)} is not text`];
      return schema.enum && !schema.enum.includes(value) ? [`${where}: "${value}" is not one of ${schema.enum.join(", ")}`] : [];
    case "integer":
      return Number.isInteger(value) ? [] : [`${where}: ${JSON.stringify(value)} is not an integer`];
    case "number":
      return typeof value === "number" ? [] : [`${where}: ${JSON.stringify(value)} is not a number`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${where}: ${JSON.stringify(value)} is not a boolean`];
    default:
      return [];
  }
}

/** A query, path or header value (text on the wire) against its described type. */
function textMismatch(value: string, raw: Schema, where: string): string[] {
  const schema = raw ?? {};
  if (schema.type === "integer" && !/^-?\d+$/.test(value)) return [`${where}: "${value}" is not an integer`];
  if (schema.type === "boolean" && value !== "true" && value !== "false") return [`${where}: "${value}" is not true/false`];
  if (schema.enum && !schema.enum.includes(value)) return [`${where}: "${value}" is not one of ${schema.enum.join(", ")}`];
  return [];
}

const params = (op: Operation, where: string): Schema[] => (op.op.parameters ?? []).map((p: Schema) => resolveRef(p, op.doc)).filter((p: Schema) => p.in === where);

/** Everything in a request the description does not allow. */
async function requestMismatches(operations: Operation[], request: Request): Promise<string[]> {
  const url = new URL(request.url);
  const path = url.pathname.replace(/^\/api:meta/, "");
  const op = findOperation(operations, request.method, path);
  if (!op) return [`${request.method} ${path}: no such operation in Xano's description`];
  const name = `${op.method} ${op.path}`;
  const out: string[] = [];
  const templateSegments = op.path.split("/").filter(Boolean);
  const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
  templateSegments.forEach((seg, i) => {
    const p = seg.startsWith("{") && params(op, "path").find((x) => `{${x.name}}` === seg);
    if (p) out.push(...textMismatch(segments[i], p.schema, `${name} path ${p.name}`));
  });
  const query = params(op, "query");
  for (const [key, value] of url.searchParams) {
    const p = query.find((x) => x.name === key);
    if (!p) out.push(`${name}: query parameter "${key}" is not in the description`);
    else out.push(...textMismatch(value, p.schema, `${name} query ${key}`));
  }
  const headers = params(op, "header").map((p) => p.name.toLowerCase());
  if (request.headers.has("x-data-source") && !headers.includes("x-data-source")) out.push(`${name}: x-data-source is not taken here`);
  const contentType = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const bodies: Record<string, Schema> = op.op.requestBody?.content ?? {};
  if (contentType === "") {
    for (const key of ["required"]) if (op.op.requestBody?.[key]) out.push(`${name}: a body is required`);
    return out;
  }
  if (!bodies[contentType]) return [...out, `${name}: content type ${contentType} is not one of ${Object.keys(bodies).join(", ") || "(no body)"}`];
  if (contentType === "application/json") {
    out.push(...mismatches(JSON.parse(await request.text()), bodies[contentType].schema, op.doc, `${name} body`, true));
  } else if (contentType === "multipart/form-data") {
    const form = await request.formData();
    const shape = resolveRef(bodies[contentType].schema, op.doc);
    for (const key of shape.required ?? []) if (!form.has(key)) out.push(`${name} form.${key}: required, missing`);
    for (const key of form.keys()) if (!shape.properties?.[key]) out.push(`${name} form.${key}: not in the description`);
  }
  return out;
}

/** A fake and a client whose every request is recorded before the fake answers it. */
function recordingClient(token = ALICE_METADATA_TOKEN) {
  const fake = createFakeXano();
  const requests: Request[] = [];
  const fetchImpl = async (url: string | URL | Request, init?: RequestInit) => {
    const request = new Request(url, init);
    requests.push(request.clone());
    return fake.fetch(request);
  };
  return { fake, requests, client: new XanoMetaClient(META, staticBearer(token), fetchImpl as typeof fetch) };
}

/** One call per client method, with arguments a person could give; each must succeed against the fake. */
const CLIENT_CALLS: Record<string, (c: XanoMetaClient, fake: FakeXano) => Promise<unknown>> = {
  me: (c) => c.me(),
  listWorkspaces: (c) => c.listWorkspaces(),
  listTables: (c) => c.listTables(1, { page: 1, perPage: 5, search: "cust", sort: "name", order: "asc" }),
  getWorkspace: (c) => c.getWorkspace(1),
  listBranches: (c) => c.listBranches(1),
  deleteBranch: async () => {
    const bob = recordingClient(BOB_METADATA_TOKEN);
    await bob.client.deleteBranch(2, "dev");
    return bob.requests;
  },
  listDataSources: (c) => c.listDataSources(1),
  exportWorkspaceSchema: (c) => c.exportWorkspaceSchema(1, { branch: "v1", password: "secret" }),
  getWorkspaceOpenApi: (c) => c.getWorkspaceOpenApi(1, { branch: "v1" }),
  getTable: (c) => c.getTable(1, 101),
  createTable: (c) => c.createTable(1, { name: "leads", description: "d", docs: "", auth: false, tag: ["crm"] }),
  updateTable: async (c) => {
    await c.updateTable(1, 101, { name: "clients", tag: ["crm"] });
    return c.updateTable(1, 103, { xanoscript: "table products {\n  schema {\n    int id\n    text name\n  }\n}\n" });
  },
  deleteTable: (c) => c.deleteTable(1, 103),
  getTableSchema: (c) => c.getTableSchema(1, 101),
  getSchemaField: (c) => c.getSchemaField(1, 101, "email"),
  addSchemaField: async (c) => {
    await c.addSchemaField(1, 101, "int", { name: "visits", default: 0, nullable: false });
    await c.addSchemaField(1, 101, "bool", { name: "vip", default: false });
    await c.addSchemaField(1, 101, "tableref", { name: "best_product", tableref_id: 103 });
    return c.addSchemaField(1, 101, "vector", { name: "embedding", vector: { size: 3 } });
  },
  renameSchemaField: (c) => c.renameSchemaField(1, 101, "tier", "level"),
  deleteSchemaField: (c) => c.deleteSchemaField(1, 101, "profile"),
  replaceTableSchema: (c) => c.replaceTableSchema(1, 103, [
    { name: "id", type: "int", nullable: false, required: true },
    { name: "title", type: "text", nullable: false, required: false, default: "" },
  ]),
  listIndexes: (c) => c.listIndexes(1, 101),
  createIndex: async (c) => {
    await c.createIndex(1, 101, { type: "btree", fields: [{ name: "tier", op: "asc" }] });
    await c.createIndex(1, 101, { type: "unique", fields: [{ name: "email", op: "desc" }] });
    return c.createIndex(1, 101, { type: "search", name: "people", lang: "english", fields: [{ name: "name", priority: 1 }] });
  },
  deleteIndex: async (c) => {
    const { id } = await c.createIndex(1, 101, { type: "btree", fields: [{ name: "tier", op: "asc" }] });
    return c.deleteIndex(1, 101, id);
  },
  browseTableContent: (c) => c.browseTableContent(1, 101, { page: 2, perPage: 10, dataSource: "live" }),
  searchTableContent: (c) => c.searchTableContent(1, 101, { search: [{ "tier|=": "pro" }], sort: { id: "desc" }, page: 1, perPage: 5, dataSource: "live" }),
  getTableRecord: (c) => c.getTableRecord(1, 101, 1, { dataSource: "live" }),
  createTableRecord: (c) => c.createTableRecord(1, 103, { name: "lamp" }, { dataSource: "live" }),
  updateTableRecord: (c) => c.updateTableRecord(1, 101, 1, { tier: "free" }, { dataSource: "live" }),
  deleteTableRecord: (c) => c.deleteTableRecord(1, 101, 2, { dataSource: "live" }),
  bulkCreateRecords: (c) => c.bulkCreateRecords(1, 103, [{ name: "a" }, { name: "b" }], false, { dataSource: "live" }),
  bulkUpdateRecords: (c) => c.bulkUpdateRecords(1, 101, [{ row_id: 1, updates: { tier: "free" } }], { dataSource: "live" }),
  bulkDeleteRecords: (c) => c.bulkDeleteRecords(1, 101, [3, 4], { dataSource: "live" }),
  updateRecordsBySearch: (c) => c.updateRecordsBySearch(1, 101, { "tier|=": "pro" }, { tier: "free" }, { dataSource: "live" }),
  truncateTable: (c) => c.truncateTable(1, 102, true, { dataSource: "live" }),
  listFiles: (c) => c.listFiles(1, { page: 1, perPage: 5, search: "image", access: "private", sort: "size", order: "asc" }),
  uploadFile: (c) => c.uploadFile(1, { content: new Blob(["hello"], { type: "text/plain" }), name: "a.txt", access: "private" }),
  deleteFile: (c) => c.deleteFile(1, 1),
  bulkDeleteFiles: (c) => c.bulkDeleteFiles(1, [1, 2]),
  listApiGroups: (c) => c.listApiGroups(1, { page: 1, perPage: 5, search: "s", sort: "name", order: "asc", branch: "v1" }),
  getApiGroup: (c) => c.getApiGroup(1, 1),
  createApiGroup: (c) => c.createApiGroup(1, { name: "mobile", description: "", swagger: false, tag: ["app"] }, { branch: "v1" }),
  updateApiGroup: async (c) => {
    await c.updateApiGroup(1, 1, { description: "the shop" });
    return c.updateApiGroup(1, 1, { xanoscript: 'api_group shop {\n  canonical = "shop"\n}\n' });
  },
  deleteApiGroup: (c) => c.deleteApiGroup(1, 2),
  getApiGroupOpenApi: (c) => c.getApiGroupOpenApi(1, 1),
  listApis: (c) => c.listApis(1, 1, { page: 1, perPage: 5, sort: "updated_at", order: "desc" }),
  getApi: (c) => c.getApi(1, 1, 1, { includeXanoscript: true, includeDraft: true }),
  getApiOpenApi: (c) => c.getApiOpenApi(1, 1, 1),
  createApi: async (c) => {
    await c.createApi(1, 1, { name: "coupons", description: "", verb: "GET" }, { branch: "v1" });
    return c.createApi(1, 1, { xanoscript: "query coupons verb=POST {\n  input {\n  }\n  stack {\n  }\n  response = null\n}\n" });
  },
  updateApi: async (c) => {
    await c.updateApi(1, 1, 1, { description: "all products" });
    return c.updateApi(1, 1, 1, { xanoscript: "query products verb=GET {\n  stack {\n  }\n  response = []\n}\n" }, { publish: false });
  },
  deleteApi: (c) => c.deleteApi(1, 1, 3),
  // The generic caller every table-declared tool uses (src/xano/operations.ts): a XanoScript body and a flag in the query.
  send: (c) =>
    callOperation(c, operation("function.create"), {
      workspace_id: 1,
      xanoscript: 'function "described_send" {\n  input {\n    int a\n  }\n  stack {\n    var $b { value = $input.a }\n  }\n  response = $b\n}\n',
      include_xanoscript: true,
    }),
  listFunctions: (c) => c.listFunctions(1, { page: 1, perPage: 5, sort: "name", order: "asc", branch: "v1" }),
  browseRequestHistory: (c) => c.browseRequestHistory(1, { page: 1, perPage: 5, apiGroupId: 1, queryId: 1, includeOutput: true, branch: "v1" }),
  searchRequestHistory: (c) =>
    c.searchRequestHistory(1, { page: 1, perPage: 5, apiGroupId: 1, search: [{ "status|>=": 400 }], sort: { id: "asc" }, includeOutput: false, branch: "v1" }),
};

describe.skipIf(!present)("Xano's description of the Metadata API (../shared/xano-meta-api)", () => {
  const operations = present ? loadOperations() : [];

  it("is there: 205 operations", () => {
    expect(operations).toHaveLength(205);
  });

  it("every operation the fake serves is a described one", () => {
    const undescribed = SERVED_OPERATIONS.filter((s) => !operations.some((o) => o.method === s.method && fits(o.path, s.path)));
    expect(undescribed).toEqual([]);
  });

  it("a case below calls every method of the client", () => {
    // The class's own methods, and the area methods (src/xano/meta/) each client carries.
    const client = recordingClient().client as unknown as Record<string, unknown>;
    const areaMethods = Object.keys(client).filter((m) => typeof client[m] === "function" && m !== "call");
    const methods = [...Object.getOwnPropertyNames(XanoMetaClient.prototype).filter((m) => m !== "constructor"), ...areaMethods];
    expect(Object.keys(CLIENT_CALLS).sort()).toEqual(methods.sort());
  });

  describe("every request the client sends is described, and served by the fake", () => {
    it.each(Object.keys(CLIENT_CALLS))("%s", async (method) => {
      const { client, fake, requests } = recordingClient();
      const result = await CLIENT_CALLS[method](client, fake);
      const sent = Array.isArray(result) && result[0] instanceof Request ? (result as Request[]) : requests;
      expect(sent.length).toBeGreaterThan(0);
      for (const request of sent) {
        const path = new URL(request.url).pathname.replace(/^\/api:meta/, "");
        expect(SERVED_OPERATIONS.some((s) => s.method === request.method && fits(s.path, path)), `${request.method} ${path} served`).toBe(true);
        expect(await requestMismatches(operations, request)).toEqual([]);
      }
    });
  });

  describe("the fake accepts a request built from the description and answers in the described shape", () => {
    const served = operations.filter((o) => servesOperation(SERVED_OPERATIONS, o.method, o.path));

    it("covers the operations the client calls (at least 78)", () => {
      expect(served.length).toBeGreaterThanOrEqual(78);
    });

    it.each(served.map((o) => [`${o.method} ${o.path}`, o] as const))("%s", async (_, op) => {
      const fake = createFakeXano();
      const setup = SETUP[`${op.method} ${op.path}`] ?? (op.path.endsWith("/security") ? securityPlan : undefined);
      const own: Plan = (await setup?.(fake)) ?? {};
      const objects = await objectPlan(fake, operations, op, own.params);
      const plan: Plan = { ...objects, ...own, params: { ...objects.params, ...own.params } };
      const example = scriptExample(op);
      if (example) await createReferences(fake, operations, example);
      const request = buildRequest(op, plan);
      const response = await fake.fetch(request);
      const text = await response.text();
      expect(response.status, text).toBe(200);
      const answer = (op.op.responses?.["200"]?.content ?? {})["application/json"];
      if (!answer) return;
      if (!(response.headers.get("content-type") ?? "").includes("json")) {
        // Known and listed in fake-xano/README.md: exports answer a file, the context YAML by default.
        expect(Object.keys(NON_JSON_ANSWERS)).toContain(`${op.method} ${op.path}`);
        return;
      }
      const known = KNOWN_ANSWER_DEPARTURES[`${op.method} ${op.path}`] ?? [];
      const departures = mismatches(JSON.parse(text), answer.schema, op.doc, "answer").filter((m) => !known.includes(m));
      expect(departures, departures.join("\n")).toEqual([]);
    });

    // Every served operation that takes a XanoScript body, sent the description's own example (after
    // creating, from the description's examples too, the objects it refers to and the one it updates).
    const scripted = served.filter((o) => typeof scriptExample(o) === "string");

    it("XanoScript: the 37 operations the description gives a XanoScript body are all served", () => {
      expect(operations.filter((o) => o.op.requestBody?.content?.["text/x-xanoscript"])).toHaveLength(37);
      expect(scripted).toHaveLength(37);
    });

    it.each(scripted.map((o) => [`${o.method} ${o.path}`, o] as const))(
      "%s accepts the description's XanoScript example",
      async (_, op) => {
        const fake = createFakeXano();
        const example = scriptExample(op)!;
        const plan = await objectPlan(fake, operations, op);
        await createReferences(fake, operations, example);
        const asks = params(op, "query").some((p) => p.name === "include_xanoscript");
        const request = buildRequest(op, { ...plan, xanoscript: example, query: asks ? { include_xanoscript: "true" } : {} });
        const response = await fake.fetch(request);
        expect(response.status, await response.clone().text()).toBe(200);
        // Where the answer can carry the script (include_xanoscript), it is the script sent, verbatim.
        if (asks) expect(((await response.json()) as { xanoscript?: unknown }).xanoscript).toMatchObject({ status: "ok", value: example });
      },
    );
  });
});

describe.skipIf(present)("Xano's description of the Metadata API", () => {
  it.skip("skipped: ../shared/xano-meta-api is absent beside this clone (it holds Xano's published OpenAPI description)", () => {});
});

/**
 * Where the fake's answer knowingly departs from the described one, and why (fake-xano/README.md,
 * "Assumptions"):
 * - `GET /auth/me` is described with a text `id` and text `extras`, while the account API and every
 *   other Meta API answer number users; the fake keeps one user shape.
 * - an agent's `llm` is described as text, while the description's own agent example writes it as
 *   an object (`llm = {type: "anthropic", …}`); the fake answers the object it was given.
 * - a static host without a build has `dev`, `prod` and `git` described as objects; the fake
 *   answers null for what does not exist yet.
 * - the autocomplete update is described as answering a text `id` and a text `autocomplete`; the
 *   fake answers the table's number id and the list it stored, as every other table answer does.
 */
const LLM = 'answer.llm: {"type":"anthropic","system_prompt":"You are a helpful AI Agent.","max_steps":5,"prompt":"","model":"claude-4-sonnet-20250514","temperature":1,"reasoning":true,"baseURL":"","headers":""} is not text';
const KNOWN_ANSWER_DEPARTURES: Record<string, string[]> = {
  "GET /auth/me": ["answer.id: 1 is not text", "answer.extras: {} is not text"],
  "POST /workspace/{workspace_id}/agent": [LLM],
  "GET /workspace/{workspace_id}/agent/{agent_id}": [LLM],
  "PUT /workspace/{workspace_id}/agent/{agent_id}": [LLM],
  "GET /workspace/{workspace_id}/static_host": [
    "answer.items[0].dev: null where object is described", "answer.items[0].prod: null where object is described",
    "answer.items[0].git: null where object is described",
  ],
  "PUT /workspace/{workspace_id}/table/{table_id}/autocomplete": ["answer.id: 101 is not text", 'answer.autocomplete: [{"name":"email"}] is not text'],
};

/** Answers that are not the JSON the description shows, and why (see the README's assumptions). */
const NON_JSON_ANSWERS: Record<string, string> = {
  "POST /workspace/{workspace_id}/export-schema": "a file, as Xano's CLI saves it",
  "POST /workspace/{workspace_id}/export": "a file (the workspace archive), as Xano's CLI saves it",
  "GET /workspace/{workspace_id}/context": "YAML: the described default of `format` is yaml",
};

interface Plan {
  token?: string;
  /** Query parameters beyond the required and defaulted ones. */
  query?: Record<string, string>;
  params?: Record<string, string | number>;
  body?: Record<string, unknown>;
  xanoscript?: string;
}

/** Seed ids for path parameters; per-operation plans below override them. */
const SEED_PARAMS: Record<string, string | number> = {
  workspace_id: 1, table_id: 101, apigroup_id: 1, api_id: 1, file_id: 1, content_id: "1", schema_name: "email",
  function_id: 1, static_host: "default",
};

/** The XanoScript example the description gives an operation's body, if any. */
function scriptExample(op: Operation): string | undefined {
  return op.op.requestBody?.content?.["text/x-xanoscript"]?.schema?.example;
}

/** The key of a script's setting → the keyword of the object it names (`channel = "…"` names a `realtime_channel`). */
const REFERENCES: Record<string, string> = { table: "table", agent: "agent", mcp_server: "mcp_server", channel: "realtime_channel" };

/**
 * The objects a script refers to by name (`table = "user"`, `agent = "my_agent"`, …), created from
 * the description's own example for that kind, renamed to the name referred to.
 */
const referenced = new WeakMap<FakeXano, Set<string>>();
async function createReferences(fake: FakeXano, operations: Operation[], script: string): Promise<void> {
  for (const [, key, name] of script.matchAll(/^ {2}(\w+)\s*=\s*"([^"]+)"/gm)) {
    const keyword = REFERENCES[key];
    const made = referenced.get(fake) ?? new Set<string>();
    referenced.set(fake, made);
    if (!keyword || made.has(`${keyword} ${name}`)) continue;
    made.add(`${keyword} ${name}`);
    const create = operations.find((o) => o.method === "POST" && new RegExp(`^${keyword} `).test(scriptExample(o) ?? ""));
    if (!create) throw new Error(`no described create for a ${keyword}`);
    const example = scriptExample(create)!.replace(/^(\w+) \S+/, `$1 ${name}`);
    await createReferences(fake, operations, example);
    await metaScript(fake, "POST", create.path.replace("{workspace_id}", "1"), example);
  }
}

/**
 * For a path naming an object the seed does not have (`{addon_id}`, `{trigger_id}`, `{label}`, …):
 * the object, created first through the described create of its collection (the path before the
 * parameter): with the description's XanoScript example where it has one (after what that refers
 * to), else with a JSON body built from the description.
 */
async function objectPlan(fake: FakeXano, operations: Operation[], op: Operation, given: Plan["params"] = {}): Promise<Plan> {
  const plan: Plan = { params: {} };
  const segments = op.path.split("/");
  for (let i = 0; i < segments.length; i++) {
    const m = /^\{(\w+)\}$/.exec(segments[i]);
    if (!m || m[1] in SEED_PARAMS || m[1] in given) continue;
    const collection = segments.slice(0, i).join("/");
    const create = operations.find((o) => o.method === "POST" && o.path === collection);
    if (!create) throw new Error(`no described create for ${collection} (needed by ${op.method} ${op.path})`);
    const path = collection.replace(/\{(\w+)\}/g, (_, name) => String(plan.params![name] ?? SEED_PARAMS[name]));
    const example = scriptExample(create);
    let created: Record<string, unknown>;
    if (example) {
      await createReferences(fake, operations, example);
      created = (await metaScript(fake, "POST", path, example)) as Record<string, unknown>;
    } else {
      const content = create.op.requestBody?.content ?? {};
      const json = content["application/json"] ? (sample(content["application/json"].schema, create.doc) as Record<string, unknown>) : undefined;
      created = json ? ((await metaCall(fake, "POST", path, json)) as Record<string, unknown>) : ((await metaForm(fake, path, sample(content["multipart/form-data"].schema, create.doc) as Record<string, unknown>)) as Record<string, unknown>);
    }
    plan.params![m[1]] = String(created.id ?? created[m[1]]);
  }
  return plan;
}

/** What the description cannot know: which values the seed makes meaningful for an operation. */
const SETUP: Record<string, (fake: FakeXano) => Plan | Promise<Plan>> = {
  "DELETE /workspace/{workspace_id}/branch/{branch_label}": () => ({ token: BOB_METADATA_TOKEN, params: { workspace_id: 2, branch_label: "dev" } }),
  "POST /workspace/{workspace_id}/table/{table_id}/schema/rename": () => ({ body: { old_name: "tier", new_name: "level" } }),
  "PUT /workspace/{workspace_id}/table/{table_id}/schema": () => ({
    body: { schema: [{ name: "id", type: "int", nullable: false, required: true }, { name: "x", type: "text", nullable: false, required: false }] },
  }),
  "POST /workspace/{workspace_id}/table/{table_id}/schema/type/tableref": () => ({ body: { tableref_id: 103 } }),
  "POST /workspace/{workspace_id}/table/{table_id}/schema/type/tablerefuuid": () => ({ body: { tableref_id: 103 } }),
  "POST /workspace/{workspace_id}/table/{table_id}/index/btree": () => ({ body: { fields: [{ name: "tier", op: "asc" }] } }),
  "POST /workspace/{workspace_id}/table/{table_id}/index/unique": () => ({ body: { fields: [{ name: "email", op: "asc" }] } }),
  "POST /workspace/{workspace_id}/table/{table_id}/index/search": () => ({ body: { fields: [{ name: "name", priority: 1 }] } }),
  "POST /workspace/{workspace_id}/table/{table_id}/index/spatial": async (fake) => {
    await metaCall(fake, "POST", "/workspace/1/table/101/schema/type/geo_point", { name: "location" });
    return { body: { fields: [{ name: "location", op: "gist_geometry_ops_2d" }] } };
  },
  "POST /workspace/{workspace_id}/table/{table_id}/index/vector": async (fake) => {
    await metaCall(fake, "POST", "/workspace/1/table/101/schema/type/vector", { name: "embedding", vector: { size: 3 } });
    return { body: { fields: [{ name: "embedding", op: "vector_cosine_ops" }] } };
  },
  "DELETE /workspace/{workspace_id}/table/{table_id}/index/{index_id}": async (fake) => {
    const created = (await metaCall(fake, "POST", "/workspace/1/table/101/index/btree", { fields: [{ name: "tier", op: "asc" }] })) as { id: string };
    return { params: { index_id: created.id } };
  },
  "POST /workspace/{workspace_id}/table/{table_id}/content": () => ({ params: { table_id: 103 }, body: { name: "lamp" } }),
  "POST /workspace/{workspace_id}/table/{table_id}/content/bulk": () => ({ params: { table_id: 103 }, body: { items: [{ name: "lamp" }] } }),
  "POST /workspace/{workspace_id}/table/{table_id}/content/bulk/patch": () => ({ body: { items: [{ row_id: "1", updates: { tier: "free" } }] } }),
  "POST /workspace/{workspace_id}/table/{table_id}/content/bulk/delete": () => ({ body: { row_ids: ["1", "2"] } }),
  "POST /workspace/{workspace_id}/table/{table_id}/content/search/patch": () => ({ body: { search: { "tier|=": "pro" }, updates: { tier: "free" } } }),
  "POST /workspace/{workspace_id}/table/{table_id}/content/search/delete": () => ({ body: { search: { "tier|=": "pro" } } }),
  "PUT /workspace/{workspace_id}/table/{table_id}/autocomplete": () => ({ body: { autocomplete: [{ name: "email" }] } }),
  // The description's own example body (a primary key and a btree on created_at).
  "PUT /workspace/{workspace_id}/table/{table_id}/index": () => ({
    body: { index: [{ type: "primary", fields: [{ name: "id" }] }, { type: "btree", fields: [{ name: "created_at", op: "desc" }] }] },
  }),
  "POST /workspace/{workspace_id}/convert/toXS": () => ({ query: { kind: "function" }, body: { name: "total", description: "" } }),
  "POST /beta/workspace/{workspace_id}/function/run": () => ({ body: { name: "calculate_total", input: {} } }),
  "POST /beta/workspace/{workspace_id}/anonymous/run": () => ({ body: { input: {}, xanoscript: "function once {\n  stack {\n  }\n  response = 1\n}\n" } }),
  // A job and a service are sent as a `doc`: the description's own XanoScript example for them.
  "POST /beta/ephemeral/job": () => ({ body: { doc: describedScript("POST", "/beta/ephemeral/job") } }),
  "POST /beta/ephemeral/service": () => ({ body: { doc: describedScript("POST", "/beta/ephemeral/service") } }),
  // An archive this instance exported a moment before.
  "POST /workspace/{workspace_id}/import": async (fake) => ({ body: { file: await exported(fake) } }),
  "POST /workspace/{workspace_id}/import-schema": async (fake) => ({ body: { file: await exported(fake), newbranch: "imported" } }),
};

/** Every `…/security` update names an API group of the workspace by GUID: the seed's first group's. */
async function securityPlan(fake: FakeXano): Promise<Plan> {
  const group = (await metaCall(fake, "GET", "/workspace/1/apigroup/1")) as { guid: string };
  return { body: { guid: group.guid } };
}

function describedScript(method: string, path: string): string {
  const op = loadOperations().find((o) => o.method === method && o.path === path);
  return scriptExample(op!)!;
}

async function exported(fake: FakeXano): Promise<Blob> {
  const response = await fake.fetch(new Request(`${META}/workspace/1/export`, {
    method: "POST", headers: { authorization: `Bearer ${ALICE_METADATA_TOKEN}`, "content-type": "application/json" }, body: "{}",
  }));
  if (!response.ok) throw new Error(`setup export: ${response.status} ${await response.text()}`);
  return response.blob();
}

async function metaScript(fake: FakeXano, method: string, path: string, script: string) {
  const response = await fake.fetch(new Request(`${META}${path}`, {
    method, headers: { authorization: `Bearer ${ALICE_METADATA_TOKEN}`, "content-type": "text/x-xanoscript" }, body: script,
  }));
  if (!response.ok) throw new Error(`setup ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function metaForm(fake: FakeXano, path: string, fields: Record<string, unknown>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v instanceof Blob ? v : String(v), ...(v instanceof Blob ? ["sample.txt"] : []) as []);
  const response = await fake.fetch(new Request(`${META}${path}`, { method: "POST", headers: { authorization: `Bearer ${ALICE_METADATA_TOKEN}` }, body: form }));
  if (!response.ok) throw new Error(`setup POST ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function metaCall(fake: FakeXano, method: string, path: string, json?: unknown) {
  const response = await fake.fetch(new Request(`${META}${path}`, {
    method, headers: { authorization: `Bearer ${ALICE_METADATA_TOKEN}`, ...(json === undefined ? {} : { "content-type": "application/json" }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  }));
  if (!response.ok) throw new Error(`setup ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** A value from a schema alone: its default when the type fits, the first enum value, else a plain one. */
function sample(raw: Schema, doc: Schema, key = "x"): unknown {
  const schema = resolveRef(raw, doc) ?? {};
  if (schema.default !== undefined && mismatches(schema.default, schema, doc, "").length === 0) return schema.default;
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries<Schema>(schema.properties ?? {})) {
        const prop = resolveRef(v, doc);
        // Required fields, and the ones the description gives a default (which Xano would assume).
        if ((schema.required ?? []).includes(k) || (prop.default !== undefined && prop.type !== "object")) out[k] = sample(prop, doc, k);
        else if ((schema.required ?? []).length === 0 && prop.type === "object" && prop.properties && Object.values<Schema>(prop.properties).some((p) => p.default !== undefined)) {
          out[k] = sample(prop, doc, k);
        }
      }
      return out;
    }
    case "array": return [sample(schema.items ?? {}, doc, key)];
    case "integer": return 1;
    case "number": return 1.5;
    case "boolean": return false;
    case "string": return schema.format === "binary" ? new Blob(["hello"], { type: "text/plain" }) : `${key}_sample`;
    default: return {};
  }
}

/** The request a client reading only the description (plus the plan's seed values) would send. */
function buildRequest(op: Operation, plan: Plan): Request {
  const values = { ...SEED_PARAMS, ...plan.params };
  const path = op.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(String(values[name] ?? "1")));
  const url = new URL(`${META}${path}`);
  for (const p of params(op, "query")) if (p.required || p.schema?.default !== undefined) url.searchParams.set(p.name, String(p.required ? sample(p.schema, op.doc, p.name) : p.schema.default));
  for (const [k, v] of Object.entries(plan.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { authorization: `Bearer ${plan.token ?? ALICE_METADATA_TOKEN}` };
  for (const p of params(op, "header")) if (p.schema?.default !== undefined) headers[p.name] = String(p.schema.default);
  const content: Record<string, Schema> = op.op.requestBody?.content ?? {};
  // A body that is only XanoScript is the description's own example.
  const script = plan.xanoscript ?? (content["application/json"] || content["multipart/form-data"] ? undefined : scriptExample(op));
  if (script !== undefined) return new Request(url, { method: op.method, headers: { ...headers, "content-type": "text/x-xanoscript" }, body: script });
  if (content["application/json"]) {
    const body = { ...(sample(content["application/json"].schema, op.doc) as object), ...plan.body };
    return new Request(url, { method: op.method, headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });
  }
  if (content["multipart/form-data"]) {
    const form = new FormData();
    for (const [k, v] of Object.entries({ ...(sample(content["multipart/form-data"].schema, op.doc) as object), ...plan.body })) {
      form.set(k, v instanceof Blob ? v : String(v), ...(v instanceof Blob ? ["sample.txt"] : []) as []);
    }
    return new Request(url, { method: op.method, headers, body: form });
  }
  return new Request(url, { method: op.method, headers });
}
