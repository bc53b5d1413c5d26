/**
 * The activity table (schema.ts) and every query on it. Who may read a row is decided here, once:
 * a viewer (an /apps sign-in session) sees the rows of its user id, all of them when the sign-in
 * proved the Xano account, else only those made through grants with the same sign-in proof — the
 * same rule as the connections /apps lists (oauth/disconnect.ts `grantsManagedBy`).
 */
import { ensureSchema } from "./schema";

export interface ActivityRow {
  /** Epoch milliseconds when the call started. */
  at: number;
  userId: string;
  proof?: string;
  via: string;
  app: string;
  tool: string;
  /** The ids the call named (record.ts `namedIds`). */
  objects: Record<string, unknown>;
  /** "ok" or an envelope error code. */
  outcome: string;
  durationMs: number;
}

export interface ActivityViewer {
  userId: string;
  proof?: string;
}

export interface ActivityFilters {
  app?: string;
  tool?: string;
  outcome?: string;
}

export async function insertActivity(db: D1Database, row: ActivityRow): Promise<void> {
  await ensureSchema(db);
  await db
    .prepare("INSERT INTO activity (at, user_id, proof, via, app, tool, objects, outcome, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    .bind(row.at, row.userId, row.proof ?? null, row.via, row.app, row.tool, JSON.stringify(row.objects), row.outcome, row.durationMs)
    .run();
}

/** The WHERE clause and its values for a viewer's rows matching the filters. */
function whereFor(viewer: ActivityViewer, filters: ActivityFilters, since?: number): { sql: string; values: unknown[] } {
  const clauses = ["user_id = ?"];
  const values: unknown[] = [viewer.userId];
  if (viewer.proof === undefined) {
    // A session that proved nothing sees nothing (as on /apps).
    clauses.push("0 = 1");
  } else if (viewer.proof !== "account") {
    clauses.push("proof = ?");
    values.push(viewer.proof);
  }
  for (const [column, value] of [["app", filters.app], ["tool", filters.tool], ["outcome", filters.outcome]] as const) {
    if (value) {
      clauses.push(`${column} = ?`);
      values.push(value);
    }
  }
  if (since !== undefined) {
    clauses.push("at >= ?");
    values.push(since);
  }
  return { sql: clauses.join(" AND "), values };
}

interface StoredRow {
  at: number;
  user_id: string;
  proof: string | null;
  via: string;
  app: string;
  tool: string;
  objects: string;
  outcome: string;
  duration_ms: number;
}

function fromStored(row: StoredRow): ActivityRow {
  return { at: row.at, userId: row.user_id, ...(row.proof ? { proof: row.proof } : {}), via: row.via, app: row.app, tool: row.tool, objects: JSON.parse(row.objects), outcome: row.outcome, durationMs: row.duration_ms };
}

/** One page of the viewer's calls, newest first; `more` says whether an older page exists. */
export async function listActivity(db: D1Database, viewer: ActivityViewer, filters: ActivityFilters, page: { offset: number; limit: number }): Promise<{ rows: ActivityRow[]; more: boolean }> {
  await ensureSchema(db);
  const where = whereFor(viewer, filters);
  const result = await db
    .prepare(`SELECT at, user_id, proof, via, app, tool, objects, outcome, duration_ms FROM activity WHERE ${where.sql} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`)
    .bind(...where.values, page.limit + 1, page.offset)
    .all<StoredRow>();
  const rows = result.results.map(fromStored);
  return { rows: rows.slice(0, page.limit), more: rows.length > page.limit };
}

/** The apps, tools and outcomes the viewer's calls have, for the filter menus. */
export async function activityChoices(db: D1Database, viewer: ActivityViewer): Promise<{ apps: Array<{ via: string; app: string }>; tools: string[]; outcomes: string[] }> {
  await ensureSchema(db);
  const where = whereFor(viewer, {});
  const [apps, tools, outcomes] = await db.batch<Record<string, string>>([
    db.prepare(`SELECT DISTINCT via, app FROM activity WHERE ${where.sql} ORDER BY app LIMIT 100`).bind(...where.values),
    db.prepare(`SELECT DISTINCT tool FROM activity WHERE ${where.sql} ORDER BY tool LIMIT 200`).bind(...where.values),
    db.prepare(`SELECT DISTINCT outcome FROM activity WHERE ${where.sql} ORDER BY outcome LIMIT 50`).bind(...where.values),
  ]);
  return {
    apps: apps.results.map((row) => ({ via: row.via, app: row.app })),
    tools: tools.results.map((row) => row.tool),
    outcomes: outcomes.results.map((row) => row.outcome),
  };
}

/** Calls per UTC day and outcome since `since` (epoch ms), for the chart. */
export async function dailyCounts(db: D1Database, viewer: ActivityViewer, filters: ActivityFilters, since: number): Promise<Array<{ day: string; outcome: string; calls: number }>> {
  await ensureSchema(db);
  const where = whereFor(viewer, filters, since);
  const result = await db
    .prepare(`SELECT strftime('%Y-%m-%d', at / 1000, 'unixepoch') AS day, outcome, COUNT(*) AS calls FROM activity WHERE ${where.sql} GROUP BY day, outcome ORDER BY day`)
    .bind(...where.values)
    .all<{ day: string; outcome: string; calls: number }>();
  return result.results;
}

const DELETE_BATCH = 5_000;
const MAX_DELETE_BATCHES = 20;

/**
 * Deletes rows older than `before` (epoch ms) in bounded batches (one statement stays short; D1
 * limits a query's duration), at most 100,000 a run; the hourly schedule takes the rest. Returns how many.
 */
export async function deleteActivityBefore(db: D1Database, before: number): Promise<number> {
  await ensureSchema(db);
  let deleted = 0;
  for (let batch = 0; batch < MAX_DELETE_BATCHES; batch++) {
    const result = await db.prepare("DELETE FROM activity WHERE id IN (SELECT id FROM activity WHERE at < ? LIMIT ?)").bind(before, DELETE_BATCH).run();
    const changes = result.meta.changes ?? 0;
    deleted += changes;
    if (changes < DELETE_BATCH) break;
  }
  return deleted;
}
