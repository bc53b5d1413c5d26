/**
 * A `?toolsets=` on the server URL (`…/mcp?toolsets=data`) survives sign-in by every route a
 * standard MCP client takes, so the consent page can preselect it and the grant store it:
 *
 *  - the challenge of `/mcp?toolsets=X` or `/sse?toolsets=X` (the 401 for a missing or dead token,
 *    the 403 step-up) names protected resource metadata that carries X:
 *    `<origin>/.well-known/oauth-protected-resource?toolsets=X`. MCP clients fetch the URL the
 *    challenge names before any other;
 *  - that document names the resource `<origin>/?toolsets=X`: RFC 9728 §3.1 builds a metadata URL
 *    by putting the well-known segment between host and path and keeping the query, and §3.3 wants
 *    the document to name the resource its URL was built from. Clients send that value as the
 *    RFC 8707 `resource` at /authorize and /oauth/token. The OAuth library maps it to our resource,
 *    the bare origin (a query our resource does not constrain; RFC 8707 §2.2), so every token's
 *    audience is still the origin and passes the audience check on /mcp and /sse;
 *  - a client that sends the MCP URL itself as `resource` (`<origin>/mcp?toolsets=X`, `/sse…`, or
 *    without a query) has it rewritten here to `<origin>/?toolsets=X` (or the origin) before the
 *    library sees it, at /authorize and /oauth/token alike: the library accepts only the origin's
 *    own path, and /mcp and /sse are two doors of the one resource the origin names;
 *  - the consent page reads `?toolsets=` from the `resource` it was given and preselects it
 *    (front-door/authorize.ts); the person can still change it.
 *
 * Only a `?toolsets=` that parses is carried (in canonical order, so the same choice makes the same
 * URLs); an unknown name leaves the challenge as it is (and /mcp answers it 400 once signed in).
 */
import { parseToolsetChoice } from "../mcp/tools/toolsets";
import { RESOURCE_METADATA_PATH, resourceMetadataUrl } from "../oauth/challenges";
import { withResourceInDocument, withResourceInForm, withResourceInQuery, type ResourceMapping } from "../oauth/resource-indicator";

export interface ToolsetsThroughSignInOptions {
  /** PUBLIC_URL: the origin, which is also the OAuth resource (src/index.ts). */
  publicUrl: string;
  authorizePath: string;
  tokenPath: string;
  /** The MCP endpoints, whose `?toolsets=` narrows what they list (mcp/connection-toolsets.ts). */
  mcpPaths: readonly string[];
}

type Next = (request: Request, body: Uint8Array | null) => Promise<Response>;


/** `?toolsets=` of a URL in canonical form ("data,logic", "all"), or null when absent or unknown. */
export function carriedToolsets(url: URL): string | null {
  const raw = url.searchParams.get("toolsets");
  if (raw === null) return null;
  const parsed = parseToolsetChoice(raw);
  if (!parsed.ok) return null;
  return parsed.choice === undefined ? "all" : parsed.choice.join(",");
}

/**
 * A `resource` indicator naming one of our MCP endpoints → the same indicator on the origin, query
 * kept (`<origin>/mcp?toolsets=data` → `<origin>/?toolsets=data`, `<origin>/sse` → `<origin>`); null
 * for anything else, which the library judges as sent (another path or host stays `invalid_target`).
 */
export function generalResourceIndicator(value: string, options: Pick<ToolsetsThroughSignInOptions, "publicUrl" | "mcpPaths">): string | null {
  if (!URL.canParse(value)) return null;
  const url = new URL(value);
  if (url.origin !== options.publicUrl || url.hash || url.username || url.password || !options.mcpPaths.includes(url.pathname)) return null;
  return url.search ? `${options.publicUrl}/${url.search}` : options.publicUrl;
}

/** Wraps the provider: see the module comment. Options are read once. */
export function toolsetsThroughSignIn(options: ToolsetsThroughSignInOptions) {
  const metadataUrl = resourceMetadataUrl(options.publicUrl);
  const map: ResourceMapping = (value) => generalResourceIndicator(value, options);
  return async (request: Request, body: Uint8Array | null, next: Next): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname === options.authorizePath) return next(withResourceInQuery(request, url, map), body);
    if (url.pathname === options.tokenPath && request.method === "POST") {
      const rewritten = withResourceInForm(request, body, map);
      return next(rewritten.request, rewritten.body);
    }
    const toolsets = carriedToolsets(url);
    if (toolsets === null) return next(request, body);
    if (url.pathname === RESOURCE_METADATA_PATH && request.method === "GET") {
      return withResourceInDocument(await next(request, body), `${options.publicUrl}/?toolsets=${toolsets}`);
    }
    if (options.mcpPaths.includes(url.pathname)) return withToolsetsInChallenge(await next(request, body), metadataUrl, toolsets);
    return next(request, body);
  };
}

function withToolsetsInChallenge(response: Response, metadataUrl: string, toolsets: string): Response {
  const challenge = response.headers.get("WWW-Authenticate");
  const plain = `resource_metadata="${metadataUrl}"`;
  if (!challenge?.includes(plain)) return response;
  const rewritten = new Response(response.body, response);
  rewritten.headers.set("WWW-Authenticate", challenge.replace(plain, `resource_metadata="${metadataUrl}?toolsets=${toolsets}"`));
  return rewritten;
}
