/**
 * A short-lived sign-in session: who signed in (and their Xano credential) between the sign-in
 * page and the consent page, and for re-authorizing another client soon after.
 *
 * The browser holds only a random 256-bit session id in a `__Host-` cookie. KV holds, under the
 * SHA-256 of that id, the session encrypted with AES-GCM under a key derived from the id. Whoever
 * reads KV without the cookie learns nothing; the credential is never in plaintext storage.
 */
import { userIdFor, type XanoUserSummary } from "../credentials/grant-props";
import type { XanoCredential } from "../credentials/credential";
import type { CredentialProof, SignInResult } from "../credentials/sign-in/result";
import { clearHostCookie, hostCookie, readCookie } from "../lib/cookies";
import { importKey, seal, unseal } from "../credentials/encryption";
import { randomToken, sha256, sha256Hex } from "../lib/secrets";

export const SESSION_COOKIE = "__Host-xano-mcp-session";
const SESSION_TTL_SECONDS = 30 * 60;
const KEY_PREFIX = "signin-session:";

export interface SignInSession {
  userId: string;
  xanoUser: XanoUserSummary;
  /**
   * The credential a new grant gets. Null when the person signed in only to manage their connected
   * apps through "Sign in with Xano" (front-door/apps.ts): Xano's refresh tokens rotate, so a copy
   * here could later be handed to a second grant and be spent by the first. Such a session lists
   * and revokes apps, and /authorize asks it to sign in again.
   */
  credential: XanoCredential | null;
  /**
   * For a session without a credential (Sign in with Xano on /apps, or before an upstream MCP
   * server's consent): the method and instance it was signed in with. That is enough to connect an
   * upstream server, whose grant holds that server's credential only (src/upstream/consent.ts).
   */
  signedInWith?: SignedInWith;
  /**
   * What the sign-in proved (credentials/sign-in/result.ts): which connections /apps shows and
   * revokes. Sessions from before this field existed prove nothing and see no connection.
   */
  proof?: CredentialProof;
  signedInAt: number;
}

/** How and on which instance a person signed in, without the credential. */
export type SignedInWith = Pick<XanoCredential, "method" | "metaApiBase">;

/** A session that can authorize a new client: it holds a credential. */
export type CredentialSession = SignInSession & { credential: XanoCredential };

export function canAuthorize(session: SignInSession | null): session is CredentialSession {
  return session !== null && session.credential !== null;
}

/** A sign-in as an upstream MCP server's consent needs it: who, and how and where they signed in. */
export type IdentifiedSignIn = Omit<SignInSession, "credential"> & { credential: XanoCredential | SignedInWith };
export type IdentifiedSession = IdentifiedSignIn & { binding: string };

/**
 * The session, if it can authorize a connection to an upstream MCP server: any session that knows
 * how and where its person signed in (one holding a credential, or an identity-only one).
 */
export function identifiedSession(session: BoundSignInSession | null): IdentifiedSession | null {
  if (!session) return null;
  const credential = session.credential ?? session.signedInWith;
  return credential ? { ...session, credential } : null;
}

/**
 * The session, if it may authorize this connection: for an upstream MCP server any identified one
 * (its grant keeps no Xano credential), for Xano's own MCP one holding a credential.
 */
export function sessionThatConnects(session: BoundSignInSession | null, upstream: boolean): IdentifiedSession | null {
  return upstream ? identifiedSession(session) : canAuthorize(session) ? session : null;
}

/** A session that knows who signed in and how, but holds no credential to hand on (identity only). */
export function identityOnly(session: CredentialSession): SignInSession {
  return { ...session, credential: null, signedInWith: { method: session.credential.method, metaApiBase: session.credential.metaApiBase } };
}

/** The session a successful sign-in starts (the caller stores it, or mints a grant from it). */
export function sessionFrom(result: Extract<SignInResult, { ok: true }>): CredentialSession {
  return { userId: userIdFor(result.credential.metaApiBase, result.user.id), xanoUser: result.user, credential: result.credential as XanoCredential, proof: result.proof, signedInAt: Date.now() };
}

/**
 * A session as read back, with `binding`: a public name of this one session (derived from its id,
 * which it does not reveal). The consent page carries it, so approving grants the sign-in the page
 * showed, not one another tab made meanwhile (the cookie holds only the latest session).
 */
export type BoundSignInSession = SignInSession & { binding: string };

export async function createSignInSession(kv: KVNamespace, session: SignInSession): Promise<{ setCookie: string; binding: string }> {
  const id = randomToken(32);
  await kv.put(KEY_PREFIX + (await sha256Hex(id)), await seal(await sessionKey(id), session), { expirationTtl: SESSION_TTL_SECONDS });
  return { setCookie: hostCookie(SESSION_COOKIE, id, SESSION_TTL_SECONDS), binding: await bindingOf(id) };
}

export async function readSignInSession(kv: KVNamespace, request: Request): Promise<BoundSignInSession | null> {
  const id = readCookie(request, SESSION_COOKIE);
  if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
  const stored = await kv.get(KEY_PREFIX + (await sha256Hex(id)));
  if (!stored) return null;
  const session = await unseal<SignInSession>(await sessionKey(id), stored);
  return session ? { ...session, binding: await bindingOf(id) } : null;
}

function bindingOf(id: string): Promise<string> {
  return sha256Hex(`xano-mcp sign-in session binding\0${id}`);
}

export async function endSignInSession(kv: KVNamespace, request: Request): Promise<{ setCookie: string }> {
  const id = readCookie(request, SESSION_COOKIE);
  if (id) await kv.delete(KEY_PREFIX + (await sha256Hex(id)));
  return { setCookie: clearHostCookie(SESSION_COOKIE) };
}

async function sessionKey(id: string): Promise<CryptoKey> {
  return importKey(await sha256(`xano-mcp sign-in session key\0${id}`));
}
