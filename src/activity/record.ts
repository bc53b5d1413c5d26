/**
 * Recording one tool call in the person's activity (shown on /apps/activity).
 *
 * What is kept: when, who (our user id and the grant's sign-in proof, which decide who may see the
 * row: activity-store.ts), through what (`via` "oauth" with the OAuth client id as `app`; another
 * kind of bearer can put its own kind and name there), the tool, the Xano ids its arguments named
 * (every argument whose name ends in `_id` or `_ids`), the outcome ("ok" or the envelope's error
 * code) and the duration. Nothing else of the arguments or the result is stored.
 *
 * Recording never slows or fails a call: the write runs after the answer (ctx.waitUntil), and a
 * storage failure is logged (`activity_failed`) and otherwise ignored.
 */
import { log } from "../observability/log";
import { insertActivity, type ActivityRow } from "./activity-store";

export interface ActivityActor {
  userId: string;
  /** The grant's sign-in proof (credentials/sign-in/result.ts); absent on grants from before it was recorded. */
  proof?: string;
  /** How the caller authenticated: "oauth" (an MCP client's grant) or another bearer kind. */
  via: string;
  /** The OAuth client id, or the name of the other bearer. */
  app: string;
}

export interface ActivityRecorder {
  /** Called once per tool call with what it answered; returns at once. */
  toolCalled(tool: string, args: unknown, result: ToolAnswer, startedAt: number, durationMs: number): void;
}

export interface ActivityEnv {
  ACTIVITY_DB: D1Database;
}

export function activityRecorder(env: ActivityEnv, ctx: Pick<ExecutionContext, "waitUntil">, actor: ActivityActor): ActivityRecorder {
  return {
    toolCalled(tool, args, result, startedAt, durationMs) {
      const row: ActivityRow = { at: startedAt, ...actor, tool, objects: namedIds(args), outcome: outcomeOf(result), durationMs: Math.round(durationMs) };
      ctx.waitUntil(
        (async () => {
          try {
            await insertActivity(env.ACTIVITY_DB, row);
          } catch (error) {
            log("activity_failed", { tool, error: (error as Error)?.name ?? "Error", reason: (error as Error)?.message ?? String(error) });
          }
        })(),
      );
    },
  };
}

/** What the activity needs of a tool's answer (src/mcp/envelope.ts ToolAnswer has this shape). */
export interface ToolAnswer {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
}

/** "ok", or the error code of the envelope (src/mcp/envelope.ts ERROR_CODES). */
export function outcomeOf(result: ToolAnswer): string {
  if (!result.isError) return "ok";
  const code = (result.structuredContent?.error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : "INTERNAL_ERROR";
}

const MAX_IDS_PER_ARGUMENT = 20;

/**
 * The Xano objects a call named: `{ workspace_id: 1, table_id: 101, record_ids: [1, 2] }`, from
 * every top-level argument (and those of xano_call_operation's nested `arguments`) whose name ends
 * in `_id` or `_ids` and whose value is a number or short string (lists cut at 20).
 */
export function namedIds(args: unknown): Record<string, unknown> {
  const ids: Record<string, unknown> = {};
  const visit = (value: unknown, depth: number) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return;
    for (const [name, item] of Object.entries(value)) {
      if (name.endsWith("_ids") && Array.isArray(item)) {
        const list = item.filter(isId).slice(0, MAX_IDS_PER_ARGUMENT);
        if (list.length > 0) ids[name] = list;
      } else if (name.endsWith("_id") && isId(item)) {
        ids[name] = item;
      } else if (depth === 0 && name === "arguments") {
        visit(item, depth + 1);
      }
    }
  };
  visit(args, 0);
  return ids;
}

function isId(value: unknown): value is number | string {
  return (typeof value === "number" && Number.isFinite(value)) || (typeof value === "string" && value.length > 0 && value.length <= 64);
}
