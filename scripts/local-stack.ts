/**
 * The local stack of `npm run dev` (fake-xano + the Worker under `wrangler dev`), started from code
 * for the browser tests (tests/node/browser.test.ts) and the MCP conformance run (scripts/conformance.ts).
 *
 * Unlike `npm run dev` it picks free loopback ports, keeps its Durable Object/KV state in a fresh
 * temporary folder (so runs never see each other's grants, and never touch `.wrangler/state` of a
 * running `npm run dev`), runs fake-xano in this process, and stops everything it started.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { startFakeXanoServer, type FakeXanoServer } from "../fake-xano/serve";
import { SHARED_INSTANCE } from "../fixtures/seed";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface LocalStack {
  /** The Worker's public origin, `http://localhost:<port>` (PUBLIC_URL: tokens are bound to it). */
  publicUrl: string;
  /** fake-xano's shared instance (Meta API), for the Metadata-API-token sign-in. */
  instanceUrl: string;
  fakeXano: FakeXanoServer;
  /** What wrangler printed, for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

/** A loopback port nobody listens on right now (a race with other processes is possible but rare). */
async function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** `count` consecutive free ports (fake-xano serves its account and two instances on port, port+1, port+2). */
async function freePorts(count: number, avoid: Set<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if (ports.some((p) => avoid.has(p))) continue;
    const free = await Promise.all(ports.map((p) => isFree(p, "127.0.0.1")));
    if (free.every(Boolean)) return base;
  }
  throw new Error("No free loopback ports found");
}

async function waitFor(url: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {}
    await sleep(200);
  }
  throw new Error(`The Worker did not answer ${url} within ${timeoutMs / 1000}s:\n${output()}`);
}

export async function startLocalStack({ timeoutMs = 60_000 }: { timeoutMs?: number } = {}): Promise<LocalStack> {
  const fakePort = await freePorts(3);
  const fakeXano = await startFakeXanoServer({ port: fakePort });
  const taken = new Set([fakePort, fakePort + 1, fakePort + 2]);
  const workerPort = await freePorts(1, taken);
  taken.add(workerPort);
  const inspectorPort = await freePorts(1, taken);
  const publicUrl = `http://localhost:${workerPort}`;
  const instanceUrl = fakeXano.instanceOrigins[SHARED_INSTANCE];
  const state = mkdtempSync(join(tmpdir(), "xano-mcp-stack-"));

  // The same variables as scripts/dev.mjs, on our ports.
  const args = [
    "dev",
    "--port", String(workerPort),
    "--ip", "localhost",
    "--inspector-port", String(inspectorPort),
    "--persist-to", state,
    "--show-interactive-dev-session=false",
    "--var", `PUBLIC_URL:${publicUrl}`,
    "--var", `XANO_ACCOUNT_URL:${fakeXano.accountOrigin}`,
    "--var", `XANO_AUTH_URL:${instanceUrl}/api:auth`,
    "--var", "DEBUG_TOOLS:true",
  ];
  // Its own process group, so stop() ends wrangler and the workerd it starts, and nothing else.
  const child = spawn(join(ROOT, "node_modules/.bin/wrangler"), args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" },
  });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
      const killed = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!killed) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
        await exited;
      }
    }
    await fakeXano.close();
    rmSync(state, { recursive: true, force: true });
  };

  try {
    await waitFor(`${publicUrl}/.well-known/oauth-authorization-server`, child, timeoutMs, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { publicUrl, instanceUrl, fakeXano, output: () => log, stop };
}
