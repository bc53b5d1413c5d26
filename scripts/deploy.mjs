#!/usr/bin/env node
/**
 * `npm run deploy`: checks what would make a deployed server useless or refuse to start, then runs
 * `wrangler deploy` (which builds the bundle and uploads it). Extra arguments go to wrangler, e.g.
 * `npm run deploy -- --dry-run`.
 *
 * The checks: the settings in wrangler.toml [vars] pass the Worker's own rules (src/config.ts);
 * PUBLIC_URL is a public address, not localhost (tokens are bound to it); wrangler is logged in.
 * In Cloudflare's own build (Workers Builds, which the Deploy button uses; it sets WORKERS_CI=1) a
 * localhost PUBLIC_URL is only a warning: the first deploy there is how a person learns the address.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { checkVars, isLoopbackUrl } from "./lib/config-rules.mjs";
import { WranglerError, parseJsonOutput, runWrangler } from "./lib/wrangler-cli.mjs";
import { WranglerToml } from "./lib/wrangler-toml.mjs";
import { spawn } from "node:child_process";

class DeployCheckError extends Error {}

async function main() {
  const args = process.argv.slice(2);
  const configIndex = args.indexOf("--config");
  const configPath = resolve(configIndex >= 0 ? args[configIndex + 1] : "wrangler.toml");
  const wranglerArgs = configIndex >= 0 ? args : [...args, "--config", configPath];
  const dryRun = args.includes("--dry-run");
  const inCloudflareBuild = process.env.WORKERS_CI === "1";

  console.log("Checking before deploying…");
  if (!existsSync(configPath)) throw new DeployCheckError(`${configPath} does not exist. Run \`npm run deploy\` in the project folder.`);
  const toml = new WranglerToml(readFileSync(configPath, "utf8"));
  const vars = toml.vars();

  const checked = checkVars(vars);
  if (!checked.ok) {
    throw new DeployCheckError(
      `The settings in wrangler.toml [vars] would stop the Worker at start-up:\n  - ${checked.problems.join("\n  - ")}\n` +
        "  What to do: run `npm run setup` (it asks for each setting and checks it), or fix wrangler.toml by hand.",
    );
  }
  console.log("  ✓ settings in wrangler.toml pass the Worker's checks");

  if (isLoopbackUrl(checked.config.publicUrl)) {
    const message =
      `PUBLIC_URL is ${checked.config.publicUrl}, which only works on this computer: a deployed server would hand out ` +
      "tokens no client can use.";
    if (!inCloudflareBuild && !dryRun) {
      throw new DeployCheckError(
        `${message}\n  What to do: run \`npm run setup\` (it asks for the address), or set PUBLIC_URL in wrangler.toml [vars] ` +
          `to your Worker's address, e.g. "https://${toml.workerName() ?? "xano-mcp"}.<your-subdomain>.workers.dev".`,
      );
    }
    console.log(`  ! ${message}\n    After this deploy, set PUBLIC_URL to the address Cloudflare prints below and deploy again.`);
  } else console.log(`  ✓ PUBLIC_URL is ${checked.config.publicUrl}`);

  if (!dryRun && !process.env.CLOUDFLARE_API_TOKEN) {
    const who = await runWrangler(["whoami", "--json"]);
    let loggedIn = false;
    try {
      loggedIn = who.code === 0 && parseJsonOutput(who.stdout).loggedIn === true;
    } catch {}
    if (!loggedIn) {
      throw new DeployCheckError(
        "You are not logged in to Cloudflare.\n  What to do: run `npx wrangler login` (it opens your browser), then `npm run deploy` again. " +
          "In CI, set CLOUDFLARE_API_TOKEN instead.",
      );
    }
    console.log("  ✓ logged in to Cloudflare");
  }

  console.log(`\nwrangler deploy ${wranglerArgs.join(" ")}`);
  const code = await new Promise((done, fail) => {
    const child = spawn("wrangler", ["deploy", ...wranglerArgs], { stdio: "inherit", shell: process.platform === "win32" });
    child.on("error", (error) => fail(error.code === "ENOENT" ? new WranglerError("wrangler was not found. Run `npm install` in this folder, then `npm run deploy` again.") : error));
    child.on("close", (c) => done(c ?? 1));
  });
  if (code !== 0) {
    throw new DeployCheckError(
      `wrangler deploy failed (exit code ${code}); its message is above.\n` +
        "  What to do: fix what it names (the README's Deploy section lists common problems); `npm run deploy` is safe to re-run.",
    );
  }
  if (!dryRun) console.log(`\nDeployed. Your MCP server URL: ${checked.config.publicUrl}/mcp  (\`npm run setup\` prints how to add it to each client)`);
}

main().catch((error) => {
  process.stderr.write(`\n✗ ${error instanceof DeployCheckError || error instanceof WranglerError ? error.message : `deploy stopped: ${error.message}`}\n`);
  process.exitCode = 1;
});
