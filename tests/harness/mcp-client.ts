/**
 * The official MCP SDK client, driving the whole OAuth flow against the Worker: 401 → discovery →
 * registration → /authorize pages (through TestBrowser) → code exchange with PKCE → tool calls.
 */
import { SELF } from "cloudflare:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { UnauthorizedError, auth, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { expect } from "vitest";
import { ORIGIN, TestBrowser, fieldNameForLabel, parseForms } from "./browser";

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

export interface SignInAs {
  instanceUrl: string;
  token: string;
}

/** Follows an authorization URL through the sign-in and consent pages; returns the code. */
export async function authorizeInBrowser(browser: TestBrowser, authorizationUrl: URL, signIn: SignInAs): Promise<{ code: string; redirect: URL }> {
  let response = await browser.fetch(authorizationUrl.toString());
  let page = await response.text();
  if (page.includes('name="step" value="sign-in"')) {
    expect(response.status).toBe(200);
    const [form] = parseForms(page);
    response = await browser.submit(form, {
      [fieldNameForLabel(page, "Instance URL")]: signIn.instanceUrl,
      [fieldNameForLabel(page, "Metadata API token")]: signIn.token,
    });
    page = await response.text();
  }
  expect(response.status, page).toBe(200);
  expect(page).toContain("Allow");
  const [consent] = parseForms(page);
  const allow = consent.buttons.find((b) => b.text === "Allow");
  if (!allow) throw new Error("consent page has no Allow button");
  response = await browser.submit(consent, {}, allow);
  expect(response.status).toBe(302);
  const redirect = new URL(response.headers.get("Location")!);
  const code = redirect.searchParams.get("code");
  if (!code) throw new Error(`no code in redirect: ${redirect.search}`);
  return { code, redirect };
}

export type TransportKind = "streamable" | "sse";

function makeTransport(kind: TransportKind, provider: MemoryOAuthProvider) {
  return kind === "streamable"
    ? new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp`), { authProvider: provider, fetch: workerFetch })
    : new SSEClientTransport(new URL(`${ORIGIN}/sse`), { authProvider: provider, fetch: workerFetch });
}

/** Connects an SDK client, doing the whole OAuth dance the first time. */
export async function connectWithOAuth(signIn: SignInAs, kind: TransportKind = "streamable", provider = new MemoryOAuthProvider(), browser = new TestBrowser()) {
  if (kind === "sse") {
    // The SDK's SSE transport re-enters auth from EventSource error events; drive the same
    // discovery → registration → authorization → code exchange with its auth() directly instead.
    const serverUrl = new URL(`${ORIGIN}/sse`);
    const started = await auth(provider, { serverUrl, fetchFn: workerFetch });
    if (started === "REDIRECT") {
      const { code } = await authorizeInBrowser(browser, provider.authorizationUrl!, signIn);
      expect(await auth(provider, { serverUrl, authorizationCode: code, fetchFn: workerFetch })).toBe("AUTHORIZED");
    }
    const client = new Client({ name: "test-client", version: "1.0.0" });
    await client.connect(makeTransport("sse", provider));
    return { client, provider, browser };
  }
  const first = makeTransport(kind, provider);
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
  if (!authorized) await client.connect(makeTransport(kind, provider));
  return { client, provider, browser };
}

/** Calls a tool and returns its envelope (structuredContent). */
export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  return { result, envelope: result.structuredContent as Record<string, any> };
}
