/**
 * Every request body outside the MCP endpoints is read here, once, at most 64 KiB, before anything
 * else sees it: the front-door forms (/authorize, /apps/*, /logout) and the OAuth library's
 * endpoints (/oauth/token, /oauth/register, /oauth/revoke). None of them needs more: a sign-in
 * form or a token request is a few hundred bytes. A larger body, declared or chunked, is answered
 * 413 without being read whole (src/lib/bounded-body.ts), in the door's own format: OAuth JSON for
 * the library's endpoints, a page for people.
 *
 * What passes on is the same request re-created from the bytes read, so the request log, the
 * refresh-replay detector and the library all work from those bytes and none of them reads the
 * network again. The MCP endpoints read their own bodies (4 MiB, JSON-RPC errors) in
 * mcp/request-guards.ts, after the token check, so they are left alone here.
 */
import { describeBytes, readBounded } from "../lib/bounded-body";
import { errorPage } from "./pages";
import { PAGE_SECURITY_HEADERS } from "./security-headers";

export const MAX_FORM_BYTES = 64 * 1024;

/**
 * Reads the body (if any) with the cap, then calls `next` with a request carrying those bytes and
 * the bytes themselves (null when there is no body to read). `ownBodies` are path prefixes whose
 * handlers read their bodies themselves.
 */
export async function withBoundedBody(
  request: Request,
  ownBodies: readonly string[],
  next: (request: Request, body: Uint8Array | null) => Promise<Response>,
): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (request.body === null || request.method === "GET" || request.method === "HEAD" || ownBodies.some((p) => path === p || path.startsWith(`${p}/`))) {
    return next(request, null);
  }
  let read;
  try {
    read = await readBounded(request, MAX_FORM_BYTES);
  } catch {
    // The client went away mid-body: nothing to answer it with that it would read.
    return refusedBody(path, 400, "The request body could not be read.");
  }
  if (!read.ok) return refusedBody(path, 413, `The request body is larger than ${describeBytes(MAX_FORM_BYTES)}.`);
  return next(new Request(request, { body: read.bytes }), read.bytes);
}

function refusedBody(path: string, status: 400 | 413, description: string): Response {
  if (path.startsWith("/oauth/")) {
    return Response.json({ error: "invalid_request", error_description: description }, { status, headers: { "Cache-Control": "no-store" } });
  }
  const title = status === 413 ? "This form is too large" : "Bad request";
  return new Response(errorPage(title, description, "Go back, and submit the form from this server's own page."), { status, headers: PAGE_SECURITY_HEADERS });
}
