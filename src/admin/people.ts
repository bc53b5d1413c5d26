/**
 * Everyone who has connected, for /admin: discovered from what OAUTH_KV holds, not from a list of
 * our own, so nobody can be missing from it.
 *
 *   grant:{userId}:{grantId}     a grant (workers-oauth-provider 1.2; operations/purge.ts documents
 *                                the format). Its readable metadata names the person (`label`: their
 *                                email, or their Xano id) and the instance (oauth/grant.ts).
 *   pat-user:{userId}:{id}       a personal access token's index entry (credentials/personal-tokens.ts).
 *
 * Listing reads keys only (1,000 a KV list call, at most MAX_KEYS of each kind a page load); the
 * identity of the people on the page shown is then read from one grant, or one token, each.
 */
import type { ActivityEnv } from "../activity/record";
import { listPersonalTokens, type PersonalTokenEnv, type PersonalTokenRecord } from "../credentials/personal-tokens";
import { ensureSchema } from "../activity/schema";

export type PeopleEnv = PersonalTokenEnv & ActivityEnv;

/** Enough for a team's deployment; beyond it the listing says it was cut short. */
const MAX_KEYS = 10_000;

export interface Connection {
  kind: "app" | "token";
  userId: string;
  /** The grant id, or the personal token's id. */
  id: string;
  /** The token's credential store, known from its index entry; a grant's is in its record. */
  storeId?: string;
}

export interface Directory {
  /** Every person's connections, by user id. */
  people: Map<string, Connection[]>;
  /** True when there were more keys than one page load reads. */
  truncated: boolean;
}

/** Every grant and personal token in KV, by person (keys only). */
export async function readDirectory(kv: KVNamespace): Promise<Directory> {
  const people = new Map<string, Connection[]>();
  const add = (connection: Connection) => people.set(connection.userId, [...(people.get(connection.userId) ?? []), connection]);
  const grants = await listKeys<unknown>(kv, "grant:");
  for (const key of grants.keys) {
    const [, userId, grantId] = key.name.split(":");
    if (userId && grantId) add({ kind: "app", userId, id: grantId });
  }
  const tokens = await listKeys<{ storeId?: string }>(kv, "pat-user:");
  for (const key of tokens.keys) {
    const [, userId, id] = key.name.split(":");
    if (userId && id) add({ kind: "token", userId, id, ...(key.metadata?.storeId ? { storeId: key.metadata.storeId } : {}) });
  }
  return { people, truncated: grants.truncated || tokens.truncated };
}

async function listKeys<M>(kv: KVNamespace, prefix: string): Promise<{ keys: Array<KVNamespaceListKey<M>>; truncated: boolean }> {
  const keys: Array<KVNamespaceListKey<M>> = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list<M>({ prefix, cursor });
    keys.push(...page.keys);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor && keys.length < MAX_KEYS);
  return { keys, truncated: cursor !== undefined };
}

export interface Person {
  userId: string;
  /** Their email, or their Xano id when Xano gave no email. */
  label: string;
  name: string | null;
  instance: string;
  apps: number;
  tokens: number;
  /** Their latest tool call (within activity retention), or null. */
  lastActiveAt: number | null;
  calls: number;
}

/** Who this person is, from one of their grants or tokens; the user id's own host as a fallback. */
export async function identify(kv: KVNamespace, userId: string, connections: readonly Connection[]): Promise<Pick<Person, "label" | "name" | "instance">> {
  const app = connections.find((c) => c.kind === "app");
  if (app) {
    const grant = await kv.get<{ metadata?: { label?: unknown; instance?: unknown } }>(`grant:${userId}:${app.id}`, { type: "json" });
    const label = typeof grant?.metadata?.label === "string" ? grant.metadata.label : null;
    const instance = typeof grant?.metadata?.instance === "string" ? grant.metadata.instance : null;
    if (label && instance) return { label, name: null, instance };
  }
  const [token] = connections.some((c) => c.kind === "token") ? await listPersonalTokens(kv, userId) : [];
  if (token) return identityOfToken(token);
  return { label: userId, name: null, instance: hostOfUserId(userId) };
}

function identityOfToken(token: PersonalTokenRecord): Pick<Person, "label" | "name" | "instance"> {
  return { label: token.xanoUser.email ?? String(token.xanoUser.id), name: token.xanoUser.name, instance: token.instanceHost };
}

/** `xano.{host}.{id}` (credentials/grant-props.ts userIdFor): the host part. */
function hostOfUserId(userId: string): string {
  return userId.replace(/^xano\./, "").replace(/\.[^.]*$/, "");
}

/** Each person's (or one person's) latest call and number of calls within retention. */
export async function lastActivity(env: ActivityEnv, userId?: string): Promise<Map<string, { lastAt: number; calls: number }>> {
  await ensureSchema(env.ACTIVITY_DB);
  const where = userId === undefined ? "" : " WHERE user_id = ?";
  const result = await env.ACTIVITY_DB.prepare(`SELECT user_id, MAX(at) AS last_at, COUNT(*) AS calls FROM activity${where} GROUP BY user_id`)
    .bind(...(userId === undefined ? [] : [userId]))
    .all<{ user_id: string; last_at: number; calls: number }>();
  return new Map(result.results.map((row) => [row.user_id, { lastAt: row.last_at, calls: row.calls }]));
}

/**
 * One page of people, the most recently active first (then those with no recorded call, by id),
 * with their identity and counts; `total` people in all.
 */
export async function listPeople(env: PeopleEnv, page: { offset: number; limit: number }): Promise<{ people: Person[]; total: number; truncated: boolean }> {
  const [directory, activity] = await Promise.all([readDirectory(env.OAUTH_KV), lastActivity(env)]);
  const ordered = [...directory.people.keys()].sort((a, b) => (activity.get(b)?.lastAt ?? 0) - (activity.get(a)?.lastAt ?? 0) || a.localeCompare(b));
  const shown = ordered.slice(page.offset, page.offset + page.limit);
  const people = await Promise.all(
    shown.map(async (userId): Promise<Person> => {
      const connections = directory.people.get(userId)!;
      return {
        userId,
        ...(await identify(env.OAUTH_KV, userId, connections)),
        apps: connections.filter((c) => c.kind === "app").length,
        tokens: connections.filter((c) => c.kind === "token").length,
        lastActiveAt: activity.get(userId)?.lastAt ?? null,
        calls: activity.get(userId)?.calls ?? 0,
      };
    }),
  );
  return { people, total: ordered.length, truncated: directory.truncated };
}
