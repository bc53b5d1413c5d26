/**
 * Model-based property tests of the refresh state machine, against fake-xano through the real
 * Worker (fast-check `fc.commands`): random sequences of concurrent tool calls, upstream expiries,
 * transient refresh failures, forced local expiry and upstream revocation, for two users at once.
 *
 * Invariants, checked on every run:
 *  - at most one upstream refresh in flight per grant (refresh-token family);
 *  - a spent refresh token is never sent;
 *  - no user ever sees another user's data;
 *  - every call succeeds or fails with a documented error code, or HTTP 401 with a challenge;
 *  - once a credential is dead, every later call ends in the 401 challenge.
 */
import { SELF } from "cloudflare:test";
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { ORIGIN } from "./harness/browser";
import { useFakeXano } from "./harness/fake-xano-network";
import { connectWithOAuth, type SignInAs } from "./harness/mcp-client";

const fake = useFakeXano();
const USERS = [
  { id: 1, workspace: 1, signIn: { method: "xano_oauth", email: "alice@example.com", password: "alice-password", instance: "x1234-5678-9012" } as SignInAs },
  { id: 2, workspace: 2, signIn: { method: "xano_oauth", email: "bob@example.com", password: "bob-password" } as SignInAs },
];
const DOCUMENTED_ERRORS = new Set(["RATE_LIMITED", "XANO_SERVER_ERROR", "XANO_UNREACHABLE"]);
// Invariants above; the tool envelope's error codes are documented in DEBUG.md.

/** Watches every refresh request fake-xano receives: in-flight count per token family, spent tokens. */
class RefreshWatch {
  familyOf = new Map<string, number>();
  inFlight = new Map<number, number>();
  spent = new Set<string>();
  violations: string[] = [];
  private families = 0;

  /** Wraps the fake's fetch; returns what puts the previous fetch back (each run wraps afresh). */
  install(): () => void {
    const target = fake as { fetch: typeof fake.fetch };
    const hadOwn = Object.hasOwn(target, "fetch");
    const previous = target.fetch;
    const original = fake.fetch.bind(fake);
    const restore = () => {
      if (hadOwn) target.fetch = previous;
      else delete (target as Partial<typeof target>).fetch;
    };
    target.fetch = async (request: Request) => {
      if (new URL(request.url).pathname !== "/oauth/token") return original(request);
      const form = new URLSearchParams(await request.clone().text());
      if (form.get("grant_type") !== "refresh_token") return this.learn(await original(request), null);
      const token = form.get("refresh_token") ?? "";
      if (this.spent.has(token)) this.violations.push("a spent refresh token was sent");
      const family = this.familyOf.get(token) ?? -1;
      const now = (this.inFlight.get(family) ?? 0) + 1;
      this.inFlight.set(family, now);
      if (now > 1) this.violations.push(`${now} refreshes in flight for one grant`);
      try {
        const response = await original(request);
        // Rotated: the old token is spent. (A 429/503 answered before processing spends nothing.)
        if (response.ok) this.spent.add(token);
        return await this.learn(response, family);
      } catch (error) {
        // The response was lost: Xano may have rotated, so the token must be treated as spent.
        this.spent.add(token);
        throw error;
      } finally {
        this.inFlight.set(family, (this.inFlight.get(family) ?? 1) - 1);
      }
    };
    return restore;
  }

  private async learn(response: Response, family: number | null): Promise<Response> {
    if (!response.ok) return response;
    const body = (await response.clone().json()) as { refresh_token?: string };
    if (body.refresh_token) this.familyOf.set(body.refresh_token, family ?? ++this.families);
    return response;
  }
}

async function rawCall(accessToken: string, name: string): Promise<{ status: number; challenge: string | null; envelope?: any }> {
  const response = await SELF.fetch(`${ORIGIN}/mcp`, {
    method: "POST",
    headers: { Host: "localhost:8787", Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream", "MCP-Protocol-Version": "2025-06-18" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: {} } }),
  });
  const text = await response.text();
  if (response.status !== 200) return { status: response.status, challenge: response.headers.get("WWW-Authenticate") };
  const json = text.startsWith("{") ? text : (text.split("\n").find((l) => l.startsWith("data: ")) ?? "data: {}").slice(6);
  return { status: 200, challenge: null, envelope: JSON.parse(json).result?.structuredContent };
}

interface World {
  tokens: string[];
  dead: boolean[];
  /** Xano refuses this user's refresh token (revoked): the next refresh kills the credential. */
  refreshRevoked: boolean[];
}
type Real = { world: World };

class Calls implements fc.AsyncCommand<World, Real> {
  constructor(readonly user: number, readonly count: number) {}
  check = () => true;
  async run(model: World) {
    const u = USERS[this.user];
    // The calls of one batch run concurrently, so their order in `results` says nothing about which
    // finished first: a call may succeed (or fail retryably) while a sibling meets the death. Only
    // calls started after a 401 was seen must answer 401.
    const deadBefore = model.dead[this.user];
    const results = await Promise.all(Array.from({ length: this.count }, () => rawCall(model.tokens[this.user], "xano_list_databases")));
    for (const result of results) {
      if (result.status === 401) {
        expect(result.challenge).toMatch(/^Bearer .*resource_metadata=/);
        model.dead[this.user] = true;
        continue;
      }
      expect(result.status).toBe(200);
      expect(deadBefore, "a dead credential must keep answering 401").toBe(false);
      const envelope = result.envelope;
      if (envelope.success) expect(envelope.data.items.map((w: { id: number }) => w.id)).toEqual([u.workspace]);
      else expect(DOCUMENTED_ERRORS.has(envelope.error.code), envelope.error.code).toBe(true);
    }
  }
  toString = () => `Calls(user ${this.user}, ×${this.count})`;
}

class ExpireUpstream implements fc.AsyncCommand<World, Real> {
  constructor(readonly user: number) {}
  check = () => true;
  async run() {
    fake.knobs.expireUserTokens({ userId: USERS[this.user].id, kind: "oauth_access" });
  }
  toString = () => `ExpireUpstream(${this.user})`;
}

class ExpireLocally implements fc.AsyncCommand<World, Real> {
  constructor(readonly user: number) {}
  check = (model: Readonly<World>) => !model.dead[this.user];
  async run(model: World) {
    const result = await rawCall(model.tokens[this.user], "debug_expire_oauth_tokens");
    if (result.status === 401) model.dead[this.user] = true;
  }
  toString = () => `ExpireLocally(${this.user})`;
}

class FailNextRefresh implements fc.AsyncCommand<World, Real> {
  /** 429 and 503 are answered before Xano acts; "lost" drops the response after Xano rotated. */
  constructor(readonly status: 429 | 503 | "lost") {}
  check = () => true;
  async run() {
    if (this.status === 429) fake.knobs.rateLimit({ route: "POST /oauth/token", count: 1, retryAfterSeconds: 1 });
    else if (this.status === 503) fake.knobs.failNext({ route: "POST /oauth/token", status: 503 });
    else fake.knobs.failNext({ route: "POST /oauth/token", status: "network", when: "after" });
  }
  toString = () => `FailNextRefresh(${this.status})`;
}

class RevokeRefresh implements fc.AsyncCommand<World, Real> {
  constructor(readonly user: number) {}
  check = () => true;
  async run(model: World) {
    fake.knobs.revokeUserTokens({ userId: USERS[this.user].id, kind: "oauth_refresh" });
    model.refreshRevoked[this.user] = true;
  }
  toString = () => `RevokeRefresh(${this.user})`;
}

const user = fc.integer({ min: 0, max: 1 });
const commands = fc.commands(
  [
    fc.tuple(user, fc.integer({ min: 1, max: 6 })).map(([u, n]) => new Calls(u, n)),
    user.map((u) => new ExpireUpstream(u)),
    user.map((u) => new ExpireLocally(u)),
    fc.constantFrom(429 as const, 503 as const, "lost" as const).map((s) => new FailNextRefresh(s)),
    user.map((u) => new RevokeRefresh(u)),
  ],
  { maxCommands: 12 },
);

describe("refresh state machine", { timeout: 120_000 }, () => {
  // A fixed seed keeps CI deterministic; change it (or drop it locally) to explore other schedules.
  test.prop([commands], { numRuns: 12, endOnFailure: true, seed: 465862652 })("holds its invariants under random concurrent schedules", async (cmds) => {
    fake.reset();
    const watch = new RefreshWatch();
    const restore = watch.install();
    try {
      const connections = await Promise.all(USERS.map((u) => connectWithOAuth(u.signIn)));
      const world: World = { tokens: connections.map((c) => c.provider.savedTokens!.access_token), dead: [false, false], refreshRevoked: [false, false] };
      await fc.asyncModelRun(() => ({ model: world, real: { world } }), cmds);

      // A final call per user: a credential whose refresh was revoked and which had to refresh is dead
      // (401); every other one still works (after at most one more refresh).
      for (const [i] of USERS.entries()) await new Calls(i, 1).run(world);
      expect(watch.violations).toEqual([]);
      await Promise.all(connections.map((c) => c.client.close()));
    } finally {
      restore();
    }
  });
});
