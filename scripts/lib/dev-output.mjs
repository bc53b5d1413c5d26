/**
 * What `npm run dev` shows of wrangler's output. Dropped, because they do not apply to this
 * local stack or are not errors:
 *
 * - "✘ [ERROR] … Broken pipe" (also EPIPE, ECONNRESET, "PumpToReader was destroyed") with its
 *   stack: the local runtime reports every response whose client hung up before it was fully
 *   written (a browser leaving a page mid-load, an MCP client closing an event stream it had read
 *   its answer from). The request itself was answered; its `request` log line says how. The first
 *   one is replaced by a single line saying so.
 * - wrangler's telemetry notice (metrics are off: WRANGLER_SEND_METRICS=false) and its warning
 *   that cron triggers do not run locally (the clean-up of expired grants is not needed against
 *   fake-xano; dev.ts's banner shows how to run it by hand).
 *
 * `createDevOutputFilter()` returns a function from one complete line to the lines to print.
 */
const CLIENT_GONE = /Broken pipe|EPIPE|ECONNRESET|PumpToReader was destroyed/;
const IGNORED_LINES = [/Cloudflare collects anonymous telemetry/];
const IGNORED_BLOCKS = [/Scheduled Workers are not automatically triggered/];

// eslint-disable-next-line no-control-regex
const plain = (line) => line.replace(/\x1b\[[0-9;]*m/g, "");

export function createDevOutputFilter() {
  let dropping = false;
  let toldClientGone = false;
  return (line) => {
    const text = plain(line);
    if (dropping) {
      // A block runs on over indented, stack and blank lines.
      if (text.trim() === "" || /^\s/.test(text) || /^stack:/.test(text)) return [];
      dropping = false;
    }
    if (/\[ERROR\]|^exception =/.test(text) && CLIENT_GONE.test(text)) {
      dropping = true;
      if (toldClientGone) return [];
      toldClientGone = true;
      return ["(a client closed a connection before its response was fully written; not an error, and not shown again)"];
    }
    if (IGNORED_BLOCKS.some((pattern) => pattern.test(text))) {
      dropping = true;
      return [];
    }
    if (IGNORED_LINES.some((pattern) => pattern.test(text))) return [];
    return [line];
  };
}
