/**
 * The doctor's command line, shared by `npm run doctor -- URL` (scripts/doctor.ts) and any other
 * CLI that offers a `doctor` command: reads the arguments, runs the doctor (doctor.ts), prints one
 * line per finding (✓ ok, ! warning, ✗ failure, with its time and what to do) or, with
 * --json, the report as JSON; returns the exit code: 0 a client can connect (perhaps with
 * warnings), 1 it cannot, 2 usage error. Prints only what the deployment publishes; the doctor
 * sends no credentials and accepts none.
 */
import type { Fetch } from "./oauth-http-client";
import { DEFAULT_TIMEOUT_MS, parseTarget, runDoctor, type DoctorReport, type FindingStatus } from "./doctor";

export const doctorUsage = (command = "npm run doctor --") => `Usage: ${command} <deployment URL> [--json] [--origin <origin>] [--timeout <seconds>]

Checks a running xano-mcp deployment from outside, as an MCP client would, and says whether a
client can connect. It only reads: nothing is registered or stored.

  <deployment URL>     the Worker's address, e.g. https://xano-mcp.example.workers.dev
                       (a path such as /mcp is ignored)
  --json               print the report as JSON
  --origin <origin>    the Origin for the CORS checks, e.g. a browser-based client's page
                       (default: the deployment's own)
  --timeout <seconds>  per request (default ${DEFAULT_TIMEOUT_MS / 1000})

Exit code: 0 a client can connect (perhaps with warnings), 1 it cannot, 2 usage error.`;

export interface DoctorArgs {
  url: string;
  json: boolean;
  origin?: string;
  timeoutMs: number;
}

export function parseDoctorArgs(argv: readonly string[]): { ok: true; args: DoctorArgs } | { ok: false; help?: true; message?: string } {
  const rest = [...argv];
  let url: string | undefined;
  let json = false;
  let origin: string | undefined;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  while (rest.length) {
    const arg = rest.shift()!;
    const value = () => {
      const next = rest.shift();
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    try {
      if (arg === "--help" || arg === "-h") return { ok: false, help: true };
      else if (arg === "--json") json = true;
      else if (arg === "--origin") {
        const given = value();
        const parsed = parseTarget(given);
        if (!parsed.ok || new URL(given).origin !== given.replace(/\/$/, "")) throw new UsageError(`--origin must be an origin like https://app.example.com (scheme, host and port only)`);
        origin = parsed.origin;
      } else if (arg === "--timeout") {
        const seconds = Number(value());
        if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 300) throw new UsageError("--timeout must be a number of seconds between 0 and 300");
        timeoutMs = Math.round(seconds * 1000);
      } else if (arg.startsWith("-")) throw new UsageError(`Unknown option ${arg.slice(0, 40)}`);
      else if (url !== undefined) throw new UsageError("Give one deployment URL");
      else url = arg;
    } catch (error) {
      if (error instanceof UsageError) return { ok: false, message: error.message };
      throw error;
    }
  }
  const target = parseTarget(url);
  if (!target.ok) return { ok: false, message: target.message };
  return { ok: true, args: { url: target.origin, json, origin, timeoutMs } };
}

class UsageError extends Error {}

const MARK: Record<FindingStatus, string> = { ok: "✓", warn: "!", fail: "✗" };

export function formatReport(report: DoctorReport): string {
  const lines = [`Checking ${report.target}`];
  for (const finding of report.findings) {
    lines.push(`${MARK[finding.status]} ${finding.id}: ${finding.summary}${finding.ms !== undefined ? ` (${finding.ms} ms)` : ""}`);
    if (finding.advice && (finding.status === "warn" || finding.status === "fail")) lines.push(`    → ${finding.advice}`);
  }
  const count = (status: FindingStatus) => report.findings.filter((f) => f.status === status).length;
  const warnings = count("warn");
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  lines.push(
    report.canConnect
      ? `A client can connect to ${report.target}/mcp${warnings ? `, with ${plural(warnings, "warning")}` : ""} (${report.totalMs} ms).`
      : `A client cannot connect: ${plural(count("fail"), "problem")} to fix (✗ above)${warnings ? ` and ${plural(warnings, "warning")}` : ""} (${report.totalMs} ms).`,
  );
  return lines.join("\n");
}

export interface DoctorIo {
  fetch?: Fetch;
  out?: (text: string) => void;
  err?: (text: string) => void;
  /** How the usage line names the command (default "npm run doctor --"). */
  command?: string;
}

/** Runs the doctor for a command line; resolves to the exit code. */
export async function doctorMain(argv: readonly string[], io: DoctorIo = {}): Promise<0 | 1 | 2> {
  const out = io.out ?? ((text) => console.log(text));
  const err = io.err ?? ((text) => console.error(text));
  const parsed = parseDoctorArgs(argv);
  if (!parsed.ok) {
    if (parsed.help) {
      out(doctorUsage(io.command));
      return 0;
    }
    err(`${parsed.message}.\n\n${doctorUsage(io.command)}`);
    return 2;
  }
  const { url, json, origin, timeoutMs } = parsed.args;
  const report = await runDoctor(url, { fetch: io.fetch, origin, timeoutMs });
  out(json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.exitCode;
}
