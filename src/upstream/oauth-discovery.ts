/**
 * Finding an upstream MCP server's authorization server, as an MCP client does (MCP authorization,
 * 2025-06-18 and later): RFC 9728 protected-resource metadata — from the 401's
 * `WWW-Authenticate: Bearer resource_metadata="…"`, else the path-suffixed, else the root
 * well-known URL — then RFC 8414 authorization-server metadata (or OpenID Connect discovery), its
 * `issuer` checked against the URL it was fetched for. A server without protected-resource
 * metadata (2025-03-26) has its authorization server at its own origin.
 *
 * PKCE is required: an authorization server that does not list S256 in
 * `code_challenge_methods_supported` is refused (MCP 2025-11-25: clients MUST refuse to proceed).
 */
import { checkEndpoint, oauthFetch, readOAuthObject, UpstreamOAuthError } from "../lib/oauth-fetch";

export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint?: string;
  revocation_endpoint?: string;
  code_challenge_methods_supported?: string[];
  client_id_metadata_document_supported?: boolean;
  authorization_response_iss_parameter_supported?: boolean;
  scopes_supported?: string[];
  [key: string]: unknown;
}

export interface UpstreamAuthorization {
  /** The RFC 8707 resource to send on authorization and token requests. */
  resource: string;
  /** The scope to ask for: the challenge's, else the resource metadata's scopes_supported, else none. */
  scope: string | null;
  authorizationServer: AuthorizationServerMetadata;
}

/** The parameters of a `Bearer` challenge (RFC 6750 §3), lower-cased names; null when there is none. */
export function parseBearerChallenge(header: string | null): Record<string, string> | null {
  if (!header) return null;
  const bearer = /(?:^|,)\s*Bearer(?:\s+(.*))?$/i.exec(header);
  if (!bearer) return null;
  const params: Record<string, string> = {};
  const pattern = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (const match of (bearer[1] ?? "").matchAll(pattern)) params[match[1].toLowerCase()] = match[2]?.replace(/\\(.)/g, "$1") ?? match[3];
  return params;
}

/**
 * The authorization facts for `mcpUrl`. `challenge` is a WWW-Authenticate header the caller
 * already holds (from a 401 of the server); without one, the server is asked once, unauthenticated.
 */
export async function discoverUpstreamAuthorization(mcpUrl: string, challenge?: string | null): Promise<UpstreamAuthorization> {
  const endpoint = checkEndpoint(mcpUrl, "the MCP server URL");
  const header = challenge ?? (await probe(endpoint));
  const bearer = parseBearerChallenge(header);
  const resourceMetadata = await findResourceMetadata(endpoint, bearer?.resource_metadata);
  const issuer = resourceMetadata ? firstAuthorizationServer(resourceMetadata, endpoint) : endpoint.origin;
  const authorizationServer = await fetchAuthorizationServerMetadata(issuer);
  const supported = Array.isArray(resourceMetadata?.scopes_supported) ? (resourceMetadata.scopes_supported as unknown[]).filter((s) => typeof s === "string").join(" ") : "";
  return {
    resource: resourceMetadata ? String(resourceMetadata.resource) : endpoint.href,
    scope: bearer?.scope || supported || null,
    authorizationServer,
  };
}

/** The WWW-Authenticate of an unauthenticated MCP request, or null (no 401, or no answer). */
async function probe(endpoint: URL): Promise<string | null> {
  try {
    const response = await oauthFetch(endpoint.href, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "ping" }),
    });
    await response.body?.cancel().catch(() => undefined);
    return response.status === 401 ? response.headers.get("WWW-Authenticate") : null;
  } catch {
    return null; // the well-known URLs are still worth trying
  }
}

async function findResourceMetadata(endpoint: URL, fromHeader: string | undefined): Promise<Record<string, unknown> | null> {
  const path = endpoint.pathname.replace(/\/+$/, "");
  const candidates = [
    ...(fromHeader ? [fromHeader] : []),
    ...(path ? [`${endpoint.origin}/.well-known/oauth-protected-resource${path}`] : []),
    `${endpoint.origin}/.well-known/oauth-protected-resource`,
  ];
  for (const candidate of candidates) {
    const metadata = await getJson(candidate, "the protected-resource metadata");
    if (!metadata) continue;
    checkResource(metadata, endpoint);
    return metadata;
  }
  return null;
}

/**
 * RFC 9728 §3.3: the metadata's `resource` must be the server it describes. The MCP endpoint
 * itself or a URL above it on the same origin is accepted (a server may name its origin).
 */
function checkResource(metadata: Record<string, unknown>, endpoint: URL): void {
  let resource: URL | null = null;
  try {
    resource = typeof metadata.resource === "string" ? new URL(metadata.resource) : null;
  } catch {
    resource = null;
  }
  const base = resource ? resource.pathname.replace(/\/+$/, "") : "";
  const covers = resource !== null && resource.origin === endpoint.origin && (endpoint.pathname === base || endpoint.pathname.startsWith(`${base}/`) || base === "");
  if (!covers) throw new UpstreamOAuthError("discovery_failed", `the protected-resource metadata of ${named(endpoint)} names another resource (${String(metadata.resource)})`);
}

/** A server as messages name it: origin and path, never the query string (an operator may put a key there). */
function named(endpoint: URL): string {
  return `${endpoint.origin}${endpoint.pathname}`;
}

function firstAuthorizationServer(metadata: Record<string, unknown>, endpoint: URL): string {
  const servers = metadata.authorization_servers;
  if (!Array.isArray(servers) || typeof servers[0] !== "string") throw new UpstreamOAuthError("discovery_failed", `the protected-resource metadata of ${named(endpoint)} lists no authorization server`);
  return servers[0];
}

/** RFC 8414 §3.1 (path inserted after /.well-known/), then OpenID Connect discovery both ways. */
function metadataUrls(issuer: URL): string[] {
  const path = issuer.pathname.replace(/\/+$/, "");
  if (!path) return [`${issuer.origin}/.well-known/oauth-authorization-server`, `${issuer.origin}/.well-known/openid-configuration`];
  return [`${issuer.origin}/.well-known/oauth-authorization-server${path}`, `${issuer.origin}/.well-known/openid-configuration${path}`, `${issuer.origin}${path}/.well-known/openid-configuration`];
}

export async function fetchAuthorizationServerMetadata(issuerValue: string): Promise<AuthorizationServerMetadata> {
  const issuer = checkEndpoint(issuerValue, "the authorization server");
  for (const url of metadataUrls(issuer)) {
    const metadata = await getJson(url, "the authorization server metadata");
    if (metadata) return validateAuthorizationServer(metadata, issuerValue);
  }
  throw new UpstreamOAuthError("discovery_failed", `the authorization server ${issuer.origin} publishes no metadata (RFC 8414 or OpenID Connect discovery)`);
}

/** Pure: the metadata when it is usable by this client, else a clear error. */
export function validateAuthorizationServer(metadata: Record<string, unknown>, expectedIssuer: string): AuthorizationServerMetadata {
  const trim = (value: string) => value.replace(/\/+$/, "");
  // RFC 8414 §3.3: the issuer must be the one the metadata URL was built from (mix-up defence).
  if (typeof metadata.issuer !== "string" || trim(metadata.issuer) !== trim(expectedIssuer)) {
    throw new UpstreamOAuthError("discovery_failed", `the authorization server metadata names issuer ${String(metadata.issuer)}, expected ${expectedIssuer}`);
  }
  for (const field of ["authorization_endpoint", "token_endpoint"] as const) {
    if (typeof metadata[field] !== "string") throw new UpstreamOAuthError("discovery_failed", `the authorization server ${expectedIssuer} has no ${field}`);
    checkEndpoint(metadata[field] as string, `its ${field}`);
  }
  for (const field of ["registration_endpoint", "revocation_endpoint"] as const) {
    if (metadata[field] !== undefined) checkEndpoint(String(metadata[field]), `its ${field}`);
  }
  const methods = metadata.code_challenge_methods_supported;
  if (!Array.isArray(methods) || !methods.includes("S256")) {
    throw new UpstreamOAuthError("pkce_unsupported", `the authorization server ${expectedIssuer} does not advertise PKCE S256 (code_challenge_methods_supported), which MCP requires`);
  }
  return metadata as AuthorizationServerMetadata;
}

/** A JSON object at `url`, null for a 4xx (try the next candidate); other failures are errors. */
async function getJson(url: string, what: string): Promise<Record<string, unknown> | null> {
  const response = await oauthFetch(url, { headers: { Accept: "application/json", "MCP-Protocol-Version": "2025-06-18" } });
  if (response.status >= 400 && response.status < 500) {
    await response.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new UpstreamOAuthError("discovery_failed", `${what} at ${new URL(url).origin} answered HTTP ${response.status}`);
  }
  return readOAuthObject(response, `${what} at ${url}`);
}
