/**
 * The scope vocabulary: what a grant may do, in OAuth's words and in people's. Pure, no I/O, and
 * nothing of the tools: pages and the OAuth setup import it; which tool needs which scope is tool
 * policy (src/mcp/tools/scope-policy.ts).
 *
 *   xano:read   list and read
 *   xano:write  also create, change and delete
 *
 * A read-write grant carries both, so a read-only check is always "has xano:read" and the write
 * check "has xano:write".
 *
 * What gets granted when a client asks: the consent page preselects what the client asked for
 * (read-only if it asked for xano:read alone) and read-write otherwise — when it asked for
 * nothing, or only for scopes that mean nothing here (mcp-remote sends "openid email profile").
 * Such a client asked without knowing our scopes; it meant "use the server", which before scopes
 * existed was read-write, and many clients never step up. The person can always narrow it to
 * read-only on the consent page.
 *
 * The grant's props record the access the person chose (`GrantProps.access`), because a token's
 * scopes can be narrowed by the client at the token endpoint but never widened: a token may write
 * only if its grant was approved read-write AND the token still carries xano:write. Grants made
 * before scopes existed have no `access`; they were approved as "read and change", so they keep
 * full access.
 */

export const READ_SCOPE = "xano:read";
export const WRITE_SCOPE = "xano:write";

/** Everything this server grants: advertised as `scopes_supported` in both metadata documents. */
export const SUPPORTED_SCOPES = [READ_SCOPE, WRITE_SCOPE] as const;
export const READ_ONLY_SCOPES: readonly string[] = [READ_SCOPE];
export const READ_WRITE_SCOPES: readonly string[] = [READ_SCOPE, WRITE_SCOPE];

/** The two choices of the consent page. */
export type Access = "read" | "read_write";

/**
 * How each choice is put to people. `choice` and `explanation` label the consent page's radio
 * buttons; `summary` is what Connected apps (/apps) shows for a grant.
 */
export const ACCESS_WORDING: Record<Access, { choice: string; explanation: string; summary: string }> = {
  read_write: {
    choice: "Read and change",
    explanation: `List and read your workspaces, tables and records, and create, change or delete them, with your permissions (scopes ${READ_SCOPE} ${WRITE_SCOPE}).`,
    summary: "Read and write",
  },
  read: {
    choice: "Read only",
    explanation: `List and read only; tools that change data are hidden and refused (scope ${READ_SCOPE}). The app can ask again for more.`,
    summary: "Read only",
  },
};

/** The access the consent page preselects for a request's scopes. */
export function defaultAccess(requested: readonly string[]): Access {
  const ours = ourScopes(requested);
  return ours.length > 0 && !ours.includes(WRITE_SCOPE) ? "read" : "read_write";
}

export function scopesFor(access: Access): string[] {
  return [...(access === "read" ? READ_ONLY_SCOPES : READ_WRITE_SCOPES)];
}

export function parseAccess(value: unknown): Access | null {
  return value === "read" || value === "read_write" ? value : null;
}

/**
 * Whether a token may write: its grant was approved read-write and the token (perhaps narrowed at
 * the token endpoint) still carries xano:write. A grant from before scopes (no `access`) may.
 */
export function mayWrite(tokenScopes: readonly string[], grantAccess: Access | undefined): boolean {
  if (grantAccess === undefined) return true;
  return grantAccess === "read_write" && tokenScopes.includes(WRITE_SCOPE);
}

/** For people (Connected apps): "Read only" or "Read and write". A grant naming none of our scopes is from before scopes: read-write. */
export function describeAccess(grantScopes: readonly string[]): string {
  const ours = ourScopes(grantScopes);
  return ACCESS_WORDING[ours.length === 0 || ours.includes(WRITE_SCOPE) ? "read_write" : "read"].summary;
}

function ourScopes(scopes: readonly string[]): string[] {
  return scopes.filter((scope) => (SUPPORTED_SCOPES as readonly string[]).includes(scope));
}
