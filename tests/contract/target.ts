// What a contract case runs against, and what a case is. A case is plain data plus one function that
// speaks HTTP to the target with the `fetch` it is given: it never reaches into fake-xano, so the
// same case runs against the fake (tests/node/contract.test.ts) and against a real Xano instance
// (tests/node/contract-real.test.ts, `npm run contract`).

export interface ContractTarget {
  /** Shown in the report: "fake-xano (loopback)", or the real Meta API URL. */
  label: string;
  /** The instance's Metadata API, e.g. https://x1234-5678-9012.n7.xano.io/api:meta (no trailing slash). */
  metaUrl: string;
  /** A Metadata API token (bearer) of that instance. */
  token: string;
  /** The account origin (account API and OAuth server), e.g. https://app.xano.com. Cases that need it skip without it. */
  accountUrl?: string;
  seed: ContractSeed;
  /** Another user's token and workspace on the same instance (isolation cases). */
  otherUser?: { token: string; workspaceId: number };
  /** The same user's token and workspace on another instance (tenancy cases). */
  otherInstance?: { metaUrl: string; token: string; workspaceId: number };
}

export interface ContractSeed {
  /** The workspace the cases use; absent: the first one the token lists. */
  workspaceId?: number;
  /** A table of that workspace the read-only cases read; absent: the workspace's first table. */
  tableId?: number;
  /** Whether cases that change the workspace may run (they create their own objects and delete them). */
  writes: boolean;
  /**
   * The target holds fake-xano's demo seed (fixtures/seed.ts: Alice, Bob, their workspaces, tables
   * and records), restored before each case. Cases that need it assert its exact values and may change
   * seeded objects; they never run against a real instance.
   */
  demo: boolean;
}

/** What a case needs besides the meta API and a token; a target without it skips the case. */
export type ContractNeed = "demo" | "account" | "otherUser" | "otherInstance";

export interface ContractCase {
  /** The area of Xano it covers ("tables", "content", …) and what it checks. */
  area: string;
  name: string;
  /** Reads only (GETs, and POSTs that only search, export or convert). Others run only when writes are allowed. */
  readOnly: boolean;
  needs?: ContractNeed[];
  run(target: ContractTarget, fetch: typeof globalThis.fetch): Promise<void>;
}

/** Why a case cannot run against a target, or null when it can. */
export function skipReason(c: ContractCase, target: ContractTarget): string | null {
  if (!c.readOnly && !target.seed.writes) return "writes (set XANO_CONTRACT_WRITE=1)";
  for (const need of c.needs ?? []) {
    if (need === "demo" && !target.seed.demo) return "needs fake-xano's demo seed";
    if (need === "account" && !target.accountUrl) return "needs the account origin (XANO_CONTRACT_ACCOUNT_URL)";
    if (need === "otherUser" && !target.otherUser) return "needs a second user's token";
    if (need === "otherInstance" && !target.otherInstance) return "needs a token of another instance";
  }
  return null;
}
