/**
 * One sign-in attempt with a token or a password from a posted form, rate-limited per address and
 * account pair, per address and per account (src/rate-limit/limits.ts); shared by /authorize and
 * the connected-apps page. A person the operator's lists leave out (src/access/policy.ts) or an
 * operator blocked (src/admin/blocks.ts) is answered with the refusal page before anything about
 * them is stored.
 */
import type { Config } from "../config";
import { signInWithMetadataToken } from "../credentials/sign-in/metadata-token";
import { signInWithPassword } from "../credentials/sign-in/app-auth";
import type { SignInResult } from "../credentials/sign-in/result";
import { instanceHostPolicy } from "../xano/instance-host";
import { beginSignInAttempt, forgiveSignInAttempt, signInAttempt } from "../rate-limit/limits";
import type { RateLimiterEnv } from "../rate-limit/rate-limiter";
import { formPageOf, rateLimitedPage } from "./pages";
import type { AccessDecision } from "../access/policy";
import { admitSignIn } from "./sign-in-refused";
import { sessionFrom, type CredentialSession } from "./sign-in-session";

/** A page to answer with (rate-limited, refused), a failure to show on the form, or who signed in and what they may have. */
export type SignInAttempt = { answer: Response } | { failure: string } | { session: CredentialSession; access: Extract<AccessDecision, { allowed: true }> };

export async function attemptSignIn(
  request: Request,
  env: RateLimiterEnv & { OAUTH_KV: KVNamespace },
  config: Config,
  form: FormData,
): Promise<SignInAttempt> {
  const method = String(form.get("method") ?? "");
  const instanceUrl = String(form.get("instance_url") ?? "").trim();
  const email = String(form.get("email") ?? "").trim();
  const attempt = await signInAttempt(request, config.rateLimits, method === "app_auth" ? { account: email } : { instance: instanceUrl });
  const admission = await beginSignInAttempt(env, attempt);
  if (!admission.allowed) return { answer: rateLimitedPage(admission.retryAfterSeconds, admission.refusedBy, formPageOf(request)) };
  let result: SignInResult;
  if (method === "metadata_token" && config.signInMethods.includes("metadata_token")) {
    result = await signInWithMetadataToken(instanceUrl, String(form.get("token") ?? "").trim(), instanceHostPolicy(config));
  } else if (method === "app_auth" && config.signInMethods.includes("app_auth") && config.xanoAuthUrl) {
    result = await signInWithPassword(config.xanoAuthUrl, email, String(form.get("password") ?? ""), instanceUrl, instanceHostPolicy(config));
  } else {
    result = { ok: false, message: "That sign-in method is not available on this server." };
  }
  if (!result.ok) return { failure: result.message };
  const session = sessionFrom(result);
  const admitted = await admitSignIn(env, session);
  // A refused sign-in stays counted like a failed one: retrying it only costs Xano calls.
  if ("refused" in admitted) return { answer: admitted.refused };
  await forgiveSignInAttempt(env, admission);
  return { session, access: admitted.access };
}
