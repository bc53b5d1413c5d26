/**
 * Who is an operator (ADMIN_EMAILS), and whether a browser's sign-in is one. Pure: values in,
 * decisions out.
 *
 * An operator proves who they are the way every person does on /apps: by signing in there. Only a
 * sign-in that proved the Xano account itself counts ("Sign in with Xano", proof "account"): the
 * email of a Metadata API token's sign-in is its owner's even when the owner handed a narrow token
 * to someone else, and an app user's email (email and password sign-in) is whatever that app lets
 * its users register, so neither may stand for an operator.
 */
import { parsePeopleList } from "../access/policy";

/** ADMIN_EMAILS: exact addresses, lower case. `bad`: entries that are not one (an @domain entry included). */
export function parseOperatorEmails(raw: string): { emails: string[]; bad: string[] } {
  const { list, bad } = parsePeopleList(raw);
  // An @domain entry would make everyone of that domain an operator: refused, not widened.
  return { emails: list?.emails ?? [], bad: [...bad, ...(list?.domains ?? []).map((domain) => `@${domain}`)] };
}

/** What /admin needs of a sign-in session (front-door/sign-in-session.ts). */
export interface OperatorCandidate {
  xanoUser: { email: string | null };
  proof?: string;
}

/** The operator's email (lower case) when this sign-in is one of `operators`, else null. */
export function operatorEmail(session: OperatorCandidate | null, operators: readonly string[]): string | null {
  if (!session || session.proof !== "account") return null;
  const email = session.xanoUser.email?.trim().toLowerCase();
  return email && operators.includes(email) ? email : null;
}
