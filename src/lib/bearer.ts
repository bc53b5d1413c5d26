/**
 * The access token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1), or null. Our
 * tokens are `userId:grantId:secret`, so the token is any run of non-space characters, not only
 * RFC 6750's b64token alphabet. The scheme is case-insensitive (RFC 9110 §11.1).
 *
 * A leaf module: it imports nothing of the server.
 */
export function bearerToken(request: Request): string | null {
  return request.headers.get("Authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
}
