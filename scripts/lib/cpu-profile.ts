/**
 * A CPU profile of the Worker under `wrangler dev`, taken through its DevTools inspector port
 * (Chrome DevTools Protocol over a WebSocket: Profiler.start / Profiler.stop), and summarised as
 * self time per bucket: our own modules by file, dependencies by package, V8's own entries
 * ("(garbage collector)", "(program)", "(idle)") as they are. `npm run bench` uses it with
 * BENCH_PROFILE=1 to say where the Worker's CPU goes during a run of tool calls; Worker clocks
 * stand still between I/O, so a profile is the only in-Worker view of CPU time.
 */
import { writeFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface CpuBucket {
  bucket: string;
  ms: number;
  share: number;
}

export interface CpuSummary {
  /** Sampled time, idle excluded. */
  busyMs: number;
  idleMs: number;
  buckets: CpuBucket[];
  /** The functions with the most self time (name and bucket). */
  functions: CpuBucket[];
  /** The functions with the most time spent in them or in what they called. */
  inclusive: CpuBucket[];
}

/** Runs `work` while the Worker's CPU is profiled; returns the summary. */
export async function profileWorker(inspectorPort: number, work: () => Promise<void>): Promise<CpuSummary> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as Array<{ webSocketDebuggerUrl?: string; title?: string }>;
  const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspectable Worker on port ${inspectorPort}`);
  // The inspector proxy wants a local Origin (undici accepts headers beside the standard arguments).
  const socket = new WebSocket(url, { headers: { Origin: "http://localhost" } } as unknown as string[]);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("error", () => reject(new Error(`inspector WebSocket ${url} failed`)), { once: true });
  });
  let nextId = 0;
  const pending = new Map<number, (result: any) => void>();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data));
    if (message.id !== undefined) pending.get(message.id)?.(message.result ?? { error: message.error });
  });
  const send = (method: string, params: Record<string, unknown> = {}): Promise<any> =>
    new Promise((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await send("Profiler.enable");
    await send("Profiler.setSamplingInterval", { interval: 500 });
    await send("Profiler.start");
    await work();
    const { profile } = (await send("Profiler.stop")) as { profile: Profile };
    // The whole profile, for DevTools (Performance → Load profile) or further analysis.
    if (process.env.BENCH_PROFILE_OUT) writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(profile));
    return summarise(profile);
  } finally {
    socket.close();
  }
}

function bucketOf(frame: ProfileNode["callFrame"]): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  const ours = /\/(src|fake-xano)\/(.+?)(\?.*)?$/.exec(url);
  return ours ? `${ours[1]}/${ours[2]}` : url.replace(/^.*\//, "");
}

function summarise(profile: Profile): CpuSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const buckets = new Map<string, number>();
  const functions = new Map<string, number>();
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const label = (frame: ProfileNode["callFrame"]) => `${frame.functionName || "(anonymous)"} [${bucketOf(frame)}:${frame.lineNumber + 1}]`;
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    if (byId.get(id)!.callFrame.functionName === "(idle)") continue;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) seen.add(label(byId.get(at)!.callFrame));
    for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + us);
  }
  let idle = 0;
  let busy = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === "(idle)") {
      idle += us;
      continue;
    }
    busy += us;
    const bucket = bucketOf(frame);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);
    const fn = label(frame);
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const ranked = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([bucket, us]) => ({ bucket, ms: Math.round(us / 10) / 100, share: Math.round((us / busy) * 1000) / 10 }));
  return { busyMs: Math.round(busy / 1000), idleMs: Math.round(idle / 1000), buckets: ranked(buckets, 20), functions: ranked(functions, 25), inclusive: ranked(inclusive, 200) };
}
