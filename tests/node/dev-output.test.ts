/** What `npm run dev` shows of wrangler's output (scripts/lib/dev-output.mjs). */
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script module without type declarations
import { createDevOutputFilter } from "../../scripts/lib/dev-output.mjs";

function show(lines: string[]): string[] {
  const filter = createDevOutputFilter() as (line: string) => string[];
  return lines.flatMap(filter);
}

describe("npm run dev output", () => {
  it("replaces 'Broken pipe' errors and their stacks by one line, once", () => {
    const out = show([
      "[wrangler:info] GET /authorize 200 OK (12ms)",
      "\x1b[31m✘ \x1b[41;31m[\x1b[41;97mERROR\x1b[41;31m]\x1b[0m \x1b[1mUncaught Error: Broken pipe\x1b[0m",
      "",
      "      at async ProxyServer.fetch (file:///x/node_modules/miniflare/dist/src/index.js:1:2)",
      "      at async write (file:///x/y.js:3:4)",
      "exception = kj/async.c++:220: disconnected: PumpToReader was destroyed",
      "stack: /x/workerd@211a800",
      '{"event":"request","status":200}',
    ]);
    expect(out).toEqual([
      "[wrangler:info] GET /authorize 200 OK (12ms)",
      "(a client closed a connection before its response was fully written; not an error, and not shown again)",
      '{"event":"request","status":200}',
    ]);
  });

  it("drops the telemetry notice and the cron warning, keeps other warnings and errors", () => {
    const out = show([
      "Cloudflare collects anonymous telemetry about your usage of Wrangler. Learn more at https://example.invalid",
      "\x1b[33m▲ \x1b[43;33m[\x1b[43;30mWARNING\x1b[43;33m]\x1b[0m \x1b[1mScheduled Workers are not automatically triggered during local development.\x1b[0m",
      "",
      "  To manually trigger a scheduled event, run:",
      '    curl "http://localhost:8787/cdn-cgi/handler/scheduled"',
      "",
      "⎔ Starting local server...",
      "▲ [WARNING] Something else",
      "✘ [ERROR] xano-mcp cannot start: invalid configuration.",
    ]);
    expect(out).toEqual(["⎔ Starting local server...", "▲ [WARNING] Something else", "✘ [ERROR] xano-mcp cannot start: invalid configuration."]);
  });
});
