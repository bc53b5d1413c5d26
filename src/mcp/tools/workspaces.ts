/** Workspaces (the original server called them databases). */
import { z } from "zod";
import { READ_ONLY, defineTool } from "./registry";

export const listDatabases = defineTool({
  name: "xano_list_databases",
  title: "List workspaces",
  area: "Workspaces",
  description:
    "Lists the workspaces (databases) of the signed-in Xano instance: id, name, description and live branch. Use a workspace id with the table tools.",
  input: z.object({}),
  annotations: READ_ONLY,
  describe: () => "list the workspaces",
  async run(_args, { meta }) {
    const workspaces = await meta.listWorkspaces();
    return { message: `Found ${workspaces.length} workspace(s).`, data: { items: workspaces } };
  },
});
