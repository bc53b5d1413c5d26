import { wrongAddressPage } from "./pages";
import { PAGE_SECURITY_HEADERS } from "./security-headers";

/**
 * Requests that reach this Worker on another host than PUBLIC_URL's (its workers.dev alias, a
 * second route, a preview URL). The OAuth library derives its issuer and endpoint URLs from the
 * request's host, so an alias would advertise another issuer (RFC 8414 §3.3 says clients must then
 * refuse it, and tokens issued there are still bound to PUBLIC_URL). Instead:
 *
 * - the discovery documents (`/.well-known/…`) are answered as if asked at PUBLIC_URL, so they name
 *   PUBLIC_URL as issuer, resource and for every endpoint, whichever host served them;
 * - a page a person opens there (GET or HEAD without a bearer token, not an MCP endpoint) is redirected (308) to the same
 *   path on PUBLIC_URL, so sign-in, consent and connected apps only ever run, and set cookies, on
 *   the one origin tokens are bound to;
 * - everything else there (a form posted, a token or registration request, an MCP request, any call
 *   with a bearer token) is answered 400 (`invalid_request`), naming the address to use: a page for
 *   a browser, JSON otherwise. Not 421 Misdirected Request, though that is what it is: the Fetch
 *   standard has clients retry a 421 on a new connection, and Node 22's fetch then fails with a
 *   body-length error instead of showing this answer. Not a redirect, which would make clients drop the body or the
 *   Authorization header; and not the 401 the MCP endpoints would give a token bound to PUBLIC_URL,
 *   which sends an MCP client back to sign-in, where it gets that same token again, forever (the
 *   localhost / 127.0.0.1 trap of `npm run dev`).
 *
 * Only /health answers on any host: its warnings name this very trap.
 */
/** Answered whatever the host: it names this very trap in its warnings. */
const ANY_HOST_PATHS = /^\/health$/;
/** MCP endpoints: never redirected (a client would follow, then keep using the wrong address). */
const MCP_PATHS = /^\/(mcp|sse)(\/|$)/;

export function onPublicOrigin(request: Request, publicUrl: string, next: (request: Request) => Promise<Response>): Promise<Response> {
  const url = new URL(request.url);
  if (url.origin === publicUrl || ANY_HOST_PATHS.test(url.pathname)) return next(request);
  const canonical = new URL(`${url.pathname}${url.search}`, publicUrl);
  if (url.pathname.startsWith("/.well-known/")) return next(new Request(canonical, request));
  const page = (request.method === "GET" || request.method === "HEAD") && !request.headers.has("Authorization") && !MCP_PATHS.test(url.pathname);
  if (page) {
    return Promise.resolve(new Response(null, { status: 308, headers: { Location: canonical.href, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } }));
  }
  return Promise.resolve(wrongAddress(request, url, publicUrl));
}

/** The status of a request made on another address than PUBLIC_URL (see the top of this file). */
export const WRONG_ADDRESS_STATUS = 400;

function wrongAddress(request: Request, url: URL, publicUrl: string): Response {
  const use = `${publicUrl}${url.pathname}`;
  const said = `This server's address is ${publicUrl}, not ${url.origin}: use ${use}. Tokens are bound to ${publicUrl} and are refused anywhere else.`;
  // The body is not read: cancel it, so the runtime does not warn about an unread body.
  void request.body?.cancel().catch(() => undefined);
  if ((request.headers.get("Accept") ?? "").includes("text/html")) {
    return new Response(wrongAddressPage(publicUrl, url.origin), { status: WRONG_ADDRESS_STATUS, headers: PAGE_SECURITY_HEADERS });
  }
  return Response.json({ error: "invalid_request", error_description: said, use }, { status: WRONG_ADDRESS_STATUS, headers: { "Cache-Control": "no-store" } });
}
