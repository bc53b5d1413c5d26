/**
 * The configuration contract. Every Xano host comes from here (or from an instance record's
 * `meta_api`, or the URL a person types); nothing else in src/ names a Xano host.
 *
 * `loadConfig` is pure: it takes the Worker's env and returns either a typed config or a list of
 * problems, each naming the variable and how to set it. src/index.ts calls it at start-up and
 * refuses to serve with a bad configuration.
 *
 * Over 300 lines on purpose: one contract for every variable (its parsing, its error message and
 * CONFIG_VARIABLES, which tests/units.test.ts holds against README and .dev.vars.example), so a
 * reader finds every setting in one file.
 */
import { parseUpstreamUrl } from "./lib/upstream-url";
import type { SignInMethod } from "./credentials/credential";
import { COMMON_PATH, TOOLSET_CHOICE_NAMES, parseToolsetChoice, type ToolsetChoice } from "./mcp/tools/toolsets";
import { parseUpstreamServers, type UpstreamServer } from "./upstream/servers";
import { OPEN_POLICY, parseContact, parseHostList, parsePeopleList, type AccessPolicy } from "./access/policy";
import { parseOperatorEmails } from "./admin/operators";

export interface Config {
  /** Public origin of this server, e.g. https://xano-mcp.example.workers.dev (no trailing slash). */
  publicUrl: string;
  /** Base of Xano's account API and OAuth server, e.g. https://app.xano.com. */
  xanoAccountUrl: string;
  /** Optional base of a Xano app's custom auth API group (used by the email/password sign-in). */
  xanoAuthUrl: string | null;
  /** Lifetime of MCP access tokens, in seconds. */
  accessTokenTtlSeconds: number;
  /** Sign-in methods offered on the sign-in page, in order. */
  signInMethods: SignInMethod[];
  /** A client id pre-registered with Xano's OAuth server; when null we register dynamically. */
  xanoOAuthClientId: string | null;
  /** Whether the debug_* tools are offered. */
  debugTools: boolean;
  /** Per-minute limits (0 = off); see src/rate-limit/. */
  rateLimits: RateLimits;
  /**
   * Exact origins of browser-based MCP clients allowed to call /mcp and /sse besides PUBLIC_URL
   * (e.g. the MCP Inspector at http://localhost:6274). Every other Origin gets 403.
   */
  allowedOrigins: string[];
  /**
   * Host names of Xano instances with a custom domain that people may type at sign-in, besides
   * `*.xano.io` (xano/instance-host.ts). `*.example.com` allows every subdomain. The hosts of
   * ALLOWED_XANO_INSTANCES are added: an instance the operator allows is one the server may call.
   */
  xanoCustomDomains: string[];
  /**
   * The tools a connection lists when its grant chose none (grants from before the consent page
   * offered toolsets) and what the consent page preselects: undefined = every tool (src/mcp/tools/toolsets.ts).
   */
  defaultToolsets: ToolsetChoice;
  /** PERSONAL_TOKENS_ALLOW_NO_EXPIRY=true: /apps also offers personal access tokens that never expire. */
  personalTokensAllowNoExpiry: boolean;
  /** How many days of tool-call activity are kept (src/activity/retention.ts). */
  activityRetentionDays: number;
  /** UPSTREAM_MCP_SERVERS: other MCP servers served at /servers/{name}/mcp (src/upstream/servers.ts). */
  upstreamServers: UpstreamServer[];
}

export interface RateLimits {
  /**
   * Sign-in attempts per (client IP, account) pair and per account (email), per minute (the tight
   * limit; see src/rate-limit/limits.ts). Successful ones are given back.
   */
  signInPerMinute: number;
  /** Sign-in attempts per client IP across accounts, per minute (default ten times the tight limit). */
  signInPerAddressPerMinute: number;
  /** Requests per client IP per minute that store something before anyone is signed in. */
  authorizationsPerMinute: number;
  /** Dynamic client registrations per client IP per minute. */
  registrationsPerMinute: number;
  /** Tool calls per grant per minute. */
  toolCallsPerMinute: number;
}

export const SIGN_IN_METHODS = ["xano_oauth", "metadata_token", "app_auth"] as const satisfies readonly SignInMethod[];

export const DEFAULTS = {
  XANO_ACCOUNT_URL: "https://app.xano.com",
  OAUTH_TOKEN_TTL: 86_400,
  MIN_OAUTH_TOKEN_TTL: 3_600,
  RATE_LIMIT_SIGN_IN_PER_MINUTE: 10,
  // Claude registers a client on every connect, from a few shared addresses: keep this generous.
  RATE_LIMIT_REGISTRATIONS_PER_MINUTE: 60,
  RATE_LIMIT_TOOL_CALLS_PER_MINUTE: 120,
  // One connect stores one consent (plus a session when signing in): 30 covers an office connecting together.
  RATE_LIMIT_AUTHORIZATIONS_PER_MINUTE: 30,
  // RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE defaults to this many times RATE_LIMIT_SIGN_IN_PER_MINUTE.
  SIGN_IN_ADDRESS_FACTOR: 10,
  ACTIVITY_RETENTION_DAYS: 30,
  MAX_ACTIVITY_RETENTION_DAYS: 3_650,
} as const;

const RATE_LIMIT_VARIABLES = {
  RATE_LIMIT_SIGN_IN_PER_MINUTE: "signInPerMinute",
  RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE: "signInPerAddressPerMinute",
  RATE_LIMIT_REGISTRATIONS_PER_MINUTE: "registrationsPerMinute",
  RATE_LIMIT_TOOL_CALLS_PER_MINUTE: "toolCallsPerMinute",
  RATE_LIMIT_AUTHORIZATIONS_PER_MINUTE: "authorizationsPerMinute",
} as const satisfies Record<string, keyof RateLimits>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Who may use the server (src/access/policy.ts): read per request with `accessPolicyOf`. */
const ACCESS_VARIABLES = ["ALLOWED_USERS", "ALLOWED_XANO_INSTANCES", "READ_ONLY_USERS", "OPERATOR_CONTACT"] as const;

/** Every variable the server reads (README "Configuration" and .dev.vars.example document each; a test checks). */
export const CONFIG_VARIABLES = [
  "PUBLIC_URL",
  "XANO_ACCOUNT_URL",
  "XANO_AUTH_URL",
  "SIGN_IN_METHODS",
  "XANO_OAUTH_CLIENT_ID",
  "OAUTH_TOKEN_TTL",
  "DEBUG_TOOLS",
  ...(Object.keys(RATE_LIMIT_VARIABLES) as Array<keyof typeof RATE_LIMIT_VARIABLES>),
  "ALLOWED_ORIGINS",
  "XANO_CUSTOM_DOMAINS",
  "XANO_TOOLSETS",
  ...ACCESS_VARIABLES,
  "PERSONAL_TOKENS_ALLOW_NO_EXPIRY",
  "ACTIVITY_RETENTION_DAYS",
  "UPSTREAM_MCP_SERVERS",
  "ADMIN_EMAILS",
] as const;

type RawEnv = Partial<Record<(typeof CONFIG_VARIABLES)[number], unknown>>;

const HOW_TO_SET =
  "Set it in wrangler.toml [vars], or in .dev.vars for local development (none of these settings is a secret).";

export function loadConfig(env: RawEnv): ConfigResult {
  const problems: string[] = [];

  const publicUrl = readUrl(env, "PUBLIC_URL", undefined, problems, { originOnly: true });
  const xanoAccountUrl = readUrl(env, "XANO_ACCOUNT_URL", DEFAULTS.XANO_ACCOUNT_URL, problems, {
    originOnly: false,
  });
  const xanoAuthUrl = isBlank(env.XANO_AUTH_URL)
    ? null
    : readUrl(env, "XANO_AUTH_URL", undefined, problems, { originOnly: false });

  let accessTokenTtlSeconds: number = DEFAULTS.OAUTH_TOKEN_TTL;
  if (!isBlank(env.OAUTH_TOKEN_TTL)) {
    const raw = String(env.OAUTH_TOKEN_TTL).trim();
    const ttl = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(ttl) || ttl < DEFAULTS.MIN_OAUTH_TOKEN_TTL) {
      problems.push(
        `OAUTH_TOKEN_TTL must be a whole number of seconds, at least ${DEFAULTS.MIN_OAUTH_TOKEN_TTL} ` +
          `(got "${raw}"). Example: OAUTH_TOKEN_TTL = "86400" (one day). ${HOW_TO_SET}`,
      );
    } else {
      accessTokenTtlSeconds = ttl;
    }
  }

  let signInMethods: SignInMethod[] = SIGN_IN_METHODS.filter((m) => m !== "app_auth" || xanoAuthUrl !== null);
  if (!isBlank(env.SIGN_IN_METHODS)) {
    const listed = String(env.SIGN_IN_METHODS).split(",").map((m) => m.trim()).filter(Boolean);
    const unknown = listed.filter((m) => !(SIGN_IN_METHODS as readonly string[]).includes(m));
    if (unknown.length > 0 || listed.length === 0) {
      problems.push(`SIGN_IN_METHODS must be a comma-separated list of ${SIGN_IN_METHODS.join(", ")} (got "${String(env.SIGN_IN_METHODS)}"). ${HOW_TO_SET}`);
    } else if (listed.includes("app_auth") && xanoAuthUrl === null) {
      problems.push(`SIGN_IN_METHODS includes app_auth, which needs XANO_AUTH_URL (the base of your Xano app's auth API group, e.g. "https://x1234.n7.xano.io/api:auth"). ${HOW_TO_SET}`);
    } else {
      signInMethods = listed as SignInMethod[];
    }
  }

  const debugRaw = isBlank(env.DEBUG_TOOLS) ? "false" : String(env.DEBUG_TOOLS).trim().toLowerCase();
  if (debugRaw !== "true" && debugRaw !== "false") problems.push(`DEBUG_TOOLS must be "true" or "false" (got "${String(env.DEBUG_TOOLS)}"). ${HOW_TO_SET}`);
  const xanoOAuthClientId = isBlank(env.XANO_OAUTH_CLIENT_ID) ? null : String(env.XANO_OAUTH_CLIENT_ID).trim();

  const rateLimits = readRateLimits(env, problems);
  const allowedOrigins = readAllowedOrigins(env, problems);
  const access = readAccessPolicy(env);
  problems.push(...access.problems);
  const xanoCustomDomains = [...readCustomDomains(env, problems), ...(access.policy.allowedInstances ?? [])];
  const defaultToolsets = readToolsets(env, problems);
  const noExpiryRaw = isBlank(env.PERSONAL_TOKENS_ALLOW_NO_EXPIRY) ? "false" : String(env.PERSONAL_TOKENS_ALLOW_NO_EXPIRY).trim().toLowerCase();
  if (noExpiryRaw !== "true" && noExpiryRaw !== "false") problems.push(`PERSONAL_TOKENS_ALLOW_NO_EXPIRY must be "true" or "false" (got "${String(env.PERSONAL_TOKENS_ALLOW_NO_EXPIRY)}"). ${HOW_TO_SET}`);
  const activityRetentionDays = readRetentionDays(env, problems);
  const upstream = parseUpstreamServers(env.UPSTREAM_MCP_SERVERS);
  if (!upstream.ok) problems.push(...upstream.problems.map((problem) => `${problem} ${HOW_TO_SET}`));
  problems.push(...readOperatorEmails(env).problems);

  if (problems.length > 0 || !publicUrl || !xanoAccountUrl) return { ok: false, problems };
  return {
    ok: true,
    config: { publicUrl, xanoAccountUrl, xanoAuthUrl, accessTokenTtlSeconds, signInMethods, xanoOAuthClientId, debugTools: debugRaw === "true", rateLimits, allowedOrigins, xanoCustomDomains, defaultToolsets, personalTokensAllowNoExpiry: noExpiryRaw === "true", activityRetentionDays, upstreamServers: upstream.ok ? upstream.servers : [] },
  };
}

function readAllowedOrigins(env: RawEnv, problems: string[]): string[] {
  if (isBlank(env.ALLOWED_ORIGINS)) return [];
  const origins: string[] = [];
  for (const entry of String(env.ALLOWED_ORIGINS).split(",").map((o) => o.trim()).filter(Boolean)) {
    let url: URL | null = null;
    try {
      url = new URL(entry);
    } catch {
      url = null;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== entry.replace(/\/$/, "")) {
      problems.push(`ALLOWED_ORIGINS must be a comma-separated list of origins like "https://app.example.com" or "http://localhost:6274" (scheme, host and port only; got "${entry}"). ${HOW_TO_SET}`);
      continue;
    }
    origins.push(url.origin);
  }
  return origins;
}

/** XANO_TOOLSETS: unset means the common path of data and logic work (about 60 tools). */
function readToolsets(env: RawEnv, problems: string[]): ToolsetChoice {
  if (isBlank(env.XANO_TOOLSETS)) return [COMMON_PATH];
  const parsed = parseToolsetChoice(String(env.XANO_TOOLSETS));
  if (parsed.ok) return parsed.choice;
  problems.push(`XANO_TOOLSETS must be "default", "all", or a comma-separated list of ${TOOLSET_CHOICE_NAMES.join(", ")} (got "${String(env.XANO_TOOLSETS)}"${parsed.unknown.length > 0 ? `; unknown: ${parsed.unknown.join(", ")}` : ""}). Example: XANO_TOOLSETS = "default,agents". ${HOW_TO_SET}`);
  return [COMMON_PATH];
}

function readCustomDomains(env: RawEnv, problems: string[]): string[] {
  if (isBlank(env.XANO_CUSTOM_DOMAINS)) return [];
  const { hosts, bad } = parseHostList(String(env.XANO_CUSTOM_DOMAINS));
  for (const entry of bad) problems.push(`XANO_CUSTOM_DOMAINS must be a comma-separated list of host names like "api.example.com" or "*.example.com" (no https://, port, path or IP address; got "${entry}"). ${HOW_TO_SET}`);
  return hosts;
}

/**
 * ALLOWED_USERS, ALLOWED_XANO_INSTANCES, READ_ONLY_USERS and OPERATOR_CONTACT (src/access/policy.ts).
 * Empty lists mean "everyone" (or "nobody read-only"), as when unset.
 */
export function readAccessPolicy(env: RawEnv): { policy: AccessPolicy; problems: string[] } {
  const problems: string[] = [];
  const people = (name: "ALLOWED_USERS" | "READ_ONLY_USERS") => {
    const { list, bad } = parsePeopleList(isBlank(env[name]) ? "" : String(env[name]));
    for (const entry of bad) problems.push(`${name} must be a comma-separated list of email addresses and @domain entries, like "alice@example.com, @example.com" (got "${entry}"). ${HOW_TO_SET}`);
    return list;
  };
  const allowedUsers = people("ALLOWED_USERS");
  const readOnlyUsers = people("READ_ONLY_USERS");
  const instances = parseHostList(isBlank(env.ALLOWED_XANO_INSTANCES) ? "" : String(env.ALLOWED_XANO_INSTANCES));
  for (const entry of instances.bad) problems.push(`ALLOWED_XANO_INSTANCES must be a comma-separated list of instance host names like "x1234-5678-9012.n7.xano.io" or "*.example.com" (no https://, port, path or IP address; got "${entry}"). ${HOW_TO_SET}`);
  const contact = parseContact(isBlank(env.OPERATOR_CONTACT) ? "" : String(env.OPERATOR_CONTACT));
  if (!contact.ok) problems.push(`OPERATOR_CONTACT must be one line of at most 200 characters without quotes or backslashes, e.g. "ops@example.com" (got "${String(env.OPERATOR_CONTACT)}"). ${HOW_TO_SET}`);
  return { policy: { allowedUsers, readOnlyUsers, allowedInstances: instances.hosts.length > 0 ? instances.hosts : null, operatorContact: contact.contact }, problems };
}

const policies = new Map<string, AccessPolicy>();

/**
 * The access policy of the env a request came with, parsed once per distinct value. In production
 * that is always the env loadConfig validated at start-up (a change of variables is a new
 * deployment); reading it per request is what lets tests/allow-lists.test.ts run the Worker with
 * other lists beside grants made under earlier ones. A value start-up would have refused fails
 * closed: nobody is let in.
 */
export function accessPolicyOf(env: object): AccessPolicy {
  const raw = env as RawEnv;
  const key = JSON.stringify(ACCESS_VARIABLES.map((name) => (isBlank(raw[name]) ? "" : String(raw[name]))));
  let policy = policies.get(key);
  if (!policy) {
    const read = readAccessPolicy(raw);
    policy = read.problems.length === 0 ? read.policy : { ...OPEN_POLICY, allowedUsers: { emails: [], domains: [] } };
    if (policies.size >= 16) policies.clear(); // one deployment has one value; tests a few
    policies.set(key, policy);
  }
  return policy;
}

function readRateLimits(env: RawEnv, problems: string[]): RateLimits {
  const limits = {} as RateLimits;
  const set = new Set<keyof RateLimits>();
  for (const [name, field] of Object.entries(RATE_LIMIT_VARIABLES) as [keyof typeof RATE_LIMIT_VARIABLES, keyof RateLimits][]) {
    limits[field] = defaultLimit(name, limits);
    if (isBlank(env[name])) continue;
    const raw = String(env[name]).trim();
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value > 100_000) {
      problems.push(`${name} must be a whole number of requests per minute, 0 to switch the limit off (got "${raw}"). Example: ${name} = "${defaultLimit(name, limits)}". ${HOW_TO_SET}`);
    } else {
      limits[field] = value;
      set.add(field);
    }
  }
  // Below the tight limit, the address would refuse a person before their own account does: the
  // one thing the per-address budget must not do (src/rate-limit/limits.ts).
  const { signInPerMinute, signInPerAddressPerMinute } = limits;
  if (set.has("signInPerAddressPerMinute") && signInPerAddressPerMinute > 0 && signInPerAddressPerMinute < signInPerMinute) {
    problems.push(`RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE must be at least RATE_LIMIT_SIGN_IN_PER_MINUTE (got ${signInPerAddressPerMinute} and ${signInPerMinute}), or 0 to switch it off. Leave it unset for ${DEFAULTS.SIGN_IN_ADDRESS_FACTOR} times RATE_LIMIT_SIGN_IN_PER_MINUTE. ${HOW_TO_SET}`);
  }
  return limits;
}

/** A limit's default; the per-address sign-in budget follows the tight limit read before it. */
function defaultLimit(name: keyof typeof RATE_LIMIT_VARIABLES, read: Partial<RateLimits>): number {
  if (name === "RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE") return (read.signInPerMinute ?? DEFAULTS.RATE_LIMIT_SIGN_IN_PER_MINUTE) * DEFAULTS.SIGN_IN_ADDRESS_FACTOR;
  return DEFAULTS[name];
}

function readUrl(
  env: RawEnv,
  name: keyof RawEnv,
  fallback: string | undefined,
  problems: string[],
  { originOnly }: { originOnly: boolean },
): string | null {
  const value = isBlank(env[name]) ? fallback : String(env[name]).trim();
  if (value === undefined) {
    problems.push(`${name} is not set. It must be the https URL of this server, e.g. ${name} = "https://xano-mcp.example.workers.dev". ${HOW_TO_SET}`);
    return null;
  }
  const parsed = parseUpstreamUrl(value);
  if (!parsed.ok) {
    problems.push(`${name} is not a valid URL ("${value}"): ${parsed.reason}. ${HOW_TO_SET}`);
    return null;
  }
  if (originOnly && parsed.url.pathname !== "/") {
    problems.push(`${name} must be an origin without a path (got "${value}"), e.g. "https://xano-mcp.example.workers.dev". ${HOW_TO_SET}`);
    return null;
  }
  return originOnly ? parsed.url.origin : parsed.url.href.replace(/\/+$/, "");
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || String(value).trim() === "";
}

/** ADMIN_EMAILS (src/admin/operators.ts): exact addresses only; empty means nobody is an operator. */
export function readOperatorEmails(env: RawEnv): { emails: string[]; problems: string[] } {
  const { emails, bad } = parseOperatorEmails(isBlank(env.ADMIN_EMAILS) ? "" : String(env.ADMIN_EMAILS));
  const problems = bad.map((entry) => `ADMIN_EMAILS must be a comma-separated list of exact email addresses, like "alice@example.com, bob@example.com" (no @domain entries; got "${entry}"). ${HOW_TO_SET}`);
  return { emails, problems };
}

/**
 * The operators of the env a request came with, read per request like `accessPolicyOf` (so tests
 * can run the Worker with other operators). A value start-up would have refused fails closed: no
 * operator at all.
 */
export function operatorEmailsOf(env: object): string[] {
  const read = readOperatorEmails(env as RawEnv);
  return read.problems.length === 0 ? read.emails : [];
}

function readRetentionDays(env: RawEnv, problems: string[]): number {
  if (isBlank(env.ACTIVITY_RETENTION_DAYS)) return DEFAULTS.ACTIVITY_RETENTION_DAYS;
  const raw = String(env.ACTIVITY_RETENTION_DAYS).trim();
  const days = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(days) || days < 1 || days > DEFAULTS.MAX_ACTIVITY_RETENTION_DAYS) {
    problems.push(
      `ACTIVITY_RETENTION_DAYS must be a whole number of days from 1 to ${DEFAULTS.MAX_ACTIVITY_RETENTION_DAYS} (got "${raw}"). ` +
        `Example: ACTIVITY_RETENTION_DAYS = "30". ${HOW_TO_SET}`,
    );
    return DEFAULTS.ACTIVITY_RETENTION_DAYS;
  }
  return days;
}
