/**
 * Where the token CLI keeps a sign-in: one JSON file per server, readable by the user only (file
 * 0600, folder 0700), in XANO_MCP_CONFIG_DIR or the platform's config folder. Every write goes to a
 * temporary file in the same folder and is renamed over the old one, so a crash or a second process
 * never sees half a file, and a rotated refresh token is on disk before its access token is printed.
 *
 * The file holds the refresh token (the long-lived secret), the current access token and its expiry,
 * the client id this CLI registered at that server (reused by the next login) and the endpoints
 * found in the server's metadata at login (so `token` makes one request, not three).
 *
 * A refresh runs under a lock file beside the record (`withLock`): two scripts calling `token` at
 * once would otherwise both spend the same refresh token, and the server keeps only one successor
 * current, so the file could end up holding a refresh token the server no longer accepts.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CliError } from "./cli-error";

export interface StoredSignIn {
  /** The server's origin, e.g. `https://xano-mcp.example.workers.dev` (the OAuth resource). */
  server: string;
  /** The `resource` indicator sent at sign-in (the origin, or `<origin>/?toolsets=…`). */
  resource: string;
  clientId: string;
  /** Granted scopes, space-separated, as the token endpoint answered. */
  scope: string;
  /** The toolsets asked for with --toolsets (canonical), or null for the server's default. */
  toolsets: string | null;
  tokenEndpoint: string;
  revocationEndpoint: string | null;
  registrationEndpoint: string;
  refreshToken: string;
  accessToken: string;
  /** When the access token expires, in milliseconds since the epoch. */
  accessTokenExpiresAt: number;
}

/**
 * The config folder: XANO_MCP_CONFIG_DIR, else %APPDATA%\xano-mcp on Windows, ~/Library/Application
 * Support/xano-mcp on macOS, $XDG_CONFIG_HOME/xano-mcp or ~/.config/xano-mcp elsewhere.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.XANO_MCP_CONFIG_DIR) return env.XANO_MCP_CONFIG_DIR;
  if (platform === "win32") return join(env.APPDATA || join(home, "AppData", "Roaming"), "xano-mcp");
  if (platform === "darwin") return join(home, "Library", "Application Support", "xano-mcp");
  return join(env.XDG_CONFIG_HOME || join(home, ".config"), "xano-mcp");
}

/** `https://a.example:8443` → `https_a.example_8443.json`: one file per origin, readable in a listing. */
export function fileNameFor(server: string): string {
  const url = new URL(server);
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return `${url.protocol.replace(":", "")}_${url.hostname.replace(/[^a-zA-Z0-9.-]/g, "-")}_${port}.json`;
}

export class TokenStore {
  constructor(readonly dir: string = configDir()) {}

  pathFor(server: string): string {
    return join(this.dir, fileNameFor(server));
  }

  read(server: string): StoredSignIn | null {
    try {
      return JSON.parse(readFileSync(this.pathFor(server), "utf8")) as StoredSignIn;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw new Error(`Cannot read ${this.pathFor(server)}: ${(error as Error).message}`);
    }
  }

  /** Every stored sign-in (a file that does not parse is skipped). */
  list(): StoredSignIn[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => name.endsWith(".json"));
    } catch {
      return [];
    }
    const out: StoredSignIn[] = [];
    for (const name of names.sort()) {
      try {
        out.push(JSON.parse(readFileSync(join(this.dir, name), "utf8")) as StoredSignIn);
      } catch {}
    }
    return out;
  }

  /** Writes atomically: a 0600 temporary file beside the target, then rename over it. */
  write(record: StoredSignIn): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // mkdir's mode applies only to a folder it creates (and under the umask): tighten an existing one too.
    if (process.platform !== "win32") chmodSync(this.dir, 0o700);
    const target = this.pathFor(record.server);
    const temporary = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600, flag: "wx" });
      renameSync(temporary, target);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }

  /**
   * Runs `fn` while holding `<file>.lock` (created exclusively). Waits for another holder up to
   * `waitMs`; a lock older than `staleMs` is left over from a process that died and is taken over.
   */
  async withLock<T>(server: string, fn: () => Promise<T>, o: { waitMs?: number; staleMs?: number } = {}): Promise<T> {
    const lock = `${this.pathFor(server)}.lock`;
    const deadline = Date.now() + (o.waitMs ?? 20_000);
    for (;;) {
      try {
        closeSync(openSync(lock, "wx", 0o600));
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      try {
        if (Date.now() - statSync(lock).mtimeMs > (o.staleMs ?? 30_000)) rmSync(lock, { force: true });
      } catch {}
      if (Date.now() > deadline) throw new CliError(`Another xano-mcp-token is refreshing the token of ${server} (${lock}); try again`);
      await sleep(50 + Math.random() * 100);
    }
    try {
      return await fn();
    } finally {
      rmSync(lock, { force: true });
    }
  }

  delete(server: string): void {
    rmSync(this.pathFor(server), { force: true });
  }
}
