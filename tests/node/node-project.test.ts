// The "node" test project runs outside workerd (see vitest.config.ts); this checks it really does.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";

describe("node test project", () => {
  it("runs in plain Node with child processes available", () => {
    expect(execFileSync(process.execPath, ["-e", "process.stdout.write(String(1 + 1))"]).toString()).toBe("2");
  });
});
