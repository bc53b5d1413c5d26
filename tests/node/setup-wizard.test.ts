// `npm run setup` (scripts/setup.mjs) run as a person or a script would run it, against a fake
// `wrangler` on PATH (tests/node/fake-wrangler.ts) and a temp copy of the real wrangler.toml.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { FakeWrangler } from "./fake-wrangler";

const repo = resolve(__dirname, "../..");
const setupScript = join(repo, "scripts/setup.mjs");

let dir: string;
let config: string;
let wrangler: FakeWrangler;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runSetup(args: string[], input = ""): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [setupScript, "--config", config, ...args], {
      cwd: dir,
      env: { ...process.env, PATH: wrangler.path(), CLOUDFLARE_ACCOUNT_ID: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => done({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

const YES = ["--yes", "--public-url", "https://xano-mcp.acme.workers.dev", "--sign-in-methods", "xano_oauth,metadata_token"];
const mutating = (argv: string[]) =>
  argv[0] === "deploy" || (argv[0] === "kv" && argv[2] === "create") || (argv[0] === "secret" && argv[1] === "put");

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "xano-mcp-setup-"));
  config = join(dir, "wrangler.toml");
  copyFileSync(join(repo, "wrangler.toml"), config);
  copyFileSync(join(repo, ".dev.vars.example"), join(dir, ".dev.vars.example"));
  wrangler = new FakeWrangler(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run setup --yes", () => {
  it("creates the KV namespace, writes its id and the settings into wrangler.toml, keeping every comment", async () => {
    const before = readFileSync(config, "utf8");
    const run = await runSetup([...YES, "--xano-account-url", "https://app.xano.com/"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);

    const [namespace] = wrangler.state.namespaces;
    expect(namespace.title).toBe("xano-mcp-oauth-kv");
    const after = readFileSync(config, "utf8");
    expect(after).toMatch(new RegExp(`binding = "OAUTH_KV"\\nid = "${namespace.id}"`));
    expect(after).toContain('PUBLIC_URL = "https://xano-mcp.acme.workers.dev"');
    expect(after).toContain('SIGN_IN_METHODS = "xano_oauth,metadata_token"');
    expect(after).toContain('XANO_ACCOUNT_URL = "https://app.xano.com"');
    // Every comment line of the original survives, in order.
    const comments = (text: string) => text.split("\n").filter((l) => l.trim().startsWith("#"));
    expect(comments(after).filter((c) => comments(before).includes(c))).toEqual(comments(before));

    // Progress is shown step by step, and the change is explained.
    for (let n = 1; n <= 7; n++) expect(run.stdout).toContain(`[${n}/7]`);
    expect(run.stdout).toContain('OAUTH_KV: created the namespace "xano-mcp-oauth-kv"');
    expect(run.stdout).toContain('PUBLIC_URL: "http://localhost:8787" → "https://xano-mcp.acme.workers.dev"');
    // It ends with the MCP URL and how to add it to each client.
    expect(run.stdout).toContain("Your MCP server URL:  https://xano-mcp.acme.workers.dev/mcp");
    for (const client of ["Claude", "ChatGPT", "Cursor", "VS Code", "Anthropic API", "authorization_token"]) expect(run.stdout).toContain(client);
    // No secret needed today: nothing is stored, and it says why.
    expect(wrangler.calls().some((c) => c.argv[0] === "secret")).toBe(false);
    expect(run.stdout).toContain("none needed");
    // Not asked to deploy: it does not.
    expect(wrangler.state.deploys).toBe(0);
  });

  it("stores each secret declared in .dev.vars.example with `wrangler secret put`, the value on stdin only", async () => {
    writeFileSync(join(dir, ".dev.vars.example"), "# a key of this server\nSESSION_SIGNING_KEY= # random\n# PUBLIC_URL=https://commented.example\n");
    const run = await runSetup(YES);
    expect(run.code).toBe(0);

    const puts = wrangler.calls().filter((c) => c.argv[0] === "secret" && c.argv[1] === "put");
    expect(puts.map((c) => c.argv)).toEqual([["secret", "put", "SESSION_SIGNING_KEY", "--config", config]]);
    const value = wrangler.state.secrets.SESSION_SIGNING_KEY;
    expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(puts[0].stdin.trim()).toBe(value);
    // Never on any command line, in any file or in the output.
    expect(wrangler.calls().flatMap((c) => c.argv).join(" ")).not.toContain(value);
    expect(readFileSync(config, "utf8")).not.toContain(value);
    expect(run.stdout + run.stderr).not.toContain(value);

    // Re-running keeps it.
    wrangler.clearCalls();
    const again = await runSetup(YES);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("SESSION_SIGNING_KEY: already set, keeping.");
    expect(wrangler.calls().some((c) => c.argv[1] === "put")).toBe(false);
    expect(wrangler.state.secrets.SESSION_SIGNING_KEY).toBe(value);
  });

  it("is idempotent: a second run creates nothing, changes no file and says what it kept", async () => {
    expect((await runSetup([...YES, "--xano-oauth-client-id", "client-1"])).code).toBe(0);
    const firstToml = readFileSync(config, "utf8");
    wrangler.clearCalls();

    const again = await runSetup(YES);
    expect(again.code).toBe(0);
    expect(readFileSync(config, "utf8")).toBe(firstToml);
    expect(wrangler.state.namespaces).toHaveLength(1);
    expect(wrangler.calls().filter((c) => mutating(c.argv))).toEqual([]);
    expect(again.stdout).toContain("OAUTH_KV: already set to");
    expect(again.stdout).toContain('PUBLIC_URL: already "https://xano-mcp.acme.workers.dev", keeping.');
    expect(again.stdout).toContain('XANO_OAUTH_CLIENT_ID: already "client-1", keeping.');
    expect(again.stdout).toContain("nothing changed");
  });

  it("reuses a namespace the account already has (made by wrangler deploy or the Deploy button), replacing a placeholder id", async () => {
    wrangler.update({ namespaces: [{ id: "ab".repeat(16), title: "xano-mcp-oauth-kv" }, { id: "cd".repeat(16), title: "other" }] });
    writeFileSync(config, readFileSync(config, "utf8").replace('binding = "OAUTH_KV"', `binding = "OAUTH_KV"\nid = "${"0".repeat(32)}"`));
    const run = await runSetup(YES);
    expect(run.code).toBe(0);
    expect(wrangler.state.namespaces).toHaveLength(2);
    const toml = readFileSync(config, "utf8");
    expect(toml).toContain(`binding = "OAUTH_KV"\nid = "${"ab".repeat(16)}"\n`);
    expect(toml).not.toContain("0".repeat(32));
    expect(run.stdout).toContain('reusing the existing namespace "xano-mcp-oauth-kv"');
  });

  it("deploys when asked and points out a PUBLIC_URL that differs from where Cloudflare serves the Worker", async () => {
    wrangler.update({ workerSubdomain: "someone-else" });
    const run = await runSetup([...YES, "--deploy"]);
    expect(run.code).toBe(0);
    expect(wrangler.state.deploys).toBe(1);
    expect(run.stdout).toContain("deployed at https://xano-mcp.someone-else.workers.dev");
    expect(run.stdout).toContain("--public-url https://xano-mcp.someone-else.workers.dev");
  });
});

describe("npm run setup --dry-run", () => {
  it("prints the commands and the file change, and neither runs a mutating command nor writes", async () => {
    writeFileSync(join(dir, ".dev.vars.example"), "SESSION_SIGNING_KEY=\n");
    const before = readFileSync(config, "utf8");
    const run = await runSetup([...YES, "--dry-run", "--deploy"]);
    expect(run.code).toBe(0);
    expect(readFileSync(config, "utf8")).toBe(before);
    expect(wrangler.calls().filter((c) => mutating(c.argv))).toEqual([]);
    expect(wrangler.state.namespaces).toEqual([]);
    expect(run.stdout).toContain("would run: wrangler kv namespace create xano-mcp-oauth-kv");
    expect(run.stdout).toContain("would run: wrangler secret put SESSION_SIGNING_KEY   (value passed on stdin)");
    expect(run.stdout).toContain("would run: wrangler deploy");
    expect(run.stdout).toContain(`would change ${config}`);
    expect(run.stdout).toContain('-   PUBLIC_URL = "http://localhost:8787"'.replace("-   ", "- "));
    expect(run.stdout).toContain('+ PUBLIC_URL = "https://xano-mcp.acme.workers.dev"');
  });

  it("works before logging in, showing what it would do", async () => {
    wrangler.update({ loggedIn: false });
    const run = await runSetup([...YES, "--dry-run"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("You are not logged in to Cloudflare.");
    expect(run.stdout).toContain("would run: wrangler kv namespace list");
    expect(wrangler.calls().filter((c) => mutating(c.argv))).toEqual([]);
  });
});

describe("npm run setup refuses clearly", () => {
  it.each([
    [["--xano-account-url", "http://xano.example.com"], "XANO_ACCOUNT_URL is not a valid URL", "must use https"],
    [["--sign-in-methods", "xano_oauth,passkeys"], '"passkeys" is not a sign-in method', "xano_oauth, metadata_token, app_auth"],
    [["--sign-in-methods", "app_auth"], "SIGN_IN_METHODS includes app_auth, which needs XANO_AUTH_URL", "api:auth"],
    [["--xano-auth-url", "ftp://x1234.n7.xano.io/api:auth"], "XANO_AUTH_URL is not a valid URL", "use https"],
    [["--token-ttl", "60"], "OAUTH_TOKEN_TTL must be a whole number of seconds, at least 3600", "86400"],
  ])("bad input %j: names the setting and exits non-zero before touching anything", async (flags, message, hint) => {
    const before = readFileSync(config, "utf8");
    const run = await runSetup([...YES, ...flags]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(hint);
    expect(readFileSync(config, "utf8")).toBe(before);
    expect(wrangler.calls()).toEqual([]);
  });

  it("a loopback or missing public URL in --yes mode asks for --public-url", async () => {
    const run = await runSetup(["--yes"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--public-url is needed");
    expect(run.stderr).toContain("only works on this computer");
  });

  it("not logged in: says how to log in, and runs nothing else", async () => {
    wrangler.update({ loggedIn: false });
    const run = await runSetup(YES);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("You are not logged in to Cloudflare.");
    expect(run.stderr).toContain("npx wrangler login");
    expect(wrangler.calls().map((c) => c.argv[0])).toEqual(["--version", "whoami"]);
  });

  it("wrangler missing: says to run npm install", async () => {
    const child = await new Promise<Run>((done) => {
      const p = spawn(process.execPath, [setupScript, "--config", config, ...YES], { cwd: dir, env: { ...process.env, PATH: join(dir, "empty") } });
      let stdout = "";
      let stderr = "";
      p.stdout.on("data", (d) => (stdout += d));
      p.stderr.on("data", (d) => (stderr += d));
      p.on("close", (code) => done({ code: code ?? 1, stdout, stderr }));
    });
    expect(child.code).toBe(1);
    expect(child.stderr).toContain("wrangler (Cloudflare's command-line tool) was not found");
    expect(child.stderr).toContain("npm install");
  });

  it("a failing wrangler command: shows the command, what it said, and what to do", async () => {
    wrangler.update({ failing: "kv namespace create" });
    const run = await runSetup(YES);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("`wrangler kv namespace create xano-mcp-oauth-kv --config");
    expect(run.stderr).toContain("maximum number of namespaces");
    expect(run.stderr).toContain("What to do:");
  });

  it("several accounts and no --account-id: lists them; with it, every command uses that account", async () => {
    wrangler.update({ accounts: [{ id: "acc1", name: "Personal" }, { id: "acc2", name: "Work" }] });
    const run = await runSetup(YES);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--account-id");
    expect(run.stderr).toContain("Work (acc2)");

    wrangler.clearCalls();
    expect((await runSetup([...YES, "--account-id", "acc2"])).code).toBe(0);
    const afterLogin = wrangler.calls().filter((c) => c.argv[0] === "kv");
    expect(afterLogin.length).toBeGreaterThan(0);
    expect(afterLogin.every((c) => c.accountId === "acc2")).toBe(true);
  });
});

describe("npm run setup, interactive", () => {
  it("asks its questions, re-asks after a bad answer, and writes the answers", async () => {
    const answers = [
      "http://xano-mcp.acme.workers.dev", // refused: not https
      "https://xano-mcp.acme.workers.dev/",
      "1,7", // refused: no 7th method
      "1,3",
      "", // account URL: the default
      "https://x1234-5678-9012.n7.xano.io/api:auth",
      "", // no pre-registered Xano client
      "n", // do not deploy
    ];
    const run = await runSetup([], answers.join("\n") + "\n");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("PUBLIC_URL is not a valid URL");
    expect(run.stdout).toContain('"7" is not a sign-in method');
    const toml = readFileSync(config, "utf8");
    expect(toml).toContain('PUBLIC_URL = "https://xano-mcp.acme.workers.dev"');
    expect(toml).toContain('SIGN_IN_METHODS = "xano_oauth,app_auth"');
    expect(toml).toContain('XANO_AUTH_URL = "https://x1234-5678-9012.n7.xano.io/api:auth"');
    expect(toml).not.toContain("XANO_OAUTH_CLIENT_ID =");
    expect(run.stdout).toContain("skipped. Deploy when you are ready with `npm run deploy`.");
    expect(run.stdout).toContain("https://xano-mcp.acme.workers.dev/mcp");
  });

  it("offers to drop a trailing /mcp from the public URL, and never tells you to store a secret mid-question", async () => {
    const answers = [
      "https://xano-mcp.acme.workers.dev/mcp",
      "y", // drop /mcp
      "1",
      "", // account URL: the default
      "", // no pre-registered Xano client
      "n", // do not deploy
    ];
    const run = await runSetup([], answers.join("\n") + "\n");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("https://xano-mcp.acme.workers.dev/mcp is the MCP endpoint");
    expect(readFileSync(config, "utf8")).toContain('PUBLIC_URL = "https://xano-mcp.acme.workers.dev"');
    const bad = await runSetup([], ["http://xano-mcp.acme.workers.dev", "https://xano-mcp.acme.workers.dev", "1", "", "", "n"].join("\n") + "\n");
    expect(bad.stdout).toContain("PUBLIC_URL is not a valid URL");
    expect(bad.stdout).not.toContain("wrangler secret put");
  });

  it("drops a trailing /mcp from --public-url, saying so", async () => {
    const run = await runSetup(["--yes", "--public-url", "https://xano-mcp.acme.workers.dev/mcp/"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("https://xano-mcp.acme.workers.dev/mcp is the MCP endpoint");
    expect(readFileSync(config, "utf8")).toContain('PUBLIC_URL = "https://xano-mcp.acme.workers.dev"');
  });

  it("stops with a clear message when the answers run out", async () => {
    const run = await runSetup([], "https://xano-mcp.acme.workers.dev\n");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("the input ended before every question was answered");
  });
});
