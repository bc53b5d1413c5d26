/**
 * Personal access tokens' records, and turning a token into the props an OAuth grant carries, so
 * /mcp and /sse serve it through the same code path (index.ts passes `resolvePersonalToken` to
 * workers-oauth-provider as `resolveExternalToken`).
 *
 * Storage (OAUTH_KV; persisted formats, change only with a migration):
 *   pat:{sha256hex(token)}               the record (PersonalTokenRecord). The token itself is
 *                                        never stored; its hash is the only way to the record.
 *   pat-user:{userId}:{id}               the person's index: value = the record's hash; metadata =
 *                                        { expiresAt, storeId } for the cap and the purge.
 * Both carry a KV expiration a week past the token's expiry (none for a token that never
 * expires), so /apps can still show an expired token for a while; the scheduled purge removes
 * expired ones and empties their credential store (operations/purge.ts).
 *
 * Each token has its own credential store (credential-store.ts; a copy of the person's credential
 * sealed at creation), sealed under a random storeKey like a grant's. Reconnecting (after the
 * credential died) must seal a fresh credential without the token, and a reader of KV must still
 * learn nothing, so the storeKey is wrapped with RSA-OAEP: the public key is in the record, the
 * private key is sealed under a key derived from the token. Anyone may wrap a new storeKey; only
 * the token holder can unwrap it.
 */
import type { GrantAccess, GrantProps, XanoUserSummary } from "./grant-props";
import type { XanoCredential, SignInMethod } from "./credential";
import type { CredentialProof } from "./sign-in/result";
import { credentialStoreFor, type CredentialStoreEnv } from "./credential-store";
import { importKey, newRawKey, seal, unseal } from "./encryption";
import { base64Url, fromBase64Url, randomToken, sha256, sha256Hex } from "../lib/secrets";
import { PERSONAL_TOKENS_PER_PERSON, isPersonalTokenShaped, mintPersonalToken } from "./personal-token-format";

export interface PersonalTokenEnv extends CredentialStoreEnv {
  OAUTH_KV: KVNamespace;
}

export interface PersonalTokenRecord {
  /** Public, random: what forms on /apps name. */
  id: string;
  name: string;
  userId: string;
  xanoUser: XanoUserSummary;
  proof?: CredentialProof;
  access: GrantAccess;
  /** Toolset names as the consent page records them ([] = only the catalogue tools). */
  toolsets: string[];
  method: SignInMethod;
  instanceHost: string;
  createdAt: number;
  /** Ms since epoch, or null: never expires (only where PERSONAL_TOKENS_ALLOW_NO_EXPIRY=true). */
  expiresAt: number | null;
  storeId: string;
  /** RSA-OAEP public key (SPKI, base64url). */
  publicKey: string;
  /** The private key (PKCS#8, base64url) sealed under a key derived from the token. */
  sealedPrivateKey: string;
  /** The store's key, encrypted to the public key. */
  wrappedStoreKey: string;
}

interface IndexMetadata {
  expiresAt: number | null;
  storeId: string;
}

const RECORD_PREFIX = "pat:";
const INDEX_PREFIX = "pat-user:";
const KEEP_AFTER_EXPIRY_SECONDS = 7 * 24 * 60 * 60;
const RSA = { name: "RSA-OAEP", hash: "SHA-256" } as const;

export interface NewPersonalToken {
  name: string;
  access: GrantAccess;
  toolsets: string[];
  lifetimeDays: number | null;
}

export type CreateResult = { ok: true; token: string; record: PersonalTokenRecord } | { ok: false; reason: "cap" };

/** Who creates a token: a sign-in that holds a credential (front-door/sign-in-session.ts). */
export interface TokenOwner {
  userId: string;
  xanoUser: XanoUserSummary;
  proof?: CredentialProof;
  credential: XanoCredential;
}

export async function createPersonalToken(env: PersonalTokenEnv, owner: TokenOwner, wanted: NewPersonalToken, now = Date.now()): Promise<CreateResult> {
  const live = (await indexOf(env.OAUTH_KV, owner.userId)).filter((entry) => !isExpired(entry.metadata.expiresAt, now));
  if (live.length >= PERSONAL_TOKENS_PER_PERSON) return { ok: false, reason: "cap" };
  const token = mintPersonalToken();
  const keys = (await crypto.subtle.generateKey({ ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, ["encrypt", "decrypt"])) as CryptoKeyPair;
  const publicKey = base64Url(new Uint8Array((await crypto.subtle.exportKey("spki", keys.publicKey)) as ArrayBuffer));
  const privateKey = base64Url(new Uint8Array((await crypto.subtle.exportKey("pkcs8", keys.privateKey)) as ArrayBuffer));
  const storeId = `pat.${randomToken(24)}`;
  const storeKey = newRawKey();
  await credentialStoreFor(env, storeId).initialize(storeKey, owner.credential);
  const record: PersonalTokenRecord = {
    id: randomToken(12),
    name: wanted.name,
    userId: owner.userId,
    xanoUser: owner.xanoUser,
    ...(owner.proof ? { proof: owner.proof } : {}),
    access: wanted.access,
    toolsets: wanted.toolsets,
    method: owner.credential.method,
    instanceHost: new URL(owner.credential.metaApiBase).host,
    createdAt: now,
    expiresAt: wanted.lifetimeDays === null ? null : now + wanted.lifetimeDays * 24 * 60 * 60 * 1000,
    storeId,
    publicKey,
    sealedPrivateKey: await seal(await tokenKey(token), privateKey),
    wrappedStoreKey: await wrap(publicKey, storeKey),
  };
  const hash = await sha256Hex(token);
  await write(env.OAUTH_KV, hash, record);
  return { ok: true, token, record };
}

/**
 * The props an OAuth grant would carry, for a personal token; "expired" for one past its expiry;
 * null for anything we do not know (not our shape, revoked, purged).
 */
export async function resolvePersonalToken(kv: KVNamespace, token: string, now = Date.now()): Promise<GrantProps | "expired" | null> {
  if (!isPersonalTokenShaped(token)) return null;
  const record = await kv.get<PersonalTokenRecord>(RECORD_PREFIX + (await sha256Hex(token)), { type: "json" });
  if (!record) return null;
  if (isExpired(record.expiresAt, now)) return "expired";
  const storeKey = await unwrapStoreKey(token, record);
  if (!storeKey) return null;
  return {
    userId: record.userId,
    xanoUser: record.xanoUser,
    method: record.method,
    instanceHost: record.instanceHost,
    storeId: record.storeId,
    storeKey,
    signedInAt: record.createdAt,
    access: record.access,
    toolsets: record.toolsets,
    personalTokenId: record.id,
    personalTokenName: record.name,
    ...(record.proof ? { proof: record.proof } : {}),
  };
}

/** The person's tokens (expired ones too, until the purge), newest first. */
export async function listPersonalTokens(kv: KVNamespace, userId: string): Promise<PersonalTokenRecord[]> {
  const entries = await indexOf(kv, userId);
  const records = await Promise.all(entries.map((entry) => kv.get<PersonalTokenRecord>(RECORD_PREFIX + entry.hash, { type: "json" })));
  return records.filter((record): record is PersonalTokenRecord => record !== null).sort((a, b) => b.createdAt - a.createdAt);
}

/** Revokes the person's token `id` (someone else's id finds nothing): the record, its index entry and its credential. */
export async function revokePersonalToken(env: PersonalTokenEnv, userId: string, id: string): Promise<boolean> {
  const found = await findOwn(env.OAUTH_KV, userId, id);
  if (!found) return false;
  await env.OAUTH_KV.delete(RECORD_PREFIX + found.hash);
  await env.OAUTH_KV.delete(indexKey(userId, id));
  await credentialStoreFor(env, found.record.storeId).forget();
  return true;
}

/**
 * Seals `credential` (the person's fresh sign-in) into the token's store under a new storeKey,
 * wrapped to the token's public key: the token keeps working unchanged.
 */
export async function reconnectPersonalToken(env: PersonalTokenEnv, owner: TokenOwner, id: string): Promise<boolean> {
  const found = await findOwn(env.OAUTH_KV, owner.userId, id);
  if (!found) return false;
  const storeKey = newRawKey();
  await credentialStoreFor(env, found.record.storeId).initialize(storeKey, owner.credential);
  const record: PersonalTokenRecord = { ...found.record, method: owner.credential.method, wrappedStoreKey: await wrap(found.record.publicKey, storeKey) };
  await write(env.OAUTH_KV, found.hash, record);
  return true;
}

/** One bounded batch of the purge: expired tokens' records, index entries and credential stores. */
export async function purgeExpiredPersonalTokens(env: PersonalTokenEnv, now: number, batchSize: number, cursor?: string): Promise<{ checked: number; purged: number; cursor: string | null }> {
  const page = await env.OAUTH_KV.list<IndexMetadata>({ prefix: INDEX_PREFIX, limit: batchSize, cursor });
  let purged = 0;
  for (const key of page.keys) {
    if (!key.metadata || !isExpired(key.metadata.expiresAt, now)) continue;
    const hash = await env.OAUTH_KV.get(key.name);
    if (hash) await env.OAUTH_KV.delete(RECORD_PREFIX + hash);
    await env.OAUTH_KV.delete(key.name);
    await credentialStoreFor(env, key.metadata.storeId).forget();
    purged++;
  }
  return { checked: page.keys.length, purged, cursor: page.list_complete ? null : page.cursor };
}

export function isExpired(expiresAt: number | null, now: number): boolean {
  return expiresAt !== null && expiresAt <= now;
}

async function findOwn(kv: KVNamespace, userId: string, id: string): Promise<{ hash: string; record: PersonalTokenRecord } | null> {
  if (!/^[A-Za-z0-9_-]{16}$/.test(id)) return null;
  const hash = await kv.get(indexKey(userId, id));
  const record = hash ? await kv.get<PersonalTokenRecord>(RECORD_PREFIX + hash, { type: "json" }) : null;
  return hash && record && record.userId === userId ? { hash, record } : null;
}

async function indexOf(kv: KVNamespace, userId: string): Promise<Array<{ hash: string; metadata: IndexMetadata }>> {
  const entries: Array<{ name: string; metadata: IndexMetadata }> = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list<IndexMetadata>({ prefix: `${INDEX_PREFIX}${userId}:`, cursor });
    for (const key of page.keys) if (key.metadata) entries.push({ name: key.name, metadata: key.metadata });
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  const hashes = await Promise.all(entries.map((entry) => kv.get(entry.name)));
  return entries.flatMap((entry, index) => (hashes[index] ? [{ hash: hashes[index]!, metadata: entry.metadata }] : []));
}

async function write(kv: KVNamespace, hash: string, record: PersonalTokenRecord): Promise<void> {
  const expiration = record.expiresAt === null ? {} : { expiration: Math.ceil(record.expiresAt / 1000) + KEEP_AFTER_EXPIRY_SECONDS };
  const metadata: IndexMetadata = { expiresAt: record.expiresAt, storeId: record.storeId };
  await kv.put(RECORD_PREFIX + hash, JSON.stringify(record), expiration);
  await kv.put(indexKey(record.userId, record.id), hash, { ...expiration, metadata });
}

function indexKey(userId: string, id: string): string {
  return `${INDEX_PREFIX}${userId}:${id}`;
}

async function tokenKey(token: string): Promise<CryptoKey> {
  return importKey(await sha256(`xano-mcp personal token key\0${token}`));
}

/** The store's key, unwrapped with the private key only the token unseals; null for a record it does not open. */
async function unwrapStoreKey(token: string, record: PersonalTokenRecord): Promise<string | null> {
  const privateKey = await unseal<string>(await tokenKey(token), record.sealedPrivateKey);
  if (!privateKey) return null;
  try {
    const key = await crypto.subtle.importKey("pkcs8", fromBase64Url(privateKey), RSA, false, ["decrypt"]);
    return new TextDecoder().decode(await crypto.subtle.decrypt(RSA, key, fromBase64Url(record.wrappedStoreKey)));
  } catch {
    return null;
  }
}

async function wrap(publicKey: string, storeKey: string): Promise<string> {
  const key = await crypto.subtle.importKey("spki", fromBase64Url(publicKey), RSA, false, ["encrypt"]);
  return base64Url(new Uint8Array(await crypto.subtle.encrypt(RSA, key, new TextEncoder().encode(storeKey))));
}
