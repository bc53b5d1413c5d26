#!/usr/bin/env node
/**
 * `npm run dev`: starts fake-xano on loopback, then the Worker under `wrangler dev` pointed at it,
 * and prints what a person needs to connect: the MCP URL, the instance URL and a demo token.
 * No Cloudflare or Xano account is needed. Ctrl-C stops both.
 *
 * Ports: WORKER_PORT (default 8787), FAKE_XANO_PORT (default 8788; the shared instance is on the next
 * port, alice's sandbox instance on the one after). Debug tools are on, and all three sign-in methods.
 */
import { spawn } from "node:child_process";
import { createDevOutputFilter } from "./lib/dev-output.mjs";
import { waitFor } from "./lib/wait-for.mjs";

const workerPort = Number(process.env.WORKER_PORT ?? 8787);
const fakePort = Number(process.env.FAKE_XANO_PORT ?? 8788);
const accountUrl = `http://127.0.0.1:${fakePort}`;
const publicUrl = `http://localhost:${workerPort}`;
const children = [];

function start(name, command, args, env = {}) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  const prefix = (line) => (line.trim() ? `[${name}] ${line}` : line);
  // Whole lines only, through the filter of what does not apply here (lib/dev-output.mjs).
  const pipe = (from, to) => {
    const filter = createDevOutputFilter();
    let partial = "";
    from.on("data", (d) => {
      const lines = (partial + String(d)).split("\n");
      partial = lines.pop();
      const shown = lines.flatMap(filter).map(prefix);
      if (shown.length > 0) to.write(`${shown.join("\n")}\n`);
    });
    from.on("end", () => partial && to.write(`${prefix(partial)}\n`));
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  child.on("exit", (code) => {
    console.error(`[${name}] exited with code ${code}`);
    shutdown(code ?? 1);
  });
  children.push(child);
  return child;
}

let stopping = false;
function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 500).unref();
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

/** Waits for a started server; on failure says so and stops everything. */
async function ready(url, what) {
  try {
    await waitFor(url, what);
  } catch (error) {
    console.error(`${error.message}.`);
    shutdown(1);
  }
}

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;

start("fake-xano", bin("tsx"), ["fake-xano/serve.ts"], { FAKE_XANO_PORT: String(fakePort) });
await ready(`${accountUrl}/.well-known/oauth-authorization-server`, "fake-xano");

start("worker", bin("wrangler"), [
  "dev",
  "--port", String(workerPort),
  "--ip", "localhost",
  "--var", `PUBLIC_URL:${publicUrl}`,
  "--var", `XANO_ACCOUNT_URL:${accountUrl}`,
  "--var", `XANO_AUTH_URL:http://127.0.0.1:${fakePort + 1}/api:auth`,
  "--var", "DEBUG_TOOLS:true",
  // The MCP Inspector in direct mode calls /mcp from its own page.
  "--var", "ALLOWED_ORIGINS:http://localhost:6274",
], { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" });
await ready(`${publicUrl}/.well-known/oauth-authorization-server`, "the Worker");

console.log(`
────────────────────────────────────────────────────────────────────
 xano-mcp is running locally against fake-xano.

   MCP URL (streamable HTTP):  ${publicUrl}/mcp
   Legacy SSE URL:             ${publicUrl}/sse

 When your MCP client opens the sign-in page, use any of:
   Sign in with Xano:          alice@example.com / alice-password (pick "Demo Instance")
   Metadata API token:         instance http://127.0.0.1:${fakePort + 1}, token xano_demo_alice_metadata_token
   Email and password:         bob@example.com / bob-password
 Debug tools are on: debug_auth, debug_expire_oauth_tokens, debug_refresh_profile (see DEBUG.md).

 Try it:  npx @modelcontextprotocol/inspector   (Transport: Streamable HTTP, URL above)
      or  npx mcp-remote ${publicUrl}/mcp
 fake-xano admin (knobs, request log): ${accountUrl}/__admin/log
 The scheduled clean-up does not run by itself here: curl "${publicUrl}/cdn-cgi/handler/scheduled"
 Ctrl-C stops both.
────────────────────────────────────────────────────────────────────
`);
