#!/usr/bin/env node
/**
 * `npm run bench`: measures the server under `wrangler dev` against fake-xano, on this machine.
 *
 * Starts its own stack (like `npm run dev`, on other ports and with a fresh local state dir, so a
 * running `npm run dev` is not disturbed), signs in through the real OAuth flow over HTTP (dynamic
 * registration, /authorize pages, consent, PKCE code exchange), then measures:
 *
 *   floor        a trivial GET the Worker answers itself (/styles.css), and /health
 *   read tool    xano_list_tables through /mcp vs the same Xano call made directly to fake-xano,
 *                at 0 ms and 20 ms of fake latency (p50/p95, ratio, and added = server − direct)
 *   throughput   16 concurrent clients calling the read tool for a few seconds
 *   storms       100 concurrent calls on an expired "Sign in with Xano" credential, twice:
 *                expiry known to the store (proactive) and Xano answering 401 (reactive);
 *                calls that succeeded, and upstream refreshes (fake-xano's request log)
 *   storage      from the Worker's own `request` log lines: KV reads/lists and credential-store
 *                hops per tools/call request
 *
 * Writes bench-results/latest.json and prints a summary. Options (env): BENCH_WORKER_PORT (8877),
 * BENCH_FAKE_XANO_PORT (8878; the instance is on the next port), BENCH_SAMPLES (300),
 * BENCH_THROUGHPUT_SECONDS (5).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { waitFor } from "./lib/wait-for.mjs";

const workerPort = Number(process.env.BENCH_WORKER_PORT ?? 8877);
const fakePort = Number(process.env.BENCH_FAKE_XANO_PORT ?? 8878);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const THROUGHPUT_SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 5);
const CONCURRENCY = 16;
const STORM = 100;

const PUBLIC_URL = `http://localhost:${workerPort}`;
const ACCOUNT = `http://127.0.0.1:${fakePort}`;
const INSTANCE = `http://127.0.0.1:${fakePort + 1}`;
const ALICE_METADATA_TOKEN = "xano_demo_alice_metadata_token";
const REDIRECT_URI = "http://localhost:9/callback";
const READ_TOOL = { name: "xano_list_tables", arguments: { workspace_id: 1, per_page: 10 } };
const DIRECT_READ = `${INSTANCE}/api:meta/workspace/1/table?page=1&per_page=10`;

// ── the stack ──────────────────────────────────────────────────────────────────────────────
const children = [];
const workerLines = [];
const stateDir = mkdtempSync(join(tmpdir(), "xano-mcp-bench-"));
const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;

function start(name, command, args, env = {}) {
  // Own process group, so stopping it also stops wrangler's workerd child (and nothing else).
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, ...env } });
  let buffered = "";
  child.stdout.on("data", (data) => {
    buffered += String(data);
    const lines = buffered.split("\n");
    buffered = lines.pop();
    for (const line of lines) {
      const at = line.indexOf('{"event":');
      if (at >= 0) workerLines.push(line.slice(at));
    }
  });
  child.stderr.on("data", (data) => {
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[${name}] ${data}`);
  });
  children.push(child);
  return child;
}

function stop() {
  for (const child of children) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
  }
  rmSync(stateDir, { recursive: true, force: true });
}
process.on("SIGINT", () => {
  stop();
  process.exit(130);
});

// ── HTTP helpers: a cookie jar per origin, forms, PKCE ────────────────────────────────────────
const jars = new Map();
async function browse(url, init = {}) {
  const target = new URL(url);
  const jar = jars.get(target.origin) ?? new Map();
  jars.set(target.origin, jar);
  const headers = new Headers(init.headers);
  if (jar.size) headers.set("Cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
  const response = await fetch(target, { ...init, headers, redirect: "manual" });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(";");
    const index = pair.indexOf("=");
    jar.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
  }
  return response;
}

const decode = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
function attrs(tag) {
  const out = {};
  for (const m of tag.matchAll(/([a-zA-Z_:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/g)) out[m[1].toLowerCase()] = decode(m[2] ?? m[3] ?? "");
  return out;
}
function forms(page) {
  return [...page.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map((m) => {
    const fields = {};
    for (const input of m[2].matchAll(/<input\b([^>]*)>/gi)) {
      const a = attrs(input[1]);
      // As a browser submits: radios and checkboxes only when checked.
      if ((a.type === "radio" || a.type === "checkbox") && !("checked" in a)) continue;
      if (a.name) fields[a.name] = a.value ?? "";
    }
    const buttons = [...m[2].matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)].map((b) => ({ ...attrs(b[1]), text: b[2].replace(/<[^>]+>/g, "").trim() }));
    return { action: attrs(m[1]).action ?? "", fields, buttons };
  });
}
async function submit(origin, form, values, button) {
  const body = new URLSearchParams({ ...form.fields, ...values });
  if (button?.name) body.set(button.name, button.value ?? "");
  return browse(new URL(form.action, origin).toString(), { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
}
const b64url = (buf) => Buffer.from(buf).toString("base64url");

/** The whole OAuth flow a desktop MCP client runs, over HTTP. Returns the MCP access token. */
async function signIn(how) {
  jars.clear();
  const registered = await (await fetch(`${PUBLIC_URL}/oauth/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ client_name: "bench", redirect_uris: [REDIRECT_URI], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" }),
  })).json();
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash("sha256").update(verifier).digest());
  const authorize = new URL(`${PUBLIC_URL}/authorize`);
  authorize.search = new URLSearchParams({ response_type: "code", client_id: registered.client_id, redirect_uri: REDIRECT_URI, code_challenge: challenge, code_challenge_method: "S256", state: "bench" }).toString();
  const signInPage = await (await browse(authorize.toString())).text();
  let response;
  if (how === "metadata_token") {
    const form = forms(signInPage).find((f) => f.fields.method === "metadata_token");
    response = await submit(PUBLIC_URL, form, { instance_url: INSTANCE, token: ALICE_METADATA_TOKEN });
  } else {
    const form = forms(signInPage).find((f) => f.fields.step === "xano-oauth");
    response = await submit(PUBLIC_URL, form, {});
  }
  const consent = forms(await response.text())[0];
  response = await submit(PUBLIC_URL, consent, {}, consent.buttons.find((b) => b.text === "Allow"));
  if (how === "xano_oauth") {
    // fake-xano's sign-in and instance picker, then back through our callback.
    const xanoUrl = new URL(response.headers.get("Location"));
    const [xanoForm] = forms(await (await browse(xanoUrl.toString())).text());
    const back = await submit(xanoUrl.origin, xanoForm, { email: "alice@example.com", password: "alice-password", instance: "x1234-5678-9012" }, { name: "decision", value: "approve" });
    response = await browse(back.headers.get("Location"));
  }
  const code = new URL(response.headers.get("Location")).searchParams.get("code");
  if (!code) throw new Error(`sign-in (${how}) did not end with a code (HTTP ${response.status})`);
  const tokens = await (await fetch(`${PUBLIC_URL}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, client_id: registered.client_id, code_verifier: verifier }),
  })).json();
  if (!tokens.access_token) throw new Error(`token exchange failed: ${JSON.stringify(tokens)}`);
  return tokens.access_token;
}

let rpcId = 0;
/** One MCP tools/call over Streamable HTTP (stateless); true when the tool succeeded. */
async function callTool(token, tool) {
  const response = await fetch(`${PUBLIC_URL}/mcp`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream", "MCP-Protocol-Version": "2025-06-18" },
    body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method: "tools/call", params: tool }),
  });
  const text = await response.text();
  if (response.status !== 200) return false;
  const json = text.trimStart().startsWith("{") ? text : text.split("\n").find((l) => l.startsWith("data: "))?.slice(6);
  try {
    const message = JSON.parse(json);
    return message.result?.structuredContent?.success === true;
  } catch {
    return false;
  }
}

const admin = (knob, body = {}) => fetch(`${ACCOUNT}/__admin/${knob}`, { method: "POST", body: JSON.stringify(body) }).then((r) => r.json());
const fakeLog = () => fetch(`${ACCOUNT}/__admin/log`).then((r) => r.json());

// ── measuring ─────────────────────────────────────────────────────────────────────────────
function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
async function sample(n, once) {
  const times = [];
  let failures = 0;
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const ok = await once();
    times.push(performance.now() - started);
    if (!ok) failures++;
  }
  times.sort((a, b) => a - b);
  const round = (x) => Math.round(x * 100) / 100;
  return { samples: n, failures, p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), mean: round(times.reduce((a, b) => a + b, 0) / n) };
}
const okStatus = (url, init) => fetch(url, init).then(async (r) => (await r.arrayBuffer(), r.ok));

async function readToolAt(token, latencyMs) {
  await admin("setLatency", { ms: latencyMs });
  const n = latencyMs > 0 ? Math.min(SAMPLES, 100) : SAMPLES;
  const direct = await sample(n, () => okStatus(DIRECT_READ, { headers: { Authorization: `Bearer ${ALICE_METADATA_TOKEN}`, Accept: "application/json" } }));
  const server = await sample(n, () => callTool(token, READ_TOOL));
  await admin("setLatency", { ms: 0 });
  const round = (x) => Math.round(x * 100) / 100;
  return { fakeLatencyMs: latencyMs, server, direct, ratioP50: round(server.p50 / direct.p50), addedP50Ms: round(server.p50 - direct.p50) };
}

async function throughput(token) {
  const deadline = performance.now() + THROUGHPUT_SECONDS * 1000;
  let ok = 0;
  let failed = 0;
  const times = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        if (await callTool(token, READ_TOOL)) ok++;
        else failed++;
        times.push(performance.now() - started);
      }
    }),
  );
  times.sort((a, b) => a - b);
  return { clients: CONCURRENCY, seconds: THROUGHPUT_SECONDS, calls: ok + failed, failed, callsPerSecond: Math.round((ok / THROUGHPUT_SECONDS) * 10) / 10, p50: Math.round(percentile(times, 50) * 100) / 100, p95: Math.round(percentile(times, 95) * 100) / 100 };
}

async function storm(token, expire) {
  await expire();
  await admin("clearLog");
  const results = await Promise.all(Array.from({ length: STORM }, () => callTool(token, { name: "xano_list_databases", arguments: {} })));
  const log = await fakeLog();
  return { calls: STORM, succeeded: results.filter(Boolean).length, upstreamRefreshes: log.counts?.["POST /oauth/token"] ?? 0 };
}

// ── run ───────────────────────────────────────────────────────────────────────────────────
const result = { command: "npm run bench", at: new Date().toISOString(), machine: { cpus: cpus().length, node: process.version, loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100) }, stack: "wrangler dev (local workerd) + fake-xano (Node), loopback" };
try {
  console.log(`bench: starting fake-xano on ${ACCOUNT} and the Worker on ${PUBLIC_URL} …`);
  start("fake-xano", bin("tsx"), ["fake-xano/serve.ts"], { FAKE_XANO_PORT: String(fakePort) });
  await waitFor(`${ACCOUNT}/.well-known/oauth-authorization-server`, "fake-xano", 90_000);
  start("worker", bin("wrangler"), [
    "dev", "--port", String(workerPort), "--ip", "localhost", "--persist-to", stateDir, "--show-interactive-dev-session=false",
    "--var", `PUBLIC_URL:${PUBLIC_URL}`, "--var", `XANO_ACCOUNT_URL:${ACCOUNT}`, "--var", `XANO_AUTH_URL:${INSTANCE}/api:auth`, "--var", "DEBUG_TOOLS:true",
    // The bench drives thousands of calls through one grant: measure the server, not the per-grant
    // limit (the counting itself still runs: it rides on the credential-store hop either way).
    "--var", "RATE_LIMIT_TOOL_CALLS_PER_MINUTE:100000",
  ], { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" });
  await waitFor(`${PUBLIC_URL}/health`, "the Worker", 90_000);

  const metadataToken = await signIn("metadata_token");
  for (let i = 0; i < 30; i++) await callTool(metadataToken, READ_TOOL); // warm-up
  for (let i = 0; i < 30; i++) await okStatus(`${PUBLIC_URL}/styles.css`);

  result.floor = {
    staticGet: { path: "/styles.css", ...(await sample(SAMPLES, () => okStatus(`${PUBLIC_URL}/styles.css`))) },
    health: { path: "/health", ...(await sample(Math.min(SAMPLES, 100), () => okStatus(`${PUBLIC_URL}/health`))) },
  };
  const logStart = workerLines.length;
  result.readTool = [await readToolAt(metadataToken, 0)];
  const zeroLatencyLines = workerLines.slice(logStart).map((l) => JSON.parse(l));
  result.readTool.push(await readToolAt(metadataToken, 20));
  const toolLines = workerLines.slice(logStart).map((l) => JSON.parse(l)).filter((l) => l.event === "request" && l.tool === READ_TOOL.name);
  // Where the time goes, from the Worker's own log (0 ms fake latency): the whole request inside
  // the Worker, and the Xano call within it. The rest of the client-side time is wrangler dev's
  // local proxy and HTTP on loopback, which the floor also pays.
  const inWorker = zeroLatencyLines.filter((l) => l.event === "request" && l.tool === READ_TOOL.name);
  const ids = new Set(inWorker.map((l) => l.requestId));
  const median = (xs) => Math.round(percentile([...xs].sort((a, b) => a - b), 50) * 100) / 100;
  result.readTool[0].insideWorker = {
    requestP50: median(inWorker.map((l) => l.durationMs)),
    xanoCallP50: median(zeroLatencyLines.filter((l) => l.event === "xano_call" && ids.has(l.requestId)).map((l) => l.durationMs)),
  };
  result.throughput = await throughput(metadataToken);

  const oauthToken = await signIn("xano_oauth");
  result.storms = {
    proactive: { how: "debug_expire_oauth_tokens marks the stored credential expired", ...(await storm(oauthToken, () => callTool(oauthToken, { name: "debug_expire_oauth_tokens", arguments: {} }))) },
    reactive: { how: "fake-xano expires Alice's OAuth access token, so Xano answers 401", ...(await storm(oauthToken, () => admin("expireUserTokens", { userId: 1, kind: "oauth_access" }))) },
  };

  const requestLines = workerLines.map((l) => { try { return JSON.parse(l); } catch { return null; } }).filter((l) => l?.event === "request");
  const mcpCalls = requestLines.filter((l) => l.route === "/mcp" && l.rpc === "tools/call");
  const listing = requestLines.filter((l) => l.kvLists > 0);
  result.storage = {
    toolCallsSeen: mcpCalls.length,
    readToolKvReadsMax: Math.max(...toolLines.map((l) => l.kvReads)),
    readToolStoreCallsMax: Math.max(...toolLines.map((l) => l.storeCalls)),
    toolCallKvListsMax: Math.max(...mcpCalls.map((l) => l.kvLists)),
    toolCallKvReadsMax: Math.max(...mcpCalls.map((l) => l.kvReads)),
    requestsThatListedKv: [...new Set(listing.map((l) => `${l.method} ${l.route}`))],
  };

  const floor = result.floor.staticGet.p50;
  const read0 = result.readTool[0];
  result.targets = {
    addedP50WithinFloorPlus2ms: { target: `server p50 − direct p50 ≤ floor p50 + 2 ms = ${(floor + 2).toFixed(2)} ms`, measured: read0.addedP50Ms, met: read0.addedP50Ms <= floor + 2 },
    oneRefreshPerStorm: { target: "≤ 1 upstream refresh per storm", measured: [result.storms.proactive.upstreamRefreshes, result.storms.reactive.upstreamRefreshes], met: result.storms.proactive.upstreamRefreshes <= 1 && result.storms.reactive.upstreamRefreshes <= 1 },
    noKvListOnToolCalls: { target: "no KV list on a tool call", measured: result.storage.toolCallKvListsMax, met: result.storage.toolCallKvListsMax === 0 },
    oneKvReadPlusStoreHop: { target: "≤ 1 KV read + 1 credential-store hop per read-tool call", measured: { kvReads: result.storage.readToolKvReadsMax, storeCalls: result.storage.readToolStoreCallsMax }, met: result.storage.readToolKvReadsMax <= 1 && result.storage.readToolStoreCallsMax <= 1 },
  };

  mkdirSync(new URL("../bench-results/", import.meta.url), { recursive: true });
  writeFileSync(new URL("../bench-results/latest.json", import.meta.url), JSON.stringify(result, null, 2) + "\n");

  const row = (label, s) => `  ${label.padEnd(34)} p50 ${String(s.p50).padStart(7)} ms   p95 ${String(s.p95).padStart(7)} ms${s.failures ? `   (${s.failures} failed)` : ""}`;
  console.log(`\nxano-mcp bench (${result.machine.cpus} CPUs, load ${result.machine.loadAverageAtStart.join(" ")}, Node ${process.version}; ${SAMPLES} samples)\n`);
  console.log(row("floor: GET /styles.css", result.floor.staticGet));
  console.log(row("GET /health (KV read + DO hop)", result.floor.health));
  for (const r of result.readTool) {
    console.log(`\n  fake-xano latency ${r.fakeLatencyMs} ms`);
    console.log(row(`xano_list_tables via /mcp`, r.server));
    console.log(row(`same call direct to fake-xano`, r.direct));
    console.log(`  ratio (p50) ${r.ratioP50}×, added p50 ${r.addedP50Ms} ms`);
    if (r.insideWorker) console.log(`  inside the Worker (its log): request p50 ${r.insideWorker.requestP50} ms, of which the Xano call p50 ${r.insideWorker.xanoCallP50} ms`);
  }
  console.log(`\n  throughput, ${CONCURRENCY} clients: ${result.throughput.callsPerSecond} calls/s (p50 ${result.throughput.p50} ms, p95 ${result.throughput.p95} ms, ${result.throughput.failed} failed)`);
  for (const [name, s] of Object.entries(result.storms)) console.log(`  refresh storm (${name}): ${s.succeeded}/${s.calls} succeeded, ${s.upstreamRefreshes} upstream refresh(es)`);
  console.log(`  per read-tool call: ≤ ${result.storage.readToolKvReadsMax} KV read, ${result.storage.readToolStoreCallsMax} store hop; KV lists on tool calls: ${result.storage.toolCallKvListsMax}; requests that listed KV: ${result.storage.requestsThatListedKv.join(", ") || "none"}`);
  console.log("\n  targets:");
  for (const [name, t] of Object.entries(result.targets)) console.log(`    ${t.met ? "met " : "MISS"}  ${name}: ${t.target}; measured ${JSON.stringify(t.measured)}`);
  console.log("\n  written to bench-results/latest.json");
} catch (error) {
  console.error(`bench failed: ${error?.stack ?? error}`);
  process.exitCode = 1;
} finally {
  stop();
}
