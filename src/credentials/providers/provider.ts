/**
 * What the credential store asks of a backend kind. The store (credential-store.ts) owns the
 * mechanism — one Durable Object per grant, single flight, persist before use, death recorded —
 * and a provider answers the questions whose answers differ per kind: Xano (providers/xano.ts)
 * and upstream MCP servers (providers/upstream.ts).
 */
import type { CredentialMethod, StoredCredential } from "../credential";
import type { RefreshOutcome } from "../refresh";

export interface CredentialProvider<C extends StoredCredential> {
  /** The backend kind, as log lines name it. */
  readonly backend: "xano" | "upstream";
  /** Who issued the credential, as reasons name it ("Xano", `the MCP server "support"`). */
  issuer(credential: C): string;
  /** The non-secret facts /status and debug_auth show. */
  describe(credential: C): { method: CredentialMethod; instanceHost: string; upstreamServer?: string };
  /** When its access token expires (ms since epoch), or null when unknown or never. */
  expiresAt(credential: C): number | null;
  canRefresh(credential: C): boolean;
  /** Due for a refresh now: about to expire, or `rejectedToken` (just answered 401) is still the one held. */
  needsRefresh(credential: C, now: number, rejectedToken?: string): boolean;
  /** One upstream refresh, classified (refresh.ts). Called only when canRefresh. */
  refresh(credential: C, now: number): Promise<RefreshOutcome<C>>;
  /** Every secret it holds, for masking (secret-mask.ts). */
  secretsOf(credential: C): string[];
  /** What a masked secret reads as in messages the model or /status shows. */
  readonly masked: string;
  /** Revokes it at its issuer (RFC 7009) where possible; true when the issuer confirmed. */
  revoke(credential: C): Promise<boolean>;
  /** The same credential recorded as expiring at `at` (debug tool), or null when it has no expiry to move. */
  withExpiry(credential: C, at: number): C | null;
}
