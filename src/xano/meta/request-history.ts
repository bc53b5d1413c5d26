/** Meta API, area request-history: the request history of a workspace's endpoints (browse and search). */
import type { BranchOption, Id, Page, PageRequest, XanoRecord } from "../types";
import { asPage, type MetaCall } from "./call";

/** The API group filter is `apigroup_id`; `queryId` is one endpoint. */
type HistoryScope = PageRequest & BranchOption & { apiGroupId?: number; queryId?: number };

export type RequestHistoryCalls = ReturnType<typeof requestHistoryCalls>;

export function requestHistoryCalls(call: MetaCall) {
  return {
    async browseRequestHistory(workspaceId: Id, options: HistoryScope & { includeOutput?: boolean } = {}): Promise<Page<XanoRecord>> {
      const result = await call("request_history.list", { workspace_id: workspaceId }, {
        query: {
          page: options.page, per_page: options.perPage, branch: options.branch, apigroup_id: options.apiGroupId,
          query_id: options.queryId, include_output: options.includeOutput,
        },
      });
      return asPage(result);
    },

    /** Everything in the body, as Xano's description has it; the conditions go under `search`. */
    async searchRequestHistory(workspaceId: Id, options: HistoryScope & { search?: unknown; sort?: unknown; includeOutput?: boolean } = {}): Promise<Page<XanoRecord>> {
      const result = await call("request_history.search", { workspace_id: workspaceId }, {
        body: {
          page: options.page, per_page: options.perPage, branch: options.branch, apigroup_id: options.apiGroupId,
          query_id: options.queryId, search: options.search, sort: options.sort, include_output: options.includeOutput,
        },
      });
      return asPage(result);
    },
  };
}
