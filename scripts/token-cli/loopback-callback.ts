/**
 * The loopback redirect of `login` (RFC 8252 §7.3): a one-shot HTTP server on 127.0.0.1 at a port
 * the system picks, waiting for the browser to come back to /callback with the authorization code.
 *
 * The first request to /callback decides: a `state` other than ours is refused (the page and the
 * CLI both say so; a forged or stale redirect must never be exchanged — CSRF, RFC 6749 §10.12), as
 * is an `iss` other than the server's issuer (mix-up, RFC 9207); an `error` (the person pressed
 * Deny) ends the login as cancelled. Nothing arriving within the timeout ends it too.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CliError } from "./cli-error";

export interface LoopbackCallback {
  redirectUri: string;
  /** The code, once the browser came back with our state; rejects with a CliError otherwise. */
  code: Promise<string>;
  close(): void;
}

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title><h1>${title}</h1><p>${text}</p></html>`;

export async function startLoopbackCallback(o: { state: string; issuer: string; timeoutMs: number }): Promise<LoopbackCallback> {
  let settle!: { resolve: (code: string) => void; reject: (error: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  code.catch(() => {}); // a login that fails before awaiting the code (registration refused) still closes it: not an unhandled rejection
  let done = false;
  const finish = (outcome: string | Error) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    if (outcome instanceof Error) settle.reject(outcome);
    else settle.resolve(outcome);
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const answer = (status: number, title: string, text: string) => {
      response.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", Connection: "close" });
      response.end(page(title, text));
    };
    if (url.pathname !== "/callback" || request.method !== "GET") return answer(404, "Not found", "This is xano-mcp-token's sign-in callback.");
    if (done) return answer(410, "Already done", "This sign-in has already finished; you can close this tab.");
    const params = url.searchParams;
    if (params.get("state") !== o.state) {
      answer(400, "Sign-in refused", "This answer does not belong to the sign-in the command started (state mismatch). Nothing was saved.");
      return finish(new CliError("Refused the sign-in: the browser came back with a state that is not ours (possible CSRF); nothing was saved. Run login again."));
    }
    const iss = params.get("iss");
    if (iss !== null && iss !== o.issuer) {
      answer(400, "Sign-in refused", "This answer came from another server than the one the command signs in to. Nothing was saved.");
      return finish(new CliError(`Refused the sign-in: the answer names issuer ${iss}, not ${o.issuer}; nothing was saved.`));
    }
    const error = params.get("error");
    if (error) {
      answer(200, "Sign-in cancelled", "You can close this tab.");
      const description = params.get("error_description");
      return finish(new CliError(`Login cancelled in the browser (${error}${description ? `: ${description}` : ""}).`));
    }
    const value = params.get("code");
    if (!value) {
      answer(400, "Sign-in failed", "The answer carries no code.");
      return finish(new CliError("The browser came back without an authorization code; run login again."));
    }
    answer(200, "Signed in", "xano-mcp-token has what it needs; you can close this tab and go back to the terminal.");
    finish(value);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const minutes = o.timeoutMs / 60_000;
  const timer = setTimeout(
    () => finish(new CliError(`Login timed out: nobody finished signing in within ${minutes >= 1 ? `${minutes} minute${minutes === 1 ? "" : "s"}` : `${o.timeoutMs / 1000} s`}. Run login again.`)),
    o.timeoutMs,
  );
  const close = () => {
    finish(new CliError("Login cancelled."));
    server.close();
    server.closeAllConnections();
  };
  return { redirectUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, code, close };
}
