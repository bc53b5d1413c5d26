/** API groups and their endpoints ("APIs"), from fields or as XanoScript, and a group's OpenAPI document. */
import { z } from "zod";
import { defineTool } from "./registry";
import { branchInput, idInput, pageInput, perPageInput, toId, includeXanoscriptInput, publishInput, scriptOrFields, xanoscriptInput } from "./inputs";

const VERBS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] as const;

const listInputs = {
  page: pageInput,
  per_page: perPageInput(1000, 50),
  search: z.string().max(200).optional().describe("Only items whose name contains this text."),
  // Xano's description: name, created_at and updated_at, newest first by default.
  sort: z.enum(["name", "created_at", "updated_at"]).optional().describe("Field to sort by: created_at (default), updated_at or name."),
  order: z.enum(["asc", "desc"]).optional().describe("Sort order: desc (default, newest first) or asc."),
};

const endpointScript = xanoscriptInput("whole endpoint, logic included,", "query products verb=GET {\n  input {\n  }\n  stack {\n  }\n  response = []\n}");
const groupScript = xanoscriptInput("API group", 'api_group shop {\n  canonical = "shop"\n}');

const descriptionInput = z.string().max(5000).optional().describe("A short description.");
const docsInput = z.string().max(50000).optional().describe("Longer documentation (markdown).");
const tagInput = z.array(z.string().min(1).max(100)).max(50).optional().describe('Tags, e.g. ["shop"]. Replaces the existing tags.');
const groupNameInput = z.string().trim().min(1).max(200).describe('The API group name, e.g. "mobile".');
const apiNameInput = z.string().trim().min(1).max(500).describe('The endpoint path within its group, e.g. "products" or "products/{product_id}".');
const verbInput = z.enum(VERBS).describe("The HTTP method: GET, POST, PUT, PATCH or DELETE.");

const group = { workspace_id: idInput("workspace"), apigroup_id: idInput("API group") };
const inGroup = (args: { workspace_id: number | string; apigroup_id: number | string }) => `API group ${args.apigroup_id} in workspace ${args.workspace_id}`;

function nextPageNote(page: { nextPage: number | null }) {
  return page.nextPage ? `; more on page ${page.nextPage}` : "";
}

function atLeastOneChange(fields: readonly string[]) {
  return (args: Record<string, unknown>) => fields.some((f) => args[f] !== undefined);
}

export const listApiGroups = defineTool({
  name: "xano_list_api_groups",
  title: "List API groups",
  area: "API groups and endpoints",
  description:
    "Lists the API groups of a workspace, one page at a time (default 50). Returns items plus curPage, nextPage and prevPage; " +
    "when nextPage is not null, call again with page = nextPage. Use xano_list_apis to see a group's endpoints.",
  input: z.object({ workspace_id: idInput("workspace"), ...listInputs, branch: branchInput, include_xanoscript: includeXanoscriptInput }),
  kind: "read",
  operations: ["apigroup.list"],
  describe: (args) => `list the API groups of workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const page = await meta.listApiGroups(toId(args.workspace_id), {
      page: args.page ?? 1, perPage: args.per_page ?? 50, search: args.search, sort: args.sort, order: args.order, branch: args.branch,
      includeXanoscript: args.include_xanoscript,
    });
    return { message: `Page ${page.curPage}: ${page.items.length} API group(s)${nextPageNote(page)}.`, data: page };
  },
});

export const getApiGroup = defineTool({
  name: "xano_get_api_group",
  title: "Get an API group",
  area: "API groups and endpoints",
  description:
    "Reads one API group: name, description, docs, tags, whether its Swagger/OpenAPI documentation is public, and its canonical id (the part after api: in its URLs). " +
    "include_xanoscript=true adds its definition as XanoScript (data.xanoscript.value).",
  input: z.object({ ...group, include_xanoscript: includeXanoscriptInput }),
  kind: "read",
  operations: ["apigroup.get"],
  describe: (args) => `read ${inGroup(args)}`,
  async run(args, { meta }) {
    const data = await meta.getApiGroup(toId(args.workspace_id), toId(args.apigroup_id), { includeXanoscript: args.include_xanoscript });
    return { message: `API group ${args.apigroup_id}.`, data };
  },
});

export const createApiGroup = defineTool({
  name: "xano_create_api_group",
  title: "Create an API group",
  area: "API groups and endpoints",
  description: "Creates an API group in a workspace (on a branch, or the live one) and returns it with its id. Then add endpoints with xano_create_api.",
  input: z.object({
    workspace_id: idInput("workspace"),
    name: groupNameInput,
    description: descriptionInput.describe('A short description (default "").'),
    docs: docsInput,
    swagger: z.boolean().optional().describe("true to publish the group's Swagger/OpenAPI documentation; default false (not published)."),
    tag: tagInput,
    branch: branchInput,
  }),
  kind: "create",
  operations: ["apigroup.create"],
  describe: (args) => `create the API group "${args.name}" in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const { workspace_id, branch, description, swagger, ...fields } = args;
    // Xano requires description and swagger on create; unset ones get this tool's stated defaults.
    const data = await meta.createApiGroup(toId(workspace_id), { ...fields, description: description ?? "", swagger: swagger ?? false }, { branch });
    return { message: `Created API group "${args.name}"${data?.id !== undefined ? ` (id ${String(data.id)})` : ""}.`, data };
  },
});

const GROUP_FIELDS = ["name", "description", "docs", "swagger", "tag"] as const;

export const updateApiGroup = defineTool({
  name: "xano_update_api_group",
  title: "Update an API group",
  area: "API groups and endpoints",
  description:
    "Changes an API group: either rewrites it from `xanoscript` (`api_group <name> { … }`), or changes its name, description, docs, " +
    "Swagger setting or tags, keeping the fields you leave out (Xano takes the whole group, so the server reads it first and writes it " +
    "back with your changes). Returns the updated group.",
  input: z
    .object({
      ...group,
      xanoscript: groupScript,
      name: groupNameInput.optional().describe("The new API group name."),
      description: descriptionInput,
      docs: docsInput,
      swagger: z.boolean().optional().describe("true to publish the group's Swagger/OpenAPI documentation, false to hide it."),
      tag: tagInput,
    })
    .superRefine(scriptOrFields(GROUP_FIELDS))
    .refine(atLeastOneChange([...GROUP_FIELDS, "xanoscript"]), { message: `give xanoscript or at least one of ${GROUP_FIELDS.join(", ")}`, path: ["name"] }),
  kind: "update",
  operations: ["apigroup.update"],
  describe: (args) => `update ${inGroup(args)}`,
  async run(args, { meta }) {
    const { workspace_id, apigroup_id, xanoscript, ...fields } = args;
    const data = await meta.updateApiGroup(toId(workspace_id), toId(apigroup_id), xanoscript !== undefined ? { xanoscript } : fields);
    return { message: `Updated API group ${apigroup_id}.`, data };
  },
});

export const deleteApiGroup = defineTool({
  name: "xano_delete_api_group",
  title: "Delete an API group",
  area: "API groups and endpoints",
  description: "Deletes an API group AND every endpoint in it; apps calling them will get errors. This cannot be undone: confirm with the person first.",
  input: z.object(group),
  kind: "destructive",
  operations: ["apigroup.delete"],
  describe: (args) => `delete ${inGroup(args)}`,
  async run(args, { meta }) {
    await meta.deleteApiGroup(toId(args.workspace_id), toId(args.apigroup_id));
    return { message: `Deleted API group ${args.apigroup_id} and its endpoints.`, data: { deleted: true, apigroup_id: toId(args.apigroup_id) } };
  },
});

export const getApiGroupOpenApi = defineTool({
  name: "xano_get_api_group_openapi",
  title: "Get an API group's OpenAPI document",
  area: "API groups and endpoints",
  description:
    "Reads the OpenAPI (Swagger) document of an API group: every endpoint with its path, method, inputs and responses. " +
    "For one endpoint use xano_get_api_openapi; for every group of a workspace, xano_get_workspace_openapi.",
  input: z.object(group),
  kind: "read",
  operations: ["apigroup.openapi.get"],
  describe: (args) => `read the OpenAPI document of ${inGroup(args)}`,
  async run(args, { meta }) {
    const data = await meta.getApiGroupOpenApi(toId(args.workspace_id), toId(args.apigroup_id));
    const paths = data && typeof data.paths === "object" && data.paths !== null ? Object.keys(data.paths).length : undefined;
    return { message: `OpenAPI document of API group ${args.apigroup_id}${paths !== undefined ? ` (${paths} path(s))` : ""}.`, data };
  },
});

export const listApis = defineTool({
  name: "xano_list_apis",
  title: "List an API group's endpoints",
  area: "API groups and endpoints",
  description:
    "Lists the endpoints (APIs) of an API group, with name (path), verb and description, one page at a time (default 50). " +
    "Returns items plus curPage, nextPage and prevPage; when nextPage is not null, call again with page = nextPage.",
  input: z.object({ ...group, ...listInputs, include_xanoscript: includeXanoscriptInput }),
  kind: "read",
  operations: ["apigroup.api.list"],
  describe: (args) => `list the endpoints of ${inGroup(args)}`,
  async run(args, { meta }) {
    const page = await meta.listApis(toId(args.workspace_id), toId(args.apigroup_id), {
      page: args.page ?? 1, perPage: args.per_page ?? 50, search: args.search, sort: args.sort, order: args.order,
      includeXanoscript: args.include_xanoscript,
    });
    return { message: `Page ${page.curPage}: ${page.items.length} endpoint(s)${nextPageNote(page)}.`, data: page };
  },
});

export const getApi = defineTool({
  name: "xano_get_api",
  title: "Get an endpoint",
  area: "API groups and endpoints",
  description:
    "Reads one endpoint (API) of an API group: name (path), verb, description, docs and tags. include_xanoscript=true adds its code as " +
    "XanoScript (data.xanoscript.value), to read before changing it with xano_update_api; include_draft=true reads the unpublished draft.",
  input: z.object({
    ...group,
    api_id: idInput("API (endpoint)"),
    include_xanoscript: includeXanoscriptInput,
    include_draft: z.boolean().optional().describe("true: read the unpublished draft where one exists (saved by xano_update_api with publish=false)."),
  }),
  kind: "read",
  operations: ["apigroup.api.get"],
  describe: (args) => `read API ${args.api_id} of ${inGroup(args)}`,
  async run(args, { meta }) {
    const data = await meta.getApi(toId(args.workspace_id), toId(args.apigroup_id), toId(args.api_id), {
      includeXanoscript: args.include_xanoscript, includeDraft: args.include_draft,
    });
    return { message: `API ${args.api_id}${typeof data?.verb === "string" ? ` (${data.verb} ${String(data.name)})` : ""}.`, data };
  },
});

export const createApi = defineTool({
  name: "xano_create_api",
  title: "Create an endpoint",
  area: "API groups and endpoints",
  description:
    "Creates an endpoint (API) in an API group and returns it with its id: either from `xanoscript` (the whole endpoint, logic included, " +
    "in Xano's XanoScript: `query <path> verb=<VERB> { input { … } stack { … } response = … }`), or from `name` and `verb` alone " +
    "(an empty endpoint whose logic is then built in Xano). A refused script comes back with Xano's message and line: fix it and call again.",
  input: z
    .object({
      ...group,
      xanoscript: endpointScript,
      name: apiNameInput.optional().describe('The endpoint path within its group, e.g. "products" or "products/{product_id}" (required without xanoscript).'),
      verb: verbInput.optional().describe("The HTTP method: GET, POST, PUT, PATCH, DELETE or HEAD (required without xanoscript)."),
      description: descriptionInput.describe('A short description (default ""; without xanoscript).'),
      docs: docsInput,
      tag: tagInput,
      branch: branchInput,
    })
    .superRefine(scriptOrFields(["name", "verb", "description", "docs", "tag"]))
    .superRefine((args, ctx) => {
      if (args.xanoscript !== undefined) return;
      for (const f of ["name", "verb"] as const) {
        if (args[f] === undefined) ctx.addIssue({ code: "custom", path: [f], message: `give ${f} (or the whole endpoint as xanoscript)` });
      }
    }),
  kind: "create",
  operations: ["apigroup.api.create"],
  describe: (args) => (args.xanoscript !== undefined ? `create an endpoint from XanoScript in ${inGroup(args)}` : `create the endpoint ${args.verb} ${args.name} in ${inGroup(args)}`),
  async run(args, { meta }) {
    const { workspace_id, apigroup_id, branch, xanoscript, name, verb, description, ...rest } = args;
    const data = xanoscript !== undefined
      ? await meta.createApi(toId(workspace_id), toId(apigroup_id), { xanoscript }, { branch })
      // Xano requires a description on create; an unset one is empty.
      : await meta.createApi(toId(workspace_id), toId(apigroup_id), { ...rest, name: name!, verb: verb!, description: description ?? "" }, { branch });
    const what = typeof data?.verb === "string" ? `${data.verb} ${String(data.name)}` : `${verb} ${name}`;
    return { message: `Created endpoint ${what}${data?.id !== undefined ? ` (id ${String(data.id)})` : ""}.`, data };
  },
});

const API_FIELDS = ["name", "verb", "description", "docs", "tag"] as const;

export const updateApi = defineTool({
  name: "xano_update_api",
  title: "Update an endpoint",
  area: "API groups and endpoints",
  description:
    "Changes an endpoint: either rewrites it from `xanoscript` (its whole definition, logic included), or changes its path, verb, " +
    "description, docs or tags, keeping the fields you leave out (Xano takes the whole endpoint, so the server reads it first and " +
    "writes it back with your changes). Read its code first with xano_get_api and include_xanoscript=true. publish=false saves the change " +
    "as a draft. Returns the updated endpoint.",
  input: z
    .object({
      ...group,
      api_id: idInput("API (endpoint)"),
      xanoscript: endpointScript,
      name: apiNameInput.optional().describe('The new endpoint path, e.g. "products/{product_id}".'),
      verb: verbInput.optional().describe("The new HTTP method: GET, POST, PUT, PATCH, DELETE or HEAD."),
      description: descriptionInput,
      docs: docsInput,
      tag: tagInput,
      publish: publishInput,
    })
    .superRefine(scriptOrFields(API_FIELDS))
    .refine(atLeastOneChange([...API_FIELDS, "xanoscript"]), { message: `give xanoscript or at least one of ${API_FIELDS.join(", ")}`, path: ["name"] }),
  kind: "update",
  operations: ["apigroup.api.update"],
  describe: (args) => `update API ${args.api_id} of ${inGroup(args)}`,
  async run(args, { meta }) {
    const { workspace_id, apigroup_id, api_id, xanoscript, publish, ...fields } = args;
    const data = await meta.updateApi(toId(workspace_id), toId(apigroup_id), toId(api_id), xanoscript !== undefined ? { xanoscript } : fields, { publish });
    return { message: `Updated API ${api_id}.`, data };
  },
});

export const deleteApi = defineTool({
  name: "xano_delete_api",
  title: "Delete an endpoint",
  area: "API groups and endpoints",
  description: "Deletes one endpoint (API) of an API group; apps calling it will get errors. This cannot be undone: confirm with the person first.",
  input: z.object({ ...group, api_id: idInput("API (endpoint)") }),
  kind: "destructive",
  operations: ["apigroup.api.delete"],
  describe: (args) => `delete API ${args.api_id} of ${inGroup(args)}`,
  async run(args, { meta }) {
    await meta.deleteApi(toId(args.workspace_id), toId(args.apigroup_id), toId(args.api_id));
    return { message: `Deleted API ${args.api_id}.`, data: { deleted: true, api_id: toId(args.api_id) } };
  },
});
