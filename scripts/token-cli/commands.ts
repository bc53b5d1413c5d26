/**
 * The token CLI's subcommands: login (dynamic registration or the stored client, PKCE through a
 * loopback redirect), token (refresh when the stored access token is expired or about to be),
 * status and logout (revocation, then the file goes). Network and files come in through `Context`;
 * every failure is a CliError whose message main.ts prints as one line.
 */
import { spawn } from "node:child_process";
import { base64Url, newPkce, authorizeUrl, registerClient, tokenRequest, type Fetch } from "../lib/oauth-http-client";
import { READ_ONLY_SCOPES, READ_WRITE_SCOPES, WRITE_SCOPE } from "../../src/oauth/scopes";
import { parseToolsetChoice, TOOLSET_CHOICE_NAMES } from "../../src/mcp/tools/toolsets";
import { startLoopbackCallback } from "./loopback-callback";
import { CliError } from "./cli-error";
import { describeNetworkError, discoverServer, parseServerUrl } from "./server-discovery";
import type { StoredSignIn, TokenStore } from "./token-store";

export interface Context {
  http: Fetch;
  store: TokenStore;
  /** A line for the person (stderr): progress, the sign-in URL, warnings. */
  say(line: string): void;
  /** The one thing `token` prints (stdout). */
  print(line: string): void;
  now(): number;
}

/** An access token with less than this left is refreshed first, so a request made with it does not expire in flight. */
export const REFRESH_MARGIN_MS = 60_000;
export const DEFAULT_LOGIN_TIMEOUT_MS = 5 * 60_000;

/** POSTs a form to an endpoint the metadata named (token or revocation); a dead server becomes a CliError. */
async function postForm(http: Fetch, endpoint: string, params: Record<string, string>) {
  const url = new URL(endpoint);
  try {
    return await tokenRequest(http, url.origin, params, { path: `${url.pathname}${url.search}` });
  } catch (error) {
    if (error instanceof SyntaxError) throw new CliError(`${url.origin} answered ${url.pathname} with something other than JSON`);
    throw new CliError(`Cannot reach ${url.origin} (${describeNetworkError(error)})`);
  }
}

function tokenFields(body: Record<string, any>, now: number): Pick<StoredSignIn, "accessToken" | "accessTokenExpiresAt"> {
  // A server that names no lifetime gets a short assumed one, so the CLI refreshes rather than serve a dead token.
  const seconds = typeof body.expires_in === "number" ? body.expires_in : 300;
  return { accessToken: body.access_token, accessTokenExpiresAt: now + seconds * 1000 };
}

/** Opens the URL in the default browser where there is one; false when that could not even be tried. */
function openBrowser(url: string): boolean {
  const [command, args] =
    process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", '""', url.replace(/&/g, "^&")]] : ["xdg-open", [url]];
  try {
    const child = spawn(command, args, { stdio: "ignore", detached: true });
    child.on("error", () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}

export interface LoginOptions {
  server: string;
  readOnly: boolean;
  toolsets: string | null;
  browser: boolean;
  timeoutMs: number;
}

export async function login(ctx: Context, o: LoginOptions): Promise<void> {
  const { origin, toolsets: fromUrl } = parseServerUrl(o.server);
  const toolsetsText = o.toolsets ?? fromUrl;
  let toolsets: string | null = null;
  if (toolsetsText !== null) {
    const parsed = parseToolsetChoice(toolsetsText);
    if (!parsed.ok) throw new CliError(`Unknown toolset${parsed.unknown.length === 1 ? "" : "s"} "${parsed.unknown.join(",") || toolsetsText}"; choose from ${TOOLSET_CHOICE_NAMES.join(", ")}`, 2);
    toolsets = parsed.choice === undefined ? "all" : parsed.choice.join(",");
  }
  const endpoints = await discoverServer(ctx.http, origin);
  // The server reads ?toolsets= from the RFC 8707 resource indicator (README "Tools"): the consent page preselects it and the grant keeps it.
  const resource = toolsets ? `${origin}/?toolsets=${toolsets}` : origin;
  const scopes = [...(o.readOnly ? READ_ONLY_SCOPES : READ_WRITE_SCOPES)];
  const unsupported = scopes.filter((s) => endpoints.scopesSupported.length > 0 && !endpoints.scopesSupported.includes(s));
  if (unsupported.length > 0) throw new CliError(`${origin} does not offer the scope${unsupported.length === 1 ? "" : "s"} ${unsupported.join(" ")} (it offers ${endpoints.scopesSupported.join(" ")})`);

  const state = base64Url(crypto.getRandomValues(new Uint8Array(24)));
  const callback = await startLoopbackCallback({ state, issuer: endpoints.issuer, timeoutMs: o.timeoutMs });
  const onInterrupt = () => callback.close();
  process.once("SIGINT", onInterrupt);
  try {
    // The client registered by an earlier login is reused: loopback redirects may change port (RFC 8252 §7.3).
    const previous = ctx.store.read(origin);
    let clientId = previous?.registrationEndpoint === endpoints.registrationEndpoint ? previous.clientId : undefined;
    if (!clientId) {
      let registered;
      try {
        registered = await registerClient(ctx.http, origin, { client_name: "xano-mcp-token (command line)", redirect_uris: [callback.redirectUri] }, endpoints.registrationEndpoint);
      } catch (error) {
        throw new CliError(`Cannot reach ${origin} (${describeNetworkError(error)})`);
      }
      if (registered.response.status !== 201 || typeof registered.client.client_id !== "string") {
        throw new CliError(`${origin} refused to register this CLI as a client: HTTP ${registered.response.status} ${registered.client.error_description ?? registered.client.error ?? ""}`.trim());
      }
      clientId = registered.client.client_id as string;
    }
    const pkce = await newPkce();
    const url = new URL(endpoints.authorizationEndpoint);
    url.search = authorizeUrl(origin, { clientId, redirectUri: callback.redirectUri, challenge: pkce.challenge, state, scopes, params: { resource } }).search;

    ctx.say(`Sign in to ${origin} in your browser${o.readOnly ? " (read-only access)" : ""}${toolsets ? ` (toolsets: ${toolsets})` : ""}:`);
    ctx.say("");
    ctx.say(`  ${url}`);
    ctx.say("");
    if (o.browser && openBrowser(url.toString())) ctx.say("(A browser should have opened it; if not, open the URL above.)");
    ctx.say(`Waiting for the browser to come back to ${callback.redirectUri} …`);

    const code = await callback.code;
    const { response, body } = await postForm(ctx.http, endpoints.tokenEndpoint, {
      grant_type: "authorization_code",
      client_id: clientId,
      redirect_uri: callback.redirectUri,
      code,
      code_verifier: pkce.verifier,
      resource,
    });
    if (response.status !== 200 || typeof body.access_token !== "string" || typeof body.refresh_token !== "string") {
      throw new CliError(`${origin} did not exchange the code for tokens: HTTP ${response.status} ${body.error ?? ""} ${body.error_description ?? ""}`.trim());
    }
    const record: StoredSignIn = {
      server: origin,
      resource,
      clientId,
      scope: body.scope ?? scopes.join(" "),
      toolsets,
      tokenEndpoint: endpoints.tokenEndpoint,
      revocationEndpoint: endpoints.revocationEndpoint,
      registrationEndpoint: endpoints.registrationEndpoint,
      refreshToken: body.refresh_token,
      ...tokenFields(body, ctx.now()),
    };
    ctx.store.write(record);
    ctx.say(`Signed in to ${origin} with ${describeAccess(record)}. Saved in ${ctx.store.pathFor(origin)}.`);
    // The sign-in this one replaces would otherwise live on at the server (and on /apps) with nobody holding it.
    if (previous && previous.revocationEndpoint) {
      await postForm(ctx.http, previous.revocationEndpoint, { token: previous.refreshToken, token_type_hint: "refresh_token", client_id: previous.clientId }).catch(() => {});
    }
    ctx.say(`Get a token with: npx xano-mcp-token token --server ${origin}`);
  } finally {
    process.removeListener("SIGINT", onInterrupt);
    callback.close();
  }
}

function describeAccess(record: StoredSignIn): string {
  const access = record.scope.split(" ").includes(WRITE_SCOPE) ? "read and write access" : "read-only access";
  return record.toolsets ? `${access}, toolsets ${record.toolsets}` : access;
}

/** The stored sign-in for --server, or the only one there is. */
export function chooseSignIn(ctx: Context, server: string | undefined): StoredSignIn {
  if (server) {
    const { origin } = parseServerUrl(server);
    const record = ctx.store.read(origin);
    if (!record) throw new CliError(`Not signed in to ${origin}: run \`npx xano-mcp-token login --server ${origin}\``);
    return record;
  }
  const all = ctx.store.list();
  if (all.length === 0) throw new CliError("Not signed in to any server: run `npx xano-mcp-token login --server URL`");
  if (all.length > 1) throw new CliError(`Signed in to ${all.length} servers (${all.map((r) => r.server).join(", ")}): say which with --server`, 2);
  return all[0];
}

export async function token(ctx: Context, o: { server?: string }): Promise<void> {
  const found = chooseSignIn(ctx, o.server);
  if (found.accessTokenExpiresAt - ctx.now() > REFRESH_MARGIN_MS) return ctx.print(found.accessToken);
  const accessToken = await ctx.store.withLock(found.server, async () => {
    // Read again under the lock: another `token` may have refreshed while this one waited.
    const record = ctx.store.read(found.server);
    if (!record) throw new CliError(`Not signed in to ${found.server} any more (logged out meanwhile)`);
    if (record.accessTokenExpiresAt - ctx.now() > REFRESH_MARGIN_MS) return record.accessToken;
    return refresh(ctx, record);
  });
  ctx.print(accessToken);
}

async function refresh(ctx: Context, record: StoredSignIn): Promise<string> {
  const { response, body } = await postForm(ctx.http, record.tokenEndpoint, { grant_type: "refresh_token", refresh_token: record.refreshToken, client_id: record.clientId });
  if (response.status === 400 || response.status === 401) {
    throw new CliError(`The sign-in to ${record.server} has ended (${body.error ?? `HTTP ${response.status}`}): run \`npx xano-mcp-token login --server ${record.server}\``);
  }
  if (response.status !== 200 || typeof body.access_token !== "string") {
    throw new CliError(`${record.server} could not refresh the token: HTTP ${response.status} ${body.error ?? ""}`.trim());
  }
  // Refresh tokens rotate: the new one is on disk before the access token goes out, or the next call would hold a dead one.
  ctx.store.write({ ...record, refreshToken: body.refresh_token ?? record.refreshToken, scope: body.scope ?? record.scope, ...tokenFields(body, ctx.now()) });
  return body.access_token;
}

export async function status(ctx: Context, o: { server?: string }): Promise<void> {
  const records = o.server ? [chooseSignIn(ctx, o.server)] : ctx.store.list();
  if (records.length === 0) {
    ctx.print(`Not signed in to any server (${ctx.store.dir}).`);
    return;
  }
  for (const record of records) {
    const left = Math.round((record.accessTokenExpiresAt - ctx.now()) / 1000);
    const expiry = left > 0 ? `access token valid for ${formatSeconds(left)}` : "access token expired (the next `token` refreshes it)";
    ctx.print(`${record.server}: signed in with ${describeAccess(record)}; ${expiry}; ${ctx.store.pathFor(record.server)}`);
  }
}

function formatSeconds(seconds: number): string {
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)} min`;
  return `${seconds} s`;
}

/** Revokes the grant (RFC 7009, the refresh token) and deletes the file; the file goes even when revocation fails, which is then reported. */
export async function logout(ctx: Context, o: { server?: string }): Promise<void> {
  const record = chooseSignIn(ctx, o.server);
  let failure: string | null = null;
  if (!record.revocationEndpoint) failure = `${record.server} names no revocation endpoint`;
  else {
    try {
      const { response, body } = await postForm(ctx.http, record.revocationEndpoint, { token: record.refreshToken, token_type_hint: "refresh_token", client_id: record.clientId });
      if (response.status !== 200) failure = `HTTP ${response.status} ${body.error ?? ""}`.trim();
    } catch (error) {
      failure = (error as Error).message;
    }
  }
  ctx.store.delete(record.server);
  if (failure) throw new CliError(`Deleted the local sign-in for ${record.server}, but could not revoke it at the server (${failure}); revoke it on ${record.server}/apps`);
  ctx.say(`Signed out of ${record.server}: the grant is revoked and ${ctx.store.pathFor(record.server)} is deleted.`);
}
