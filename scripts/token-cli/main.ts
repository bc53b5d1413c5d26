/**
 * `xano-mcp-token`: sign in to an xano-mcp server once, then print a fresh access token whenever a
 * script needs one (`Authorization: Bearer $(npx xano-mcp-token token)`). Parses the command line,
 * runs a subcommand (commands.ts) and turns any failure into one line on stderr and an exit code:
 * 0 done, 1 failed (sign in again, server unreachable, refused…), 2 wrong usage.
 */
import { parseArgs } from "node:util";
import { doctorMain } from "../lib/doctor-cli";
import { DEFAULT_LOGIN_TIMEOUT_MS, login, logout, status, token, type Context } from "./commands";
import { CliError } from "./cli-error";
import { TokenStore } from "./token-store";

const USAGE = `Usage: xano-mcp-token <command> [options]

Commands:
  login --server URL [--read-only] [--toolsets data,logic] [--no-browser] [--timeout SECONDS]
                      Sign in through the browser and keep the refresh token (in ${"$"}XANO_MCP_CONFIG_DIR
                      or your config folder, readable by you only)
  token [--server URL] Print a valid access token (refreshed when needed) and nothing else
  status [--server URL] Show where you are signed in
  logout [--server URL] Revoke the sign-in at the server and delete its file
  doctor --server URL [--json] [--origin ORIGIN] [--timeout SECONDS]
                      Check a deployment from outside, as an MCP client would (see doctor --help)

--server may be omitted after login when you are signed in to one server only.`;

/** `doctor --server URL [doctor options]` (or `doctor URL …`): the deployment doctor's own command line (scripts/lib/doctor-cli.ts), --server naming its URL. */
function doctor(argv: string[]): Promise<number> {
  return doctorMain(
    argv.filter((arg) => arg !== "--server"),
    { command: "npx xano-mcp-token doctor" },
  );
}

export async function main(argv: string[]): Promise<number> {
  const ctx: Context = {
    // A server that accepts the connection but never answers must not hang a script's `$(…)` forever.
    http: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(30_000) }),
    store: new TokenStore(),
    say: (line) => process.stderr.write(`${line}\n`),
    print: (line) => process.stdout.write(`${line}\n`),
    now: () => Date.now(),
  };
  const [command, ...rest] = argv;
  try {
    if (!command || command === "help" || command === "--help" || command === "-h") {
      (command ? ctx.print : ctx.say)(USAGE);
      return command ? 0 : 2;
    }
    if (command === "doctor") return await doctor(rest);
    if (!COMMANDS.includes(command)) throw new CliError(`Unknown command "${command}"; the commands are ${COMMANDS.join(", ")} (see xano-mcp-token --help)`, 2);
    const { values } = parseCommandLine(command, rest);
    switch (command) {
      case "login": {
        if (!values.server) throw new CliError("login needs --server URL (the xano-mcp server, e.g. https://xano-mcp.example.workers.dev)", 2);
        const seconds = values.timeout === undefined ? undefined : Number(values.timeout);
        if (seconds !== undefined && !(seconds > 0)) throw new CliError(`--timeout must be a number of seconds (got "${values.timeout}")`, 2);
        await login(ctx, {
          server: values.server,
          readOnly: values["read-only"] ?? false,
          toolsets: values.toolsets ?? null,
          browser: !(values["no-browser"] ?? false),
          timeoutMs: seconds === undefined ? DEFAULT_LOGIN_TIMEOUT_MS : seconds * 1000,
        });
        break;
      }
      case "token":
        await token(ctx, { server: values.server });
        break;
      case "status":
        await status(ctx, { server: values.server });
        break;
      case "logout":
        await logout(ctx, { server: values.server });
        break;
    }
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      ctx.say(`xano-mcp-token: ${error.message}`);
      return error.exitCode;
    }
    ctx.say(`xano-mcp-token: unexpected error: ${(error as Error)?.stack ?? error}`);
    return 1;
  }
}

const COMMANDS = ["login", "token", "status", "logout", "doctor"];
const LOGIN_OPTIONS = ["server", "read-only", "toolsets", "no-browser", "timeout"];

function parseCommandLine(command: string, args: string[]) {
  try {
    const parsed = parseArgs({
      args,
      strict: true,
      options: {
        server: { type: "string" },
        "read-only": { type: "boolean" },
        toolsets: { type: "string" },
        "no-browser": { type: "boolean" },
        timeout: { type: "string" },
      },
    });
    const extra = Object.keys(parsed.values).filter((name) => command !== "login" && name !== "server");
    if (extra.length > 0) throw new CliError(`--${extra[0]} is an option of login only`, 2);
    return parsed;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${(error as Error).message} (options: ${LOGIN_OPTIONS.map((o) => `--${o}`).join(" ")}; see --help)`, 2);
  }
}
