/**
 * Who may sign in, asked by every sign-in door before it stores anything: the operator's lists
 * (access/policy.ts), then whether an operator blocked the person (admin/blocks.ts; one KV read).
 * A refused person meets a page that says why and whom to ask. Nothing about them was stored.
 */
import { checkAccessPolicy, refusalReason, signInIdentity, whomToAsk, type AccessDecision, type AccessPolicy } from "../access/policy";
import { isBlocked, type BlockIdentity } from "../admin/blocks";
import { accessPolicyOf } from "../config";
import { log } from "../observability/log";
import { page } from "./http";
import { errorPage } from "./pages";

const REFUSED = "You are not allowed to use this server";
const NOTHING_SAVED = "Nothing was saved, and no app was connected.";

/** 403 page for a sign-in the lists refuse. */
function signInRefusedPage(decision: Extract<AccessDecision, { allowed: false }>, policy: AccessPolicy): Response {
  log("access_refused", { kind: "sign_in", reason: decision.reason });
  return page(403, errorPage(REFUSED, refusalReason(decision), `${whomToAsk(policy)} if you need access. ${NOTHING_SAVED}`));
}

/** A completed sign-in: the lists, then the blocks. What the person may have, or the refusal page. */
export async function admitSignIn(
  env: { OAUTH_KV: KVNamespace },
  signIn: BlockIdentity & { credential: { metaApiBase: string } },
): Promise<{ access: Extract<AccessDecision, { allowed: true }> } | { refused: Response }> {
  const policy = accessPolicyOf(env);
  const access = checkAccessPolicy(signInIdentity(signIn), policy);
  if (!access.allowed) return { refused: signInRefusedPage(access, policy) };
  const blocked = await blockedRefusal(env, signIn);
  return blocked ? { refused: blocked } : { access };
}

/**
 * The refusal page when an operator blocked this person (by userId or email), else null. For
 * doors where who it is was already admitted and only a block can have come since (a sign-in
 * session making a personal token).
 */
export async function blockedRefusal(env: { OAUTH_KV: KVNamespace }, who: BlockIdentity & { xanoUser: { name?: string | null; id?: number | string } }): Promise<Response | null> {
  if (!(await isBlocked(env.OAUTH_KV, who))) return null;
  log("access_refused", { kind: "sign_in", reason: "blocked", userId: who.userId });
  const name = who.xanoUser.email ?? who.xanoUser.name ?? "this Xano account";
  return page(403, errorPage(REFUSED, `This server's operator has blocked ${name} from using it.`, `${whomToAsk(accessPolicyOf(env))} if you think this is a mistake. ${NOTHING_SAVED}`));
}
