/** Custom functions of a workspace. */
import { z } from "zod";
import { defineTool } from "./registry";
import { branchInput, idInput, pageInput, perPageInput, toId, includeXanoscriptInput } from "./inputs";

export const listFunctions = defineTool({
  name: "xano_list_functions",
  title: "List functions",
  area: "Functions",
  description:
    "Lists the custom functions of a workspace (reusable logic called from endpoints and tasks), one page at a time (default 50). " +
    "Returns items plus curPage, nextPage and prevPage; when nextPage is not null, call again with page = nextPage.",
  input: z.object({
    workspace_id: idInput("workspace"),
    page: pageInput,
    per_page: perPageInput(1000, 50),
    search: z.string().max(200).optional().describe("Only functions whose name contains this text."),
    sort: z.enum(["name", "created_at", "updated_at"]).optional().describe("Field to sort by: created_at (default), updated_at or name."),
    order: z.enum(["asc", "desc"]).optional().describe("Sort order: desc (default, newest first) or asc."),
    branch: branchInput,
    include_xanoscript: includeXanoscriptInput,
  }),
  kind: "read",
  operations: ["function.list"],
  describe: (args) => `list the functions of workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const page = await meta.listFunctions(toId(args.workspace_id), { page: args.page ?? 1, perPage: args.per_page ?? 50, search: args.search, sort: args.sort, order: args.order, branch: args.branch, includeXanoscript: args.include_xanoscript });
    return { message: `Page ${page.curPage}: ${page.items.length} function(s)${page.nextPage ? `; more on page ${page.nextPage}` : ""}.`, data: page };
  },
});
