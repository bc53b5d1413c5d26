/**
 * Upstream error messages and payloads (and anything a tool reads from Xano or an upstream MCP
 * server) reach the model as they are. Should the upstream, or a proxy in front of it, echo a
 * request's bearer token or a refresh token back, the model would read the caller's own secret
 * and could repeat it anywhere. So every secret of the caller's credential is masked out of what
 * leaves the server: tool results (mcp/tools/registry.ts, with every credential the call used, a
 * refreshed one included) and the reasons the credential store records (shown by /status and in
 * tool errors). Which strings are secret is each provider's answer (providers/*.ts).
 */
import type { StoredCredential } from "./credential";
import { providerFor } from "./providers";
import { MASKED_XANO_TOKEN } from "./providers/xano";

/** What a masked Xano secret reads as (the default: every tool result of /mcp is Xano's). */
export const MASKED = MASKED_XANO_TOKEN;

/** Shorter strings are not worth masking: they could be ordinary words in a message. */
const MIN_SECRET_LENGTH = 8;

/** Every secret a credential holds: its bearer, and its refresh, auth or client secret. */
export function secretsOf(credential: StoredCredential): string[] {
  return providerFor(credential)
    .secretsOf(credential)
    .filter((secret) => typeof secret === "string" && secret.length >= MIN_SECRET_LENGTH);
}

/** `value` with every occurrence of each secret replaced by `masked`, in every string it holds (keys included). */
export function maskSecrets<T>(value: T, secrets: readonly string[], masked: string = MASKED): T {
  if (secrets.length === 0) return value;
  // Longest first, so a secret that contains another is masked whole.
  const ordered = [...new Set(secrets)].sort((a, b) => b.length - a.length);
  const maskString = (text: string) => ordered.reduce((result, secret) => result.split(secret).join(masked), text);
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
