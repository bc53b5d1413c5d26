/**
 * Disconnecting a person's apps from the browser (Connected apps' Revoke / Revoke all, and Sign
 * out): each grant is revoked first, so its tokens are refused from then on, and then the sealed
 * Xano credential it held is deleted from the grant's store. Xano's own refresh token is not
 * revoked from here, because only the app's token can unseal it (`POST /logout` with the token does).
 */
import type { GrantSummary, OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import { credentialStoreFor, type CredentialStoreEnv } from "../credentials/credential-lease";

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
