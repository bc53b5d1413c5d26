/**
 * PKCE is required of every client. The library lets a confidential client skip PKCE (OAuth 2.1
 * permits it); we do not: PKCE is also what stops authorization code injection (RFC 9700 §2.1.1,
 * §4.5), and every MCP client sends it.
 */
import { AuthorizationError, type AuthRequest, type OAuthHelpers } from "@cloudflare/workers-oauth-provider";

/**
 * The client's authorization request, validated by the library, refused without a code challenge.
 * The request's client and redirect URI are validated by then, so the error goes back to the client.
 */
export async function parseWithPkce(oauth: OAuthHelpers, request: Request): Promise<AuthRequest> {
  const authRequest = await oauth.parseAuthRequest(request);
  if (!authRequest.codeChallenge) {
    const { redirectUri, state, issuer } = authRequest;
    throw new AuthorizationError("invalid_request", { description: "code_challenge is required (PKCE with S256)", redirectUri, state, issuer });
  }
  return authRequest;
}
