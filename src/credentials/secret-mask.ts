/**
 * Xano's error messages and payloads (and anything a tool reads from Xano) reach the model as
 * they are. Should Xano, or a proxy in front of an instance, echo a request's bearer token or a
 * refresh token back, the model would read the caller's own Xano secret and could repeat it
 * anywhere. So every token of the caller's credential is masked out of what leaves the server:
 * tool results (mcp/tools/registry.ts, with every credential the call used, a refreshed one
 * included) and the reasons the credential store records (shown by /status and in tool errors).
 */
import type { XanoCredential } from "./credential";

export const MASKED = "[redacted: your Xano token]";

/** Shorter strings are not worth masking: they could be ordinary words in a message. */
const MIN_SECRET_LENGTH = 8;

/** Every secret a credential holds: the Meta API bearer, and the refresh or app auth token. */
export function secretsOf(credential: XanoCredential): string[] {
  const secrets = [credential.accessToken];
  if (credential.method === "xano_oauth" && credential.refreshToken) secrets.push(credential.refreshToken);
  if (credential.method === "app_auth") secrets.push(credential.authToken);
  return secrets.filter((secret) => typeof secret === "string" && secret.length >= MIN_SECRET_LENGTH);
}

/** `value` with every occurrence of each secret replaced, in every string it holds (keys included). */
export function maskSecrets<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  // Longest first, so a secret that contains another is masked whole.
  const ordered = [...new Set(secrets)].sort((a, b) => b.length - a.length);
  const maskString = (text: string) => ordered.reduce((masked, secret) => masked.split(secret).join(MASKED), text);
  const walk = (node: unknown): unknown => {
    if (typeof node === "string") return maskString(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === "object") {
      return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([key, inner]) => [maskString(key), walk(inner)]));
    }
    return node;
  };
  return walk(value) as T;
}
