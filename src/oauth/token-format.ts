/**
 * The shape of the tokens workers-oauth-provider issues (access and refresh tokens alike):
 *
 *   userId:grantId:secret
 *
 * userIds contain no `:` (a library rule, kept by grant-props.ts `userIdFor`), grant ids and
 * secrets are random. The first two parts are no secret: they name the grant, /status shows them,
 * and the library's KV keys are built from them (`grant:userId:grantId`, `token:userId:grantId:…`).
 * Only the library checks a token; this module reads the names in one.
 */

export interface TokenParts {
  userId: string;
  grantId: string;
  secret: string;
}

/** The parts of a token of this shape, or null for anything else (a Xano token, garbage). */
export function parseToken(token: string | null | undefined): TokenParts | null {
  if (typeof token !== "string") return null;
  const parts = token.split(":");
  if (parts.length !== 3) return null;
  const [userId, grantId, secret] = parts;
  return { userId, grantId, secret };
}

/** Whether a string has the token shape (three parts); says nothing about whether it is valid. */
export function isTokenShaped(token: string | null | undefined): token is string {
  return parseToken(token) !== null;
}

/** The grant id a token names, or null when it has not the token shape or names none. */
export function grantIdOf(token: string): string | null {
  return parseToken(token)?.grantId || null;
}

/** "userId:grantId": the grant a token names (no secret), as the library keys it. */
export function grantKeyOf(parts: Pick<TokenParts, "userId" | "grantId">): string {
  return `${parts.userId}:${parts.grantId}`;
}
