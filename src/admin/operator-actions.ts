/**
 * The record of what operators did on /admin: who (the operator's email), what, to whom and which
 * object, when. One row per action in ACTIVITY_DB's operator_actions table
 * (migrations/0002_operator_actions.sql, applied by activity/schema.ts), shown on /admin and kept
 * as long as the database is: the scheduled clean-up deletes old tool calls, never these.
 *
 * Every change an operator makes goes through `recordOperatorAction` after it is done. Unlike a
 * tool call's activity, a failure to record is not swallowed: the caller's page fails, so an action
 * the record does not show cannot be mistaken for one that never happened.
 */
import { ensureSchema } from "../activity/schema";
import type { ActivityEnv } from "../activity/record";

/** What an operator did. block_person / unblock_person are for operator blocking. */
export type OperatorActionKind = "revoke_app" | "revoke_token" | "block_person" | "unblock_person";

export interface OperatorAction {
  /** The operator's email (lower case). */
  operator: string;
  action: OperatorActionKind;
  /** Our user id of the person acted on. */
  targetUser: string;
  /** How /admin named them at the time (their email, or Xano id): they may be gone later. */
  targetLabel: string;
  /** The object: a grant id, a personal token id, or the user id again for the person as a whole. */
  target: string;
  /** For people reading the record, e.g. the app's name; no secret. */
  detail: string;
}

export interface RecordedOperatorAction extends OperatorAction {
  at: number;
}

export async function recordOperatorAction(env: ActivityEnv, action: OperatorAction, at = Date.now()): Promise<void> {
  await ensureSchema(env.ACTIVITY_DB);
  await env.ACTIVITY_DB.prepare("INSERT INTO operator_actions (at, operator, action, target_user, target_label, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .bind(at, action.operator, action.action, action.targetUser, action.targetLabel.slice(0, 500), action.target, action.detail.slice(0, 500))
    .run();
}

/** One page of the record, newest first; `more` says whether an older page exists. */
export async function listOperatorActions(env: ActivityEnv, page: { offset: number; limit: number }): Promise<{ rows: RecordedOperatorAction[]; more: boolean }> {
  await ensureSchema(env.ACTIVITY_DB);
  const result = await env.ACTIVITY_DB.prepare("SELECT at, operator, action, target_user, target_label, target, detail FROM operator_actions ORDER BY at DESC, id DESC LIMIT ? OFFSET ?")
    .bind(page.limit + 1, page.offset)
    .all<{ at: number; operator: string; action: OperatorActionKind; target_user: string; target_label: string; target: string; detail: string }>();
  const rows = result.results.map((row) => ({ at: row.at, operator: row.operator, action: row.action, targetUser: row.target_user, targetLabel: row.target_label, target: row.target, detail: row.detail }));
  return { rows: rows.slice(0, page.limit), more: rows.length > page.limit };
}
