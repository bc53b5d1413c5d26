/**
 * The scheduled clean-up (cron trigger in wrangler.toml; the only place this server lists KV).
 *
 * How workers-oauth-provider 1.2 stores what we purge (all in OAUTH_KV):
 *   client:{clientId}                      a registration. Dynamically registered clients carry
 *                                          `registrationExpiresAt` (epoch seconds) when
 *                                          `clientRegistrationTTL` is set, and are written with
 *                                          the same KV expiration.
 *   grant:{userId}:{grantId}               a grant, with `expiresAt` (epoch seconds) for grants
 *                                          whose refresh token expires, and a KV expiration.
 *   token:{userId}:{grantId}:{tokenId}     an access token (hashed id), KV expiration = its expiry.
 *
 * KV expirations already remove most of these on time. The sweep is defence in depth for what
 * they miss, each run doing one bounded batch and resuming from a cursor kept in KV:
 *   1. registrations whose `registrationExpiresAt` has passed but whose record is still readable
 *      (written before the TTL was configured and updated later, restored from a backup, or
 *      lingering at the edge) are deleted: the library would still honour them, since its token
 *      endpoint checks the record's existence, not the stamp;
 *   2. then the library's `purgeExpiredData()`: grants whose `expiresAt` has passed, grants whose
 *      client no longer exists (which includes the registrations deleted in step 1 — this is what
 *      ends their grants), and tokens whose grant no longer exists.
 *   3. personal access tokens past their expiry (credentials/personal-tokens.ts): record, index
 *      entry and credential store (KV would drop the first two a week later; the store it cannot).
 * Registrations without a stamp (created with `createClient()`, or never-expiring) are kept.
 *
 * Not purged: a grant's credential store (a Durable Object). Durable Objects cannot be listed, and
 * the store's name is inside the grant's encrypted props, which only a token holder can decrypt;
 * a store outlives its grant only as one small sealed record, unreadable without the grant's key.
 * Logout and dead credentials empty or mark their store at the time they end the grant.
 */
import type { PurgeResult } from "@cloudflare/workers-oauth-provider";
import { log } from "../observability/log";
import { purgeExpiredPersonalTokens, type PersonalTokenEnv } from "../credentials/personal-tokens";

export type PurgeEnv = PersonalTokenEnv;

/** Whatever can run the library's sweep: the OAuthProvider instance, or its helpers. */
export interface ExpiredDataPurger {
  purgeExpiredData(env: PurgeEnv, options: { batchSize?: number; cursor?: string }): Promise<PurgeResult>;
}

const CLIENT_CURSOR_KEY = "xano-mcp:purge-cursor:clients";
const LIBRARY_CURSOR_KEY = "xano-mcp:purge-cursor:grants";
const PERSONAL_TOKEN_CURSOR_KEY = "xano-mcp:purge-cursor:personal-tokens";
export const PURGE_BATCH_SIZE = 100;

export interface PurgeReport {
  clientsChecked: number;
  clientsPurged: number;
  grantsChecked: number;
  grantsPurged: number;
  tokensChecked: number;
  tokensPurged: number;
  personalTokensChecked: number;
  personalTokensPurged: number;
  done: boolean;
}

export async function purgeExpired(purger: ExpiredDataPurger, env: PurgeEnv, now = Date.now(), batchSize = PURGE_BATCH_SIZE): Promise<PurgeReport> {
  const started = performance.now();
  const clients = await purgeExpiredClients(env.OAUTH_KV, Math.floor(now / 1000), batchSize);
  const cursor = (await env.OAUTH_KV.get(LIBRARY_CURSOR_KEY)) ?? undefined;
  const library = await purger.purgeExpiredData(env, { batchSize, cursor });
  if (library.cursor) await env.OAUTH_KV.put(LIBRARY_CURSOR_KEY, library.cursor);
  else if (cursor) await env.OAUTH_KV.delete(LIBRARY_CURSOR_KEY);
  const patCursor = (await env.OAUTH_KV.get(PERSONAL_TOKEN_CURSOR_KEY)) ?? undefined;
  const personal = await purgeExpiredPersonalTokens(env, now, batchSize, patCursor);
  if (personal.cursor) await env.OAUTH_KV.put(PERSONAL_TOKEN_CURSOR_KEY, personal.cursor);
  else if (patCursor) await env.OAUTH_KV.delete(PERSONAL_TOKEN_CURSOR_KEY);
  const report: PurgeReport = {
    clientsChecked: clients.checked,
    clientsPurged: clients.purged,
    grantsChecked: library.grantsChecked,
    grantsPurged: library.grantsPurged,
    tokensChecked: library.tokensChecked,
    tokensPurged: library.tokensPurged,
    personalTokensChecked: personal.checked,
    personalTokensPurged: personal.purged,
    done: clients.done && library.done && personal.cursor === null,
  };
  log("purge", { ...report, durationMs: performance.now() - started });
  return report;
}

async function purgeExpiredClients(kv: KVNamespace, nowSeconds: number, batchSize: number): Promise<{ checked: number; purged: number; done: boolean }> {
  const cursor = (await kv.get(CLIENT_CURSOR_KEY)) ?? undefined;
  const page = await kv.list({ prefix: "client:", limit: batchSize, cursor });
  let purged = 0;
  for (const key of page.keys) {
    const client = await kv.get<{ registrationExpiresAt?: unknown }>(key.name, { type: "json" });
    if (client && typeof client.registrationExpiresAt === "number" && client.registrationExpiresAt <= nowSeconds) {
      await kv.delete(key.name);
      purged++;
    }
  }
  if (page.list_complete) {
    if (cursor) await kv.delete(CLIENT_CURSOR_KEY);
  } else {
    await kv.put(CLIENT_CURSOR_KEY, page.cursor);
  }
  return { checked: page.keys.length, purged, done: page.list_complete };
}

