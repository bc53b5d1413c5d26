/** Records (table content). */
import { z } from "zod";
import { READ_ONLY, defineTool } from "./registry";
import { idInput, pageInput, perPageInput, toId } from "./inputs";

export const browseTableContent = defineTool({
  name: "xano_browse_table_content",
  title: "Browse table records",
  area: "Records",
  description:
    "Reads the records of a table, one page at a time (default 50 per page, at most 1000). Returns items with Xano's paging fields " +
    "(curPage, nextPage, prevPage, itemsTotal, pageTotal, perPage); when nextPage is not null, call again with page = nextPage.",
  input: z.object({
    workspace_id: idInput("workspace"),
    table_id: idInput("table"),
    page: pageInput,
    per_page: perPageInput(1000, 50),
  }),
  annotations: READ_ONLY,
  describe: (args) => `read the records of table ${args.table_id} in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const page = await meta.browseTableContent(toId(args.workspace_id), toId(args.table_id), {
      page: args.page ?? 1,
      perPage: args.per_page ?? 50,
    });
    const total = page.itemsTotal !== undefined ? ` of ${page.itemsTotal}` : "";
    return {
      message: `Page ${page.curPage}: ${page.items.length} record(s)${total}${page.nextPage ? `; more on page ${page.nextPage}` : ""}.`,
      data: page,
    };
  },
});
