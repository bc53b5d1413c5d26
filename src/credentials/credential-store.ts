/**
 * One Durable Object per grant holds that grant's live credential: a Xano one, or an upstream MCP
 * server's (credential.ts `StoredCredential`). What differs per kind — can it refresh, is it due,
 * the refresh request itself, its secrets, its description, its revocation — is asked of the
 * credential's provider (providers/*.ts); the mechanism here is the same for every kind.
 *
 * Durable Objects give the two things a rotating refresh token needs: strong consistency (KV is
 * eventually consistent and takes one write per second per key) and one place where concurrent
 * calls meet, so N calls that need a refresh share exactly one upstream refresh (single flight),
 * and the rotated refresh token is written to storage before anyone can use it.
 *
 * The credential is sealed under the grant's `storeKey`, which lives only in the grant's encrypted
 * props and arrives with each call; the object never persists it. Metadata that is not secret
 * (method, expiry, refresh history, death) is stored beside the sealed blob for `status()`.
 */
import { SlidingWindow } from "../lib/sliding-window";
import { DurableObject } from "cloudflare:workers";
import type { CredentialStatus, StoredCredential } from "./credential";
import { keyFromBase64Url, seal, unseal } from "./encryption";
import { providerFor } from "./providers";
import { maskSecrets, secretsOf } from "./secret-mask";
import { log, newRequestContext, withRequestContext } from "../observability/log";

export type { StoredCredential } from "./credential";

/** The visible status plus the sealed credential (the only secret, and only sealed). */
type StoredState = CredentialStatus & { sealed: string };

export type AcquireResult =
  | { ok: true; credential: StoredCredential; refreshed: boolean; toolCallsInWindow?: number }
  | { ok: false; kind: "dead"; reason: string }
  | { ok: false; kind: "transient"; status: number; message: string; retryAfterSeconds: number | null }
  | { ok: false; kind: "rate_limited"; retryAfterSeconds: number };

export interface AcquireOptions {
  /** The access token the upstream just answered 401 to: refresh unless the store already moved on. */
  rejectedToken?: string;
  /** Refresh now whatever the expiry says, if the credential can be refreshed (debug_refresh_profile). */
  force?: boolean;
  /** For the log lines of a refresh: the Worker request it serves, and whose grant this is. */
  requestId?: string;
  userId?: string;
  /**
   * Count this many tool calls against the grant's limit first (limit 0 = none); over the limit,
   * answer `rate_limited` without touching the credential. Counting here, in the hop that hands
   * out the credential, means a rate-limited tool call costs no extra Durable Object request.
   */
  toolCalls?: { count: number; limit: number; windowMs: number };
}

/** The binding the credential stores live in (see wrangler.toml). */
export interface CredentialStoreEnv {
  CREDENTIAL_STORE: DurableObjectNamespace<XanoCredentialStore>;
}

/** The credential store named `storeId` (a grant's `GrantProps.storeId`). */
export function credentialStoreFor(env: CredentialStoreEnv, storeId: string) {
  return env.CREDENTIAL_STORE.get(env.CREDENTIAL_STORE.idFromName(storeId));
}

const STATE_KEY = "credential";
/** When a tool last acquired the credential (for the connected-apps page); written at most once a minute. */
const LAST_USED_KEY = "lastUsedAt";
const LAST_USED_RESOLUTION_MS = 60_000;

export class XanoCredentialStore extends DurableObject<Env> {
  /**
   * Every read-decide-refresh-write runs one at a time, in arrival order. While one caller
   * refreshes, the others wait, then read the refreshed credential and find nothing to do: one
   * upstream refresh for any number of concurrent callers, and no caller can act on a credential
   * read before a refresh finished (which could send a spent refresh token).
   */
  private tail: Promise<unknown> = Promise.resolve();

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  async initialize(storeKey: string, credential: StoredCredential): Promise<void> {
    const provider = providerFor(credential);
    const state: StoredState = {
      sealed: await seal(await keyFromBase64Url(storeKey), credential),
      ...provider.describe(credential),
      expiresAt: provider.expiresAt(credential),
      canRefresh: provider.canRefresh(credential),
      lastRefreshAt: null,
      refreshCount: 0,
      dead: null,
    };
    await this.ctx.storage.put(STATE_KEY, state);
  }

  /** This grant's tool calls in the last window (see AcquireOptions.toolCalls). */
  private readonly toolCallWindow = new SlidingWindow(this.ctx.storage, "toolCalls");

  /** A credential usable now: refreshed first when it is about to expire or the upstream just rejected it. */
  async acquire(storeKey: string, options: AcquireOptions = {}): Promise<AcquireResult> {
    const calls = options.toolCalls;
    let toolCallsInWindow: number | undefined;
    if (calls && calls.limit > 0) {
      const decision = await this.toolCallWindow.hit(calls.limit, calls.windowMs, calls.count);
      if (!decision.allowed) return { ok: false, kind: "rate_limited", retryAfterSeconds: decision.retryAfterSeconds };
      toolCallsInWindow = decision.used;
    }
    // A Durable Object runs outside the Worker request's log context: reopen it from the id passed.
    // The last-use note is written in the same turn, so a forget() queued behind it leaves nothing.
    const work = () =>
      this.exclusive(async () => {
        const result = await this.acquireNow(storeKey, options);
        if (result.ok) await this.noteUse();
        // With the count, the Worker's isolate can tell how much room the window has (credential-cache.ts).
        return result.ok && toolCallsInWindow !== undefined ? { ...result, toolCallsInWindow } : result;
      });
    return options.requestId ? withRequestContext(newRequestContext(options.requestId), work) : work();
  }

  private lastUsedAt: number | null = null;

  private async noteUse(): Promise<void> {
    const now = Date.now();
    this.lastUsedAt ??= (await this.ctx.storage.get<number>(LAST_USED_KEY)) ?? 0;
    if (now - this.lastUsedAt < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedAt = now;
    await this.ctx.storage.put(LAST_USED_KEY, now);
  }

  /** When the grant last used its credential (to the minute), or null if never. */
  async lastUsed(): Promise<number | null> {
    return (await this.ctx.storage.get<number>(LAST_USED_KEY)) ?? null;
  }

  /**
   * Forgets everything without reading it (a grant revoked from the connected-apps page). In turn
   * with acquire(): a refresh in flight finishes first, so it can never write a credential back
   * after the grant was revoked, nor find its state gone halfway.
   */
  forget(): Promise<void> {
    return this.exclusive(async () => {
      this.lastUsedAt = null;
      await this.ctx.storage.deleteAll();
    });
  }

  private async acquireNow(storeKey: string, options: AcquireOptions): Promise<AcquireResult> {
    const state = await this.ctx.storage.get<StoredState>(STATE_KEY);
    if (!state) return { ok: false, kind: "dead", reason: "no credential is stored for this grant" };
    if (state.dead) return { ok: false, kind: "dead", reason: state.dead.reason };
    const key = await keyFromBase64Url(storeKey);
    const credential = await unseal<StoredCredential>(key, state.sealed);
    if (!credential) return { ok: false, kind: "dead", reason: "the stored credential could not be unsealed with this grant's key" };
    const provider = providerFor(credential);

    // `force` refreshes a credential that can be refreshed; one that cannot (a Metadata API token,
    // a pasted bearer) is not ended by being asked, only by expiring or being rejected.
    const due = provider.needsRefresh(credential, Date.now(), options.rejectedToken) || (options.force === true && provider.canRefresh(credential));
    if (!due) return { ok: true, credential, refreshed: false };
    if (!provider.canRefresh(credential)) return this.die(state, options.rejectedToken ? `${provider.issuer(credential)} rejected the credential, and it cannot be refreshed` : "the credential expired, and it cannot be refreshed");
    return this.refresh(key, credential, options);
  }

  private async refresh(key: CryptoKey, credential: StoredCredential, options: AcquireOptions): Promise<AcquireResult> {
    const started = performance.now();
    const provider = providerFor(credential);
    const refreshed = await provider.refresh(credential, Date.now());
    // A failure's message may quote the upstream's answer; it is logged, recorded as the death
    // reason (/status shows it) and told to the model, so the caller's own tokens are masked first.
    const outcome = refreshed.ok ? refreshed : { ...refreshed, message: maskSecrets(refreshed.message, secretsOf(credential), provider.masked) };
    const state = (await this.ctx.storage.get<StoredState>(STATE_KEY))!;
    const answered = outcome.ok ? 200 : outcome.status;
    log("credential_refresh", {
      userId: options.userId,
      signInMethod: state.method,
      outcome: outcome.ok ? "refreshed" : outcome.kind,
      // An upstream MCP server's authorization server is not Xano: its answer goes in the generic status field.
      ...(provider.backend === "xano" ? { xanoStatus: answered } : { status: answered }),
      reason: outcome.ok ? (options.force ? "forced" : options.rejectedToken ? `${provider.backend}_rejected_token` : "expiring") : outcome.message,
      refreshCount: outcome.ok ? state.refreshCount + 1 : state.refreshCount,
      durationMs: performance.now() - started,
    });
    if (!outcome.ok) {
      if (outcome.kind === "transient") return { ok: false, kind: "transient", status: outcome.status, message: outcome.message, retryAfterSeconds: outcome.retryAfterSeconds };
      const why = outcome.kind === "unknown" ? `${outcome.message}; the refresh token may have been spent, so it is not sent again` : outcome.message;
      return this.die(state, why);
    }
    // Persist before anyone can use the new tokens: the old refresh token is spent upstream.
    const next: StoredState = {
      ...state,
      sealed: await seal(key, outcome.credential),
      expiresAt: provider.expiresAt(outcome.credential),
      lastRefreshAt: Date.now(),
      refreshCount: state.refreshCount + 1,
    };
    await this.ctx.storage.put(STATE_KEY, next);
    return { ok: true, credential: outcome.credential, refreshed: true };
  }

  private async die(state: StoredState, reason: string): Promise<AcquireResult> {
    await this.ctx.storage.put(STATE_KEY, { ...state, dead: { reason, at: Date.now() } } satisfies StoredState);
    return { ok: false, kind: "dead", reason };
  }

  /** Marks the credential expired, so the next call exercises the refresh path (debug tool). */
  markExpired(storeKey: string): Promise<boolean> {
    return this.exclusive(() => this.markExpiredNow(storeKey));
  }

  private async markExpiredNow(storeKey: string): Promise<boolean> {
    const state = await this.ctx.storage.get<StoredState>(STATE_KEY);
    if (!state || state.dead) return false;
    const key = await keyFromBase64Url(storeKey);
    const credential = await unseal<StoredCredential>(key, state.sealed);
    if (!credential) return false;
    const expiresAt = Date.now() - 1000;
    const expired = providerFor(credential).withExpiry(credential, expiresAt);
    if (!expired) return false;
    await this.ctx.storage.put(STATE_KEY, { ...state, sealed: await seal(key, expired), expiresAt } satisfies StoredState);
    return true;
  }

  async status(): Promise<CredentialStatus | null> {
    const state = await this.ctx.storage.get<StoredState>(STATE_KEY);
    if (!state) return null;
    const { sealed: _secret, ...visible } = state;
    return visible;
  }

  /**
   * Reads the credential (for logout's upstream revocation), then forgets it. In turn with
   * acquire(), like forget(): after a refresh in flight, so logout revokes the refresh token the
   * upstream rotated to, not the one that refresh just spent.
   */
  destroy(storeKey: string): Promise<StoredCredential | null> {
    return this.exclusive(async () => {
      const state = await this.ctx.storage.get<StoredState>(STATE_KEY);
      const credential = state ? await unseal<StoredCredential>(await keyFromBase64Url(storeKey), state.sealed) : null;
      this.lastUsedAt = null;
      await this.ctx.storage.deleteAll();
      return credential;
    });
  }
}
