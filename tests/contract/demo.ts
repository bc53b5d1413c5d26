// Cases that need fake-xano's demo seed (fixtures/seed.ts, described in fake-xano/README.md): they
// name its users, workspaces and rows. `demoCase` hands them the seed's vocabulary, built from the
// target (origins and tokens come from the runner, never from the fake's modules): Alice is the
// target's user, Bob the other user on her instance, her sandbox the other instance.
import type { ContractCase, ContractNeed, ContractTarget } from "./target";
import { caller, expectError, expectParam, type CallOptions, type CallResult } from "./http";

/** The demo seed's start of time (2026-01-01T00:00:00Z): row timestamps count from it. */
export const SEED_EPOCH_MS = Date.UTC(2026, 0, 1);

type Options = Omit<CallOptions, "token">;

export interface Demo {
  target: ContractTarget;
  fetch: typeof globalThis.fetch;
  /** Any call; pass `token` yourself. */
  call: (url: string, o?: CallOptions) => Promise<CallResult>;
  alice: (url: string, o?: Options) => Promise<CallResult>;
  bob: (url: string, o?: Options) => Promise<CallResult>;
  /** A XanoScript body, Alice's token unless another is given. */
  xs: (url: string, script: string, method?: string, token?: string) => Promise<CallResult>;
  expectError: typeof expectError;
  expectParam: typeof expectParam;
  ALICE_TOKEN: string;
  BOB_TOKEN: string;
  ALICE_SANDBOX_TOKEN: string;
  /** Account origin; the shared instance's origin and Meta API; the sandbox instance's origin. */
  ACCOUNT: string;
  INSTANCE: string;
  META: string;
  SANDBOX: string;
  /** Alice's workspace 1, Bob's workspace 2, Alice's `customers` table (101). */
  W1: string;
  W2: string;
  CUSTOMERS: string;
}

export function demo(target: ContractTarget, fetch: typeof globalThis.fetch): Demo {
  const call = caller(fetch);
  const META = target.metaUrl;
  const bobToken = target.otherUser?.token ?? "";
  const alice = (url: string, o: Options = {}) => call(url, { ...o, token: target.token });
  return {
    target, fetch, call, alice,
    bob: (url, o = {}) => call(url, { ...o, token: bobToken }),
    xs: (url, script, method = "POST", token = target.token) => call(url, { method, xanoscript: script, token }),
    expectError, expectParam,
    ALICE_TOKEN: target.token,
    BOB_TOKEN: bobToken,
    ALICE_SANDBOX_TOKEN: target.otherInstance?.token ?? "",
    ACCOUNT: target.accountUrl ?? "",
    INSTANCE: new URL(META).origin,
    META,
    SANDBOX: target.otherInstance ? new URL(target.otherInstance.metaUrl).origin : "",
    W1: `${META}/workspace/1`,
    W2: `${META}/workspace/2`,
    CUSTOMERS: `${META}/workspace/1/table/101`,
  };
}

/** A case over the demo seed (with Bob, and Alice's sandbox and the account origin where the case uses them). */
export function demoCase(
  area: string, name: string, body: (d: Demo) => Promise<void>,
  { readOnly = false, needs = [] }: { readOnly?: boolean; needs?: ContractNeed[] } = {},
): ContractCase {
  return { area, name, readOnly, needs: ["demo", "otherUser", ...needs], run: (target, fetch) => body(demo(target, fetch)) };
}
