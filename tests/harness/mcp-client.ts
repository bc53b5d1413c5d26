/**
 * The official MCP SDK client, driving the whole OAuth flow against the Worker: 401 → discovery →
 * registration → /authorize pages (TestBrowser, scripts/lib/oauth-http-client.ts) → code exchange with PKCE → tool calls.
 */
import { SELF } from "cloudflare:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { UnauthorizedError, auth, extractWWWAuthenticateParams, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { expect } from "vitest";
import { authorizeInBrowser, type SignInAs } from "../../scripts/lib/oauth-http-client";
import { ORIGIN, TestBrowser } from "./browser";

export const REDIRECT_URL = "http://localhost:3000/callback";

/** The in-memory OAuthClientProvider a desktop MCP client would keep on disk. */
export class MemoryOAuthProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  savedTokens?: OAuthTokens;
  verifier?: string;
  authorizationUrl?: URL;

  get redirectUrl() {
    return REDIRECT_URL;
  }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: "Test MCP Client", redirect_uris: [REDIRECT_URL], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.savedTokens;
  }
  saveTokens(tokens: OAuthTokens) {
    this.savedTokens = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    if (!this.verifier) throw new Error("no code verifier saved");
    return this.verifier;
  }
}

/** fetch into the Worker, with the Host header every real HTTP client sends. */
export const workerFetch: typeof fetch = (input, init) => {
  const request = input instanceof Request ? new Request(input, init) : new Request(input.toString(), init);
  if (!request.headers.has("Host")) request.headers.set("Host", new URL(request.url).host);
  return SELF.fetch(request);
};

export { authorizeInBrowser, type SignInAs } from "../../scripts/lib/oauth-http-client";

export type TransportKind = "streamable" | "sse";

function makeTransport(kind: TransportKind, provider: MemoryOAuthProvider, path: string) {
  return kind === "streamable"
    ? new StreamableHTTPClientTransport(new URL(`${ORIGIN}${path}`), { authProvider: provider, fetch: workerFetch })
    : new SSEClientTransport(new URL(`${ORIGIN}${path}`), { authProvider: provider, fetch: workerFetch });
}

/**
 * Connects an SDK client to `path` (the server URL's path and query; /mcp or /sse by default),
 * doing the whole OAuth dance the first time.
 */
export async function connectWithOAuth(signIn: SignInAs, kind: TransportKind = "streamable", provider = new MemoryOAuthProvider(), browser = new TestBrowser(), path = kind === "sse" ? "/sse" : "/mcp") {
  if (kind === "sse") {
    // The SDK's SSE transport re-enters auth from EventSource error events; drive the same steps
    // with its auth() directly instead: the 401's challenge (whose resource_metadata the transport
    // passes on, as here), discovery → registration → authorization → code exchange.
    const serverUrl = new URL(`${ORIGIN}${path}`);
    let resourceMetadataUrl: URL | undefined;
    if (!provider.savedTokens) {
      const challenged = await workerFetch(serverUrl, { headers: { Accept: "text/event-stream" } });
      expect(challenged.status).toBe(401);
      resourceMetadataUrl = extractWWWAuthenticateParams(challenged).resourceMetadataUrl;
      await challenged.body?.cancel();
    }
    const started = await auth(provider, { serverUrl, resourceMetadataUrl, fetchFn: workerFetch });
    if (started === "REDIRECT") {
      const { code } = await authorizeInBrowser(browser, provider.authorizationUrl!, signIn);
      expect(await auth(provider, { serverUrl, resourceMetadataUrl, authorizationCode: code, fetchFn: workerFetch })).toBe("AUTHORIZED");
    }
    const client = new Client({ name: "test-client", version: "1.0.0" });
    await client.connect(makeTransport("sse", provider, path));
    return { client, provider, browser };
  }
  const first = makeTransport(kind, provider, path);
  const probe = new Client({ name: "test-client", version: "1.0.0" });
  let authorized = false;
  try {
    await probe.connect(first);
    authorized = true;
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
  }
  if (!authorized) {
    if (!provider.authorizationUrl) throw new Error("the SDK did not ask for authorization");
    const { code } = await authorizeInBrowser(browser, provider.authorizationUrl, signIn);
    await first.finishAuth(code);
  }
  const client = authorized ? probe : new Client({ name: "test-client", version: "1.0.0" });
  if (!authorized) await client.connect(makeTransport(kind, provider, path));
  return { client, provider, browser };
}

/** Calls a tool and returns its envelope (structuredContent). */
export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  return { result, envelope: result.structuredContent as Record<string, any> };
}
