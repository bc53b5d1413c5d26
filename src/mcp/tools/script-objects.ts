/**
 * The objects Xano defines in XanoScript (functions, middleware, addons, tasks, triggers, agents,
 * AI tools, MCP servers, realtime channels, workflow tests) share one life cycle: list, read (with
 * the code), create from a script, replace the script (draft or published), delete, and set the
 * security setting. One declaration per object kind makes its tools.
 */
import { operationTool } from "./operation-tool";
import type { ToolDefinition } from "./registry";
import type { Toolset } from "./toolsets";
import { OPERATIONS } from "../../xano/operations";

export interface ScriptObject {
  /** Operation id prefix, e.g. "function" or "table.trigger". */
  base: string;
  /** Tool name parts: xano_get_<one>, xano_list_<many>. */
  one: string;
  many: string;
  /** For messages and descriptions, e.g. "table trigger". */
  noun: string;
  /** The XanoScript keyword that starts its script, e.g. "function" (for the descriptions). */
  keyword: string;
  /** What it is, in a few words, for every description. */
  about: string;
  area: string;
  toolset: Toolset;
  /** Tools on the common path (listed in the default selection). */
  common?: readonly ("list" | "get" | "create" | "update" | "delete")[];
  /** Leave out the list tool (one exists already under another name). */
  skipList?: boolean;
}

const DRAFTS = "Where Xano keeps drafts, publish=false saves the change as a draft and include_draft=true reads it back.";

export function scriptObjectTools(o: ScriptObject): ToolDefinition[] {
  const has = (suffix: string) => OPERATIONS.has(`${o.base}.${suffix}`);
  const drafts = OPERATIONS.get(`${o.base}.get`)?.flags.includes("include_draft") ? ` ${DRAFTS}` : "";
  const common = new Set(o.common ?? []);
  const shared = { area: o.area, toolset: o.toolset, noun: o.noun };
  const tools: ToolDefinition[] = [];
  if (!o.skipList) {
    tools.push(operationTool({
      ...shared, name: `xano_list_${o.many}`, title: `List ${o.noun}s`, kind: "read", operation: `${o.base}.list`, common: common.has("list"),
      description: `Lists the ${o.noun}s of a workspace (${o.about}), one page at a time. include_xanoscript=true adds each one's XanoScript. When nextPage is not null, call again with page = nextPage.`,
    }));
  }
  tools.push(
    operationTool({
      ...shared, name: `xano_get_${o.one}`, title: `Get a ${o.noun}`, kind: "read", operation: `${o.base}.get`, common: common.has("get"),
      description: `Reads one ${o.noun}. Set include_xanoscript=true to get its code (data.xanoscript.value) before changing it, so you edit what is there.${drafts}`,
    }),
    operationTool({
      ...shared, name: `xano_create_${o.one}`, title: `Create a ${o.noun}`, kind: "create", operation: `${o.base}.create`, scriptOnly: true, common: common.has("create"),
      description: `Creates a ${o.noun} from XanoScript: the script starts with \`${o.keyword}\` and names it. If Xano refuses the script, the error gives Xano's message and line; fix the script and call again. See xano_get_xanoscript_reference.`,
    }),
    operationTool({
      ...shared, name: `xano_update_${o.one}`, title: `Update a ${o.noun}`, kind: "update", operation: `${o.base}.update`, scriptOnly: true, common: common.has("update"),
      description: `Replaces a ${o.noun}'s XanoScript with the one given (read it first with xano_get_${o.one} and include_xanoscript=true).${drafts} A refused script comes back with Xano's message and line: fix it and call again.`,
    }),
    operationTool({
      ...shared, name: `xano_delete_${o.one}`, title: `Delete a ${o.noun}`, kind: "destructive", operation: `${o.base}.delete`, common: common.has("delete"),
      description: `Deletes a ${o.noun}; whatever calls it stops working. This cannot be undone: confirm with the person first.`,
    }),
  );
  if (has("security.update")) {
    tools.push(operationTool({
      ...shared, name: `xano_update_${o.one}_security`, title: `Set a ${o.noun}'s security`, kind: "update", operation: `${o.base}.security.update`,
      description: `Sets which security setting (by its guid) applies to a ${o.noun}, replacing the current one.`,
    }));
  }
  return tools;
}
