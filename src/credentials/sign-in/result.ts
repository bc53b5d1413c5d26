/** What every sign-in method produces: who the person is to Xano, and the credential to store. */
import type { XanoCredential } from "../credential";
import type { XanoUserSummary } from "../grant-props";
import { XanoMetaClient } from "../../xano/client";
import { staticBearer } from "../../xano/http";
import { UPSTREAM_TOO_LARGE, XanoApiError } from "../../xano/errors";
import { sha256Hex } from "../../lib/secrets";

export type SignInResult = { ok: true; user: XanoUserSummary; credential: XanoCredential; proof: CredentialProof } | { ok: false; message: string };

/**
 * What a sign-in proves, which decides the connections it may see and revoke on /apps
 * (oauth/disconnect.ts). "account": the Xano account itself (Sign in with Xano), so every
 * connection of that Xano user. Otherwise one credential: a Metadata API token (which may be a
 * narrow one the account owner handed out) or one app user of a Xano app (app users may share the
 * owner's api_key), named by a fingerprint; such a sign-in sees only the connections made with
 * that same credential. The fingerprint is a SHA-256 of the method, where the credential lives and
 * the token or app user; stored in the grant's (plaintext) metadata, it reveals neither.
 */
export type CredentialProof = "account" | `credential:${string}`;

export async function metadataTokenProof(metaApiBase: string, token: string): Promise<CredentialProof> {
  return `credential:${await sha256Hex(`metadata_token\0${new URL(metaApiBase).host}\0${token}`)}`;
}

export async function appUserProof(authBase: string, email: string): Promise<CredentialProof> {
  return `credential:${await sha256Hex(`app_auth\0${authBase}\0${email.trim().toLowerCase()}`)}`;
}

/** Asks the instance who this bearer belongs to (`GET /api:meta/auth/me`). */
export async function identify(metaApiBase: string, token: string): Promise<{ ok: true; user: XanoUserSummary } | { ok: false; message: string }> {
  const host = new URL(metaApiBase).host;
  try {
    const me = await new XanoMetaClient(metaApiBase, staticBearer(token)).me();
    if (me === null || typeof me !== "object" || (typeof me.id !== "number" && typeof me.id !== "string")) {
      return { ok: false, message: `${host} answered, but not like a Xano instance. Check the instance URL.` };
    }
    return { ok: true, user: { id: me.id, name: me.name ?? null, email: me.email ?? null } };
  } catch (error) {
    if (!(error instanceof XanoApiError)) throw error;
    return { ok: false, message: describeSignInFailure(error, host) };
  }
}

export function describeSignInFailure(error: XanoApiError, host: string): string {
  if (error.status === 0) return `Could not reach ${host}. Check the address and try again.`;
  if (error.code === UPSTREAM_TOO_LARGE) return `${host} answered with far more data than a Xano sign-in check returns. Check the instance URL.`;
  if (error.status === 401 || error.status === 403) {
    return `Xano did not accept this token for ${host}. Check that you copied the whole token, that it was created on this instance, and that it has not expired or been revoked.`;
  }
  if (error.status === 404) return `${host} has no Xano Metadata API at /api:meta. Check the instance URL.`;
  if (error.status === 429) return "Xano is rate-limiting sign-in checks. Wait a minute and try again.";
  return `Xano answered with an error (HTTP ${error.status}) while checking the sign-in. Try again in a moment.`;
}
