import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Two projects, one run (`npm test`):
// - "worker": tests/*.test.ts run inside workerd with the real Worker (src/index.ts) as SELF. The
//   fake Xano intercepts the Worker's outbound fetch through msw (tests/harness/fake-xano-network.ts).
// - "node": tests/node/**/*.test.ts run in plain Node, for what lives outside the Worker: the setup
//   wizard and deploy scripts (with a fake `wrangler` on PATH) and the real-browser tests against
//   `npm run dev`.
/** The packages the worker project pre-bundles (every entry a test or src/ imports them by). */
const PREBUNDLED = [
  "zod",
  "hono",
  "@cloudflare/workers-oauth-provider",
  "@modelcontextprotocol/server",
  "@modelcontextprotocol/sdk/client/index.js",
  "@modelcontextprotocol/sdk/client/streamableHttp.js",
  "@modelcontextprotocol/sdk/client/auth.js",
  "@modelcontextprotocol/sdk/client/sse.js",
  "@modelcontextprotocol/sdk/shared/auth.js",
  "msw",
  "msw/experimental",
  "@mswjs/interceptors/fetch",
  "@fast-check/vitest",
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The Worker's structured log lines (one JSON object per event) would bury the test report;
    // tests that care about them capture them (tests/operations.test.ts). Set SHOW_WORKER_LOGS=1 to see them.
    onConsoleLog: (log) => (process.env.SHOW_WORKER_LOGS ? undefined : !log.trimStart().startsWith('{"event":')),
    coverage: {
      provider: "istanbul",
      include: ["src/**/*.ts"],
      // The per-file table ("text") is left out of the console: it was a third of a passing run's output;
      // coverage/coverage-summary.json and `npx vitest run --coverage --coverage.reporter=text` give it.
      reporter: ["text-summary", "json-summary"],
      thresholds: { lines: 80 },
    },
    projects: [
      {
        extends: true,
        plugins: [
          cloudflareTest({
            main: "./src/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                PUBLIC_URL: "http://localhost:8787",
                XANO_ACCOUNT_URL: "https://app.xano.test",
                OAUTH_TOKEN_TTL: "3600",
                XANO_AUTH_URL: "https://x1234-5678-9012.n7.xano.io/api:auth",
                DEBUG_TOOLS: "true",
                // fake-xano's seed pre-registers this client for our callback; fake.reset() between tests
                // forgets dynamically registered clients, which a cached registration would not survive.
                XANO_OAUTH_CLIENT_ID: "xano_demo_preregistered_client",
                // Suites that make hundreds of calls on one connection (the catalogue property test)
                // stay under it; tests/rate-limits.test.ts reads it and checks the limit itself.
                RATE_LIMIT_TOOL_CALLS_PER_MINUTE: "1000",
                // A browser-based client's origin (the MCP Inspector), for tests/attacks.test.ts.
                ALLOWED_ORIGINS: "http://localhost:6274",
                // Most suites expect the whole tool list; tests/toolsets.test.ts chooses toolsets per
                // grant and per URL, and tests/units.test.ts checks the default (the common path).
                XANO_TOOLSETS: "all",
                // Upstream MCP servers (issue 17), all answered by fake-upstream-mcp on its test origin
                // (fake-upstream-mcp/msw.ts); tests/upstream-door.test.ts and tests/upstream-oauth-door.test.ts drive them.
                UPSTREAM_MCP_SERVERS: JSON.stringify([
                  { name: "desk", title: "Support desk", url: "https://upstream-mcp.test/mcp", auth: "bearer" },
                  { name: "open-desk", title: "Open desk", url: "https://upstream-mcp.test/public/mcp", auth: "none" },
                  { name: "filtered", url: "https://upstream-mcp.test/public/mcp", auth: "none", tools: { allow: ["whoami", "list_tickets", "create_ticket", "delete_ticket"], deny: ["delete_ticket"] } },
                  { name: "read-desk", url: "https://upstream-mcp.test/mcp", auth: "bearer", readOnly: true },
                  // fake-upstream-mcp in OAuth mode (oauth-mode.ts), its authorization server on an origin of its own.
                  { name: "oauth-desk", title: "OAuth desk", url: "https://oauth-upstream.test/mcp", auth: "oauth" },
                  { name: "oauth-configured", url: "https://oauth-upstream.test/mcp", auth: "oauth", clientId: "front-door-client", clientSecret: "front-door-client-secret" },
                ]),
              },
            },
          }),
        ],
        test: {
          name: "worker",
          include: ["tests/*.test.ts"],
          // Each test file loads the Worker and its packages afresh, module by module, over the pool's
          // module runner. Pre-bundling the heaviest packages into one module each makes that load
          // cheaper for every file (zod alone is over a hundred modules). agents/mcp/server is left out:
          // it imports node:async_hooks, which the pre-bundler cannot resolve for workerd.
          deps: { optimizer: { ssr: { enabled: true, include: PREBUNDLED } } },
        },
      },
      {
        extends: true,
        test: { name: "node", environment: "node", include: ["tests/node/**/*.test.ts"] },
      },
    ],
  },
});
