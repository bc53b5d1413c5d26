/** What every sign-in method produces: who the person is to Xano, and the credential to store. */
import type { XanoCredential } from "../credential";
import type { XanoUserSummary } from "../grant-props";
import { XanoMetaClient, staticBearer } from "../../xano/client";
import { UPSTREAM_TOO_LARGE, XanoApiError } from "../../xano/errors";

export type SignInResult = { ok: true; user: XanoUserSummary; credential: XanoCredential } | { ok: false; message: string };

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
