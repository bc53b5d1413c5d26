/**
 * One sign-in attempt with a token or a password from a posted form, rate-limited per address and
 * account pair, per address and per account (src/rate-limit/limits.ts); shared by /authorize and
 * the connected-apps page.
 */
import type { Config } from "../config";
import { signInWithMetadataToken } from "../credentials/sign-in/metadata-token";
import { signInWithPassword } from "../credentials/sign-in/app-auth";
import type { SignInResult } from "../credentials/sign-in/result";
import { instanceHostPolicy } from "../xano/instance-host";
import { beginSignInAttempt, forgiveSignInAttempt, signInAttempt } from "../rate-limit/limits";
import type { RateLimiterEnv } from "../rate-limit/rate-limiter";
import { formPageOf, rateLimitedPage } from "./pages";

export async function attemptSignIn(
  request: Request,
  env: RateLimiterEnv,
  config: Config,
  form: FormData,
): Promise<{ limited: Response; result?: undefined } | { limited?: undefined; result: SignInResult }> {
  const method = String(form.get("method") ?? "");
  const instanceUrl = String(form.get("instance_url") ?? "").trim();
  const email = String(form.get("email") ?? "").trim();
  const attempt = await signInAttempt(request, config.rateLimits, method === "app_auth" ? { account: email } : { instance: instanceUrl });
  const admission = await beginSignInAttempt(env, attempt);
  if (!admission.allowed) return { limited: rateLimitedPage(admission.retryAfterSeconds, admission.refusedBy, formPageOf(request)) };
  let result: SignInResult;
  if (method === "metadata_token" && config.signInMethods.includes("metadata_token")) {
    result = await signInWithMetadataToken(instanceUrl, String(form.get("token") ?? "").trim(), instanceHostPolicy(config));
  } else if (method === "app_auth" && config.signInMethods.includes("app_auth") && config.xanoAuthUrl) {
    result = await signInWithPassword(config.xanoAuthUrl, email, String(form.get("password") ?? ""), instanceUrl, instanceHostPolicy(config));
  } else {
    result = { ok: false, message: "That sign-in method is not available on this server." };
  }
  if (result.ok) await forgiveSignInAttempt(env, admission);
  return { result };
}
