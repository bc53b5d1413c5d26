// The contract cases (tests/contract/) against fake-xano served on loopback by fake-xano/serve.ts, over
// real HTTP: the demo seed restored before each case, writes allowed, so every case runs. Then the
// real-instance entry itself (`npm run contract`, tests/node/contract-real.test.ts) is run as a child
// process pointed at the same server, as a person would point it at their instance: read-only, and
// with XANO_CONTRACT_WRITE=1.
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startFakeXanoServer } from "../../fake-xano/serve";
import {
  ALICE_METADATA_TOKEN, ALICE_SANDBOX_METADATA_TOKEN, BOB_METADATA_TOKEN, SANDBOX_INSTANCE, SHARED_INSTANCE,
} from "../../fixtures/seed";
import { CONTRACT_CASES } from "../contract/cases";
import { contractEnvironment } from "../contract/environment";
import { skipReason, type ContractTarget } from "../contract/target";
import { describeContract } from "../contract/vitest";

const server = await startFakeXanoServer({ port: 0 });
afterAll(() => server.close());
const META = `${server.instanceOrigins[SHARED_INSTANCE]}/api:meta`;

const fakeTarget: ContractTarget = {
  label: "fake-xano (loopback, demo seed)",
  metaUrl: META,
  token: ALICE_METADATA_TOKEN,
  accountUrl: server.accountOrigin,
  seed: { workspaceId: 1, tableId: 101, writes: true, demo: true },
  otherUser: { token: BOB_METADATA_TOKEN, workspaceId: 2 },
  otherInstance: { metaUrl: `${server.instanceOrigins[SANDBOX_INSTANCE]}/api:meta`, token: ALICE_SANDBOX_METADATA_TOKEN, workspaceId: 3 },
};

describeContract(fakeTarget, CONTRACT_CASES, { beforeEach: () => server.fake.reset() });

describe("the real-instance entry (npm run contract)", () => {
  const real = (extra: Record<string, string> = {}) => ({ XANO_CONTRACT_URL: `${META}/`, XANO_CONTRACT_TOKEN: "t", ...extra });

  it("skips with a message unless URL and token are set, and refuses writes without a named workspace", () => {
    for (const env of [{}, { XANO_CONTRACT_URL: META }, { XANO_CONTRACT_TOKEN: "t" }]) {
      expect(contractEnvironment(env)).toEqual({ skip: expect.stringContaining("XANO_CONTRACT_URL and XANO_CONTRACT_TOKEN are not set") });
    }
    expect(contractEnvironment(real({ XANO_CONTRACT_WRITE: "1" }))).toEqual({ error: expect.stringContaining("XANO_CONTRACT_WORKSPACE") });
    expect(contractEnvironment(real({ XANO_CONTRACT_URL: "https://x1.xano.io" }))).toEqual({ error: expect.stringContaining("/api:meta") });
    expect(contractEnvironment(real({ XANO_CONTRACT_TABLE: "customers" }))).toEqual({ error: expect.stringContaining("XANO_CONTRACT_TABLE") });
  });

  it("runs only read-only cases that need nothing of the demo seed unless writes are asked for", () => {
    const found = contractEnvironment(real());
    if (!("target" in found)) throw new Error(JSON.stringify(found));
    expect(found.target).toMatchObject({ metaUrl: META, token: "t", seed: { writes: false, demo: false } });
    const runnable = CONTRACT_CASES.filter((c) => skipReason(c, found.target) === null);
    expect(runnable.length).toBeGreaterThanOrEqual(7);
    expect(runnable.every((c) => c.readOnly && !c.needs?.length)).toBe(true);
    const withWrites = contractEnvironment(real({ XANO_CONTRACT_WRITE: "1", XANO_CONTRACT_WORKSPACE: "1" }));
    if (!("target" in withWrites)) throw new Error(JSON.stringify(withWrites));
    expect(CONTRACT_CASES.filter((c) => skipReason(c, withWrites.target) === null).some((c) => !c.readOnly)).toBe(true);
  });

  /** `npm run contract` in a child process against this server; vitest's JSON report and the fake's log of its requests. */
  async function runContract() {
    // The child sees this server and none of the contract or vitest settings of the run that started it.
    const env = { ...process.env, XANO_CONTRACT_URL: META, XANO_CONTRACT_TOKEN: ALICE_METADATA_TOKEN };
    for (const k of Object.keys(env)) if (/^VITEST|^XANO_CONTRACT_(?!URL$|TOKEN$)/.test(k)) delete env[k as keyof typeof env];
    server.fake.reset();
    const stdout = await new Promise<string>((done, fail) => {
      execFile("npm", ["run", "--silent", "contract", "--", "--reporter=json"], {
        cwd: resolve(__dirname, "../.."), env,
        maxBuffer: 16 * 1024 * 1024, timeout: 120_000,
      }, (err, out, errOut) => (err && !out ? fail(new Error(`${err.message}\n${errOut}`)) : done(out)));
    });
    const report = JSON.parse(stdout.slice(stdout.indexOf("{")));
    const tests = report.testResults.flatMap((f: any) => f.assertionResults) as Array<{ title: string; status: string; failureMessages: string[] }>;
    return { report, tests, log: [...server.fake.log.entries] };
  }

  it("against this server, read-only: passes its cases and sends no request that changes anything", async () => {
    const { report, tests, log } = await runContract();
    expect(tests.filter((t) => t.status === "failed").map((t) => `${t.title}: ${t.failureMessages.join("\n")}`)).toEqual([]);
    expect(report.numPassedTests).toBeGreaterThanOrEqual(7);
    expect(tests.filter((t) => t.status === "passed").every((t) => !t.title.includes("skipped"))).toBe(true);
    expect(tests.some((t) => t.title.includes("[skipped: writes (set XANO_CONTRACT_WRITE=1)]"))).toBe(true);
    expect(log.length).toBeGreaterThan(20);
    const changes = log.filter((e) => e.method !== "GET" && !e.path.endsWith("/search"));
    expect(changes.map((e) => `${e.method} ${e.path}`)).toEqual([]);
  }, 120_000);

  it("XANO_CONTRACT_WRITE=1 adds the write cases, which leave the workspace as they found it", async () => {
    const found = contractEnvironment({ XANO_CONTRACT_URL: META, XANO_CONTRACT_TOKEN: ALICE_METADATA_TOKEN, XANO_CONTRACT_WRITE: "1", XANO_CONTRACT_WORKSPACE: "1" });
    if (!("target" in found)) throw new Error(JSON.stringify(found));
    const snapshot = async () => {
      const get = async (path: string) => (await fetch(`${META}/workspace/1${path}`, { headers: { authorization: `Bearer ${ALICE_METADATA_TOKEN}` } })).json();
      return { tables: await get("/table?per_page=1000"), groups: await get("/apigroup?per_page=1000"), functions: await get("/function?per_page=1000") };
    };
    server.fake.reset();
    const before = await snapshot();
    const writes = CONTRACT_CASES.filter((c) => !c.readOnly && skipReason(c, found.target) === null);
    expect(writes.length).toBeGreaterThanOrEqual(3);
    for (const c of writes) await c.run(found.target, fetch);
    const log = server.fake.log.entries;
    expect(log.filter((e) => e.method === "DELETE").length).toBeGreaterThanOrEqual(writes.length);
    expect(await snapshot()).toEqual(before);
  });
});
