/**
 * The operator's questions to the activity table (activity/schema.ts), across every person: calls
 * per day by outcome, calls by tool and the newest errors. Who may ask is
 * decided by the /admin door (front-door/admin-door.ts); nothing here filters by viewer.
 */
import { ensureSchema } from "../activity/schema";
import type { ActivityEnv } from "../activity/record";

export interface ErrorCall {
  at: number;
  userId: string;
  via: string;
  app: string;
  tool: string;
  outcome: string;
  durationMs: number;
}

/** Calls per UTC day and outcome since `since` (epoch ms), every person together. */
export async function dailyCountsForAll(env: ActivityEnv, since: number): Promise<Array<{ day: string; outcome: string; calls: number }>> {
  await ensureSchema(env.ACTIVITY_DB);
  const result = await env.ACTIVITY_DB.prepare("SELECT strftime('%Y-%m-%d', at / 1000, 'unixepoch') AS day, outcome, COUNT(*) AS calls FROM activity WHERE at >= ? GROUP BY day, outcome ORDER BY day")
    .bind(since)
    .all<{ day: string; outcome: string; calls: number }>();
  return result.results;
}

/** The `limit` most called tools since `since`, with how many of their calls failed. */
export async function callsByTool(env: ActivityEnv, since: number, limit: number): Promise<Array<{ tool: string; calls: number; failed: number }>> {
  await ensureSchema(env.ACTIVITY_DB);
  const result = await env.ACTIVITY_DB.prepare(
    "SELECT tool, COUNT(*) AS calls, SUM(CASE WHEN outcome = 'ok' THEN 0 ELSE 1 END) AS failed FROM activity WHERE at >= ? GROUP BY tool ORDER BY calls DESC, tool LIMIT ?",
  )
    .bind(since, limit)
    .all<{ tool: string; calls: number; failed: number }>();
  return result.results;
}

/** One page of failed calls (outcome other than "ok"), newest first, every person together. */
export async function recentErrors(env: ActivityEnv, page: { offset: number; limit: number }, userId?: string): Promise<{ rows: ErrorCall[]; more: boolean }> {
  await ensureSchema(env.ACTIVITY_DB);
  const where = userId === undefined ? "outcome != 'ok'" : "outcome != 'ok' AND user_id = ?";
  const result = await env.ACTIVITY_DB.prepare(`SELECT at, user_id, via, app, tool, outcome, duration_ms FROM activity WHERE ${where} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`)
    .bind(...(userId === undefined ? [] : [userId]), page.limit + 1, page.offset)
    .all<{ at: number; user_id: string; via: string; app: string; tool: string; outcome: string; duration_ms: number }>();
  const rows = result.results.map((row) => ({ at: row.at, userId: row.user_id, via: row.via, app: row.app, tool: row.tool, outcome: row.outcome, durationMs: row.duration_ms }));
  return { rows: rows.slice(0, page.limit), more: rows.length > page.limit };
}
