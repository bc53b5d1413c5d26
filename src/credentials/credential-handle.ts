/**
 * A handle on the grant's credential store, for one MCP request (the Worker's side of
 * credential-store.ts): reads the current credential from the store, or for tool calls from the
 * isolate's short-lived copy of the store's last answer (credential-cache.ts, which says exactly
 * when a copy may be used and how its calls are still counted by the store); asks for a refresh
 * when the upstream rejects it, and remembers if the credential died, so the request can end in a
 * 401 challenge. Typed by the kind of credential the caller serves (`C`): Xano's for /mcp (`for`),
 * an upstream MCP server's for /servers/{name}/mcp (`forUpstream`); a stored credential of another
 * kind is refused as dead, never handed out.
 */
import type { GrantProps } from "./grant-props";
import { credentialStoreFor, type AcquireOptions, type AcquireResult, type CredentialStoreEnv, type XanoCredentialStore } from "./credential-store";
import type { RateDecision } from "../lib/sliding-window";
import { isUpstreamCredential, isXanoCredential, type StoredCredential, type XanoCredential } from "./credential";
import type { UpstreamCredential } from "./upstream-credential";
import { XanoApiError } from "../xano/errors";
import { secretsOf } from "./secret-mask";
import { countRequest, currentRequest } from "../observability/log";
import { credentialCache } from "./credential-cache";

/** The credential is gone for good; only signing in again helps. */
export class CredentialDeadError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "CredentialDeadError";
  }
}

export class CredentialHandle<C extends StoredCredential = XanoCredential> {
  /** Why the credential died during this request, if it did. */
  dead: string | null = null;
  private current: C | null = null;
  /** What the store answered when admitToolCalls asked, for the first credential() to use. */
  private admitted: AcquireResult | null = null;

  constructor(
    private readonly store: DurableObjectStub<XanoCredentialStore>,
    private readonly storeKey: string,
    private readonly userId: string | undefined,
    /** Which stored credentials this handle may hand out. */
    private readonly accepts: (credential: StoredCredential) => credential is C,
    /** With these, tool calls may use the isolate's copy (credential-cache.ts); its counting hop runs through `waitUntil`. */
    private readonly copy?: { storeId: string; waitUntil: (work: Promise<unknown>) => void },
  ) {}

  static for(env: CredentialStoreEnv, props: GrantProps, waitUntil?: (work: Promise<unknown>) => void): CredentialHandle<XanoCredential> {
    return new CredentialHandle(credentialStoreFor(env, props.storeId), props.storeKey, props.userId, isXanoCredential, waitUntil ? { storeId: props.storeId, waitUntil } : undefined);
  }

  /** For a grant of an upstream MCP server (its props name the store and key like GrantProps). */
  static forUpstream(env: CredentialStoreEnv, props: Pick<GrantProps, "storeId" | "storeKey" | "userId">): CredentialHandle<UpstreamCredential> {
    return new CredentialHandle(credentialStoreFor(env, props.storeId), props.storeKey, props.userId, isUpstreamCredential);
  }

  /** The credential to use now, refreshed first if it is about to expire. */
  async credential(): Promise<C> {
    if (this.current) return this.current;
    const admitted = this.admitted;
    this.admitted = null;
    return this.settle(admitted ?? (await this.acquire({})));
  }

  /**
   * Admits `count` tool calls against the grant's per-minute limit and, in the same hop, fetches
   * the credential those calls will use. A dead or failing credential is left for the calls to
   * meet (they report it the usual way); only the rate decision is answered here.
   */
  async admitToolCalls(count: number, limit: number, windowMs: number): Promise<RateDecision> {
    if (this.copy) {
      // Counted by the store after the answer, whatever the limit then (the copy admitted them);
      // with the limit off, nothing is counted, as on the store's own path.
      // (Not a hop the request waits for, so not on its log line's storeCalls.)
      const countLater = (calls: number) => this.acquire({ toolCalls: { count: calls, limit: Number.MAX_SAFE_INTEGER, windowMs } }, false);
      const copied = credentialCache.admit(this.copy.storeId, this.storeKey, count, limit, limit > 0 ? countLater : null, this.copy.waitUntil);
      if (copied) {
        this.admitted = { ok: true, credential: copied, refreshed: false };
        return { allowed: true, retryAfterSeconds: 0 };
      }
    }
    const result = await this.acquire({ toolCalls: { count, limit, windowMs } });
    if (!result.ok && result.kind === "rate_limited") return { allowed: false, retryAfterSeconds: result.retryAfterSeconds };
    // The calls meet this outcome (credential, or its failure) without asking the store again.
    this.admitted = result;
    return { allowed: true, retryAfterSeconds: 0 };
  }

  /** The upstream answered 401 to `token`: get a refreshed credential (or learn it is dead). */
  async afterRejected(token: string): Promise<C> {
    if (this.copy) credentialCache.forget(this.copy.storeId);
    this.current = null;
    this.admitted = null;
    return this.settle(await this.acquire({ rejectedToken: token }));
  }

  async forceRefresh(): Promise<C> {
    if (this.copy) credentialCache.forget(this.copy.storeId);
    this.current = null;
    this.admitted = null;
    return this.settle(await this.acquire({ force: true }));
  }

  /** One hop to the store, counted for the request log line (when the request waits for it) and tagged with the request id. */
  private async acquire(options: Omit<AcquireOptions, "requestId" | "userId">, waited = true): Promise<AcquireResult> {
    if (waited) countRequest("storeCalls");
    const result = await this.store.acquire(this.storeKey, { ...options, requestId: currentRequest()?.requestId, userId: this.userId });
    if (this.copy && (result.ok || result.kind !== "rate_limited")) credentialCache.heard(this.copy.storeId, this.storeKey, result);
    return result;
  }

  /** Non-secret facts about the credential (method, expiry, refresh history). */
  status() {
    countRequest("storeCalls");
    return this.store.status();
  }

  /** Marks the stored credential expired, so the next call refreshes it (debug tool). */
  markExpired(): Promise<boolean> {
    if (this.copy) credentialCache.forget(this.copy.storeId);
    this.current = null;
    this.admitted = null;
    countRequest("storeCalls");
    return this.store.markExpired(this.storeKey);
  }

  /** Every secret of every credential this handle handed out (for masking, secret-mask.ts). */
  secrets(): string[] {
    return [...this.seenSecrets];
  }

  private readonly seenSecrets = new Set<string>();

  private settle(result: AcquireResult): C {
    if (result.ok) {
      const credential = result.credential;
      if (!this.accepts(credential)) {
        this.dead = "this grant's credential is for another server";
        throw new CredentialDeadError(this.dead);
      }
      this.current = credential;
      for (const secret of secretsOf(credential)) this.seenSecrets.add(secret);
      return credential;
    }
    if (result.kind === "rate_limited") throw new Error("rate decision reached settle(): only admitToolCalls asks for one");
    if (result.kind === "dead") {
      this.dead = result.reason;
      throw new CredentialDeadError(result.reason);
    }
    throw new XanoApiError(result.status, "REFRESH_FAILED", result.message, undefined, result.retryAfterSeconds);
  }
}
