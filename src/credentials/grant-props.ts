/**
 * What a grant carries. `completeAuthorization` stores these props encrypted (workers-oauth-provider
 * encrypts them with a key only the token holder can unwrap), so the Xano credential never sits in
 * plaintext storage, a URL or a log line. The MCP endpoints receive them as `ctx.props`.
 */
export type SignInMethod = "metadata_token";

export interface MetadataTokenCredential {
  method: "metadata_token";
  /** The Xano Metadata API token the person pasted. Secret: never log, render or return it. */
  token: string;
  /** The instance's Meta API base, e.g. https://x1234-5678-9012.n7.xano.io/api:meta. */
  metaApiBase: string;
}

export type XanoCredential = MetadataTokenCredential;

export interface GrantProps {
  /** Our user id: stable per Xano user and instance; contains no `:` (a library rule). */
  userId: string;
  xanoUser: { id: number | string; name: string | null; email: string | null };
  credential: XanoCredential;
  signedInAt: number;
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
  return (
    typeof props.userId === "string" &&
    typeof props.credential === "object" &&
    props.credential !== null &&
    props.credential.method === "metadata_token" &&
    typeof props.credential.token === "string" &&
    typeof props.credential.metaApiBase === "string"
  );
}
