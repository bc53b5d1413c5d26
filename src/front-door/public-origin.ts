/**
 * Requests that reach this Worker on another host than PUBLIC_URL's (its workers.dev alias, a
 * second route, a preview URL). The OAuth library derives its issuer and endpoint URLs from the
 * request's host, so an alias would advertise another issuer (RFC 8414 §3.3 says clients must then
 * refuse it, and tokens issued there are still bound to PUBLIC_URL). Instead:
 *
 * - the discovery documents (`/.well-known/…`) are answered as if asked at PUBLIC_URL, so they name
 *   PUBLIC_URL as issuer, resource and for every endpoint, whichever host served them;
 * - a page a person opens there (GET or HEAD without a bearer token) is redirected (308) to the same
 *   path on PUBLIC_URL, so sign-in, consent and connected apps only ever run, and set cookies, on
 *   the one origin tokens are bound to;
 * - everything else (the MCP endpoints, token and registration requests, calls with a bearer, and
 *   /health, whose warning names the host mismatch) is passed on unchanged: the MCP endpoints
 *   refuse another audience's host themselves (RFC 8707), and a redirect would make clients drop
 *   the Authorization header.
 */
/** Passed on whatever the host: the MCP endpoints, and /health, which names this very trap in its warnings. */
const ANY_HOST_PATHS = /^\/(mcp|sse)(\/|$)|^\/health$/;

export function onPublicOrigin(request: Request, publicUrl: string, next: (request: Request) => Promise<Response>): Promise<Response> {
  const url = new URL(request.url);
  if (url.origin === publicUrl || ANY_HOST_PATHS.test(url.pathname)) return next(request);
  const canonical = new URL(`${url.pathname}${url.search}`, publicUrl);
  if (url.pathname.startsWith("/.well-known/")) return next(new Request(canonical, request));
  if ((request.method === "GET" || request.method === "HEAD") && !request.headers.has("Authorization")) {
    return Promise.resolve(new Response(null, { status: 308, headers: { Location: canonical.href, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } }));
  }
  return next(request);
}
