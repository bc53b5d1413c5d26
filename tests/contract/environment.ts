// The real-instance target, from the environment (`npm run contract`):
//   XANO_CONTRACT_URL          the instance's Metadata API, e.g. https://x1234-5678-9012.n7.xano.io/api:meta
//   XANO_CONTRACT_TOKEN        a Metadata API token of that instance
//   XANO_CONTRACT_WORKSPACE    the workspace id to use (default: the first the token lists); required for writes
//   XANO_CONTRACT_TABLE        a table id of it the read-only cases read (default: its first table)
//   XANO_CONTRACT_ACCOUNT_URL  the account origin, e.g. https://app.xano.com (enables the account API case)
//   XANO_CONTRACT_WRITE=1      also run the cases that create and delete objects in that workspace
import type { ContractTarget } from "./target";

export type ContractEnvironment = { target: ContractTarget } | { skip: string } | { error: string };

export function contractEnvironment(env: Record<string, string | undefined>): ContractEnvironment {
  const url = env.XANO_CONTRACT_URL?.trim().replace(/\/+$/, "");
  const token = env.XANO_CONTRACT_TOKEN?.trim();
  if (!url || !token) {
    return { skip: "XANO_CONTRACT_URL and XANO_CONTRACT_TOKEN are not set: no real Xano instance to check (see README, \"Checking against a real Xano\")" };
  }
  if (!/^https?:\/\/[^/]+\/api:meta$/.test(url)) return { error: `XANO_CONTRACT_URL must be an instance's Metadata API, https://<instance host>/api:meta (got ${url})` };
  const id = (name: string) => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a number (got ${raw})`);
    return Number(raw);
  };
  let workspaceId: number | undefined;
  let tableId: number | undefined;
  try {
    workspaceId = id("XANO_CONTRACT_WORKSPACE");
    tableId = id("XANO_CONTRACT_TABLE");
  } catch (err) {
    return { error: (err as Error).message };
  }
  const writes = env.XANO_CONTRACT_WRITE === "1";
  if (writes && workspaceId === undefined) {
    return { error: "XANO_CONTRACT_WRITE=1 creates and deletes objects: name the workspace they may go in with XANO_CONTRACT_WORKSPACE" };
  }
  const account = env.XANO_CONTRACT_ACCOUNT_URL?.trim().replace(/\/+$/, "");
  return {
    target: {
      label: `${url}${writes ? " (with writes)" : " (read-only)"}`,
      metaUrl: url,
      token,
      ...(account ? { accountUrl: account } : {}),
      seed: { workspaceId, tableId, writes, demo: false },
    },
  };
}
