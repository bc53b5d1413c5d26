// `npm run deploy` (scripts/deploy.mjs) against a fake `wrangler` on PATH, and `npm run check:bundle`
// (scripts/check-bundle.mjs) against the real wrangler, offline.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { FakeWrangler } from "./fake-wrangler";

const repo = resolve(__dirname, "../..");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(repo, script), ...args], { cwd: repo, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => done({ code: code ?? 1, stdout, stderr }));
    child.stdin.end();
  });
}

describe("npm run deploy", () => {
  let dir: string;
  let config: string;
  let wrangler: FakeWrangler;
  const deploy = (extra: Record<string, string> = {}, args: string[] = []) =>
    run("scripts/deploy.mjs", ["--config", config, ...args], { PATH: wrangler.path(), WORKERS_CI: "", CLOUDFLARE_API_TOKEN: "", ...extra });
  const setVar = (name: string, value: string) =>
    writeFileSync(config, readFileSync(config, "utf8").replace(new RegExp(`^${name} = ".*"$`, "m"), `${name} = "${value}"`));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "xano-mcp-deploy-"));
    config = join(dir, "wrangler.toml");
    copyFileSync(join(repo, "wrangler.toml"), config);
    wrangler = new FakeWrangler(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("checks, then runs wrangler deploy with the same configuration and any extra arguments", async () => {
    setVar("PUBLIC_URL", "https://xano-mcp.acme.workers.dev");
    const result = await deploy({}, ["--minify"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(wrangler.state.deploys).toBe(1);
    expect(wrangler.calls().find((c) => c.argv[0] === "deploy")?.argv).toEqual(["deploy", "--config", config, "--minify"]);
    expect(result.stdout).toContain("✓ PUBLIC_URL is https://xano-mcp.acme.workers.dev");
    expect(result.stdout).toContain("Your MCP server URL: https://xano-mcp.acme.workers.dev/mcp");
  });

  it("refuses a localhost PUBLIC_URL on a person's machine, and says how to fix it", async () => {
    const result = await deploy();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("PUBLIC_URL is http://localhost:8787, which only works on this computer");
    expect(result.stderr).toContain("npm run setup");
    expect(wrangler.state.deploys).toBe(0);
  });

  it("in Cloudflare's build (the Deploy button) a localhost PUBLIC_URL is a warning, and the deploy goes on", async () => {
    const result = await deploy({ WORKERS_CI: "1", CLOUDFLARE_API_TOKEN: "token-from-workers-builds" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("! PUBLIC_URL is http://localhost:8787");
    expect(wrangler.state.deploys).toBe(1);
    expect(wrangler.calls().some((c) => c.argv[0] === "whoami")).toBe(false);
  });

  it("refuses settings the Worker would refuse at start-up, naming each", async () => {
    setVar("PUBLIC_URL", "https://xano-mcp.acme.workers.dev");
    setVar("XANO_ACCOUNT_URL", "http://xano.example.com");
    const result = await deploy();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("would stop the Worker at start-up");
    expect(result.stderr).toContain("XANO_ACCOUNT_URL is not a valid URL");
    expect(wrangler.calls()).toEqual([]);
  });

  it("not logged in: says how to log in and does not deploy", async () => {
    setVar("PUBLIC_URL", "https://xano-mcp.acme.workers.dev");
    wrangler.update({ loggedIn: false });
    const result = await deploy();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("npx wrangler login");
    expect(wrangler.calls().map((c) => c.argv[0])).toEqual(["whoami"]);
  });

  it("a failed deploy exits non-zero with what to do after wrangler's own message", async () => {
    setVar("PUBLIC_URL", "https://xano-mcp.acme.workers.dev");
    wrangler.update({ failing: "deploy" });
    const result = await deploy();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("xano-mcp cannot start"); // wrangler's message, passed through
    expect(result.stderr).toContain("wrangler deploy failed (exit code 1)");
  });
});

describe("npm run check:bundle", () => {
  it("bundles offline with the real wrangler and fails over budget, reporting the measured size", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xano-mcp-budget-"));
    try {
      const tight = join(dir, "budget.json");
      writeFileSync(tight, JSON.stringify({ gzipKiB: 10 }));
      const result = await run("scripts/check-bundle.mjs", ["--budget", tight], {
        PATH: `${join(repo, "node_modules/.bin")}:${process.env.PATH}`,
        WRANGLER_SEND_METRICS: "false",
      });
      expect(result.code).toBe(1);
      const size = /bundle is ([\d.]+) KiB gzip \(([\d.]+) KiB raw/.exec(result.stderr);
      expect(size, result.stderr).not.toBeNull();
      const [gzip, raw] = [Number(size![1]), Number(size![2])];
      // A real bundle: hundreds of KiB compressed, several times that raw, and within the repo's budget.
      expect(gzip).toBeGreaterThan(100);
      expect(raw).toBeGreaterThan(2 * gzip);
      expect(gzip).toBeLessThanOrEqual(JSON.parse(readFileSync(join(repo, "bundle-budget.json"), "utf8")).gzipKiB);
      expect(result.stderr).toContain("over the budget of 10 KiB gzip");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
