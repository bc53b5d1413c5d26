/**
 * Blocking a person: an operator's decision (from /admin) that someone may not use this server
 * until they are unblocked.
 *
 * Blocking ends at once everything the person holds, so nothing has to be checked per MCP request:
 * every OAuth grant (revoked through the library, its credential store emptied, as /apps's Revoke
 * all does: oauth/disconnect.ts) and every personal access token (record and credential store
 * deleted: credentials/personal-tokens.ts). Xano's own refresh tokens are not revoked at Xano: only
 * the grant's or token's holder can unseal them (the same as Revoke on /apps); the sealed copies are
 * deleted, so nobody can use them through this server. From then on every sign-in door asks
 * `isBlocked` (front-door/sign-in-refused.ts `admitSignIn`) before it stores anything.
 *
 * A person is our userId (credentials/grant-props.ts `userIdFor`: instance host + Xano user id),
 * and also the email Xano gives for them, when the block knows one: the same person signing in
 * with another Xano account or on another instance under the same email is refused too. What such
 * another account already holds is not ended (grants are found per userId): block it as well.
 * An account Xano gives no email for is matched by userId alone.
 *
 * Storage (OAUTH_KV; persisted formats, change only with a migration):
 *   blocked:{userId}          BlockRecord (JSON), no expiry: until unblocked
 *   blocked-email:{email}     JSON array of the userIds whose block carries this (lower-case) email
 * A sign-in reads both keys in one bulk KV read. Like every KV write, a block reaches other
 * Cloudflare locations within about a minute.
 */
import type { OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import { allGrants, disconnect } from "../oauth/disconnect";
import { listPersonalTokens, revokePersonalToken, type PersonalTokenEnv } from "../credentials/personal-tokens";
import { log } from "../observability/log";

export interface BlockEnv extends PersonalTokenEnv {
  OAUTH_PROVIDER: OAuthHelpers;
}

export interface BlockRecord {
  userId: string;
  /** Lower case, as last known from the person's grants or tokens (or given by the operator); null: unknown. */
  email: string | null;
  /** Host of the instance, as last known from the person's grants or tokens; null: unknown. */
  instanceHost: string | null;
  /** Who blocked them (the operator's email). */
  blockedBy: string;
  blockedAt: number;
  reason?: string;
}

/** What a block ended. */
export interface BlockEnded {
  grants: number;
  personalTokens: number;
}

/** Who a sign-in or a grant is for: our userId and the email Xano gave. */
export interface BlockIdentity {
  userId: string;
  xanoUser: { email: string | null };
}

const RECORD_PREFIX = "blocked:";
const EMAIL_PREFIX = "blocked-email:";
const REASON_MAX = 500;
/** Our userIds (`xano.{host}.{id}`, userIdFor): no `:`, nothing a KV key could trip on. */
const USER_ID = /^[A-Za-z0-9._-]{1,300}$/;

/**
 * Blocks `userId` and ends what they hold. The block is written first, so a sign-in that starts
 * while their grants are being revoked is already refused. The email and instance are taken from
 * `options.email`, their tokens, their grants, or an earlier block of theirs, in that order.
 * Blocking again refreshes the record and ends anything made since.
 */
export async function blockPerson(env: BlockEnv, userId: string, options: { by: string; reason?: string; email?: string | null }): Promise<{ record: BlockRecord; ended: BlockEnded }> {
  checkUserId(userId);
  const previous = await blockOf(env.OAUTH_KV, userId);
  const grants = await allGrants(env.OAUTH_PROVIDER, userId);
  const tokens = await listPersonalTokens(env.OAUTH_KV, userId);
  const grantEmail = grants.map((grant) => grant.metadata?.label).find((label): label is string => typeof label === "string" && label.includes("@"));
  const email = normalEmail(options.email ?? tokens.find((token) => token.xanoUser.email)?.xanoUser.email ?? grantEmail ?? previous?.email);
  const grantInstance = grants.map((grant) => grant.metadata?.instance).find((instance): instance is string => typeof instance === "string");
  const reason = options.reason?.trim().slice(0, REASON_MAX);
  const record: BlockRecord = {
    userId,
    email,
    instanceHost: tokens[0]?.instanceHost ?? grantInstance ?? previous?.instanceHost ?? null,
    blockedBy: options.by,
    blockedAt: Date.now(),
    ...(reason ? { reason } : {}),
  };
  await env.OAUTH_KV.put(RECORD_PREFIX + userId, JSON.stringify(record));
  if (email) await setEmailBlocks(env.OAUTH_KV, email, (ids) => [...ids.filter((id) => id !== userId), userId]);
  if (previous?.email && previous.email !== email) await setEmailBlocks(env.OAUTH_KV, previous.email, (ids) => ids.filter((id) => id !== userId));

  // Listed again after the record is written: a grant minted meanwhile by a sign-in checked just before is caught too.
  const current = await allGrants(env.OAUTH_PROVIDER, userId);
  await disconnect(env.OAUTH_PROVIDER, env, userId, current);
  const currentTokens = await listPersonalTokens(env.OAUTH_KV, userId);
  for (const token of currentTokens) await revokePersonalToken(env, userId, token.id);
  const ended = { grants: current.length, personalTokens: currentTokens.length };
  log("person_blocked", { kind: "block", userId, grantsPurged: ended.grants, tokensPurged: ended.personalTokens });
  return { record, ended };
}

/**
 * Lifts the block on `userId` (they may sign in again; nothing they held comes back). The record
 * removed, or null. `by` is for the caller's record of operator actions (/admin keeps it); a log
 * line never carries an email unless debugging.
 */
export async function unblockPerson(env: { OAUTH_KV: KVNamespace }, userId: string, _operator: { by: string }): Promise<BlockRecord | null> {
  checkUserId(userId);
  const record = await blockOf(env.OAUTH_KV, userId);
  if (!record) return null;
  await env.OAUTH_KV.delete(RECORD_PREFIX + userId);
  if (record.email) await setEmailBlocks(env.OAUTH_KV, record.email, (ids) => ids.filter((id) => id !== userId));
  log("person_blocked", { kind: "unblock", userId });
  return record;
}

/** Everyone blocked, newest first (for /admin). */
export async function blockedPeople(kv: KVNamespace): Promise<BlockRecord[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix: RECORD_PREFIX, cursor });
    names.push(...page.keys.map((key) => key.name));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  const records = await Promise.all(names.map((name) => kv.get<BlockRecord>(name, { type: "json" })));
  return records.filter((record): record is BlockRecord => record !== null).sort((a, b) => b.blockedAt - a.blockedAt);
}

/** Whether this person is blocked, by userId or by email: one KV read (a bulk read of both keys). */
export async function isBlocked(kv: KVNamespace, identity: BlockIdentity): Promise<boolean> {
  const email = normalEmail(identity.xanoUser.email);
  if (!email) return (await kv.get(RECORD_PREFIX + identity.userId)) !== null;
  const found = await kv.get([RECORD_PREFIX + identity.userId, EMAIL_PREFIX + email]);
  return [...found.values()].some((value) => value !== null);
}

/** This person's block, or null (by userId only: for /admin's person page). */
export async function blockOf(kv: KVNamespace, userId: string): Promise<BlockRecord | null> {
  return kv.get<BlockRecord>(RECORD_PREFIX + userId, { type: "json" });
}

/** Rewrites the userIds an email blocks; the key goes when none is left. */
async function setEmailBlocks(kv: KVNamespace, email: string, change: (ids: string[]) => string[]): Promise<void> {
  const ids = change((await kv.get<string[]>(EMAIL_PREFIX + email, { type: "json" })) ?? []);
  if (ids.length === 0) await kv.delete(EMAIL_PREFIX + email);
  else await kv.put(EMAIL_PREFIX + email, JSON.stringify(ids));
}

function normalEmail(email: string | null | undefined): string | null {
  const normal = email?.trim().toLowerCase();
  return normal ? normal : null;
}

function checkUserId(userId: string): void {
  if (!USER_ID.test(userId)) throw new TypeError("not a user id of this server");
}
