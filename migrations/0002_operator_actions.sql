-- Operator actions: one row per change an operator made on /admin (src/admin/operator-actions.ts):
-- who (the operator's email), what (action), to whom (target_user, our user id, and target_label,
-- their email or Xano id as shown then), which object (target: a grant id or a personal token id),
-- when (epoch ms), and a short detail for people (the app's or token's name).
CREATE TABLE IF NOT EXISTS operator_actions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  operator TEXT NOT NULL,
  action TEXT NOT NULL,
  target_user TEXT NOT NULL,
  target_label TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS operator_actions_at ON operator_actions (at);
