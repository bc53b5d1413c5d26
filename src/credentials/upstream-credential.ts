/**
 * A person's credential for one upstream MCP server (issue 17: UPSTREAM_MCP_SERVERS, served at
 * /servers/{name}/mcp). It lives in the grant's credential store exactly like a Xano credential:
 * sealed under the grant's storeKey, refreshed there (single flight) when it is an OAuth one.
 * The grant of an upstream server holds this credential only, never a Xano one.
 */
export type UpstreamAuth = "none" | "bearer" | "oauth";

interface UpstreamCredentialBase {
  kind: "upstream";
  /** The server's `name` in UPSTREAM_MCP_SERVERS. */
  server: string;
  /** The server's MCP endpoint when the grant was made (a change of config ends in re-authentication). */
  url: string;
}

/** `none`: no upstream credential; the front door alone decides who may call the server. */
export interface UpstreamNoneCredential extends UpstreamCredentialBase {
  auth: "none";
}

/** `bearer`: the person's own token for that server, pasted at sign-in. Cannot be refreshed. Secret. */
export interface UpstreamBearerCredential extends UpstreamCredentialBase {
  auth: "bearer";
  token: string;
}

/** `oauth`: tokens from the upstream's own authorization server; the refresh token may rotate. */
export interface UpstreamOAuthCredential extends UpstreamCredentialBase {
  auth: "oauth";
  /** Secret. */
  accessToken: string;
  /** Secret. Null when the upstream issued none (the credential then dies at expiry). */
  refreshToken: string | null;
  /** When the access token expires (ms since epoch), or null when unknown. */
  expiresAt: number | null;
  tokenEndpoint: string;
  revocationEndpoint: string | null;
  clientId: string;
  /** Only for a confidential client registered dynamically. Secret. */
  clientSecret: string | null;
  /** The RFC 8707 resource sent at authorization, sent again on every refresh. */
  resource: string;
}

export type UpstreamCredential = UpstreamNoneCredential | UpstreamBearerCredential | UpstreamOAuthCredential;
