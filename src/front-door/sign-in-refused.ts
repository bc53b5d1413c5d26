/**
 * The page a person outside the operator's lists (access/policy.ts) meets at sign-in: why, and
 * whom to ask. Nothing about them was stored.
 */
import { refusalReason, whomToAsk, type AccessDecision, type AccessPolicy } from "../access/policy";
import { log } from "../observability/log";
import { page } from "./http";
import { errorPage } from "./pages";

/** 403 page for a sign-in the lists refuse. */
export function signInRefusedPage(decision: Extract<AccessDecision, { allowed: false }>, policy: AccessPolicy): Response {
  log("access_refused", { kind: "sign_in", reason: decision.reason });
  return page(403, errorPage("You are not allowed to use this server", refusalReason(decision), `${whomToAsk(policy)} if you need access. Nothing was saved, and no app was connected.`));
}
