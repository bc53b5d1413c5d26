/** Meta API, area function: the list of a workspace's functions (their other operations are table-declared tools, tools/logic.ts). */
import type { BranchOption, CodeOption, Id, ListRequest, Page, XanoRecord } from "../types";
import { asPage, codeQuery, listQuery, type MetaCall } from "./call";

export type FunctionCalls = ReturnType<typeof functionCalls>;

export function functionCalls(call: MetaCall) {
  return {
    async listFunctions(workspaceId: Id, options: ListRequest & BranchOption & CodeOption = {}): Promise<Page<XanoRecord>> {
      return asPage(await call("function.list", { workspace_id: workspaceId }, { query: { ...listQuery(options), branch: options.branch, ...codeQuery(options) } }));
    },
  };
}
