/**
 * A fake `wrangler` for the setup and deploy script tests: a small Node program written into a temp
 * folder that goes first on PATH. It keeps an account's state (login, KV namespaces, secrets,
 * deploys) in a JSON file, records every call (argv and stdin) to a log, and prints what wrangler
 * 4.86 prints for the same commands, so the scripts are tested against wrangler's real output shapes.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

export interface FakeAccountState {
  loggedIn: boolean;
  email?: string;
  accounts?: { id: string; name: string }[];
  namespaces: { id: string; title: string }[];
  secrets: Record<string, string>;
  deploys: number;
  workerSubdomain?: string;
  /** Makes the named command ("kv namespace create", "secret put", "deploy") fail like the API would. */
  failing?: string;
}

export interface WranglerCall {
  argv: string[];
  stdin: string;
  cwd: string;
  accountId?: string;
}

const PROGRAM = String.raw`#!/usr/bin/env node
const fs = require("node:fs");
const crypto = require("node:crypto");
const dir = __dirname;
const statePath = dir + "/state.json";
const state = JSON.parse(fs.readFileSync(statePath, "utf8"));
const argv = process.argv.slice(2);
const save = () => fs.writeFileSync(statePath, JSON.stringify(state, null, 2));
const words = argv.filter((a) => !a.startsWith("-"));
const command = words.slice(0, 3).join(" ");
const banner = " ⛅️ wrangler 4.86.0\n───────────────────\n";
const fail = (message, code = 1) => {
  process.stderr.write("✘ [ERROR] " + message + "\n");
  process.exit(code);
};
const needLogin = () => {
  if (!state.loggedIn) fail("You are not authenticated. Please run \`wrangler login\`.");
};

let stdin = "";
try { stdin = process.stdin.isTTY ? "" : fs.readFileSync(0, "utf8"); } catch {}
fs.appendFileSync(dir + "/calls.jsonl", JSON.stringify({ argv, stdin, cwd: process.cwd(), accountId: process.env.CLOUDFLARE_ACCOUNT_ID }) + "\n");

if (argv[0] === "--version") {
  process.stdout.write("4.86.0\n");
} else if (argv[0] === "whoami" && argv.includes("--json")) {
  if (!state.loggedIn) {
    process.stdout.write(JSON.stringify({ loggedIn: false }) + "\n");
    process.exit(1);
  }
  process.stdout.write(JSON.stringify({ loggedIn: true, authType: "OAuth Token", email: state.email, accounts: state.accounts, tokenPermissions: [] }) + "\n");
} else if (command.startsWith("kv namespace list")) {
  needLogin();
  process.stdout.write(JSON.stringify(state.namespaces.map((n) => ({ ...n, supports_url_encoding: true })), null, "  ") + "\n");
} else if (command.startsWith("kv namespace create")) {
  needLogin();
  const title = words[3];
  process.stdout.write(banner + "Resource location: remote\n🌀 Creating namespace with title \"" + title + "\"\n");
  if (state.failing === "kv namespace create") fail("A request to the Cloudflare API (/accounts/abc/storage/kv/namespaces) failed.\n  You have reached the maximum number of namespaces. [code: 10026]");
  if (state.namespaces.some((n) => n.title === title)) fail("A KV namespace with the title \"" + title + "\" already exists.");
  const id = crypto.randomBytes(16).toString("hex");
  state.namespaces.push({ id, title });
  save();
  process.stdout.write("✨ Success!\nTo access your new KV Namespace in your Worker, add the following snippet to your configuration file:\n[[kv_namespaces]]\nbinding = \"" + title.replace(/-/g, "_") + "\"\nid = \"" + id + "\"\n");
} else if (command.startsWith("secret list")) {
  needLogin();
  if (state.deploys === 0 && Object.keys(state.secrets).length === 0) fail("A request to the Cloudflare API failed.\n  This Worker does not exist on your account. [code: 10007]");
  process.stdout.write(JSON.stringify(Object.keys(state.secrets).map((name) => ({ name, type: "secret_text" }))) + "\n");
} else if (command.startsWith("secret put")) {
  needLogin();
  if (state.failing === "secret put") fail("A request to the Cloudflare API failed. [code: 10000]");
  state.secrets[words[2]] = stdin.trim();
  save();
  process.stdout.write(banner + "🌀 Creating the secret for the Worker \"xano-mcp\"\n✨ Success! Uploaded secret " + words[2] + "\n");
} else if (argv[0] === "deploy") {
  needLogin();
  if (state.failing === "deploy") fail("Uncaught Error: xano-mcp cannot start: invalid configuration. [code: 10021]");
  state.deploys += 1;
  save();
  process.stdout.write(banner + "Total Upload: 3755.18 KiB / gzip: 723.74 KiB\nUploaded xano-mcp (4.12 sec)\nDeployed xano-mcp triggers (0.31 sec)\n  https://xano-mcp." + (state.workerSubdomain || "example") + ".workers.dev\nCurrent Version ID: 00000000-0000-0000-0000-000000000000\n");
} else {
  fail("The fake wrangler does not know: " + argv.join(" "));
}
`;

export class FakeWrangler {
  readonly binDir: string;

  constructor(root: string, state: Partial<FakeAccountState> = {}) {
    this.binDir = join(root, "fake-bin");
    mkdirSync(this.binDir, { recursive: true });
    const program = join(this.binDir, "wrangler");
    writeFileSync(program, PROGRAM);
    chmodSync(program, 0o755);
    this.setState({ loggedIn: true, email: "owner@example.com", accounts: [{ id: "acc123", name: "Owner's account" }], namespaces: [], secrets: {}, deploys: 0, ...state });
  }

  get state(): FakeAccountState {
    return JSON.parse(readFileSync(join(this.binDir, "state.json"), "utf8"));
  }

  setState(state: FakeAccountState) {
    writeFileSync(join(this.binDir, "state.json"), JSON.stringify(state, null, 2));
  }

  update(change: Partial<FakeAccountState>) {
    this.setState({ ...this.state, ...change });
  }

  calls(): WranglerCall[] {
    const log = join(this.binDir, "calls.jsonl");
    if (!existsSync(log)) return [];
    return readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));
  }

  clearCalls() {
    writeFileSync(join(this.binDir, "calls.jsonl"), "");
  }

  /** PATH with the fake first (before node_modules/.bin, which npx and npm run add). */
  path(): string {
    return `${this.binDir}:${process.env.PATH}`;
  }
}
