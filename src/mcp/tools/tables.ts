/** Tables of a workspace. */
import { z } from "zod";
import { READ_ONLY, defineTool } from "./registry";
import { idInput, pageInput, perPageInput, toId } from "./inputs";

export const listTables = defineTool({
  name: "xano_list_tables",
  title: "List tables",
  area: "Tables",
  description:
    "Lists the tables of a workspace, one page at a time (default 50 per page). Returns items plus curPage, nextPage and prevPage; " +
    "when nextPage is not null, call again with page = nextPage. Optionally filter by a search term on the table name and sort.",
  input: z.object({
    workspace_id: idInput("workspace"),
    page: pageInput,
    per_page: perPageInput(1000, 50),
    search: z.string().max(200).optional().describe("Only tables whose name contains this text (case-insensitive)."),
    sort: z.enum(["name", "created_at", "updated_at", "id"]).optional().describe("Field to sort by."),
    order: z.enum(["asc", "desc"]).optional().describe("Sort order: asc or desc."),
  }),
  annotations: READ_ONLY,
  describe: (args) => `list the tables of workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const page = await meta.listTables(toId(args.workspace_id), {
      page: args.page ?? 1,
      perPage: args.per_page ?? 50,
      search: args.search,
      sort: args.sort,
      order: args.order,
    });
    return {
      message: `Page ${page.curPage}: ${page.items.length} table(s)${page.nextPage ? `; more on page ${page.nextPage}` : ""}.`,
      data: page,
    };
  },
});
