/**
 * Sign-in with email and password against a Xano app's custom auth group (XANO_AUTH_URL), as the
 * original server did, minus its defects: the password is used once and never stored; the stored
 * authToken is what "refresh" re-reads `auth/me` with, to get the user's current `api_key`.
 */
import { NO_BEARER, XanoHttp, staticBearer } from "../../xano/http";
import { UPSTREAM_TOO_LARGE, XanoApiError } from "../../xano/errors";
import { typedInstanceMetaApiBase, type InstanceHostPolicy } from "../../xano/instance-host";
import { overLongField } from "./field-limits";
import { appUserProof, identify, type SignInResult } from "./result";

export async function signInWithPassword(authBase: string, email: string, password: string, instanceUrl: string, hosts: InstanceHostPolicy): Promise<SignInResult> {
  const tooLong = overLongField("email", email) ?? overLongField("password", password) ?? overLongField("instanceUrl", instanceUrl);
  if (tooLong) return { ok: false, message: tooLong };
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) return { ok: false, message: "Enter the email address you sign in to the app with." };
  if (password === "") return { ok: false, message: "Enter your password." };
  const instance = typedInstanceMetaApiBase(instanceUrl || new URL(authBase).origin, hosts);
  if (!instance.ok) return { ok: false, message: `The instance URL is not valid: ${instance.reason}.` };
  const host = new URL(authBase).host;

  let authToken: string;
  let apiKey: unknown;
  try {
    const login = await new XanoHttp(authBase, NO_BEARER).request<{ authToken?: unknown }>("POST", ["auth", "login"], { body: { email, password } });
    if (typeof login?.authToken !== "string") return { ok: false, message: `${host} did not return an authToken. Check XANO_AUTH_URL.` };
    authToken = login.authToken;
    const row = await new XanoHttp(authBase, staticBearer(authToken)).request<{ api_key?: unknown }>("GET", ["auth", "me"]);
    apiKey = row?.api_key;
  } catch (error) {
    if (!(error instanceof XanoApiError)) throw error;
    if (error.status === 400 || error.status === 401 || error.status === 403) return { ok: false, message: "The email or password is not right." };
    if (error.status === 0) return { ok: false, message: `Could not reach ${host}. Try again shortly.` };
    if (error.code === UPSTREAM_TOO_LARGE) return { ok: false, message: `${host} answered with far more data than a sign-in returns. Check XANO_AUTH_URL.` };
    return { ok: false, message: `The sign-in service answered with an error (HTTP ${error.status}). Try again in a moment.` };
  }
  if (typeof apiKey !== "string" || apiKey === "") {
    return { ok: false, message: "Your account has no Metadata API token (api_key) yet. Ask the app's owner to add one, or sign in with a Metadata API token." };
  }
  const who = await identify(instance.base, apiKey);
  if (!who.ok) return who;
  return {
    ok: true,
    user: who.user,
    credential: { method: "app_auth", accessToken: apiKey, authToken, authBase, metaApiBase: instance.base, expiresAt: null },
    // The app user, not the api_key: app users of one app may share their owner's Metadata token.
    proof: await appUserProof(authBase, email),
  };
}
