/**
 * Runs `wrangler` (the one on PATH: under `npm run`, the project's own) and turns every way it can
 * fail into a message a person can act on: not installed, not logged in, or a command that failed,
 * shown with its own error output.
 */
import { spawn } from "node:child_process";

export class WranglerError extends Error {
  /** @param {string} message what went wrong and what to do */
  constructor(message) {
    super(message);
    this.name = "WranglerError";
  }
}

/**
 * Runs `wrangler ...args`. `input` goes to its stdin (how secrets are passed: never on the command
 * line, where other users of the machine and shell history could see them).
 * Resolves { code, stdout, stderr }; rejects with a WranglerError only when wrangler cannot be started.
 */
export function runWrangler(args, { input, env = {}, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn("wrangler", args, {
      cwd,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", ...env },
      stdio: ["pipe", "pipe", "pipe"],
      shell: process.platform === "win32",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (error) => {
      if (error.code === "ENOENT") {
        reject(
          new WranglerError(
            "wrangler (Cloudflare's command-line tool) was not found.\n" +
              "  What to do: run `npm install` in this folder (it installs wrangler), then start again with `npm run setup`.",
          ),
        );
      } else reject(new WranglerError(`wrangler could not be started: ${error.message}`));
    });
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.on("error", () => {}); // a command that exits without reading its input
    child.stdin.end(input ?? "");
  });
}

/** Like runWrangler, but a non-zero exit becomes a WranglerError naming the command and its output. */
export async function runWranglerOrFail(args, options = {}, whatToDo = "") {
  const result = await runWrangler(args, options);
  if (result.code !== 0) throw commandFailed(args, result, whatToDo);
  return result;
}

export function commandFailed(args, { code, stdout, stderr }, whatToDo = "") {
  const output = (stderr.trim() || stdout.trim() || "(no output)")
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
  return new WranglerError(
    `\`wrangler ${args.join(" ")}\` failed (exit code ${code}). It said:\n${output}\n` +
      `  What to do: ${whatToDo || "read the message above; fix what it names and run `npm run setup` again (it is safe to re-run)."}`,
  );
}

/** Parses the JSON a wrangler command printed, ignoring any banner lines before it. */
export function parseJsonOutput(stdout) {
  const start = stdout.search(/[[{]/);
  if (start === -1) throw new Error("no JSON in wrangler's output");
  return JSON.parse(stdout.slice(start));
}
