/**
 * Who may use this server: the operator's lists, and the one decision every door asks of them.
 * Pure: values in, decisions out; no I/O.
 *
 *   ALLOWED_USERS           exact emails and `@domain` entries; unset = everyone
 *   ALLOWED_XANO_INSTANCES  instance host names (`*.example.com` for every subdomain); unset = every
 *                           instance this server may reach (xano/instance-host.ts)
 *   READ_ONLY_USERS         same syntax as ALLOWED_USERS; these people only ever get read-only
 *                           access. It narrows, never admits: with ALLOWED_USERS set, a read-only
 *                           person must be on it too.
 *   OPERATOR_CONTACT        whom a refused person should ask (shown on the refusal)
 *
 * Entries are compared case-insensitively, trimmed. A person is identified by the email Xano gives
 * for their account (`auth/me`) and the host of the instance they signed in to, both kept in the
 * grant's props (credentials/grant-props.ts), so a grant can be checked again on every request:
 * signing in is checked by the front door, every MCP request by the MCP door (mcp/server.ts), and
 * any other bearer (a personal access token) must call `checkAccessPolicy` the same way.
 */

export interface PeopleList {
  /** Exact addresses, lower case. */
  emails: string[];
  /** Domains from `@domain` entries, lower case: an address matches when its domain is exactly one. */
  domains: string[];
}

export interface AccessPolicy {
  /** null: everyone. */
  allowedUsers: PeopleList | null;
  /** null: nobody is held to read-only. */
  readOnlyUsers: PeopleList | null;
  /** Host names (lower case, `*.` prefix for every subdomain); null: every instance. */
  allowedInstances: string[] | null;
  /** Whom to ask, e.g. an email address; null: the page says "the person who runs this server". */
  operatorContact: string | null;
}

/** Who a sign-in or a grant is for (GrantProps has both fields). */
export interface AccessIdentity {
  xanoUser: { email: string | null };
  /** Host of the instance signed in to, as in GrantProps.instanceHost (a port only for loopback). */
  instanceHost: string;
}

/** `allowed`: what the person may have. Refused: which list left them out, and who they are to it. */
export type AccessDecision = { allowed: true; readOnly: boolean } | { allowed: false; reason: "user" | "instance"; who: string };

export const OPEN_POLICY: AccessPolicy = { allowedUsers: null, readOnlyUsers: null, allowedInstances: null, operatorContact: null };

/** The decision for a sign-in, a grant's props on each request, or any other bearer's identity. */
export function checkAccessPolicy(identity: AccessIdentity, policy: AccessPolicy): AccessDecision {
  const email = identity.xanoUser.email?.trim().toLowerCase() ?? null;
  if (policy.allowedUsers && !listed(email, policy.allowedUsers)) {
    // An account Xano gives no email for cannot be matched against the list: refused.
    return { allowed: false, reason: "user", who: email ?? "this Xano account (it has no email address)" };
  }
  const host = hostnameOf(identity.instanceHost);
  if (policy.allowedInstances && !policy.allowedInstances.some((entry) => hostMatches(host, entry))) {
    return { allowed: false, reason: "instance", who: identity.instanceHost };
  }
  return { allowed: true, readOnly: policy.readOnlyUsers !== null && listed(email, policy.readOnlyUsers) };
}

function listed(email: string | null, list: PeopleList): boolean {
  if (!email) return false;
  const domain = email.slice(email.lastIndexOf("@") + 1);
  return list.emails.includes(email) || list.domains.includes(domain);
}

export function hostMatches(host: string, entry: string): boolean {
  return entry.startsWith("*.") ? host.endsWith(entry.slice(1)) : host === entry;
}

function hostnameOf(host: string): string {
  const lower = host.toLowerCase();
  return lower.startsWith("[") ? lower.slice(0, lower.indexOf("]") + 1) : lower.replace(/:\d+$/, "");
}

// ---- parsing (config.ts reads the variables through these) -------------------------------------

const LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
/** A DNS name of at least two labels: no scheme, port, path or IP address. */
export const HOST_NAME = new RegExp(`^(?=.{1,253}$)(${LABEL}\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`);
const LOCAL_PART = /^[^\s@,"<>()[\]\\;:*]+$/;

/** ALLOWED_USERS / READ_ONLY_USERS: null when unset or empty; `bad` lists the entries that are neither form. */
export function parsePeopleList(raw: string): { list: PeopleList | null; bad: string[] } {
  const emails: string[] = [];
  const domains: string[] = [];
  const bad: string[] = [];
  for (const entry of entries(raw)) {
    const at = entry.lastIndexOf("@");
    const local = entry.slice(0, at);
    const domain = entry.slice(at + 1);
    if (at < 0 || !HOST_NAME.test(domain) || (at > 0 && !LOCAL_PART.test(local))) bad.push(entry);
    else if (at === 0) domains.push(domain);
    else emails.push(entry);
  }
  return { list: emails.length + domains.length > 0 ? { emails, domains } : null, bad };
}

/** ALLOWED_XANO_INSTANCES (and XANO_CUSTOM_DOMAINS): host names, `*.` allowed in front. */
export function parseHostList(raw: string): { hosts: string[]; bad: string[] } {
  const hosts: string[] = [];
  const bad: string[] = [];
  for (const entry of entries(raw)) (HOST_NAME.test(entry.startsWith("*.") ? entry.slice(2) : entry) ? hosts : bad).push(entry);
  return { hosts, bad };
}

/** OPERATOR_CONTACT: one line of plain text (it goes into a page and a WWW-Authenticate header). */
export function parseContact(raw: string): { contact: string | null; ok: boolean } {
  const contact = raw.trim();
  if (contact === "") return { contact: null, ok: true };
  return { contact, ok: contact.length <= 200 && !/["\\\p{Cc}]/u.test(contact) };
}

function entries(raw: string): string[] {
  return raw
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
}

/** The identity of a completed sign-in (the instance is where its credential lives). */
export function signInIdentity(signIn: { xanoUser: { email: string | null }; credential: { metaApiBase: string } }): AccessIdentity {
  return { xanoUser: signIn.xanoUser, instanceHost: new URL(signIn.credential.metaApiBase).host };
}

type Refused = Extract<AccessDecision, { allowed: false }>;

/** Whom a refused person should ask: OPERATOR_CONTACT, or the operator in general. */
export function whomToAsk(policy: AccessPolicy): string {
  return policy.operatorContact ? `Ask ${policy.operatorContact}` : "Ask the person who runs this server";
}

/** Why the lists refused someone, in a sentence. */
export function refusalReason(decision: Refused): string {
  return decision.reason === "user"
    ? `This server's operator lets only certain people use it, and ${decision.who} is not one of them.`
    : `This server's operator lets only certain Xano instances be used through it, and ${decision.who} is not one of them.`;
}
