/**
 * The activity database's tables (activity, and operator_actions for /admin), applied by the
 * Worker itself on first use in each isolate (CREATE … IF NOT EXISTS, so applying it again changes nothing). Why not only `wrangler d1 migrations apply`: the
 * database is created by `wrangler deploy` (or the Deploy button) without running migrations, and
 * `wrangler dev`, the local stack and the tests each start with an empty local database; applying
 * the schema here makes every one of those paths work with no extra step. The same statements are
 * migrations/0001_activity.sql and 0002_operator_actions.sql (tests/activity.test.ts and
 * tests/admin.test.ts keep each equal to its constant here), so
 * `wrangler d1 migrations apply ACTIVITY_DB` remains available and agrees.
 */
export const ACTIVITY_SCHEMA = `CREATE TABLE IF NOT EXISTS activity (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  proof TEXT,
  via TEXT NOT NULL,
  app TEXT NOT NULL,
  tool TEXT NOT NULL,
  objects TEXT NOT NULL,
  outcome TEXT NOT NULL,
  duration_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS activity_user_at ON activity (user_id, at);
CREATE INDEX IF NOT EXISTS activity_at ON activity (at);`;

export const OPERATOR_ACTIONS_SCHEMA = `CREATE TABLE IF NOT EXISTS operator_actions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  operator TEXT NOT NULL,
  action TEXT NOT NULL,
  target_user TEXT NOT NULL,
  target_label TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS operator_actions_at ON operator_actions (at);`;

/** Every migration's statements, in order: what ensureSchema applies. */
const SCHEMA = [ACTIVITY_SCHEMA, OPERATOR_ACTIONS_SCHEMA];

/** The schema's statements, one per entry (comments and blank lines dropped). */
export function schemaStatements(sql: string = ACTIVITY_SCHEMA): string[] {
  return sql
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n")
    .split(";")
    .map((statement) => statement.trim())
    .filter(Boolean);
}

// The databases whose schema this isolate has applied (a failed attempt is forgotten, so it is retried).
const applied = new WeakMap<D1Database, Promise<void>>();

export function ensureSchema(db: D1Database): Promise<void> {
  let pending = applied.get(db);
  if (!pending) {
    pending = db.batch(SCHEMA.flatMap((sql) => schemaStatements(sql)).map((statement) => db.prepare(statement))).then(() => undefined);
    pending.catch(() => applied.delete(db));
    applied.set(db, pending);
  }
  return pending;
}
