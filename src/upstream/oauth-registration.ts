/**
 * How this server obtains a client id at an upstream MCP server's authorization server, in this
 * order: a client id (and secret) the operator configured for that server; else our Client ID
 * Metadata Document, when the authorization server advertises `client_id_metadata_document_supported`
 * and our PUBLIC_URL is https (the client id IS the document's URL); else RFC 7591 dynamic
 * registration. We register as a public client (`token_endpoint_auth_method: none`, PKCE); if the
 * authorization server issues a secret anyway, it is kept and used (upstream-credential.ts).
 */
import type { AuthorizationServerMetadata } from "./oauth-discovery";
import { oauthFetch, readOAuthObject, UpstreamOAuthError } from "../lib/oauth-fetch";

/** Where our Client ID Metadata Document is served, under PUBLIC_URL (the route is the front door's). */
export const CLIENT_METADATA_DOCUMENT_PATH = "/oauth/upstream-client-metadata.json";

export interface UpstreamClient {
  clientId: string;
  clientSecret: string | null;
  how: "configured" | "client_id_metadata_document" | "dynamic_registration";
}

export interface OurClient {
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
  /** Where the upstream's authorization server sends the person back (exactly as registered). */
  redirectUri: string;
  /** Shown on the upstream's consent page. */
  clientName: string;
}

/** Our client id when we use a Client ID Metadata Document, or null when PUBLIC_URL is not https (the draft requires it). */
export function clientMetadataDocumentUrl(publicUrl: string): string | null {
  const url = new URL(CLIENT_METADATA_DOCUMENT_PATH, publicUrl);
  return url.protocol === "https:" ? url.href : null;
}

/** The document served at clientMetadataDocumentUrl (draft-ietf-oauth-client-id-metadata-document): `client_id` is its own URL. */
export function clientMetadataDocument(client: OurClient): Record<string, unknown> {
  return {
    client_id: new URL(CLIENT_METADATA_DOCUMENT_PATH, client.publicUrl).href,
    client_name: client.clientName,
    client_uri: client.publicUrl,
    redirect_uris: [client.redirectUri],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  };
}

/** A client id at this authorization server, by the first way that applies (see the top of this file). */
export async function obtainClient(
  metadata: AuthorizationServerMetadata,
  client: OurClient,
  configured?: { clientId: string; clientSecret?: string | null } | null,
): Promise<UpstreamClient> {
  if (configured?.clientId) return { clientId: configured.clientId, clientSecret: configured.clientSecret ?? null, how: "configured" };
  const documentUrl = clientMetadataDocumentUrl(client.publicUrl);
  if (metadata.client_id_metadata_document_supported === true && documentUrl) return { clientId: documentUrl, clientSecret: null, how: "client_id_metadata_document" };
  if (typeof metadata.registration_endpoint === "string") return registerDynamically(metadata.registration_endpoint, client, metadata.issuer);
  throw new UpstreamOAuthError(
    "registration_failed",
    `the authorization server ${metadata.issuer} offers neither dynamic registration nor Client ID Metadata Documents${documentUrl ? "" : " (which would need an https PUBLIC_URL)"}: configure a client id for this server`,
  );
}

/** RFC 7591: one POST of our metadata; the answer's client_id (and client_secret, if it issued one). */
async function registerDynamically(endpoint: string, client: OurClient, issuer: string): Promise<UpstreamClient> {
  // Our document's metadata, less the client_id the registration is asking for.
  const { client_id: _none, ...metadata } = clientMetadataDocument(client);
  const response = await oauthFetch(endpoint, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(metadata) });
  const body = await readOAuthObject(response, `the registration answer of ${issuer}`).catch((error: unknown) => {
    if (response.ok) throw error;
    return {} as Record<string, unknown>;
  });
  if (!response.ok) {
    const said = typeof body.error === "string" ? `: ${body.error}${typeof body.error_description === "string" ? ` (${body.error_description})` : ""}` : "";
    throw new UpstreamOAuthError("registration_failed", `the authorization server ${issuer} refused dynamic registration (HTTP ${response.status}${said})`);
  }
  if (typeof body.client_id !== "string" || body.client_id === "") throw new UpstreamOAuthError("registration_failed", `the registration answer of ${issuer} has no client_id`);
  return { clientId: body.client_id, clientSecret: typeof body.client_secret === "string" ? body.client_secret : null, how: "dynamic_registration" };
}
