/**
 * Dead credentials for /admin: connections whose credential store says its Xano credential died
 * (a refresh Xano refused, an expired token that cannot be refreshed; credentials/credential-store.ts
 * `status()`), or that hold none at all. Their apps get 401 until their person signs in again.
 *
 * Finding them costs one Durable Object call per connection (and one KV read per grant, for its
 * store's name), so one page load checks at most CHECKS_PER_PAGE connections, in a stable order
 * (people's ids, then apps before tokens): page N checks the Nth window and lists what it found.
 */
import { credentialStoreFor, type CredentialStoreEnv } from "../credentials/credential-store";
import { readDirectory, type Connection } from "./people";

export const CHECKS_PER_PAGE = 25;

export interface DeadConnection extends Connection {
  reason: string;
  /** When it died, or null when the store holds nothing. */
  diedAt: number | null;
}

export interface DeadCredentialScan {
  dead: DeadConnection[];
  /** The window checked: connections [from, to) of `total`. */
  from: number;
  to: number;
  total: number;
}

export async function scanDeadCredentials(env: CredentialStoreEnv & { OAUTH_KV: KVNamespace }, pageNumber: number): Promise<DeadCredentialScan> {
  const { people } = await readDirectory(env.OAUTH_KV);
  const all = [...people.keys()].sort().flatMap((userId) => people.get(userId)!);
  const from = Math.min(all.length, (pageNumber - 1) * CHECKS_PER_PAGE);
  const window = all.slice(from, from + CHECKS_PER_PAGE);
  const checked = await Promise.all(window.map(async (connection) => ({ connection, storeId: await storeIdOf(env.OAUTH_KV, connection) })));
  const found = await Promise.all(
    checked.map(async ({ connection, storeId }): Promise<DeadConnection | null> => {
      // A grant from before grants recorded their store (no storeId) has nothing to check.
      if (!storeId) return null;
      const status = await credentialStoreFor(env, storeId).status();
      if (!status) return { ...connection, reason: "No credential is stored for it.", diedAt: null };
      return status.dead ? { ...connection, reason: status.dead.reason, diedAt: status.dead.at } : null;
    }),
  );
  return { dead: found.filter((connection): connection is DeadConnection => connection !== null), from, to: from + window.length, total: all.length };
}

async function storeIdOf(kv: KVNamespace, connection: Connection): Promise<string | null> {
  if (connection.kind === "token") return connection.storeId ?? null;
  const grant = await kv.get<{ metadata?: { storeId?: unknown } }>(`grant:${connection.userId}:${connection.id}`, { type: "json" });
  const storeId = grant?.metadata?.storeId;
  return typeof storeId === "string" && storeId !== "" ? storeId : null;
}
