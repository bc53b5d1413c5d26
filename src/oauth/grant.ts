/**
 * Grant minting: a completed sign-in and an approved consent become an OAuth grant. This is the one
 * place a grant is created (workers-oauth-provider's completeAuthorization) and its props written.
 *
 * The Xano credential goes into a new credential store of its own, sealed under a fresh key that
 * only the props hold (the library keeps props encrypted under a key derived from the MCP token).
 * The metadata, which the library keeps readable, holds nothing secret: what Connected apps shows.
 */
import type { AuthRequest, OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import type { GrantProps, XanoUserSummary } from "../credentials/grant-props";
import type { XanoCredential } from "../credentials/credential";
import type { CredentialProof } from "../credentials/sign-in/result";
import { newRawKey } from "../credentials/encryption";
import { credentialStoreFor, type CredentialStoreEnv } from "../credentials/credential-store";
import { randomToken } from "../lib/secrets";
import { WRITE_SCOPE } from "../oauth/scopes";
import type { AccessDecision } from "../access/policy";
import type { UpstreamCredential } from "../credentials/upstream-credential";

type AllowedAccess = Extract<AccessDecision, { allowed: true }>;

export interface GrantEnv extends CredentialStoreEnv {
  OAUTH_PROVIDER: OAuthHelpers;
}

/** Who signed in, and the credential their grant gets (a sign-in session that can authorize is one). */
export interface CompletedSignIn {
  userId: string;
  xanoUser: XanoUserSummary;
  credential: XanoCredential;
  proof?: CredentialProof;
  signedInAt: number;
}

/** Who signed in and how and where, for an upstream grant (which keeps no Xano credential). */
export type UpstreamSignIn = Omit<CompletedSignIn, "credential"> & { credential: Pick<XanoCredential, "method" | "metaApiBase"> };

/**
 * Creates the grant for an approved authorization request (its scope is what the person allowed)
 * and returns where to send the browser: the client's redirect URI with the code. `access` is the
 * operator's lists' decision for this person (src/access/policy.ts), which the caller must have
 * asked: a read-only person's grant carries no write scope, whatever was approved.
 */
/**
 * `upstream`: a grant for an upstream MCP server (src/upstream/), bound to it (GrantProps.backend):
 * its store holds that server's credential only; the sign-in's Xano credential is not kept.
 */
export async function mintGrant(env: GrantEnv, authRequest: AuthRequest, session: CompletedSignIn, toolsets: string[] | undefined, access: AllowedAccess): Promise<string>;
/** An upstream grant needs only who signed in and how: a session without a Xano credential will do. */
export async function mintGrant(env: GrantEnv, authRequest: AuthRequest, session: UpstreamSignIn, toolsets: undefined, access: AllowedAccess, upstream: UpstreamCredential): Promise<string>;
export async function mintGrant(env: GrantEnv, authRequest: AuthRequest, session: UpstreamSignIn, toolsets: string[] | undefined, access: AllowedAccess, upstream?: UpstreamCredential): Promise<string> {
  const scope = access.readOnly ? authRequest.scope.filter((s) => s !== WRITE_SCOPE) : authRequest.scope;
  const storeId = randomToken(24);
  const storeKey = newRawKey();
  // Without `upstream`, the first signature holds: the session's credential is a whole Xano credential.
  await credentialStoreFor(env, storeId).initialize(storeKey, upstream ?? (session.credential as XanoCredential));
  const props: GrantProps = {
    userId: session.userId,
    xanoUser: session.xanoUser,
    method: session.credential.method,
    instanceHost: new URL(session.credential.metaApiBase).host,
    storeId,
    storeKey,
    signedInAt: session.signedInAt,
    access: scope.includes(WRITE_SCOPE) ? "read_write" : "read",
    // What the connection lists (connection-toolsets.ts); absent only for a flow begun before this field.
    ...(toolsets ? { toolsets } : {}),
    ...(session.proof ? { proof: session.proof } : {}),
    ...(upstream ? { backend: { server: upstream.server } } : {}),
  };
  const { redirectTo } = await env.OAUTH_PROVIDER.completeAuthorization({
    request: authRequest,
    userId: session.userId,
    // storeId names the grant's credential store (not a secret: its contents are sealed under storeKey),
    // so the connected-apps page can show when the grant was last used and empty it on revoke.
    // proof: what the sign-in behind this grant proved, so /apps shows it only to the same credential (disconnect.ts).
    // toolsets: shown on /apps (props are encrypted; the page reads only metadata).
    metadata: { label: session.xanoUser.email ?? String(session.xanoUser.id), instance: props.instanceHost, method: props.method, storeId, proof: session.proof, ...(toolsets ? { toolsets } : {}), ...(upstream ? { server: upstream.server } : {}) },
    scope,
    props,
  });
  return redirectTo;
}
