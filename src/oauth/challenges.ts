/**
 * The Bearer challenges this server answers with itself (RFC 6750 §3), in one place. The library
 * answers a missing or invalid token on /mcp and /sse before our code runs; these are the ones it
 * cannot know about:
 *
 *   401, no error code   no token on /status or /debug-oauth (RFC 6750 §3.1: a request without
 *                        credentials gets no error code)
 *   401 invalid_token    a token /status, /debug-oauth or /logout does not accept, a grant whose
 *                        Xano credential died (mcp/reauthenticate.ts), or one the operator's lists
 *                        no longer allow (mcp/reauthenticate.ts): MCP clients answer it by signing in again
 *   403 insufficient_scope   a read-only token calling a write tool (MCP "Scope challenge
 *                        handling"): `scope` names every scope the call needs, not only the
 *                        missing one
 *
 * Every challenge names the protected resource metadata (RFC 9728 §5.1), so a client that meets
 * one can find the authorization server. The body repeats `error` and `error_description` as JSON.
 */

/** The path of this server's protected resource metadata (the root document; see index.ts). */
export const RESOURCE_METADATA_PATH = "/.well-known/oauth-protected-resource";

/** Where this server's protected resource metadata lives: what every challenge names. */
export function resourceMetadataUrl(publicUrl: string): string {
  return `${publicUrl}${RESOURCE_METADATA_PATH}`;
}

/** No token at all: 401 without an error code. */
export function missingTokenChallenge(publicUrl: string): Response {
  return challenge(publicUrl, 401, { error: null, description: "Send the MCP access token as a Bearer token" });
}

/** A token that is unknown, expired, bound elsewhere, or whose grant can no longer be served. */
export function invalidTokenChallenge(publicUrl: string, description = "Unknown or expired access token"): Response {
  return challenge(publicUrl, 401, { error: "invalid_token", description });
}

/** A valid token without the scopes an operation needs: 403 naming all of them. */
export function insufficientScopeChallenge(publicUrl: string, scope: readonly string[], description: string): Response {
  return challenge(publicUrl, 403, { error: "insufficient_scope", description, scope });
}

interface ChallengeParameters {
  error: "invalid_token" | "insufficient_scope" | null;
  description: string;
  scope?: readonly string[];
}

function challenge(publicUrl: string, status: 401 | 403, { error, description, scope }: ChallengeParameters): Response {
  const parameters = [`realm="OAuth"`];
  if (error) {
    parameters.push(`error="${error}"`, `error_description="${quotable(description)}"`);
    if (scope?.length) parameters.push(`scope="${[...new Set(scope)].join(" ")}"`);
  }
  parameters.push(`resource_metadata="${resourceMetadataUrl(publicUrl)}"`);
  return Response.json(
    { error: error ?? "invalid_request", error_description: description },
    { status, headers: { "Cache-Control": "no-store", "WWW-Authenticate": `Bearer ${parameters.join(", ")}` } },
  );
}

/** A quoted-string's content (RFC 9110 §5.6.4) without escapes: no quote, no backslash, visible ASCII and spaces. */
function quotable(text: string): string {
  return text.replace(/["\\]/g, "").replace(/[^\x20-\x7e]+/g, " ").trim();
}
