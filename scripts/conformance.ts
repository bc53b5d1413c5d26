/**
 * `npm run conformance`: the official MCP conformance CLI's server scenarios against our protected
 * /mcp endpoint, on the local stack (fake-xano + `wrangler dev`).
 *
 * 1. Installs @modelcontextprotocol/conformance into a cache folder outside the project (set
 *    CONFORMANCE_CACHE to choose it) and runs it on the Node running this script: the project's
 *    Node 22 (the `node` devDependency, first on PATH under `npm run`). The CLI needs Node 22.
 * 2. Starts the local stack (scripts/lib/local-stack.ts) and gets an MCP access token through the
 *    real OAuth flow over HTTP (scripts/lib/oauth-http-client.ts): dynamic client registration,
 *    PKCE, the sign-in form (Metadata API token) and the consent form.
 * 3. Starts a loopback proxy that adds `Authorization: Bearer <token>` to requests for /mcp (the CLI
 *    cannot send one) and otherwise passes requests through unchanged, apart from presenting its own
 *    origin as the Worker's (a reverse proxy's usual Host/Origin mapping); foreign Host and Origin
 *    values, like the DNS-rebinding scenario's, reach the Worker as sent.
 * 4. Runs each scenario; failures listed in conformance/expected-failures.yaml (each explained there)
 *    are accepted, anything else fails the run. Results go to test-artifacts/conformance/.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest, createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ALICE_METADATA_TOKEN } from "../fixtures/seed";
import { startLocalStack } from "./lib/local-stack";
import { signInOverHttp } from "./lib/oauth-http-client";

const CLI_VERSION = "0.1.16";
const SCENARIOS = ["server-initialize", "ping", "tools-list", "tools-call-simple-text", "tools-call-error", "dns-rebinding-protection"];

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const EXPECTED_FAILURES = join(ROOT, "conformance/expected-failures.yaml");
const OUTPUT = join(ROOT, "test-artifacts/conformance");
const CACHE = process.env.CONFORMANCE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "xano-mcp", `conformance-${CLI_VERSION}`);
const CLI = join(CACHE, "node_modules/@modelcontextprotocol/conformance/dist/index.js");

function installCli(): void {
  if (Number(process.versions.node.split(".")[0]) < 22) throw new Error(`The conformance CLI needs Node 22+; this is ${process.version}. Run it as \`npm run conformance\` (the project's Node 22 comes first on PATH there).`);
  const installed = existsSync(CLI) && JSON.parse(readFileSync(join(CACHE, "node_modules/@modelcontextprotocol/conformance/package.json"), "utf8")).version === CLI_VERSION;
  if (installed) return;
  console.log(`Installing @modelcontextprotocol/conformance@${CLI_VERSION} into ${CACHE} …`);
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(join(CACHE, "package.json"), JSON.stringify({ private: true, dependencies: { "@modelcontextprotocol/conformance": CLI_VERSION } }, null, 2));
  const result = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock"], { cwd: CACHE, stdio: "inherit" });
  if (result.status !== 0 || !existsSync(CLI)) throw new Error(`npm install in ${CACHE} failed`);
}

/** Passes requests to the Worker; adds the bearer token to /mcp requests that carry none. */
function startTokenProxy(target: URL, token: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const own = `localhost:${(server.address() as AddressInfo).port}`;
    const headers = { ...incoming.headers };
    if (headers.host === own || headers.host === own.replace("localhost", "127.0.0.1")) headers.host = target.host;
    if (headers.origin === `http://${own}` || headers.origin === `http://${own.replace("localhost", "127.0.0.1")}`) headers.origin = target.origin;
    const path = incoming.url ?? "/";
    if ((path === "/mcp" || path.startsWith("/mcp?")) && !headers.authorization) headers.authorization = `Bearer ${token}`;
    const forward = httpRequest({ host: "127.0.0.1", port: target.port, method: incoming.method, path, headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forward.on("error", (error) => {
      outgoing.writeHead(502, { "Content-Type": "text/plain" });
      outgoing.end(`proxy: ${error.message}`);
    });
    incoming.pipe(forward);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://localhost:${(server.address() as AddressInfo).port}/mcp`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

function runScenario(url: string, scenario: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "server", "--url", url, "--scenario", scenario, "--expected-failures", EXPECTED_FAILURES, "-o", OUTPUT], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}

const started = Date.now();
installCli();
rmSync(OUTPUT, { recursive: true, force: true }); // only this run's results
// The Worker needs a Host it knows, hence `localhost` everywhere; the proxy listens on 127.0.0.1,
// which Node reaches for `localhost` too.
const stack = await startLocalStack();
let failed: string[] = [];
try {
  const tokens = await signInOverHttp(fetch, stack.publicUrl, { signIn: { instanceUrl: stack.instanceUrl, token: ALICE_METADATA_TOKEN }, clientName: "MCP conformance CLI" });
  const proxy = await startTokenProxy(new URL(stack.publicUrl), tokens.access_token);
  console.log(`Stack up and signed in after ${((Date.now() - started) / 1000).toFixed(1)} s; proxy ${proxy.url} → ${stack.publicUrl}/mcp`);
  try {
    for (const scenario of SCENARIOS) {
      const { code, output } = await runScenario(proxy.url, scenario);
      const summary = output.match(/Passed: .*/)?.[0] ?? "";
      const expected = /Expected failures \(in baseline\)/.test(output);
      console.log(`${code === 0 ? "ok  " : "FAIL"} ${scenario.padEnd(26)} ${summary}${expected ? " (expected failure, see conformance/expected-failures.yaml)" : ""}`);
      if (code !== 0 || process.env.CONFORMANCE_VERBOSE) console.log(output.replace(/^/gm, "      "));
      if (code !== 0) failed.push(scenario);
    }
    // The endpoint the scenarios passed against really is protected: without the proxy's token, 401.
    const anonymous = await fetch(`${stack.publicUrl}/mcp`, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }) });
    console.log(`${anonymous.status === 401 ? "ok  " : "FAIL"} ${"no token (ours)".padEnd(26)} POST /mcp without Authorization → HTTP ${anonymous.status} (want 401)`);
    if (anonymous.status !== 401) failed.push("no token");
    // The CLI's rebinding case sends a foreign Host, which already fails the token's audience check
    // (401). Check the Origin validation itself too: right Host and token, foreign Origin → 403.
    const foreign = await fetch(`${stack.publicUrl}/mcp`, {
      method: "POST",
      headers: { Authorization: `Bearer ${tokens.access_token}`, Origin: "http://evil.example.com", "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    const originOk = foreign.status === 403;
    console.log(`${originOk ? "ok  " : "FAIL"} ${"foreign Origin (ours)".padEnd(26)} valid token, Host localhost, Origin http://evil.example.com → HTTP ${foreign.status} (want 403)`);
    if (!originOk) failed.push("foreign Origin");
  } finally {
    await proxy.close();
  }
} catch (error) {
  console.error(error);
  failed = ["(setup)"];
} finally {
  await stack.stop();
}
console.log(`\nConformance: ${failed.length === 0 ? "all scenarios as expected" : `unexpected results in ${failed.join(", ")}`} (${((Date.now() - started) / 1000).toFixed(1)} s). Details: test-artifacts/conformance/`);
process.exit(failed.length === 0 ? 0 : 1);
