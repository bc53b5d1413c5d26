/**
 * The token CLI (`xano-mcp-token`, bin/xano-mcp-token.mjs) end to end, run as a user runs it: a
 * child process per command, against the local stack (scripts/lib/local-stack.ts), with the sign-in
 * done in Debian's Chromium (playwright-core) on the URL `login --no-browser` prints.
 *
 * Covered: login with --toolsets (the consent page preselects them) and the loopback redirect; the
 * stored file and folder readable by the user only; `token` printing only the token, the same one
 * while it is fresh and a new one (refresh token rotated, file still 0600) once it has expired, each
 * working for tools/list on /mcp; a second login with --read-only reusing the registered client
 * and revoking the sign-in it replaces;
 * `status`; `doctor`; `logout` revoking the grant at the server (the refresh token is refused afterwards) and
 * deleting the file; and the refusals: wrong usage, no sign-in, unreachable server, a callback
 * with another state (CSRF), Deny in the browser, and the login timeout.
 *
 * The access token's expiry is reached by rewriting the stored expiry: the server's OAUTH_TOKEN_TTL
 * is at least an hour (src/config.ts), too long to wait for in a test. The server still really
 * refreshes and rotates.
 *
 * Without Chromium (CHROMIUM_PATH, default /usr/bin/chromium) the stack part is skipped with a
 * message; tests/node/browser.test.ts makes a missing Chromium fail under CI=true.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE_METADATA_TOKEN } from "../../fixtures/seed";
import { startLocalStack, type LocalStack } from "../../scripts/lib/local-stack";
import { tokenRequest } from "../../scripts/lib/oauth-http-client";
import { fileNameFor, type StoredSignIn } from "../../scripts/token-cli/token-store";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin/xano-mcp-token.mjs");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);

let configRoot: string;
/** A folder the CLI has to create itself (so the test sees the mode it gives it). */
let configDir: string;

beforeAll(() => {
  configRoot = mkdtempSync(join(tmpdir(), "xano-mcp-token-test-"));
  configDir = join(configRoot, "config", "xano-mcp");
});
afterAll(() => rmSync(configRoot, { recursive: true, force: true }));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI as a person would (`node bin/xano-mcp-token.mjs …`), with our config folder. */
function startCli(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, XANO_MCP_CONFIG_DIR: configDir }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: Array<() => void> = [];
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  const done = new Promise<Finished>((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
  /** The authorization URL `login` prints on its own line. */
  async function authorizationUrl(): Promise<string> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const match = stderr.match(/^\s+(https?:\/\/\S+\/authorize\?\S+)$/m);
      if (match) return match[1];
      if (child.exitCode !== null) break;
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    throw new Error(`login printed no authorization URL:\n${stderr}`);
  }
  return { child, done, authorizationUrl };
}

const runCli = (args: string[]) => startCli(args).done;

/** The one-line refusal: exit code, nothing on stdout, one line on stderr matching `message`. */
function expectRefusal(result: Finished, code: number, message: RegExp) {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stdout).toBe("");
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(message);
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Each command is a Node process loading tsx (about a second, several on a busy machine); a test runs up to six. */
const SLOW = { timeout: 90_000 };

describe("xano-mcp-token without a server", SLOW, () => {
  it("refuses an unknown command, a login without --server and an unknown option, with exit code 2", async () => {
    expectRefusal(await runCli(["frobnicate"]), 2, /Unknown command "frobnicate"; the commands are login, token, status, logout, doctor/);
    expectRefusal(await runCli(["login"]), 2, /login needs --server URL/);
    expectRefusal(await runCli(["token", "--bogus"]), 2, /Unknown option '--bogus'/);
    expectRefusal(await runCli(["token", "--read-only"]), 2, /--read-only is an option of login only/);
  });

  it("says to log in when there is no sign-in", async () => {
    expectRefusal(await runCli(["token"]), 1, /Not signed in to any server: run `npx xano-mcp-token login --server URL`/);
    expectRefusal(await runCli(["token", "--server", "http://localhost:1234"]), 1, /Not signed in to http:\/\/localhost:1234/);
  });

  it("says when the server cannot be reached", async () => {
    const port = await unusedPort();
    expectRefusal(await runCli(["login", "--server", `http://127.0.0.1:${port}`, "--no-browser"]), 1, new RegExp(`Cannot reach http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
  });
});

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM ? "xano-mcp-token against the local stack" : `xano-mcp-token against the local stack (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`,
  SLOW,
  () => {
    let stack: LocalStack;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const file = () => join(configDir, fileNameFor(stack.publicUrl));
    const stored = () => JSON.parse(readFileSync(file(), "utf8")) as StoredSignIn;
    const mode = (path: string) => statSync(path).mode & 0o777;

    beforeAll(async () => {
      [stack, browser] = await Promise.all([
        startLocalStack(),
        chromium.launch({
          executablePath: CHROMIUM,
          args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        }),
      ]);
      context = await browser.newContext();
      page = await context.newPage();
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
    });

    /** tools/list on /mcp through the MCP SDK client, with the token as a script would send it. */
    async function listTools(accessToken: string): Promise<string[]> {
      const client = new Client({ name: "token-cli-test", version: "1" });
      const transport = new StreamableHTTPClientTransport(new URL(`${stack.publicUrl}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${accessToken}` } } });
      await client.connect(transport);
      try {
        return (await client.listTools()).tools.map((tool) => tool.name);
      } finally {
        await client.close();
      }
    }

    async function mcpStatus(accessToken: string): Promise<number> {
      const response = await fetch(`${stack.publicUrl}/mcp`, {
        method: "POST",
        headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
      });
      await response.body?.cancel();
      return response.status;
    }

    /** Opens the printed URL in Chromium, signs in if asked, checks the consent page's preselection and presses Allow. */
    async function approveInBrowser(url: string, expected: { access: "read" | "read_write"; toolsets?: { on: string[]; off: string[] } }) {
      expect(new URL(url).origin).toBe(stack.publicUrl);
      await page.goto(url);
      if ((await page.getByLabel(/^Metadata API token/).count()) > 0) {
        // The token method is an alternative on the sign-in page, folded in a <details> until opened.
        const folded = page.locator("details:not([open]):has(#instance_url) > summary");
        if ((await folded.count()) > 0) await folded.click();
        await page.getByLabel("Instance URL").fill(stack.instanceUrl);
        await page.getByLabel(/^Metadata API token/).fill(ALICE_METADATA_TOKEN);
        await page.getByRole("button", { name: "Sign in with token" }).click();
        await page.waitForLoadState();
      }
      expect(await page.locator(`#access_${expected.access}`).isChecked()).toBe(true);
      for (const name of expected.toolsets?.on ?? []) expect(await page.locator(`#toolset_${name}`).isChecked(), name).toBe(true);
      for (const name of expected.toolsets?.off ?? []) expect(await page.locator(`#toolset_${name}`).isChecked(), name).toBe(false);
      await page.getByRole("button", { name: "Allow" }).click();
      await page.waitForURL((target) => target.href.startsWith("http://127.0.0.1:"));
      expect(new URL(page.url()).pathname).toBe("/callback");
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Signed in");
    }

    let firstToken: string;

    it("logs in through the browser with the chosen toolsets and keeps the sign-in in a file only the user can read", async () => {
      const login = startCli(["login", "--server", `${stack.publicUrl}/mcp`, "--toolsets", "logic,data", "--no-browser"]);
      const url = await login.authorizationUrl();
      const params = new URL(url).searchParams;
      expect(params.get("resource")).toBe(`${stack.publicUrl}/?toolsets=data,logic`);
      expect(params.get("scope")).toBe("xano:read xano:write");
      expect(params.get("code_challenge_method")).toBe("S256");
      expect(params.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      await approveInBrowser(url, { access: "read_write", toolsets: { on: ["data", "logic"], off: ["agents", "default"] } });

      const result = await login.done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`Signed in to ${stack.publicUrl} with read and write access, toolsets data,logic`);

      expect(mode(configDir)).toBe(0o700);
      expect(mode(file())).toBe(0o600);
      const record = stored();
      expect(record).toMatchObject({ server: stack.publicUrl, scope: "xano:read xano:write", toolsets: "data,logic" });
      expect(record.refreshToken).toBeTruthy();
      expect(record.accessTokenExpiresAt).toBeGreaterThan(Date.now() + 3_000_000);
    });

    it("prints only the access token, the same while it is fresh, and it works on /mcp with the chosen toolsets", async () => {
      const first = await runCli(["token"]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toBe("");
      expect(first.stdout).toMatch(/^\S+\n$/);
      firstToken = first.stdout.trim();
      expect(firstToken).toBe(stored().accessToken);
      expect((await runCli(["token", "--server", stack.publicUrl])).stdout.trim()).toBe(firstToken);

      const tools = await listTools(firstToken);
      expect(tools).toContain("xano_list_tables");
      expect(tools).toContain("xano_create_table");
      expect(tools).not.toContain("xano_list_agents");
    });

    it("refreshes an expired access token, saving the rotated refresh token before printing the new one", async () => {
      const before = stored();
      writeFileSync(file(), JSON.stringify({ ...before, accessTokenExpiresAt: Date.now() - 1_000 }));

      const result = await runCli(["token"]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe("");
      const secondToken = result.stdout.trim();
      expect(secondToken).not.toBe(firstToken);

      const after = stored();
      expect(after.accessToken).toBe(secondToken);
      expect(after.refreshToken).not.toBe(before.refreshToken);
      expect(after.accessTokenExpiresAt).toBeGreaterThan(Date.now() + 3_000_000);
      expect(mode(file())).toBe(0o600);
      expect(await listTools(secondToken)).toContain("xano_list_tables");
      expect((await runCli(["token"])).stdout.trim()).toBe(secondToken);
    });

    it("refreshes once when two scripts ask at the same time, and the sign-in keeps working", async () => {
      const expire = () => writeFileSync(file(), JSON.stringify({ ...stored(), accessTokenExpiresAt: Date.now() - 1_000 }));
      expire();
      const before = stored();
      const [a, b] = await Promise.all([runCli(["token"]), runCli(["token"])]);
      expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
      expect(a.stdout).toBe(b.stdout);
      expect(a.stdout.trim()).not.toBe(before.accessToken);
      expect(existsSync(`${file()}.lock`)).toBe(false);

      // The refresh token both relied on is the one the server holds current: the next refresh works.
      expire();
      const next = await runCli(["token"]);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stdout.trim()).not.toBe(a.stdout.trim());
      expect(await mcpStatus(next.stdout.trim())).toBe(200);
    });

    it("logs in again read-only with the client it registered before", async () => {
      const { clientId, refreshToken: replaced } = stored();
      const login = startCli(["login", "--server", stack.publicUrl, "--read-only", "--no-browser"]);
      const url = await login.authorizationUrl();
      expect(new URL(url).searchParams.get("scope")).toBe("xano:read");
      expect(new URL(url).searchParams.get("client_id")).toBe(clientId);
      await approveInBrowser(url, { access: "read" });
      const result = await login.done;
      expect(result.code, result.stderr).toBe(0);
      expect(stored()).toMatchObject({ clientId, scope: "xano:read", toolsets: null });
      // The sign-in it replaced is revoked, not left behind at the server.
      const old = await tokenRequest(fetch, stack.publicUrl, { grant_type: "refresh_token", refresh_token: replaced, client_id: clientId });
      expect(old.body.error).toBe("invalid_grant");

      const tools = await listTools((await runCli(["token"])).stdout.trim());
      expect(tools).toContain("xano_list_tables");
      expect(tools).not.toContain("xano_create_table");

      const status = await runCli(["status"]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(new RegExp(`^${stack.publicUrl}: signed in with read-only access; access token valid for \\d+ h`));
    });

    it("logs out: the grant is revoked at the server and the file is gone", async () => {
      const record = stored();
      const { refreshToken, accessToken, clientId } = record;
      const result = await runCli(["logout"]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`Signed out of ${stack.publicUrl}`);
      expect(existsSync(file())).toBe(false);

      const refresh = await tokenRequest(fetch, stack.publicUrl, { grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId });
      expect(refresh.response.status).toBe(400);
      expect(refresh.body.error).toBe("invalid_grant");
      expect(await mcpStatus(accessToken)).toBe(401);
      expectRefusal(await runCli(["token"]), 1, /Not signed in to any server/);

      // A file left from a revoked sign-in (e.g. revoked on /apps): `token` says to log in again.
      writeFileSync(file(), JSON.stringify({ ...record, accessTokenExpiresAt: Date.now() - 1_000 }), { mode: 0o600 });
      expectRefusal(await runCli(["token"]), 1, new RegExp(`The sign-in to ${stack.publicUrl} has ended \\(invalid_grant\\): run \`npx xano-mcp-token login --server ${stack.publicUrl}\``));
      rmSync(file());
    });

    it("refuses a callback whose state is not the one it sent (CSRF), and saves nothing", async () => {
      const login = startCli(["login", "--server", stack.publicUrl, "--no-browser"]);
      const url = new URL(await login.authorizationUrl());
      const callback = new URL(url.searchParams.get("redirect_uri")!);
      const forged = await fetch(`${callback}?code=stolen-code&state=not-the-state`);
      expect(forged.status).toBe(400);
      expect(await forged.text()).toContain("state mismatch");
      const result = await login.done;
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Refused the sign-in: the browser came back with a state that is not ours \(possible CSRF\)/);
      expect(existsSync(file())).toBe(false);
    });

    it("reports Deny in the browser as a cancelled login", async () => {
      const login = startCli(["login", "--server", stack.publicUrl, "--no-browser"]);
      await page.goto(await login.authorizationUrl());
      await page.getByRole("button", { name: "Deny" }).click();
      await page.waitForURL((target) => target.href.startsWith("http://127.0.0.1:"));
      const result = await login.done;
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Login cancelled in the browser \(access_denied/);
      expect(existsSync(file())).toBe(false);
    });

    it("doctor checks the deployment with the deployment doctor", async () => {
      const result = await runCli(["doctor", "--server", stack.publicUrl]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain(`Checking ${stack.publicUrl}`);
      expect(result.stdout).toContain(`A client can connect to ${stack.publicUrl}/mcp`);
    });

    it("gives up when nobody signs in before the timeout", async () => {
      const login = startCli(["login", "--server", stack.publicUrl, "--no-browser", "--timeout", "1"]);
      await login.authorizationUrl();
      const result = await login.done;
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Login timed out: nobody finished signing in within 1 s\. Run login again\./);
    });
  },
);
