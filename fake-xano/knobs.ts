// Test knobs: small, explicit ways to make the fake misbehave like the real network and Xano do.
// Failures and rate limits are matched on the route TEMPLATE ("POST /oauth/token",
// "GET /api:meta/workspace/{w}/table") and optionally an origin (account and instance both have
// "GET /api:meta/auth/me"). Each armed failure is consumed by the calls it fires on.

import type { FakeCore } from "./context";
import type { TokenKind, TokenRecord } from "./store";

export interface FailNextOptions {
  /** A route template, e.g. "POST /oauth/token". */
  route: string;
  /** How many matching calls fail (default 1). */
  count?: number;
  /** An HTTP status (answered with Xano's error envelope for it) or "network" (the call is dropped). */
  status: number | "network";
  /**
   * "before" (default): the call fails without any effect.
   * "after": the handler runs (its effect happens, e.g. a refresh token rotates) and then the
   * response is replaced or lost — the "server did it but the client never heard" case.
   */
  when?: "before" | "after";
  /** Only calls to this origin (default: any fake origin). */
  origin?: string;
}

export interface RateLimitOptions {
  /** A route template; omitted = every route. */
  route?: string;
  /** How many calls answer 429. */
  count: number;
  retryAfterSeconds: number;
  origin?: string;
}

export interface Knobs {
  /** Makes a token (any kind) expired as of now. Returns false if the fake never issued it. */
  expireToken(token: string): boolean;
  /** Revokes a token (any kind). Returns false if the fake never issued it. */
  revokeToken(token: string): boolean;
  /**
   * Acts on every live token a user holds of one kind, without the test knowing the token
   * strings (e.g. the OAuth access token the server got on its own). Returns how many it touched.
   */
  expireUserTokens(options: { userId: number; kind: TokenKind }): number;
  revokeUserTokens(options: { userId: number; kind: TokenKind }): number;
  failNext(options: FailNextOptions): void;
  /** Delays every (non-admin) response by `ms` milliseconds; 0 turns it off. */
  setLatency(ms: number): void;
  rateLimit(options: RateLimitOptions): void;
  /** Restores the seed, disarms every knob and clears the log. */
  reset(): void;
}

interface ArmedFailure {
  route: string;
  remaining: number;
  status: number | "network";
  when: "before" | "after";
  origin?: string;
}

interface ArmedRateLimit {
  route?: string;
  remaining: number;
  retryAfterSeconds: number;
  origin?: string;
}

export class KnobState implements Knobs {
  latencyMs = 0;
  private failures: ArmedFailure[] = [];
  private rateLimits: ArmedRateLimit[] = [];

  constructor(
    private readonly core: FakeCore,
    private readonly knownRoutes: ReadonlySet<string>,
    private readonly onReset: () => void,
  ) {}

  private checkRoute(route: string | undefined): void {
    // Catching a typo here beats a knob that silently never fires.
    if (route !== undefined && !this.knownRoutes.has(route)) {
      throw new Error(`fake-xano: unknown route template "${route}" (expected e.g. "POST /oauth/token")`);
    }
  }

  expireToken(token: string): boolean {
    const record = this.core.store.tokens.get(token);
    if (record) record.expiresAt = this.core.now();
    return !!record;
  }

  expireUserTokens({ userId, kind }: { userId: number; kind: TokenKind }): number {
    return this.eachUserToken(userId, kind, (record) => {
      record.expiresAt = this.core.now();
    });
  }

  revokeUserTokens({ userId, kind }: { userId: number; kind: TokenKind }): number {
    return this.eachUserToken(userId, kind, (record) => {
      record.revoked = true;
    });
  }

  private eachUserToken(userId: number, kind: TokenKind, act: (record: TokenRecord) => void): number {
    let count = 0;
    for (const record of this.core.store.tokens.values()) {
      if (record.userId !== userId || record.kind !== kind || record.revoked) continue;
      act(record);
      count++;
    }
    return count;
  }

  revokeToken(token: string): boolean {
    const record = this.core.store.tokens.get(token);
    if (record) record.revoked = true;
    return !!record;
  }

  failNext({ route, count = 1, status, when = "before", origin }: FailNextOptions): void {
    this.checkRoute(route);
    if (status !== "network" && !(Number.isInteger(status) && status >= 400 && status <= 599)) {
      throw new Error(`fake-xano: failNext status must be 400-599 or "network", got ${String(status)}`);
    }
    this.failures.push({ route, remaining: count, status, when, origin });
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  rateLimit({ route, count, retryAfterSeconds, origin }: RateLimitOptions): void {
    this.checkRoute(route);
    this.rateLimits.push({ route, remaining: count, retryAfterSeconds, origin });
  }

  reset(): void {
    this.failures = [];
    this.rateLimits = [];
    this.latencyMs = 0;
    this.onReset();
  }

  /** Consumes one armed failure for this call, if any. */
  takeFailure(route: string, origin: string, when: "before" | "after"): number | "network" | null {
    const f = this.failures.find((x) => x.remaining > 0 && x.route === route && x.when === when && (!x.origin || x.origin === origin));
    if (!f) return null;
    f.remaining--;
    return f.status;
  }

  /** Consumes one armed rate limit for this call; returns its Retry-After seconds. */
  takeRateLimit(route: string, origin: string): number | null {
    const r = this.rateLimits.find((x) => x.remaining > 0 && (!x.route || x.route === route) && (!x.origin || x.origin === origin));
    if (!r) return null;
    r.remaining--;
    return r.retryAfterSeconds;
  }
}
