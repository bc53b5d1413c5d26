-- Activity: one row per MCP tool call (src/activity/). No arguments or results are stored: only the
-- ids the call named (objects), who made it (user_id, proof) and through what (via, app).
CREATE TABLE IF NOT EXISTS activity (
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
CREATE INDEX IF NOT EXISTS activity_at ON activity (at);
