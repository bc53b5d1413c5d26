/**
 * What a grant carries. `completeAuthorization` stores these props encrypted (workers-oauth-provider
 * encrypts them with a key only the token holder can unwrap). They hold no Xano secret: the live
 * credential sits in the grant's credential store (credential-store.ts), sealed under `storeKey`,
 * which exists only here. Whoever reads the store without a valid MCP token learns nothing.
 */
import type { SignInMethod } from "./credential";

export interface XanoUserSummary {
  id: number | string;
  name: string | null;
  email: string | null;
}

/** What a grant may do: the same words as oauth/scopes.ts `Access` (which pages and policy use). */
export type GrantAccess = "read" | "read_write";

export interface GrantProps {
  /** Our user id: stable per Xano user and instance; contains no `:` (a library rule). */
  userId: string;
  xanoUser: XanoUserSummary;
  method: SignInMethod;
  /** Host of the signed-in instance (for display; the store holds the Meta API base). */
  instanceHost: string;
  /** Name of this grant's credential store (a Durable Object). */
  storeId: string;
  /** Base64url AES-256 key the store's contents are sealed under. Secret. */
  storeKey: string;
  signedInAt: number;
  /** What the person approved on the consent page (src/oauth/scopes.ts); absent on grants from before scopes. */
  access?: GrantAccess;
  /**
   * The toolsets the person chose on the consent page (toolset names and "default" for the common
   * path; src/mcp/tools/toolsets.ts). Absent on grants from before the choice: they list the
   * server's XANO_TOOLSETS.
   */
  toolsets?: string[];
  /**
   * Set when these props come from a personal access token (credentials/personal-tokens.ts), not
   * from a grant: the token's public id. Its access is `access` (it has no OAuth scopes).
   */
  personalTokenId?: string;
  /** With personalTokenId: the name its owner gave it (shown as the "app" in /apps/activity). */
  personalTokenName?: string;
  /**
   * What the sign-in behind this grant proved (as in the grant's metadata), so its tool calls are
   * shown on /apps/activity to the same sign-ins that see the grant on /apps. Absent on older grants.
   */
  proof?: string;
  /**
   * The backend this grant serves (grant-binding.ts): an upstream MCP server of
   * UPSTREAM_MCP_SERVERS, whose credential is the only one its store holds. Absent: Xano.
   */
  backend?: { server: string };
  [key: string]: unknown;
}

/** Our user id for a Xano user on an instance. The host keeps two instances' users apart. */
export function userIdFor(metaApiBase: string, xanoUserId: number | string): string {
  const host = new URL(metaApiBase).host.replace(/[^A-Za-z0-9.-]/g, "_");
  return `xano.${host}.${String(xanoUserId).replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

export function isGrantProps(value: unknown): value is GrantProps {
  if (typeof value !== "object" || value === null) return false;
  const props = value as Partial<GrantProps>;
  return typeof props.userId === "string" && typeof props.storeId === "string" && typeof props.storeKey === "string" && typeof props.method === "string";
}
