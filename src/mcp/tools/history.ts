/** The API request history of a workspace: browse and search. */
import { z } from "zod";
import { defineTool } from "./registry";
import { branchInput, idInput, pageInput, perPageInput, toId } from "./inputs";
import { searchInput, sortInput } from "./search-syntax";

const scope = {
  apigroup_id: idInput("API group").optional().describe("Only requests to this API group (an id from xano_list_api_groups)."),
  query_id: idInput("API (endpoint)").optional().describe("Only requests to this endpoint (an id from xano_list_apis)."),
  branch: branchInput,
  include_output: z.boolean().optional().describe("true to include each request's response body (larger results); default false."),
};

export const browseRequestHistory = defineTool({
  name: "xano_browse_request_history",
  title: "Browse request history",
  area: "Request history",
  description:
    "Lists the recent API requests of a workspace, newest first (time, duration in seconds, status, verb, URL, input), one page at a time " +
    "(default 50, at most 500). Narrow it to an API group (apigroup_id) or one endpoint (query_id); include_output adds each response body. " +
    "Returns curPage, nextPage and prevPage; when nextPage is not null, call again with page = nextPage. To filter by status or duration, use xano_search_request_history.",
  input: z.object({
    workspace_id: idInput("workspace"),
    page: pageInput,
    per_page: perPageInput(500, 50),
    ...scope,
  }),
  kind: "read",
  operations: ["request_history.list"],
  describe: (args) => `read the request history of workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const page = await meta.browseRequestHistory(toId(args.workspace_id), {
      page: args.page ?? 1,
      perPage: args.per_page ?? 50,
      apiGroupId: args.apigroup_id === undefined ? undefined : toId(args.apigroup_id),
      queryId: args.query_id === undefined ? undefined : toId(args.query_id),
      branch: args.branch,
      includeOutput: args.include_output,
    });
    return { message: `Page ${page.curPage}: ${page.items.length} request(s)${page.nextPage ? `; more on page ${page.nextPage}` : ""}.`, data: page };
  },
});

export const searchRequestHistory = defineTool({
  name: "xano_search_request_history",
  title: "Search request history",
  area: "Request history",
  description:
    "Finds API requests of a workspace by their fields, with the same search syntax as record search, one page at a time (default 50, at most 500). " +
    'Fields: status (HTTP status), duration (seconds), created_at (epoch milliseconds). Operators: = > < >= <= in, not in; a key ending in "|or" starts an alternative. ' +
    'Examples: failed requests [{"status|>=": 400}]; slow ones {"duration|>": 2} with sort {"duration": "desc"}; since 1 Nov 2026 UTC {"created_at|>=": 1793491200000}. ' +
    "Newest first unless sorted. Returns curPage, nextPage and prevPage; when nextPage is not null, call again with page = nextPage.",
  input: z.object({
    workspace_id: idInput("workspace"),
    search: searchInput().optional().describe("The conditions requests must match (see the tool description). Omit to match every request."),
    sort: sortInput,
    page: pageInput,
    per_page: perPageInput(500, 50),
    ...scope,
  }),
  kind: "read",
  operations: ["request_history.search"],
  describe: (args) => `search the request history of workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const page = await meta.searchRequestHistory(toId(args.workspace_id), {
      page: args.page ?? 1,
      perPage: args.per_page ?? 50,
      search: args.search,
      sort: args.sort,
      apiGroupId: args.apigroup_id === undefined ? undefined : toId(args.apigroup_id),
      queryId: args.query_id === undefined ? undefined : toId(args.query_id),
      branch: args.branch,
      includeOutput: args.include_output,
    });
    return { message: `Page ${page.curPage}: ${page.items.length} matching request(s)${page.nextPage ? `; more on page ${page.nextPage}` : ""}.`, data: page };
  },
});
