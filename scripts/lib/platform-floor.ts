/**
 * The platform's own floor on this machine, for `npm run bench`: a hello-world Worker run by the
 * same `wrangler dev` and flags as the local stack (scripts/lib/local-stack.ts), in a temporary
 * folder. `GET /` answers a fixed body; `GET /logged` does the same after one `console.log` of a
 * JSON line the size of the Worker's `request` line, the one log line every request of ours
 * writes. The bench measures both beside its own floor (`GET /styles.css`), so a run shows how much
 * of the floor is wrangler dev itself, how much one log line costs under it, and how much is ours.
 * `GET /forward?to=<url>` makes the one upstream call a read tool makes (the caller's Authorization
 * passed on) and answers its body: the least any Worker that calls Xano can cost on this platform,
 * measured beside the read tool (a bench tool on loopback only; it forwards to whatever `to` names).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { freePorts } from "./local-stack";
import { waitFor } from "./wait-for";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const WORKER = `export default {
  async fetch(request) {
    const url = new URL(request.url);
    const route = url.pathname;
    if (route === "/forward") {
      const answer = await fetch(url.searchParams.get("to"), { headers: { authorization: request.headers.get("authorization") ?? "", accept: "application/json" } });
      return new Response(await answer.text(), { status: answer.status, headers: { "content-type": "application/json" } });
    }
    if (route === "/logged") console.log(JSON.stringify({ event: "request", at: new Date().toISOString(), requestId: crypto.randomUUID(), method: request.method, route, status: 200, durationMs: 0, kvReads: 0, kvWrites: 0, kvLists: 0, storeCalls: 0, limiterCalls: 0, xanoCalls: 0 }));
    return new Response("body{}", { headers: { "content-type": "text/css" } });
  },
};
`;

export interface PlatformFloorWorker {
  /** `http://localhost:<port>`: `/` answers without logging, `/logged` after one log line, `/forward?to=` forwards one GET. */
  url: string;
  /** wrangler's process group (its Node, its proxy workerd and the Worker's workerd), for CPU accounting. */
  processGroup: number;
  stop(): Promise<void>;
}

/** Starts the hello-world Worker under `wrangler dev` (the local stack's flags, its compatibility date) and waits until it answers. */
export async function startPlatformFloorWorker(timeoutMs = 90_000): Promise<PlatformFloorWorker> {
  const dir = mkdtempSync(join(tmpdir(), "xano-mcp-platform-floor-"));
  const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))?.[1] ?? "2026-04-20";
  writeFileSync(join(dir, "index.js"), WORKER);
  writeFileSync(join(dir, "wrangler.toml"), `name = "platform-floor"\nmain = "index.js"\ncompatibility_date = "${compatibilityDate}"\n`);
  const port = await freePorts(2);
  const args = ["dev", "--config", join(dir, "wrangler.toml"), "--port", String(port), "--ip", "localhost", "--show-interactive-dev-session=false", "--persist-to", join(dir, "state"), "--inspector-port", String(port + 1)];
  const child = spawn(join(ROOT, "node_modules/.bin/wrangler"), args, { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" } });
  let output = "";
  // Drain wrangler's output through a pipe, as the local stack does, keeping only its tail for a failed start.
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const exitCode = () => (child.exitCode === null && child.signalCode === null ? null : (child.exitCode ?? 1));
  const stop = async () => {
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, name);
      } catch {}
    };
    if (exitCode() === null && child.pid) {
      signal("SIGTERM");
      if (!(await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]))) {
        signal("SIGKILL");
        await exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://localhost:${port}`;
  try {
    await waitFor(`${url}/`, { what: "the hello-world Worker", timeoutMs, exited: exitCode, output: () => output });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, processGroup: child.pid ?? 0, stop };
}
