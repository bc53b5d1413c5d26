/**
 * The OAuth and MCP requests a client sends, as plain HTTP into the Worker, for the conformance and
 * attack suites: registration, PKCE, the authorization request, the token endpoint (all from
 * scripts/lib/oauth-http-client.ts, with SELF.fetch), and one MCP request per spec revision (each
 * revision's own wire shape and headers).
 */
import { SELF, env } from "cloudflare:test";
import { getOAuthApi, type OAuthHelpers, type OAuthProviderOptions } from "@cloudflare/workers-oauth-provider";
import { expect } from "vitest";
import { ALICE_METADATA_TOKEN } from "../../fixtures/seed";
import { authorizeInBrowser, authorizeUrl as authorizeUrlOf, newPkce, registerClient, tokenRequest, type Fetch, type SignInAs } from "../../scripts/lib/oauth-http-client";
import { ORIGIN, TestBrowser, fieldNameForLabel, parseForms } from "./browser";
import { SHARED_INSTANCE_URL } from "./fake-xano-network";

export const REDIRECT = "http://localhost:3000/callback";
export const ALICE: SignInAs = { instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN };

/** fetch into the Worker (the OAuth client's injected fetch). */
const worker: Fetch = (input, init) => SELF.fetch(new Request(input, init));

export function register(body: Record<string, unknown> = {}) {
  return registerClient(worker, ORIGIN, { client_name: "Conformance Client", redirect_uris: [REDIRECT], ...body });
}

export const pkcePair = newPkce;

export function authorizeUrl(clientId: string, challenge: string, extra: Record<string, string> = {}) {
  // `resource: ""` in `extra` means the client does not send one (2025-03-26 clients predate RFC 8707 in MCP).
  return authorizeUrlOf(ORIGIN, { clientId, redirectUri: REDIRECT, challenge, state: "conformance-state", params: extra });
}

/** POST to the token endpoint (also the RFC 7009 revocation endpoint) with a form body. */
export function tokenEndpoint(params: Record<string, string>, path = "/oauth/token", headers: Record<string, string> = {}) {
  return tokenRequest(worker, ORIGIN, params, { path, headers });
}

export interface SignedIn {
  clientId: string;
  verifier: string;
  code: string;
  redirect: URL;
  browser: TestBrowser;
}

/** Registers a public client and walks the sign-in and consent pages (as alice unless told); returns the code. */
export async function signedInCode(options: { register?: Record<string, unknown>; authorize?: Record<string, string>; browser?: TestBrowser; signIn?: SignInAs } = {}): Promise<SignedIn> {
  const { client } = await register(options.register);
  const { verifier, challenge } = await pkcePair();
  const browser = options.browser ?? new TestBrowser();
  const { code, redirect } = await authorizeInBrowser(browser, authorizeUrl(client.client_id, challenge, options.authorize), options.signIn ?? ALICE);
  return { clientId: client.client_id, verifier, code, redirect, browser };
}

export function codeExchange(flow: Pick<SignedIn, "clientId" | "verifier" | "code">, extra: Record<string, string> = {}) {
  // `resource: ""` in `extra` leaves it out, as a 2025-03-26 client does.
  return tokenEndpoint({ grant_type: "authorization_code", code: flow.code, client_id: flow.clientId, redirect_uri: REDIRECT, code_verifier: flow.verifier, resource: ORIGIN, ...extra });
}

/** A signed-in client holding an access and a refresh token. */
export async function tokensFor(options: Parameters<typeof signedInCode>[0] = {}) {
  const flow = await signedInCode(options);
  const { response, body } = await codeExchange(flow, options.authorize?.resource === "" ? { resource: "" } : {});
  expect(response.status, JSON.stringify(body)).toBe(200);
  return { ...flow, accessToken: body.access_token as string, refreshToken: body.refresh_token as string };
}

/**
 * The library's helpers (unwrapToken, listUserGrants, revokeGrant…) over the tests' OAUTH_KV, as
 * the Worker's pages get them in `env.OAUTH_PROVIDER`. Those calls read and write only KV; the
 * handlers here are stubs.
 */
export function oauthHelpers(): OAuthHelpers {
  const unused = { fetch: () => new Response(null, { status: 500 }) };
  const options = { resourceMetadata: { resource: ORIGIN }, apiHandlers: { "/mcp": unused }, defaultHandler: unused, authorizeEndpoint: "/authorize", tokenEndpoint: "/oauth/token" } as unknown as OAuthProviderOptions<Env>;
  return getOAuthApi(options, env as unknown as Env);
}

export function refresh(clientId: string, refreshToken: string) {
  return tokenEndpoint({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId });
}

/** The MCP spec revisions this server serves, and how each one's client speaks. */
export interface Revision {
  version: string;
  /** MCP-Protocol-Version on every HTTP request after initialization (2025-06-18 and later). */
  sendsVersionHeader: boolean;
  /** 2026-07-28: stateless, no initialize; every request carries the `_meta` envelope and Mcp-Method. */
  stateless: boolean;
  /** RFC 8707 `resource` in authorization and token requests (MUST from 2025-06-18). */
  sendsResource: boolean;
  /** Finds the authorization server through protected resource metadata (RFC 9728; from 2025-06-18). */
  usesResourceMetadata: boolean;
}

export const REVISIONS: Revision[] = [
  { version: "2025-03-26", sendsVersionHeader: false, stateless: false, sendsResource: false, usesResourceMetadata: false },
  { version: "2025-06-18", sendsVersionHeader: true, stateless: false, sendsResource: true, usesResourceMetadata: true },
  { version: "2025-11-25", sendsVersionHeader: true, stateless: false, sendsResource: true, usesResourceMetadata: true },
  { version: "2026-07-28", sendsVersionHeader: true, stateless: true, sendsResource: true, usesResourceMetadata: true },
];

/** What a client of this revision adds to its authorization and token requests. */
export function resourceParam(revision: Revision): Record<string, string> {
  return revision.sendsResource ? { resource: ORIGIN } : { resource: "" };
}

/** The first request a client of this revision sends to /mcp: initialize, or (stateless) tools/list. */
export function firstMcpRequest(revision: Revision, options: { accessToken?: string; headers?: Record<string, string> } = {}): Request {
  const headers: Record<string, string> = {
    Host: new URL(ORIGIN).host,
    "Content-Type": "application/json",
    Accept: "application/json, text/event-stream",
  };
  let body: unknown;
  if (revision.stateless) {
    headers["MCP-Protocol-Version"] = revision.version;
    headers["Mcp-Method"] = "tools/list";
    body = {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/list",
      params: {
        _meta: {
          "io.modelcontextprotocol/protocolVersion": revision.version,
          "io.modelcontextprotocol/clientInfo": { name: "conformance", version: "1.0.0" },
          "io.modelcontextprotocol/clientCapabilities": {},
        },
      },
    };
  } else {
    // initialize itself carries the version in its body; the header starts with the next request.
    body = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: revision.version, capabilities: {}, clientInfo: { name: "conformance", version: "1.0.0" } } };
  }
  if (options.accessToken) headers.Authorization = `Bearer ${options.accessToken}`;
  return new Request(`${ORIGIN}/mcp`, { method: "POST", headers: { ...headers, ...options.headers }, body: JSON.stringify(body) });
}

/** A follow-up request (tools/list) with the revision's headers. */
export function toolsListRequest(revision: Revision, accessToken: string, extraHeaders: Record<string, string> = {}): Request {
  if (revision.stateless) return firstMcpRequest(revision, { accessToken, headers: extraHeaders });
  const headers: Record<string, string> = {
    Host: new URL(ORIGIN).host,
    "Content-Type": "application/json",
    Accept: "application/json, text/event-stream",
    Authorization: `Bearer ${accessToken}`,
  };
  if (revision.sendsVersionHeader) headers["MCP-Protocol-Version"] = revision.version;
  return new Request(`${ORIGIN}/mcp`, { method: "POST", headers: { ...headers, ...extraHeaders }, body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} }) });
}

/** The JSON-RPC message of a response, whether sent as JSON or as one SSE event. */
export async function jsonRpcOf(response: Response): Promise<Record<string, any>> {
  const text = await response.text();
  if ((response.headers.get("Content-Type") ?? "").includes("text/event-stream")) {
    const data = text.split("\n").find((line) => line.startsWith("data:"));
    if (!data) throw new Error(`no data event in: ${text}`);
    return JSON.parse(data.slice(5));
  }
  return JSON.parse(text);
}

/**
 * An authorization request refused with an error sent back to the (validated) client: a 302 to
 * REDIRECT carrying exactly `error`, the request's state and our issuer, and no code.
 */
export function expectErrorRedirect(response: Response, error: string, state = "conformance-state") {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("Location")!);
  expect(location.origin + location.pathname).toBe(REDIRECT);
  expect(location.searchParams.get("error")).toBe(error);
  expect(location.searchParams.get("state")).toBe(state);
  expect(location.searchParams.get("iss")).toBe(ORIGIN);
  expect(location.searchParams.has("code")).toBe(false);
}

/**
 * Registers a client named `clientName` and opens /authorize with `extra` (e.g. scope, resource),
 * signed in as alice with her Metadata API token; returns the consent page and the browser that
 * holds the sign-in.
 */
export async function consentPageAs(clientName: string, extra: Record<string, string> = {}) {
  const { client } = await register({ client_name: clientName });
  const { challenge } = await pkcePair();
  const browser = new TestBrowser();
  const signInPage = await (await browser.fetch(authorizeUrl(client.client_id, challenge, extra).toString())).text();
  const form = parseForms(signInPage).find((f) => f.fields.method === "metadata_token")!;
  const response = await browser.submit(form, { [fieldNameForLabel(signInPage, "Instance URL")]: SHARED_INSTANCE_URL, [fieldNameForLabel(signInPage, "Metadata API token")]: ALICE_METADATA_TOKEN });
  expect(response.status).toBe(200);
  return { page: await response.text(), browser };
}
