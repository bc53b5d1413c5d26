// Token material: opaque random tokens, PKCE S256, and HS256 JWTs. Web Crypto only, so the same
// code runs in workerd (tests) and Node (dev server).

/** Fixed, fake signing secret: the fake is never a real authority, and a fixed key keeps JWTs inspectable. */
const JWT_SECRET = "fake-xano-not-a-secret";

export function randomToken(prefix: string, bytes = 24): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return `${prefix}_${Array.from(raw, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export function base64url(data: Uint8Array | string): string {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** PKCE S256: BASE64URL(SHA256(ASCII(code_verifier))) (RFC 7636 §4.2). */
export async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

let hmacKey: Promise<CryptoKey> | undefined;
function signingKey(): Promise<CryptoKey> {
  hmacKey ??= crypto.subtle.importKey("raw", new TextEncoder().encode(JWT_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hmacKey;
}

export async function signJwt(claims: Record<string, unknown>): Promise<string> {
  const head = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = base64url(JSON.stringify(claims));
  const sig = await crypto.subtle.sign("HMAC", await signingKey(), new TextEncoder().encode(`${head}.${body}`));
  return `${head}.${body}.${base64url(new Uint8Array(sig))}`;
}
