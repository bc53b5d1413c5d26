// Runs contract cases as vitest tests: one describe per target, one per area, one test per case; a
// case the target cannot run is reported as skipped with the reason in its title.
import { beforeEach, describe, it } from "vitest";
import { skipReason, type ContractCase, type ContractTarget } from "./target";

export interface ContractRun {
  /** Before each case (the fake restores its demo seed); a real instance has none. */
  beforeEach?: () => unknown;
  fetch?: typeof globalThis.fetch;
}

export function describeContract(target: ContractTarget, cases: readonly ContractCase[], run: ContractRun = {}): void {
  const areas = new Map<string, ContractCase[]>();
  for (const c of cases) areas.set(c.area, [...(areas.get(c.area) ?? []), c]);
  describe(`Xano contract: ${target.label}`, () => {
    if (run.beforeEach) beforeEach(run.beforeEach);
    for (const [area, list] of areas) {
      describe(area, () => {
        for (const c of list) {
          const reason = skipReason(c, target);
          if (reason) it.skip(`${c.name} [skipped: ${reason}]`, () => {});
          else it(c.name, () => c.run(target, run.fetch ?? ((input, init) => globalThis.fetch(input, init))));
        }
      });
    }
  });
}
