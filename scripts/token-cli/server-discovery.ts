/**
 * What the token CLI needs to know about a server, read from its metadata as an MCP client does:
 * the protected resource metadata (RFC 9728: the resource, its authorization server, its scopes) at
 * `<origin>/.well-known/oauth-protected-resource`, then the authorization server's metadata (RFC
 * 8414) for the registration, authorization, token and revocation endpoints.
 */
import type { Fetch } from "../lib/oauth-http-client";
import { CliError } from "./cli-error";


export interface ServerEndpoints {
  /** The server's origin, which is also its OAuth resource. */
  origin: string;
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  registrationEndpoint: string;
  revocationEndpoint: string | null;
  scopesSupported: string[];
}

/** `https://host/mcp?toolsets=data` → its origin and the `?toolsets=` it carries, if any. */
export function parseServerUrl(value: string): { origin: string; toolsets: string | null } {
  if (!URL.canParse(value)) throw new CliError(`--server must be the server's URL, like https://xano-mcp.example.workers.dev (got "${value}")`, 2);
  const url = new URL(value);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new CliError(`--server must be an http(s) URL (got "${value}")`, 2);
  return { origin: url.origin, toolsets: url.searchParams.get("toolsets") };
}

/** GET a JSON document; a network failure or a non-JSON answer becomes a CliError that says which. */
export async function getJson(http: Fetch, url: string, what: string): Promise<Record<string, any>> {
  let response: Response;
  try {
    response = await http(url, { headers: { Accept: "application/json" } });
  } catch (error) {
    throw new CliError(`Cannot reach ${new URL(url).origin} (${describeNetworkError(error)})`);
  }
  const text = await response.text();
  if (!response.ok) throw new CliError(`${new URL(url).origin} is not an xano-mcp server, or is misconfigured: ${what} at ${url} answered HTTP ${response.status}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${new URL(url).origin} is not an xano-mcp server: ${what} at ${url} is not JSON`);
  }
}

export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

export async function discoverServer(http: Fetch, origin: string): Promise<ServerEndpoints> {
  const resource = await getJson(http, `${origin}/.well-known/oauth-protected-resource`, "the protected resource metadata");
  const issuer: string = resource.authorization_servers?.[0] ?? origin;
  const server = await getJson(http, `${issuer.replace(/\/$/, "")}/.well-known/oauth-authorization-server`, "the authorization server metadata");
  for (const name of ["authorization_endpoint", "token_endpoint", "registration_endpoint"]) {
    if (typeof server[name] !== "string") throw new CliError(`${origin} does not offer what this CLI needs: its authorization server metadata has no ${name}`);
  }
  return {
    origin,
    issuer: server.issuer ?? issuer,
    authorizationEndpoint: server.authorization_endpoint,
    tokenEndpoint: server.token_endpoint,
    registrationEndpoint: server.registration_endpoint,
    revocationEndpoint: server.revocation_endpoint ?? null,
    scopesSupported: resource.scopes_supported ?? server.scopes_supported ?? [],
  };
}
