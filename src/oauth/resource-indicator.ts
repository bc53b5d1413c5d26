/**
 * RFC 8707 `resource` indicators rewritten on their way to the OAuth library, which knows one
 * resource (our origin): in an authorization request's query, a token request's form, and the
 * resource named by a protected-resource metadata document. Used by the `?toolsets=` carry
 * (front-door/toolsets-through-sign-in.ts) and the upstream servers' discovery (upstream/discovery.ts).
 */
/** A `resource` indicator → the one the library should see, or null to leave it as sent. */
export type ResourceMapping = (value: string) => string | null;

/** The authorization request with its `resource` indicators mapped. */
export function withResourceInQuery(request: Request, url: URL, map: ResourceMapping): Request {
  const mapped = mapResources(url.searchParams, map);
  if (!mapped) return request;
  url.search = mapped.toString();
  return new Request(url, request);
}

/** The token request's form (its bytes were read once, front-door/request-body.ts), with `resource` mapped. */
export function withResourceInForm(request: Request, body: Uint8Array | null, map: ResourceMapping): { request: Request; body: Uint8Array | null } {
  if (body === null || !(request.headers.get("Content-Type") ?? "").toLowerCase().includes("application/x-www-form-urlencoded")) return { request, body };
  const mapped = mapResources(new URLSearchParams(new TextDecoder().decode(body)), map);
  if (!mapped) return { request, body };
  const bytes = new TextEncoder().encode(mapped.toString());
  const headers = new Headers(request.headers);
  headers.delete("Content-Length");
  return { request: new Request(request.url, { method: request.method, headers, body: bytes }), body: bytes };
}

/** The parameters with every mappable `resource` mapped; null when none was. */
function mapResources(params: URLSearchParams, map: ResourceMapping): URLSearchParams | null {
  const resources = params.getAll("resource");
  const mapped = resources.map((value) => map(value) ?? value);
  if (mapped.every((value, i) => value === resources[i])) return null;
  const result = new URLSearchParams(params);
  result.delete("resource");
  for (const value of mapped) result.append("resource", value);
  return result;
}

/** The library's metadata document (headers, CORS included, kept) naming the query-bearing resource. */
export async function withResourceInDocument(response: Response, resource: string, extra: Record<string, unknown> = {}): Promise<Response> {
  if (response.status !== 200 || !(response.headers.get("Content-Type") ?? "").includes("application/json")) return response;
  const document = (await response.json()) as Record<string, unknown>;
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  return new Response(JSON.stringify({ ...document, ...extra, resource }), { status: 200, headers });
}

