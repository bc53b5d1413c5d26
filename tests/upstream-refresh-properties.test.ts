/**
 * Model-based property test of the upstream OAuth provider's refresh through the credential store
 * (the Durable Object) against the fake upstream authorization server, as
 * tests/refresh-properties.test.ts does for Xano: random sequences of concurrent acquires (on
 * expiry, or after the upstream rejected the token held), local and upstream expiry, a 503, an
 * answer lost after the server rotated, and a killed refresh token.
 *
 * Invariants, checked on every run:
 *  - at most one refresh request in flight for the grant;
 *  - a spent (rotated-away) refresh token is never sent;
 *  - once the credential is dead, the authorization server is never asked again, and every acquire is dead;
 *  - a credential handed out right after a refresh is one the upstream accepts.
 */
import { env } from "cloudflare:test";
import { http, HttpResponse } from "msw";
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { overrideNetwork } from "./harness/fake-xano-network";
import { UPSTREAM_AUTH_ORIGIN, UPSTREAM_MCP_URL, asRequest, useFakeUpstreamAuthorization } from "./harness/fake-upstream-authorization";
import { newRawKey } from "../src/credentials/encryption";
import type { UpstreamOAuthCredential } from "../src/credentials/upstream-credential";
import { beginUpstreamAuthorization, completeUpstreamAuthorization } from "../src/upstream/oauth-authorization";

const { fakeAs } = useFakeUpstreamAuthorization();
const OURS = { publicUrl: "http://localhost:8787", redirectUri: "http://localhost:8787/servers/support/oauth/callback", clientName: "Xano MCP front door" };

interface World {
  store: ReturnType<typeof env.CREDENTIAL_STORE.get>;
  storeKey: string;
  /** The access token the last successful acquire handed out. */
  held: string;
  dead: boolean;
  /** The next token answer is dropped after the server acted on it. */
  loseNext: boolean;
  violations: string[];
}
type Real = Record<string, never>;

/** Watches every token request on the way to the fake: in flight, spent tokens, calls after death. */
function watch(world: World) {
  let inFlight = 0;
  overrideNetwork(
    http.post(`${UPSTREAM_AUTH_ORIGIN}/token`, async ({ request }) => {
      const form = new URLSearchParams(await request.clone().text());
      if (world.dead) world.violations.push("the authorization server was asked after the credential died");
      if (form.get("grant_type") === "refresh_token" && fakeAs.refreshTokenState(form.get("refresh_token") ?? "") === "spent") world.violations.push("a spent refresh token was sent");
      if (++inFlight > 1) world.violations.push(`${inFlight} refreshes in flight`);
      try {
        const response = await fakeAs.fetch(asRequest(request));
        if (!world.loseNext) return response;
        world.loseNext = false;
        return HttpResponse.error();
      } finally {
        inFlight--;
      }
    }),
  );
}

class Acquire implements fc.AsyncCommand<World, Real> {
  constructor(
    readonly count: number,
    readonly afterRejection: boolean,
  ) {}
  check = () => true;
  async run(world: World) {
    const deadBefore = world.dead;
    const options = this.afterRejection ? { rejectedToken: world.held } : {};
    const results = await Promise.all(Array.from({ length: this.count }, () => world.store.acquire(world.storeKey, options)));
    for (const result of results) {
      if (deadBefore) expect(result, "a dead credential stays dead").toMatchObject({ ok: false, kind: "dead" });
      if (!result.ok) {
        expect(["dead", "transient"]).toContain(result.kind);
        if (result.kind === "dead") world.dead = true;
        continue;
      }
      const credential = result.credential as UpstreamOAuthCredential;
      if (result.refreshed) expect(fakeAs.tokenOwner(credential.accessToken), "a refreshed token is accepted upstream").toBe("alice");
      world.held = credential.accessToken;
    }
  }
  toString = () => `Acquire(×${this.count}${this.afterRejection ? ", after a 401" : ""})`;
}

class ExpireLocally implements fc.AsyncCommand<World, Real> {
  check = () => true;
  async run(world: World) {
    await world.store.markExpired(world.storeKey);
  }
  toString = () => "ExpireLocally";
}

class ExpireUpstream implements fc.AsyncCommand<World, Real> {
  check = () => true;
  async run() {
    fakeAs.knobs.expireAllTokens();
  }
  toString = () => "ExpireUpstream";
}

class FailNext implements fc.AsyncCommand<World, Real> {
  constructor(readonly how: 503 | "lost") {}
  check = () => true;
  async run(world: World) {
    if (this.how === 503) fakeAs.knobs.failNextTokenRequest(503, 1);
    else world.loseNext = true;
  }
  toString = () => `FailNext(${this.how})`;
}

class KillRefreshToken implements fc.AsyncCommand<World, Real> {
  check = () => true;
  async run() {
    fakeAs.knobs.killRefreshToken({ user: "alice" });
  }
  toString = () => "KillRefreshToken";
}

const commands = fc.commands(
  [
    fc.tuple(fc.integer({ min: 1, max: 8 }), fc.boolean()).map(([n, rejected]) => new Acquire(n, rejected)),
    fc.constant(new ExpireLocally()),
    fc.constant(new ExpireUpstream()),
    fc.constantFrom(503 as const, "lost" as const).map((how) => new FailNext(how)),
    fc.constant(new KillRefreshToken()),
  ],
  { maxCommands: 14 },
);

let runs = 0;

describe("upstream OAuth refresh state machine", { timeout: 120_000 }, () => {
  // A fixed seed keeps CI deterministic; change it (or drop it locally) to explore other schedules.
  test.prop([commands], { numRuns: 25, endOnFailure: true, seed: 170417 })("holds its invariants under random concurrent schedules", async (cmds) => {
    fakeAs.reset();
    const { authorizationUrl, pending } = await beginUpstreamAuthorization({ server: "support", url: UPSTREAM_MCP_URL }, OURS);
    const back = await fetch(`${authorizationUrl}&user=alice`, { redirect: "manual" });
    const credential = await completeUpstreamAuthorization(pending, new URL(back.headers.get("Location")!).searchParams);
    const store = env.CREDENTIAL_STORE.get(env.CREDENTIAL_STORE.idFromName(`upstream-properties-${++runs}-${Date.now()}`));
    const storeKey = newRawKey();
    await store.initialize(storeKey, credential);
    const world: World = { store, storeKey, held: credential.accessToken, dead: false, loseNext: false, violations: [] };
    watch(world);
    await fc.asyncModelRun(() => ({ model: world, real: {} }), cmds);
    // A final acquire: dead stays dead; anything else still yields a credential (after at most one more refresh).
    await new Acquire(1, false).run(world);
    expect(world.violations).toEqual([]);
  });
});
