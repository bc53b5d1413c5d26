// `npm run contract`: the contract cases (tests/contract/) against a real Xano instance named by the
// environment (tests/contract/environment.ts). Read-only cases by default; XANO_CONTRACT_WRITE=1 adds
// the cases that create and delete objects in XANO_CONTRACT_WORKSPACE. Without XANO_CONTRACT_URL and
// XANO_CONTRACT_TOKEN it is one skipped test saying so (this is what `npm test` shows).
import { describe, expect, it } from "vitest";
import { CONTRACT_CASES } from "../contract/cases";
import { contractEnvironment } from "../contract/environment";
import { describeContract } from "../contract/vitest";

const environment = contractEnvironment(process.env);

if ("target" in environment) describeContract(environment.target, CONTRACT_CASES);
else if ("skip" in environment) describe("Xano contract: real instance", () => it.skip(environment.skip, () => {}));
else describe("Xano contract: real instance", () => it("is configured", () => expect.fail(environment.error)));
