/**
 * `npm run dev`: starts fake-xano on loopback, then the Worker under `wrangler dev` pointed at it
 * (scripts/lib/local-stack.ts), and prints what a person needs to connect: the MCP URL, the
 * instance URL and a demo token. No Cloudflare or Xano account is needed. Ctrl-C stops both.
 *
 * Ports: WORKER_PORT (default 8787), FAKE_XANO_PORT (default 8788; the shared instance is on the next
 * port, alice's sandbox instance on the one after), FAKE_UPSTREAM_PORT (default 8791: the demo
 * upstream MCP server, served at /servers/demo/mcp and /servers/demo-desk/mcp; its OAuth mode on the next
 * port, served at /servers/demo-oauth/mcp). State stays in the project's `.wrangler/state`
 * between runs. Debug tools are on, all three sign-in methods, and the MCP Inspector's origin.
 */
import { INSPECTOR_ORIGIN, startLocalStack, type LocalStack } from "./lib/local-stack";
import { ALICE_UPSTREAM_TOKEN, BOB_UPSTREAM_TOKEN } from "../fake-upstream-mcp/users";
// @ts-expect-error: a plain .mjs module without type declarations
import { createDevOutputFilter } from "./lib/dev-output.mjs";

const workerPort = Number(process.env.WORKER_PORT ?? 8787);
const fakePort = Number(process.env.FAKE_XANO_PORT ?? 8788);
const upstreamPort = Number(process.env.FAKE_UPSTREAM_PORT ?? 8791);

const workerOutput = createDevOutputFilter() as (line: string) => string[];
let stack: LocalStack;
try {
  stack = await startLocalStack({
    workerPort,
    fakeXanoPort: fakePort,
    fakeUpstreamPort: upstreamPort,
    state: "project",
    // wrangler's lines pass a filter of what does not apply here (lib/dev-output.mjs).
    onLine: (from, line) => {
      for (const shown of from === "worker" ? workerOutput(line) : [line]) if (shown.trim()) console.log(`[${from}] ${shown}`);
    },
  });
} catch (error) {
  console.error(`${(error as Error).message.split("\n")[0]}.`);
  process.exit(1);
}

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
void stack.exited.then(({ from, code }) => {
  console.error(`[${from}] exited with code ${code}`);
  return shutdown(code || 1);
});

console.log(`
────────────────────────────────────────────────────────────────────
 xano-mcp is running locally against fake-xano.

   MCP URL (streamable HTTP):  ${stack.publicUrl}/mcp
   Legacy SSE URL:             ${stack.publicUrl}/sse

 When your MCP client opens the sign-in page, use any of:
   Sign in with Xano:          alice@example.com / alice-password (pick "Demo Instance")
   Metadata API token:         instance ${stack.instanceUrl}, token xano_demo_alice_metadata_token
   Email and password:         bob@example.com / bob-password
 Another MCP server behind the same front door (the demo upstream at ${stack.upstreamUrl}):
   ${stack.publicUrl}/servers/demo/mcp        no upstream token
   ${stack.publicUrl}/servers/demo-desk/mcp   paste your token on the consent page:
                                          alice ${ALICE_UPSTREAM_TOKEN}, bob ${BOB_UPSTREAM_TOKEN}
   ${stack.publicUrl}/servers/demo-oauth/mcp  its own sign-in after consent: pick alice or bob on its page
                                          (knobs: curl -XPOST ${stack.oauthUpstreamUrl}/__admin/expireAllTokens)
 Debug tools are on: debug_auth, debug_expire_oauth_tokens, debug_refresh_profile (see DEBUG.md).

 Try it:  npx @modelcontextprotocol/inspector   (Transport: Streamable HTTP, URL above;
          its origin ${INSPECTOR_ORIGIN} is allowed)
      or  npx mcp-remote ${stack.publicUrl}/mcp
 fake-xano admin (knobs, request log): ${stack.accountUrl}/__admin/log
 The scheduled clean-up does not run by itself here: curl "${stack.publicUrl}/cdn-cgi/handler/scheduled"
 Ctrl-C stops them all.
────────────────────────────────────────────────────────────────────
`);
