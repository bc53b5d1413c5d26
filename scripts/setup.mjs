#!/usr/bin/env node
/**
 * `npm run setup`: prepares a Cloudflare account for this server, step by step, and says what it
 * changes. Safe to run again: what is already in place is kept and reported as such.
 *
 *   npm run setup                                   asks its questions
 *   npm run setup -- --yes --public-url https://…   no questions (scripts, CI); flags below
 *   npm run setup -- --dry-run                      shows every command and file change, runs none
 *
 * Steps: Node version → wrangler login → KV namespace(s) (created or reused, id written into
 * wrangler.toml) → Xano settings (checked with the Worker's own rules, src/config.ts) → [vars] in
 * wrangler.toml → secrets (generated, stored with `wrangler secret put` on stdin) → deploy (optional),
 * then the MCP URL and how to add it to each client.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { SIGN_IN_METHODS, DEFAULTS, checkVars, isLoopbackUrl, problemsAbout, withoutHowToSet } from "./lib/config-rules.mjs";
import { connectInstructions } from "./lib/connect-instructions.mjs";
import { lineDiff } from "./lib/line-diff.mjs";
import { Prompter } from "./lib/prompter.mjs";
import { WranglerError, commandFailed, parseJsonOutput, runWrangler } from "./lib/wrangler-cli.mjs";
import { WranglerToml } from "./lib/wrangler-toml.mjs";

const HELP = `Usage: npm run setup [-- options]

  --yes                        answer no questions: take values from the flags below, keep the rest
  --dry-run                    print every command and file change without running or writing anything
  --public-url URL             this server's public https address, e.g. https://xano-mcp.you.workers.dev
  --sign-in-methods LIST       comma list of ${SIGN_IN_METHODS.join(", ")}
  --xano-account-url URL       Xano's account API and OAuth server (default ${DEFAULTS.XANO_ACCOUNT_URL})
  --xano-auth-url URL          your Xano app's auth API group (needed for app_auth)
  --xano-oauth-client-id ID    a client id registered with Xano's OAuth server (default: automatic)
  --token-ttl SECONDS          lifetime of MCP access tokens (default ${DEFAULTS.OAUTH_TOKEN_TTL}, at least ${DEFAULTS.MIN_OAUTH_TOKEN_TTL})
  --account-id ID              the Cloudflare account to use, when your login has several
  --deploy                     deploy at the end (with --yes; otherwise the wizard asks)
  --config PATH                the wrangler configuration (default ./wrangler.toml)
  --help                       this text`;

const METHOD_HELP = {
  xano_oauth: "Sign in with Xano (OAuth with Xano's own server; access renews itself)",
  metadata_token: "Metadata API token (the person pastes an instance URL and a token)",
  app_auth: "Email and password against your Xano app's auth API group (needs its URL)",
};

const VAR_COMMENTS = {
  PUBLIC_URL: "The public origin clients connect to (no trailing slash). Every MCP token is bound to it (RFC 8707).",
  XANO_ACCOUNT_URL: "Xano's account API and OAuth server.",
  SIGN_IN_METHODS: `Sign-in methods offered, in order (${SIGN_IN_METHODS.join(", ")}).`,
  XANO_AUTH_URL: "Base of your Xano app's auth API group; enables email/password sign-in (app_auth).",
  XANO_OAUTH_CLIENT_ID: "A client id registered with Xano's OAuth server (unset: registered automatically).",
  OAUTH_TOKEN_TTL: "Lifetime of MCP access tokens, in seconds (min 3600).",
};

const STEPS = [
  "Checking Node.js",
  "Checking the Cloudflare login",
  "KV storage",
  "Xano and server settings",
  "Writing settings to wrangler.toml",
  "Secrets",
  "Deploying",
];

class SetupError extends Error {}

const out = (line = "") => process.stdout.write(`${line}\n`);
const detail = (line) => out(`      ${line}`);
let stepNumber = 0;
function step(title) {
  stepNumber += 1;
  out(`\n[${stepNumber}/${STEPS.length}] ${title}…`);
}

async function main() {
  const { values: flags } = parseArgs({
    options: {
      yes: { type: "boolean", short: "y" },
      "dry-run": { type: "boolean" },
      "public-url": { type: "string" },
      "sign-in-methods": { type: "string" },
      "xano-account-url": { type: "string" },
      "xano-auth-url": { type: "string" },
      "xano-oauth-client-id": { type: "string" },
      "token-ttl": { type: "string" },
      "account-id": { type: "string" },
      deploy: { type: "boolean" },
      config: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (flags.help) return out(HELP);

  const dryRun = Boolean(flags["dry-run"]);
  const configPath = resolve(flags.config ?? "wrangler.toml");
  if (!existsSync(configPath)) throw new SetupError(`${configPath} does not exist. Run \`npm run setup\` in the project folder (the one with wrangler.toml).`);
  const originalText = readFileSync(configPath, "utf8");
  const toml = new WranglerToml(originalText);
  const workerName = toml.workerName() ?? "xano-mcp";
  const prompter = flags.yes ? null : new Prompter();
  // Without questions, the flags are checked before anything is touched: a typo changes nothing.
  const fromFlags = prompter ? null : settingsFromFlags(flags, new WranglerToml(originalText).vars(), workerName);
  const env = {};
  const changes = [];
  let written = originalText;

  out(`xano-mcp setup${dryRun ? " (dry run: nothing is run or written)" : ""} for the Worker "${workerName}" (${configPath})`);

  // Commands about this Worker or account name the configuration explicitly (it holds the Worker's
  // name and, if set, account_id); --version and whoami are about wrangler and the login only.
  const withConfig = (args) => (args[0] === "--version" || args[0] === "whoami" ? args : [...args, "--config", configPath]);
  const wrangler = (args, options = {}) => runWrangler(withConfig(args), { ...options, env, cwd: dirname(configPath) });
  /** Runs a command that changes something: in a dry run, only prints it. */
  const mutate = async (args, options = {}, whatToDo) => {
    if (dryRun) {
      detail(`would run: wrangler ${args.join(" ")}${options.input ? "   (value passed on stdin)" : ""}`);
      return null;
    }
    const result = await wrangler(args, options);
    if (result.code !== 0) throw commandFailed(withConfig(args), result, whatToDo);
    changes.push(`wrangler ${args.join(" ")}`);
    return result;
  };
  const saveConfig = (why) => {
    const text = toml.toString();
    if (text === written) return;
    const diff = lineDiff(written, text);
    if (dryRun) detail(`would change ${configPath} (${why}):\n${diff}`);
    else {
      writeFileSync(configPath, text);
      detail(`updated ${configPath} (${why}):\n${diff}`);
    }
    written = text;
    changes.push(why);
  };

  try {
    // 1. Node.js
    step(STEPS[0]);
    const needed = nodeRequirement();
    if (compareVersions(process.versions.node, needed) < 0) {
      throw new SetupError(`Node.js ${needed} or later is needed; this is ${process.versions.node}. Install the current LTS release from nodejs.org, then run \`npm run setup\` again.`);
    }
    detail(`Node.js ${process.versions.node}: fine (needs ${needed} or later).`);

    // 2. wrangler and the login
    step(STEPS[1]);
    const version = await wrangler(["--version"]);
    if (version.code !== 0) throw commandFailed(["--version"], version, "run `npm install` in this folder, then `npm run setup` again.");
    detail(`wrangler ${version.stdout.trim().split("\n").pop()}`);
    const who = await wrangler(["whoami", "--json"]);
    let whoami = null;
    try {
      whoami = parseJsonOutput(who.stdout);
    } catch {}
    const loggedIn = Boolean(whoami?.loggedIn) && who.code === 0;
    if (!whoami && who.code !== 0) throw commandFailed(["whoami", "--json"], who);
    if (!loggedIn) {
      const how =
        "You are not logged in to Cloudflare.\n" +
        "  What to do: run `npx wrangler login` (it opens your browser to sign in), then run `npm run setup` again.\n" +
        "  On a server or in CI, set CLOUDFLARE_API_TOKEN (and CLOUDFLARE_ACCOUNT_ID) instead.";
      if (!dryRun) throw new SetupError(how);
      detail(`${how.split("\n")[0]} This dry run goes on without reading your account.`);
    } else {
      detail(`logged in${whoami.email ? ` as ${whoami.email}` : ""}.`);
      await chooseAccount(whoami.accounts ?? [], flags, toml, prompter, env);
    }

    // 3. KV namespaces
    step(STEPS[2]);
    await ensureKvNamespaces({ toml, workerName, wrangler, mutate, loggedIn });
    saveConfig("KV namespace id");

    // 4. Settings
    step(STEPS[3]);
    const current = toml.vars();
    const desired = fromFlags ?? (await askSettings(prompter, current, workerName));
    detail("checked with the Worker's own rules: fine.");

    // 5. [vars]
    step(STEPS[4]);
    const varsBefore = toml.toString();
    for (const [name, value] of Object.entries(desired)) {
      if (value === undefined) continue;
      const before = current[name];
      const outcome = toml.setVar(name, value, VAR_COMMENTS[name]);
      if (outcome === "unchanged") detail(`${name}: already "${value}", keeping.`);
      else if (outcome === "changed") detail(`${name}: "${before}" → "${value}".`);
      else detail(`${name}: set to "${value}" (was not set).`);
    }
    if (toml.toString() === varsBefore) detail("[vars]: nothing to change.");
    saveConfig("[vars]");

    // 6. Secrets
    step(STEPS[5]);
    await ensureSecrets({ configPath, wrangler, mutate, loggedIn });

    // 7. Deploy
    step(STEPS[6]);
    const wantsDeploy = prompter ? await prompter.confirm("Deploy the Worker now?", true) : Boolean(flags.deploy);
    if (!wantsDeploy) detail("skipped. Deploy when you are ready with `npm run deploy`.");
    else {
      if (!dryRun) detail("running wrangler deploy (this can take a minute)…");
      const result = await mutate(["deploy"], {}, "fix what it names; `npm run deploy` retries the deploy alone.");
      if (result) {
        const deployedUrl = /https:\/\/[a-z0-9.-]+\.workers\.dev/i.exec(result.stdout)?.[0];
        detail(`deployed${deployedUrl ? ` at ${deployedUrl}` : ""}.`);
        if (deployedUrl && deployedUrl !== desired.PUBLIC_URL) {
          detail(`Note: Cloudflare serves this Worker at ${deployedUrl}, but PUBLIC_URL is ${desired.PUBLIC_URL}.`);
          detail(`If you have no custom domain, run \`npm run setup -- --yes --public-url ${deployedUrl} --deploy\`.`);
        }
      }
    }

    if (!dryRun && changes.length === 0) out("\nEverything was already set up; nothing changed.");
    if (dryRun) out("\nDry run finished: nothing was run or written. Run without --dry-run to do it.");
    out(connectInstructions(desired.PUBLIC_URL));
  } finally {
    prompter?.close();
  }
}

/** The lowest Node version package.json's "engines" accepts (">=22.18" → "22.18.0"). */
function nodeRequirement() {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    const match = />=\s*(\d+(?:\.\d+){0,2})/.exec(pkg.engines?.node ?? "");
    if (match) return match[1].split(".").concat(["0", "0"]).slice(0, 3).join(".");
  } catch {}
  return "22.18.0";
}

function compareVersions(a, b) {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** With several accounts, wrangler needs to be told which one; we pass it on to every command. */
async function chooseAccount(accounts, flags, toml, prompter, env) {
  const chosen = flags["account-id"] ?? process.env.CLOUDFLARE_ACCOUNT_ID ?? toml.findKey(toml.sections()[0], "account_id")?.value;
  if (chosen) {
    const known = accounts.find((a) => a.id === chosen);
    if (accounts.length > 0 && !known) throw new SetupError(`The account ${chosen} is not one your login can use. Yours: ${accounts.map((a) => `${a.name} (${a.id})`).join(", ")}.`);
    env.CLOUDFLARE_ACCOUNT_ID = chosen;
    detail(`account: ${known?.name ?? chosen}.`);
    return;
  }
  if (accounts.length <= 1) {
    if (accounts[0]) detail(`account: ${accounts[0].name}.`);
    return;
  }
  const list = accounts.map((a, i) => `${i + 1}. ${a.name} (${a.id})`);
  if (!prompter) throw new SetupError(`Your login has several Cloudflare accounts; say which with --account-id:\n  ${list.join("\n  ")}`);
  detail("Your login has several Cloudflare accounts:");
  for (const line of list) detail(`  ${line}`);
  for (;;) {
    const answer = await prompter.ask("Which one (number)", "1");
    const account = accounts[Number(answer) - 1];
    if (account) {
      env.CLOUDFLARE_ACCOUNT_ID = account.id;
      detail(`account: ${account.name}.`);
      return;
    }
    detail(`Please answer a number from 1 to ${accounts.length}.`);
  }
}

/**
 * Every [[kv_namespaces]] block gets the id of a real namespace: the one it names if the account
 * has it, else one titled like wrangler's own automatic provisioning ("<worker>-<binding>"), so a
 * namespace made by an earlier run, by `wrangler deploy` or by the Deploy button is reused.
 */
async function ensureKvNamespaces({ toml, workerName, wrangler, mutate, loggedIn }) {
  const blocks = toml
    .sections()
    .filter((s) => s.header === "kv_namespaces" && s.array)
    .map((s) => toml.findKey(s, "binding")?.value)
    .filter(Boolean);
  if (blocks.length === 0) return detail("wrangler.toml declares no KV namespace; nothing to do.");

  let existing = null;
  if (loggedIn) {
    const listed = await wrangler(["kv", "namespace", "list"]);
    if (listed.code !== 0) throw commandFailed(["kv", "namespace", "list"], listed);
    existing = parseJsonOutput(listed.stdout);
  } else detail("would run: wrangler kv namespace list   (to find a namespace to reuse)");

  for (const binding of blocks) {
    const title = `${workerName}-${binding.toLowerCase().replaceAll("_", "-")}`;
    const configured = toml.kvNamespace(binding).id?.value;
    const isPlaceholder = !configured || /^0+$/.test(configured);
    const byId = !isPlaceholder && existing?.find((ns) => ns.id === configured);
    if (byId) {
      detail(`${binding}: already set to "${byId.title}" (${byId.id}), keeping.`);
      continue;
    }
    if (!isPlaceholder && existing) detail(`${binding}: wrangler.toml names namespace ${configured}, which this account does not have; replacing it.`);
    const byTitle = existing?.find((ns) => ns.title === title);
    let id = byTitle?.id;
    if (id) detail(`${binding}: reusing the existing namespace "${title}" (${id}).`);
    else {
      const created = await mutate(["kv", "namespace", "create", title], {}, "check that your account can create KV namespaces (Workers & Pages → KV in the dashboard), then run `npm run setup` again.");
      if (!created) {
        toml.setKvNamespaceId(binding, "<id of the new namespace>");
        continue;
      }
      id = /\bid\s*[=:]\s*"?([0-9a-f]{32})"?/i.exec(created.stdout)?.[1];
      if (!id) {
        const relisted = await wrangler(["kv", "namespace", "list"]);
        id = relisted.code === 0 ? parseJsonOutput(relisted.stdout).find((ns) => ns.title === title)?.id : undefined;
      }
      if (!id) throw new SetupError(`Created the KV namespace "${title}" but could not read its id. Run \`npx wrangler kv namespace list\`, find "${title}", and put its id into wrangler.toml under binding = "${binding}".`);
      detail(`${binding}: created the namespace "${title}" (${id}).`);
    }
    toml.setKvNamespaceId(binding, id);
  }
}

function settingsFromFlags(flags, current, workerName) {
  const desired = {
    PUBLIC_URL: withoutMcpPath(trimSlashes(flags["public-url"] ?? current.PUBLIC_URL), (origin, typed) => detail(`${typed} is the MCP endpoint; using the address before it, ${origin}, as PUBLIC_URL.`)),
    XANO_ACCOUNT_URL: trimSlashes(flags["xano-account-url"] ?? current.XANO_ACCOUNT_URL ?? DEFAULTS.XANO_ACCOUNT_URL),
    SIGN_IN_METHODS: flags["sign-in-methods"] ?? current.SIGN_IN_METHODS,
    XANO_AUTH_URL: trimSlashes(flags["xano-auth-url"] ?? current.XANO_AUTH_URL),
    XANO_OAUTH_CLIENT_ID: flags["xano-oauth-client-id"] ?? current.XANO_OAUTH_CLIENT_ID,
    OAUTH_TOKEN_TTL: flags["token-ttl"] ?? current.OAUTH_TOKEN_TTL,
  };
  if (desired.SIGN_IN_METHODS !== undefined) desired.SIGN_IN_METHODS = normaliseMethods(desired.SIGN_IN_METHODS);
  const problems = [];
  if (!desired.PUBLIC_URL || isLoopbackUrl(desired.PUBLIC_URL)) {
    problems.push(
      `--public-url is needed: the public https address of this server, e.g. https://${workerName}.<your-subdomain>.workers.dev ` +
        `(your workers.dev subdomain is shown in the Cloudflare dashboard under Workers & Pages).` +
        (desired.PUBLIC_URL ? ` wrangler.toml has "${desired.PUBLIC_URL}", which only works on this computer.` : ""),
    );
  }
  const unknownMethods = methodProblems(desired.SIGN_IN_METHODS);
  problems.push(...unknownMethods);
  const checked = checkVars(desired);
  // An unknown method is already named above, more precisely than the Worker's generic message.
  if (!checked.ok) problems.push(...checked.problems.filter((p) => !(unknownMethods.length > 0 && p.startsWith("SIGN_IN_METHODS must"))).map(withoutHowToSet));
  if (problems.length > 0) throw new SetupError(`These settings cannot be used:\n  - ${problems.join("\n  - ")}`);
  desired.PUBLIC_URL = checked.config.publicUrl;
  return desired;
}

/** "https://app.xano.com/" and "https://app.xano.com" are the same setting; we write the latter. */
function trimSlashes(url) {
  return url === undefined ? undefined : String(url).trim().replace(/\/+$/, "");
}

/**
 * "https://x.workers.dev/mcp" (what an MCP client is given) → "https://x.workers.dev" (what
 * PUBLIC_URL is); anything else unchanged. `said` hears of a change.
 */
function withoutMcpPath(url, said = () => {}) {
  const match = url === undefined ? null : /^(https?:\/\/[^/]+)\/(mcp|sse)$/i.exec(url);
  if (!match) return url;
  said(match[1], url);
  return match[1];
}

/** Accepts names or their numbers ("1,3"), commas or spaces; returns the comma list. */
function normaliseMethods(text) {
  return String(text)
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((m) => (/^\d+$/.test(m) && SIGN_IN_METHODS[Number(m) - 1]) || m)
    .join(",");
}

function methodProblems(list) {
  if (list === undefined) return [];
  const unknown = list.split(",").filter((m) => m && !SIGN_IN_METHODS.includes(m));
  return unknown.map((m) => `"${m}" is not a sign-in method. Choose from: ${SIGN_IN_METHODS.join(", ")}.`);
}

async function askSettings(prompter, current, workerName) {
  const desired = { ...pick(current, Object.keys(VAR_COMMENTS)) };
  const askUntil = async (name, ask) => {
    for (;;) {
      const value = await ask();
      const candidate = { ...desired, [name]: value };
      // The auth URL is asked right after the methods: until then, app_auth must not fail for lacking it.
      if (name === "SIGN_IN_METHODS" && !candidate.XANO_AUTH_URL) candidate.XANO_AUTH_URL = "https://auth-url.invalid/api:auth";
      const problems = name === "PUBLIC_URL" && value && isLoopbackUrl(value)
        ? ["PUBLIC_URL must be the public https address people reach (a localhost address only works on this computer)."]
        : name === "SIGN_IN_METHODS" ? methodProblems(value) : [];
      if (problems.length === 0) {
        const checked = checkVars(candidate);
        if (!checked.ok) problems.push(...problemsAbout(checked.problems, name));
      }
      if (problems.length === 0) {
        desired[name] = value;
        return value;
      }
      for (const problem of problems) detail(`✗ ${problem}`);
    }
  };

  detail("The public https address of this server. With no custom domain it is");
  detail(`https://${workerName}.<your-subdomain>.workers.dev (the subdomain is in the dashboard under Workers & Pages).`);
  const keepUrl = current.PUBLIC_URL && !isLoopbackUrl(current.PUBLIC_URL) ? current.PUBLIC_URL : "";
  await askUntil("PUBLIC_URL", async () => {
    for (;;) {
      const typed = trimSlashes(await prompter.ask("Public URL", keepUrl));
      const origin = withoutMcpPath(typed);
      if (origin === typed) return typed;
      detail(`${typed} is the MCP endpoint; the public URL is the address before it, ${origin}.`);
      if (await prompter.confirm(`Use ${origin}`, true)) return origin;
    }
  });

  detail("Which sign-in methods should the sign-in page offer?");
  SIGN_IN_METHODS.forEach((m, i) => detail(`  ${i + 1}. ${m}: ${METHOD_HELP[m]}`));
  const methods = await askUntil("SIGN_IN_METHODS", async () =>
    normaliseMethods(await prompter.ask("Numbers or names, comma-separated", current.SIGN_IN_METHODS ?? "1,2")),
  );

  await askUntil("XANO_ACCOUNT_URL", async () => trimSlashes(await prompter.ask("Xano account URL", current.XANO_ACCOUNT_URL ?? DEFAULTS.XANO_ACCOUNT_URL)));

  if (methods.split(",").includes("app_auth")) {
    detail("Email and password sign-in needs your Xano app's auth API group, e.g. https://x1234-5678-9012.n7.xano.io/api:auth");
    await askUntil("XANO_AUTH_URL", async () => trimSlashes(await prompter.ask("Xano auth URL", current.XANO_AUTH_URL ?? "")));
  }
  if (methods.split(",").includes("xano_oauth")) {
    detail("Sign in with Xano registers this server with Xano automatically. If you registered a client yourself,");
    detail("enter its client id; otherwise press Enter.");
    const clientId = await prompter.ask("Xano OAuth client id (optional)", current.XANO_OAUTH_CLIENT_ID ?? "");
    desired.XANO_OAUTH_CLIENT_ID = clientId || undefined;
  }
  return desired;
}

function pick(object, keys) {
  return Object.fromEntries(keys.filter((k) => object[k] !== undefined).map((k) => [k, object[k]]));
}

/**
 * Secrets are the uncommented entries of .dev.vars.example: the same file and convention Cloudflare's
 * Deploy button reads. Each one not yet stored gets a new random value (these are keys of this server
 * itself, never something a person has to look up), passed to `wrangler secret put` on stdin.
 */
async function ensureSecrets({ configPath, wrangler, mutate, loggedIn }) {
  const examplePath = join(dirname(configPath), ".dev.vars.example");
  const names = existsSync(examplePath)
    ? readFileSync(examplePath, "utf8")
        .split(/\r?\n/)
        .map((line) => /^\s*([A-Z][A-Z0-9_]*)\s*=/.exec(line)?.[1])
        .filter(Boolean)
    : [];
  if (names.length === 0) {
    detail("none needed: this server has no keys of its own to keep. MCP tokens and stored Xano credentials are");
    detail("encrypted with keys derived from each token, so nothing secret goes into wrangler.toml or the dashboard.");
    return;
  }
  let stored = [];
  if (loggedIn) {
    const listed = await wrangler(["secret", "list", "--format", "json"]);
    if (listed.code === 0) stored = parseJsonOutput(listed.stdout).map((s) => s.name);
    else if (!/not.?found|does not exist|10007/i.test(listed.stdout + listed.stderr)) throw commandFailed(["secret", "list"], listed);
  }
  for (const name of names) {
    if (stored.includes(name)) {
      detail(`${name}: already set, keeping.`);
      continue;
    }
    await mutate(["secret", "put", name], { input: randomBytes(32).toString("hex") }, "check the message above, then run `npm run setup` again.");
    detail(`${name}: ${loggedIn ? "" : "would be "}set to a new random value (never written to a file).`);
  }
}

main().catch((error) => {
  if (error instanceof SetupError || error instanceof WranglerError) process.stderr.write(`\n✗ ${error.message}\n`);
  else process.stderr.write(`\n✗ setup stopped: ${error.message}\n`);
  process.exitCode = 1;
});
