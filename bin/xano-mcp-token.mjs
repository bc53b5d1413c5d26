#!/usr/bin/env node
// The `xano-mcp-token` command (package.json "bin"). The CLI is TypeScript (scripts/token-cli/) because
// it shares the OAuth client (scripts/lib/oauth-http-client.ts) and the server's scope and toolset
// names (src/mcp/) with the tests and scripts; a second copy in plain JavaScript would drift. Node
// cannot run those files itself (Node 20 has no type stripping, and the sources import without file
// extensions), so this plain .mjs entry loads them through tsx, the same loader `npm run dev` uses.
// tsx is a devDependency, present after `npm ci` in a clone; an install without devDependencies
// gets the message below instead of a stack trace.
let register;
try {
  ({ register } = await import("tsx/esm/api"));
} catch {
  process.stderr.write("xano-mcp-token: needs the devDependency tsx: run `npm ci` in the xano-mcp folder first\n");
  process.exit(1);
}
register();
const { main } = await import("../scripts/token-cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
