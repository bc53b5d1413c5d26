/** The tool catalogue, grouped by Xano area. Both MCP endpoints serve exactly this list. */
import { listInstances, whoami } from "./account";
import { browseTableContent } from "./content";
import type { ToolDefinition } from "./registry";
import { listTables } from "./tables";
import { listDatabases } from "./workspaces";

import { debugAuth, debugExpireOAuthTokens, debugRefreshProfile } from "./debug";

export const TOOLS: readonly ToolDefinition[] = [whoami, listInstances, listDatabases, listTables, browseTableContent];

/** Offered only with DEBUG_TOOLS=true. */
export const DEBUG_TOOLS: readonly ToolDefinition[] = [debugAuth, debugExpireOAuthTokens, debugRefreshProfile];

export function toolsFor(config: { debugTools: boolean }): readonly ToolDefinition[] {
  return config.debugTools ? [...TOOLS, ...DEBUG_TOOLS] : TOOLS;
}
