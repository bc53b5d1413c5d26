/**
 * The local stack: fake-xano (`tsx fake-xano/serve.ts`), the fake upstream MCP server
 * (`tsx fake-upstream-mcp/serve.ts`, configured as UPSTREAM_MCP_SERVERS `demo`, `demo-desk` and, on the
 * next port, `demo-oauth` with its own authorization server) and
 * the Worker under `wrangler dev` pointed at them, each in its own process group, started and stopped from code. The one launcher behind
 * `npm run dev` (scripts/dev.ts), the browser tests (tests/node/browser.test.ts), `npm run
 * conformance` (scripts/conformance.ts) and `npm run bench` (scripts/bench.ts).
 *
 * By default it picks free loopback ports and keeps the Worker's Durable Object/KV state in a fresh
 * temporary folder (runs never see each other's grants, nor `.wrangler/state` of a running `npm run
 * dev`); `npm run dev` asks for its fixed ports and the project's state instead. Every stack gets
 * the same Worker variables (those of `npm run dev`: debug tools on, the MCP Inspector's origin
 * allowed), plus the caller's.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { waitFor } from "./wait-for";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The MCP Inspector in direct mode calls /mcp from this origin's page. */
export const INSPECTOR_ORIGIN = "http://localhost:6274";

export type StackProcess = "fake-xano" | "fake-upstream-mcp" | "worker";

export interface LocalStackOptions {
  /** The Worker's port (default: a free one). */
  workerPort?: number;
  /** fake-xano's account port; its instances use the next two (default: three free ones). */
  fakeXanoPort?: number;
  /** The fake upstream MCP server's port, its OAuth mode on the next one (default: two free ones). */
  fakeUpstreamPort?: number;
  /** Where wrangler keeps Durable Object/KV state: a fresh temporary folder, or the project's `.wrangler/state`. */
  state?: "temporary" | "project";
  /** Worker variables on top of the stack's own. */
  vars?: Record<string, string>;
  timeoutMs?: number;
  /** wrangler's DevTools inspector port (default: a free one; the bench's CPU profile connects to it). */
  inspectorPort?: number;
  /** Every line either process prints (to show them, or to read the Worker's log). */
  onLine?: (from: StackProcess, line: string) => void;
}

export interface LocalStack {
  /** The Worker's public origin, `http://localhost:<port>` (PUBLIC_URL: tokens are bound to it). */
  publicUrl: string;
  /** fake-xano's account API, OAuth server and admin (`/__admin/…`). */
  accountUrl: string;
  /** fake-xano's shared instance (Meta API, app auth), for the Metadata-API-token sign-in. */
  instanceUrl: string;
  /** The fake upstream MCP server's origin (fake-upstream-mcp/README.md). */
  upstreamUrl: string;
  /** The fake upstream in OAuth mode: its MCP server (/mcp) and authorization server (/__admin/… knobs). */
  oauthUpstreamUrl: string;
  /** Settles when either process exits other than through stop(). */
  exited: Promise<{ from: StackProcess; code: number | null }>;
  /** The last output of both processes, for a failure message. */
  output(): string;
  /** Each process's group id (it and what it started: wrangler's is workerd's too), for CPU accounting. */
  processGroups: Record<StackProcess, number>;
  stop(): Promise<void>;
}

/** A loopback port nobody listens on right now (a race with other processes is possible but rare). */
async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** `count` consecutive free ports, none of them in `avoid`. */
export async function freePorts(count: number, avoid: number[] = []): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if (ports.some((p) => avoid.includes(p))) continue;
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error("No free loopback ports found");
}

interface Started {
  child: ChildProcess;
  exitCode(): number | null;
  stop(): Promise<void>;
}

/** Starts a process in its own group, so stop() ends it and whatever it started (workerd), and nothing else. */
function startProcess(from: StackProcess, command: string, args: string[], env: Record<string, string>, onLine: (from: StackProcess, line: string) => void): Started {
  const child = spawn(command, args, { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  for (const stream of [child.stdout!, child.stderr!]) {
    let partial = "";
    stream.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop()!;
      for (const line of lines) onLine(from, line);
    });
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    exitCode: () => (running() ? null : (child.exitCode ?? 1)),
    async stop() {
      if (!running() || !child.pid) return;
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, name);
        } catch {}
      };
      signal("SIGTERM");
      if (!(await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]))) {
        signal("SIGKILL");
        await exited;
      }
    },
  };
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const fakePort = options.fakeXanoPort ?? (await freePorts(3, options.workerPort ? [options.workerPort] : []));
  const workerPort = options.workerPort ?? (await freePorts(1, [fakePort, fakePort + 1, fakePort + 2]));
  const upstreamPort = options.fakeUpstreamPort ?? (await freePorts(2, [fakePort, fakePort + 1, fakePort + 2, workerPort]));
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
  const oauthUpstreamUrl = `http://127.0.0.1:${upstreamPort + 1}`;
  const accountUrl = `http://127.0.0.1:${fakePort}`;
  const instanceUrl = `http://127.0.0.1:${fakePort + 1}`;
  const publicUrl = `http://localhost:${workerPort}`;
  const state = options.state === "project" ? undefined : mkdtempSync(join(tmpdir(), "xano-mcp-stack-"));

  let log = "";
  const onLine = (from: StackProcess, line: string) => {
    log = `${log}[${from}] ${line}\n`.slice(-20_000);
    options.onLine?.(from, line);
  };
  const bin = (name: string) => join(ROOT, "node_modules/.bin", name);
  const started: Started[] = [];
  let stopping = false;
  let reportExit!: (exit: { from: StackProcess; code: number | null }) => void;
  const exited = new Promise<{ from: StackProcess; code: number | null }>((resolve) => (reportExit = resolve));
  const start = (from: StackProcess, command: string, args: string[], env: Record<string, string>) => {
    const proc = startProcess(from, command, args, env, onLine);
    proc.child.once("exit", (code) => stopping || reportExit({ from, code }));
    started.push(proc);
    return proc;
  };
  const stop = async () => {
    stopping = true;
    await Promise.all(started.map((p) => p.stop()));
    if (state) rmSync(state, { recursive: true, force: true });
  };

  const timeoutMs = options.timeoutMs ?? 90_000;
  const processGroups = {} as Record<StackProcess, number>;
  try {
    const fake = start("fake-xano", bin("tsx"), ["fake-xano/serve.ts"], { FAKE_XANO_PORT: String(fakePort) });
    processGroups["fake-xano"] = fake.child.pid ?? 0;
    await waitFor(`${accountUrl}/.well-known/oauth-authorization-server`, { what: "fake-xano", timeoutMs, exited: fake.exitCode, output: () => log });
    const upstream = start("fake-upstream-mcp", bin("tsx"), ["fake-upstream-mcp/serve.ts"], { FAKE_UPSTREAM_PORT: String(upstreamPort) });
    processGroups["fake-upstream-mcp"] = upstream.child.pid ?? 0;
    await waitFor(`${upstreamUrl}/mcp`, { what: "the fake upstream MCP server", timeoutMs, exited: upstream.exitCode, output: () => log });
    await waitFor(`${oauthUpstreamUrl}/.well-known/oauth-authorization-server`, { what: "the fake upstream MCP server's authorization server", timeoutMs, exited: upstream.exitCode, output: () => log });
    const vars: Record<string, string> = {
      PUBLIC_URL: publicUrl,
      XANO_ACCOUNT_URL: accountUrl,
      XANO_AUTH_URL: `${instanceUrl}/api:auth`,
      DEBUG_TOOLS: "true",
      ALLOWED_ORIGINS: INSPECTOR_ORIGIN,
      UPSTREAM_MCP_SERVERS: JSON.stringify(demoUpstreamServers(upstreamUrl, oauthUpstreamUrl)),
      ...options.vars,
    };
    const args = ["dev", "--port", String(workerPort), "--ip", "localhost", "--show-interactive-dev-session=false"];
    if (state) args.push("--persist-to", state);
    // A free inspector port too, so a stack beside `npm run dev` (which keeps wrangler's 9229) does not collide with it.
    if (options.inspectorPort) args.push("--inspector-port", String(options.inspectorPort));
    else if (state) args.push("--inspector-port", String(await freePorts(1, [fakePort, fakePort + 1, fakePort + 2, workerPort, upstreamPort, upstreamPort + 1])));
    for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
    const worker = start("worker", bin("wrangler"), args, { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" });
    processGroups.worker = worker.child.pid ?? 0;
    await waitFor(`${publicUrl}/.well-known/oauth-authorization-server`, { what: "the Worker", timeoutMs, exited: worker.exitCode, output: () => log });
  } catch (error) {
    await stop();
    throw error;
  }
  return { publicUrl, accountUrl, instanceUrl, upstreamUrl, oauthUpstreamUrl, exited, output: () => log, processGroups, stop };
}

/** The demo upstream servers every local stack serves: /servers/demo/mcp (auth none), /servers/demo-desk/mcp (bearer), /servers/demo-oauth/mcp (oauth). */
export function demoUpstreamServers(upstreamUrl: string, oauthUpstreamUrl: string) {
  return [
    { name: "demo", title: "Demo support desk (open)", url: `${upstreamUrl}/public/mcp`, auth: "none" },
    { name: "demo-desk", title: "Demo support desk", url: `${upstreamUrl}/mcp`, auth: "bearer" },
    { name: "demo-oauth", title: "Demo support desk (own sign-in)", url: `${oauthUpstreamUrl}/mcp`, auth: "oauth" },
  ];
}
