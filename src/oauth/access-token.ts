/**
 * The MCP access token on the endpoints that are not MCP endpoints (/status, /debug-oauth,
 * /logout): the library's apiHandlers routing checks it only on /mcp and /sse, so these check it
 * here, all alike. `unwrapToken` does the library's checks (hash lookup, expiry, props
 * decryption); the audience is then compared to PUBLIC_URL as the library does for /mcp (RFC 8707:
 * a token issued for another resource is not ours to honour); a token without an audience (issued
 * before tokens were bound) is accepted, as the library accepts it.
 */
import type { OAuthHelpers, TokenSummary } from "@cloudflare/workers-oauth-provider";
import { isGrantProps, type GrantProps } from "../credentials/grant-props";
import { bearerToken } from "../lib/bearer";
import { invalidTokenChallenge, missingTokenChallenge } from "./challenges";

export type AccessTokenCheck =
  | { ok: true; token: string; summary: TokenSummary<GrantProps>; props: GrantProps }
  | { ok: false; response: Response };

/** The request's bearer token and its grant, or the 401 challenge to answer with. */
export async function checkAccessToken(request: Request, oauth: OAuthHelpers, publicUrl: string): Promise<AccessTokenCheck> {
  const token = bearerToken(request);
  if (!token) return { ok: false, response: missingTokenChallenge(publicUrl) };
  const summary = await oauth.unwrapToken<GrantProps>(token);
  if (!summary || !isBoundTo(summary.audience, publicUrl) || !isGrantProps(summary.grant.props)) {
    return { ok: false, response: invalidTokenChallenge(publicUrl) };
  }
  return { ok: true, token, summary, props: summary.grant.props };
}

function isBoundTo(audience: string | string[] | undefined, publicUrl: string): boolean {
  const audiences = (Array.isArray(audience) ? audience : audience ? [audience] : []).map((a) => a.replace(/\/+$/, ""));
  return audiences.length === 0 || audiences.includes(publicUrl);
}
