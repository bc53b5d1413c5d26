/**
 * How a standard MCP client finds its way from /servers/{name}/mcp to a sign-in for that server
 * (RFC 9728, RFC 8707), around the OAuth library, which knows one resource: our origin.
 *
 *  - every challenge answered on /servers/{name}/mcp (the library's 401 for a missing or invalid
 *    token, ours for a token of another backend, the 403 step-up) names that server's protected
 *    resource metadata: `<origin>/.well-known/oauth-protected-resource/servers/{name}/mcp`;
 *  - that document is the origin's, naming the resource `<origin>/servers/{name}/mcp` (RFC 9728
 *    §3.3: the resource its URL was built from) and the server's title;
 *  - clients send that resource at /authorize and /oauth/token; it is rewritten here to
 *    `<origin>/?server={name}`, which the library maps to the origin (a query our resource does
 *    not constrain, as for `?toolsets=`: front-door/toolsets-through-sign-in.ts), so the token's
 *    audience is the origin and the consent page learns the server from the query (consent.ts).
 *    The grant, not the audience, binds the token to the server (credentials/grant-binding.ts).
 */
import { RESOURCE_METADATA_PATH, resourceMetadataUrl } from "../oauth/challenges";
import { withResourceInDocument, withResourceInForm, withResourceInQuery, type ResourceMapping } from "../oauth/resource-indicator";
import { backendOfPath, serverPath } from "../credentials/grant-binding";
import { SERVER_QUERY } from "./consent";
import { findServer, type UpstreamServer } from "./servers";

export interface UpstreamDiscoveryOptions {
  publicUrl: string;
  servers: readonly UpstreamServer[];
  authorizePath: string;
  tokenPath: string;
}

type Next = (request: Request, body: Uint8Array | null) => Promise<Response>;

/** The metadata URL of one server's resource. */
export function serverMetadataUrl(publicUrl: string, name: string): string {
  return `${publicUrl}${RESOURCE_METADATA_PATH}${serverPath(name)}`;
}

export function upstreamDiscovery(options: UpstreamDiscoveryOptions) {
  const { publicUrl, servers } = options;
  const plainMetadata = `resource_metadata="${resourceMetadataUrl(publicUrl)}"`;
  const map: ResourceMapping = (value) => {
    if (!URL.canParse(value)) return null;
    const url = new URL(value);
    if (url.origin !== publicUrl || url.search || url.hash || url.username || url.password) return null;
    const name = backendOfPath(url.pathname);
    return name && findServer(servers, name) ? `${publicUrl}/?${SERVER_QUERY}=${name}` : null;
  };
  return async (request: Request, body: Uint8Array | null, next: Next): Promise<Response> => {
    if (servers.length === 0) return next(request, body);
    const url = new URL(request.url);
    if (url.pathname === options.authorizePath) return next(withResourceInQuery(request, url, map), body);
    if (url.pathname === options.tokenPath && request.method === "POST") {
      const rewritten = withResourceInForm(request, body, map);
      return next(rewritten.request, rewritten.body);
    }
    if (url.pathname.startsWith(`${RESOURCE_METADATA_PATH}/`) && (request.method === "GET" || request.method === "HEAD")) {
      const name = backendOfPath(url.pathname.slice(RESOURCE_METADATA_PATH.length));
      const server = name ? findServer(servers, name) : null;
      if (!server) return next(request, body);
      const root = await next(new Request(`${publicUrl}${RESOURCE_METADATA_PATH}`, request), null);
      return withResourceInDocument(root, `${publicUrl}${serverPath(server.name)}`, { resource_name: server.title });
    }
    const name = backendOfPath(url.pathname);
    if (!name || !findServer(servers, name)) return next(request, body);
    const response = await next(request, body);
    const challenge = response.headers.get("WWW-Authenticate");
    if (!challenge?.includes(plainMetadata)) return response;
    const rewritten = new Response(response.body, response);
    rewritten.headers.set("WWW-Authenticate", challenge.replace(plainMetadata, `resource_metadata="${serverMetadataUrl(publicUrl, name)}"`));
    return rewritten;
  };
}
