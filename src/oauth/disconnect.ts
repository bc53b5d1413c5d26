/**
 * Disconnecting a person's apps from the browser (Connected apps' Revoke / Revoke all, and Sign
 * out): each grant is revoked first, so its tokens are refused from then on, and then the sealed
 * Xano credential it held is deleted from the grant's store. Xano's own refresh token is not
 * revoked from here, because only the app's token can unseal it (`POST /logout` with the token does).
 */
import type { GrantSummary, OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import { credentialStoreFor, type CredentialStoreEnv } from "../credentials/credential-store";

/**
 * The grants a browser sign-in may see and revoke: every grant of the Xano user when it proved the
 * account (Sign in with Xano), else only those made with the same credential (the same Metadata
 * API token, or the same app user), so a narrow token the owner handed out, or an app user sharing
 * the owner's api_key, cannot list or cut off the owner's other connections. Grants from before
 * grants recorded their proof are visible only to the account.
 */
export async function grantsManagedBy(oauth: OAuthHelpers, session: { userId: string; proof?: string }): Promise<GrantSummary[]> {
  const grants = await allGrants(oauth, session.userId);
  return grants.filter((grant) => session.proof === "account" || (session.proof !== undefined && grant.metadata?.proof === session.proof));
}

/** Every grant of `userId`, whichever sign-in made it (what a block ends: admin/blocks.ts; the operator's view: front-door/admin-person.ts). */
export async function allGrants(oauth: OAuthHelpers, userId: string): Promise<GrantSummary[]> {
  const grants: GrantSummary[] = [];
  let cursor: string | undefined;
  do {
    const result = await oauth.listUserGrants(userId, { cursor });
    grants.push(...result.items);
    cursor = result.cursor;
  } while (cursor);
  return grants;
}

export async function disconnect(oauth: OAuthHelpers, env: CredentialStoreEnv, userId: string, grants: readonly GrantSummary[]): Promise<void> {
  for (const grant of grants) {
    await oauth.revokeGrant(grant.id, userId);
    const storeId = storeIdOf(grant);
    if (storeId) await credentialStoreFor(env, storeId).forget();
  }
}

export function storeIdOf(grant: GrantSummary): string | null {
  const storeId = grant.metadata?.storeId;
  return typeof storeId === "string" && storeId !== "" ? storeId : null;
}
