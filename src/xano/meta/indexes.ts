/** Meta API, area table: a table's indexes (list, create one of a kind, delete). */
import type { Id, XanoRecord } from "../types";
import { asArray, type MetaCall } from "./call";

export const SEARCH_INDEX_LANGUAGES = [
  "simple", "arabic", "danish", "dutch", "english", "finnish", "french", "german", "hungarian", "indonesian", "irish", "italian",
  "lithuanian", "nepali", "norwegian", "portuguese", "romanian", "russian", "spanish", "swedish", "tamil", "turkish",
] as const;
export const VECTOR_INDEX_OPS = ["vector_ip_ops", "vector_cosine_ops", "vector_l1_ops", "vector_l2_ops"] as const;
export const SPATIAL_INDEX_OP = "gist_geometry_ops_2d";

/** One index, in the body shape Xano's description gives each kind. */
export type NewIndex =
  | { type: "btree" | "unique"; fields: Array<{ name: string; op: "asc" | "desc" }> }
  | { type: "spatial"; fields: Array<{ name: string; op: typeof SPATIAL_INDEX_OP }> }
  | { type: "vector"; fields: Array<{ name: string; op: (typeof VECTOR_INDEX_OPS)[number] }> }
  | { type: "search"; name: string; lang: (typeof SEARCH_INDEX_LANGUAGES)[number]; fields: Array<{ name: string; priority: number }> };

export type IndexCalls = ReturnType<typeof indexCalls>;

export function indexCalls(call: MetaCall) {
  return {
    listIndexes(workspaceId: Id, tableId: Id): Promise<XanoRecord[]> {
      return call("table.index.list", { workspace_id: workspaceId, table_id: tableId }).then((v) => asArray<XanoRecord>(v));
    },

    /** `table.index.<kind>.create`; the body is the kind's own shape (a search index has a name, a language and weighted fields). */
    createIndex(workspaceId: Id, tableId: Id, index: NewIndex): Promise<{ id: string | number }> {
      const { type, ...body } = index;
      return call(`table.index.${type}.create`, { workspace_id: workspaceId, table_id: tableId }, { body });
    },

    deleteIndex(workspaceId: Id, tableId: Id, indexId: Id): Promise<unknown> {
      return call("table.index.delete", { workspace_id: workspaceId, table_id: tableId, index_id: indexId });
    },
  };
}
