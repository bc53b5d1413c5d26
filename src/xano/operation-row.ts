/**
 * The shape of one row of the operation table (operations.generated.ts): one operation of Xano's
 * Metadata API as Xano's OpenAPI description states it, plus three decisions of ours (id, kind,
 * and a permission where Xano names none).
 */

/** What an operation does: decides annotations, the read-only check and the 403 advice. */
export type OperationKind = "read" | "create" | "update" | "destructive" | "runs-code";
export const OPERATION_KINDS: readonly OperationKind[] = ["read", "create", "update", "destructive", "runs-code"];

export type BodyKind = "json" | "multipart" | "xanoscript";
export type ParamType = "integer" | "number" | "string" | "boolean" | "object" | "array" | "file" | "json";

export interface OperationParam {
  name: string;
  /** Where it goes; nested object properties have none. */
  in?: "path" | "query" | "header" | "body";
  type: ParamType;
  /** The argument name when it differs from `name` (the header x-data-source is `data_source`). */
  arg?: string;
  required?: boolean;
  enum?: readonly (string | number)[];
  default?: unknown;
  nullable?: boolean;
  /** Element type of an array. */
  items?: ParamType;
  /** Properties of an object, one level deep. */
  properties?: readonly OperationParam[];
  /** The argument is the whole body (a record, a JSON document), not one of its fields. */
  whole?: boolean;
}

export interface OperationRow {
  /** Ours: a short stable name, e.g. "function.update" or "table.content.search". */
  id: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Relative to the Meta API base, e.g. "/workspace/{workspace_id}/function/{function_id}". */
  path: string;
  /** The description's file: one of Xano's 20 areas. */
  area: string;
  kind: OperationKind;
  /** Xano's permission name with its C/R/U/D, e.g. "Workspace Content: Read"; null where none applies. */
  permission: string | null;
  /** "xano" when Xano's description names it, "inferred" when we named it by analogy. */
  permissionSource: "xano" | "inferred" | "none";
  /** Accepted request bodies, in the description's order. */
  bodies: readonly BodyKind[];
  parameters: readonly OperationParam[];
  /** Which of include_xanoscript, include_draft, publish, branch the operation accepts. */
  flags: readonly string[];
}
