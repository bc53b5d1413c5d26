/**
 * The official MCP SDK client, driving the whole OAuth flow against the Worker: 401 → discovery →
 * registration → /authorize pages (through TestBrowser) → code exchange with PKCE → tool calls.
 */
import { SELF } from "cloudflare:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { UnauthorizedError, auth, extractWWWAuthenticateParams, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
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

export type SignInAs = (
  | { instanceUrl: string; token: string }
  | { method: "app_auth"; email: string; password: string }
  | { method: "xano_oauth"; email: string; password: string; instance?: string }
) & {
  /** The choice on the consent page ("What may it do?"); unset keeps the page's preselection. */
  access?: "read" | "read_write";
  /** The toolsets ticked on the consent page ("Which tools may it see?"); unset keeps the preselection. */
  toolsets?: string[];
};

/** Follows an authorization URL through the sign-in and consent pages (and Xano's, if chosen); returns the code. */
export async function authorizeInBrowser(browser: TestBrowser, authorizationUrl: URL, signIn: SignInAs): Promise<{ code: string; redirect: URL }> {
  let response = await browser.fetch(authorizationUrl.toString());
  let page = await response.text();
  let via = "session";
  if (page.includes('name="step" value="sign-in"') || page.includes('name="step" value="xano-oauth"')) {
    expect(response.status).toBe(200);
    const forms = parseForms(page);
    if ("token" in signIn) {
      const form = forms.find((f) => f.fields.method === "metadata_token")!;
      response = await browser.submit(form, {
        [fieldNameForLabel(page, "Instance URL")]: signIn.instanceUrl,
        [fieldNameForLabel(page, "Metadata API token")]: signIn.token,
      });
    } else if (signIn.method === "app_auth") {
      const form = forms.find((f) => f.fields.method === "app_auth")!;
      response = await browser.submit(form, { [fieldNameForLabel(page, "Email")]: signIn.email, [fieldNameForLabel(page, "Password")]: signIn.password });
    } else {
      const form = forms.find((f) => f.fields.step === "xano-oauth")!;
      response = await browser.submit(form, {});
      via = "xano_oauth";
    }
    page = await response.text();
  }
  expect(response.status, page).toBe(200);
  expect(page).toContain("Allow");
  const [consent] = parseForms(page);
  const allow = consent.buttons.find((b) => b.text === "Allow");
  if (!allow) throw new Error("consent page has no Allow button");
  response = await browser.submit(consent, { ...(signIn.access ? { access: signIn.access } : {}), ...(signIn.toolsets ? { toolsets: signIn.toolsets } : {}) }, allow);
  expect(response.status).toBe(302);
  if (via === "xano_oauth" && "email" in signIn) {
    // Xano's own sign-in and instance picker (fake-xano's page), then back to our callback.
    const xanoUrl = new URL(response.headers.get("Location")!);
    const xanoPage = await (await browser.fetch(xanoUrl.toString())).text();
    const [xanoForm] = parseForms(xanoPage, xanoUrl.origin);
    const values: Record<string, string> = { email: signIn.email, password: signIn.password };
    if ("instance" in signIn && signIn.instance) values.instance = signIn.instance;
    const back = await browser.submit(xanoForm, values, { name: "decision", value: "approve" });
    expect(back.status).toBe(302);
    response = await browser.fetch(back.headers.get("Location")!);
    expect(response.status, await response.clone().text()).toBe(302);
  }
  const redirect = new URL(response.headers.get("Location")!);
  const code = redirect.searchParams.get("code");
  if (!code) throw new Error(`no code in redirect: ${redirect.search}`);
  return { code, redirect };
}

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
