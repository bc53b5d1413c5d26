#!/usr/bin/env node
/**
 * `npm run check:bundle`: bundles the Worker exactly as `wrangler deploy` would (`--dry-run`, offline,
 * no account needed) and fails when the gzip size of what would be uploaded exceeds the budget in
 * bundle-budget.json. Cloudflare limits a Worker's compressed size (3 MiB on the free plan); the
 * budget sits far below that, to catch a dependency that quietly doubles the bundle.
 *
 *   npm run check:bundle                     measure and compare with bundle-budget.json
 *   npm run check:bundle -- --budget FILE    compare with another budget file
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { WranglerError, commandFailed, runWrangler } from "./lib/wrangler-cli.mjs";

const args = process.argv.slice(2);
const budgetIndex = args.indexOf("--budget");
const budgetPath = resolve(budgetIndex >= 0 ? args[budgetIndex + 1] : new URL("../bundle-budget.json", import.meta.url).pathname);
const repoRoot = new URL("..", import.meta.url).pathname;

const kib = (bytes) => (bytes / 1024).toFixed(1);

async function main() {
  const budget = JSON.parse(readFileSync(budgetPath, "utf8"));
  if (typeof budget.gzipKiB !== "number") throw new Error(`${budgetPath} must have a number "gzipKiB"`);

  const outdir = mkdtempSync(join(tmpdir(), "xano-mcp-bundle-"));
  try {
    const command = ["deploy", "--dry-run", "--outdir", outdir];
    const result = await runWrangler(command, { cwd: repoRoot, env: { CLOUDFLARE_CF_FETCH_ENABLED: "false" } });
    if (result.code !== 0) throw commandFailed(command, result, "the Worker does not bundle: fix the error above (the same one `npm run deploy` would hit).");

    // What would be uploaded: every module wrangler wrote, not its source maps or README.
    const modules = readdirSync(outdir).filter((f) => !f.endsWith(".map") && f !== "README.md");
    let raw = 0;
    let gzip = 0;
    for (const file of modules) {
      const content = readFileSync(join(outdir, file));
      raw += content.length;
      gzip += gzipSync(content, { level: 9 }).length;
    }
    const measured = `${kib(gzip)} KiB gzip (${kib(raw)} KiB raw, ${modules.length} module${modules.length === 1 ? "" : "s"})`;
    if (gzip / 1024 > budget.gzipKiB) {
      process.stderr.write(
        `✗ The Worker bundle is ${measured}, over the budget of ${budget.gzipKiB} KiB gzip in ${budgetPath}.\n` +
          "  What to do: find what grew with `npx wrangler deploy --dry-run --outdir dist --metafile` and load\n" +
          "  dist/bundle-meta.json into esbuild's analyzer; drop or lazy-load the new weight. If the growth is\n" +
          "  intended, raise gzipKiB in bundle-budget.json in the same commit and say why.\n",
      );
      process.exitCode = 1;
      return;
    }
    console.log(`✓ Worker bundle: ${measured}; budget ${budget.gzipKiB} KiB gzip (${Math.round((100 * gzip) / 1024 / budget.gzipKiB)}% used).`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`✗ ${error instanceof WranglerError ? error.message : `check:bundle stopped: ${error.message}`}\n`);
  process.exitCode = 1;
});
