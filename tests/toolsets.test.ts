/**
 * Toolsets through the real Worker and the official MCP SDK client: what a connection lists when
 * its grant chose toolsets on the consent page, when its URL says ?toolsets=, on both transports;
 * the clear answer to a call of a tool it does not list; what /apps shows; how a `?toolsets=` on the
 * server URL survives sign-in (the SDK's own discovery, and a `resource` naming /mcp?toolsets=).
 * (The vitest binding XANO_TOOLSETS is "all"; tests/units.test.ts checks the real default, the
 * common path.)
 */
import { describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { ALICE_METADATA_TOKEN } from "../fixtures/seed";
import { ORIGIN, TestBrowser, fieldNameForLabel, parseForms } from "./harness/browser";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { MemoryOAuthProvider, callTool, connectWithOAuth, workerFetch } from "./harness/mcp-client";
import { toolsFor } from "../src/mcp/tools";
import { CATALOGUE_TOOL_NAMES, TOOLSETS, TOOLSET_LABELS } from "../src/mcp/tools/toolsets";
import { carriedToolsets, generalResourceIndicator } from "../src/front-door/toolsets-through-sign-in";
import { authorizeUrl, codeExchange, consentPageAs, pkcePair, refresh, register, signedInCode } from "./harness/oauth-flow";

useFakeXano();
const alice = { instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN };
const ALL = toolsFor({ debugTools: true });
const namesIn = (...sets: string[]) => ALL.filter((t) => sets.includes(t.toolset) || CATALOGUE_TOOL_NAMES.includes(t.name)).map((t) => t.name);

async function listed(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((t) => t.name);
}

/** A second client on the same grant (its tokens), at another URL of the server. */
async function reconnect(provider: MemoryOAuthProvider, path: string, kind: "streamable" | "sse" = "streamable"): Promise<Client> {
  const url = new URL(`${ORIGIN}${path}`);
  const transport = kind === "streamable" ? new StreamableHTTPClientTransport(url, { authProvider: provider, fetch: workerFetch }) : new SSEClientTransport(url, { authProvider: provider, fetch: workerFetch });
  const client = new Client({ name: "toolsets-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

describe("?toolsets= on the server URL", () => {
  it("a connection made with ?toolsets=data lists only data tools and the two catalogue tools, in catalogue order", async () => {
    const { provider } = await connectWithOAuth(alice);
    const client = await reconnect(provider, "/mcp?toolsets=data");
    const names = await listed(client);
    expect(names).toEqual(namesIn("data"));
    expect(names).toEqual(expect.arrayContaining([...CATALOGUE_TOOL_NAMES]));
    expect(await listed(client)).toEqual(names); // deterministic
    const { envelope } = await callTool(client, "xano_list_tables", { workspace_id: 1 });
    expect(envelope.success).toBe(true);
  });

  it("the legacy /sse door keeps ?toolsets= for every message of the session", async () => {
    const { provider } = await connectWithOAuth(alice);
    const client = await reconnect(provider, "/sse?toolsets=logic", "sse");
    expect(await listed(client)).toEqual(namesIn("logic"));
  });

  it("calling a tool outside the connection's toolsets answers TOOL_NOT_AVAILABLE, naming its toolset and the URL fix", async () => {
    const { provider } = await connectWithOAuth(alice);
    const client = await reconnect(provider, "/mcp?toolsets=data");
    const { result, envelope } = await callTool(client, "xano_list_functions", { workspace_id: 1 });
    expect(result.isError).toBe(true);
    expect(envelope.error.code).toBe("TOOL_NOT_AVAILABLE");
    expect(envelope.error.details).toEqual({ toolset: "logic", enable: "url" });
    expect(envelope.error.message).toContain('xano_list_functions is not available on this connection: it is in the "logic" toolset');
    expect(envelope.error.message).toContain("?toolsets=");
  });

  it("an unknown toolset in the URL is a 400 JSON-RPC error naming it and the valid names", async () => {
    const { provider } = await connectWithOAuth(alice);
    const response = await workerFetch(`${ORIGIN}/mcp?toolsets=data,bogus`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: `Bearer ${provider.savedTokens!.access_token}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(-32602);
    expect(body.error.message).toContain("Unknown toolset in ?toolsets=: bogus");
    expect(body.error.message).toContain("default, data, logic");
  });
});

describe("toolsets chosen on the consent page", () => {
  it("the consent page offers every toolset as a labelled checkbox, preselected from XANO_TOOLSETS (all here)", async () => {
    const { page } = await consentPageFor(ORIGIN);
    const consent = parseForms(page).find((f) => f.fields.step === "consent")!;
    expect(consent.checked.toolsets).toEqual(["default", ...TOOLSETS]);
    for (const set of TOOLSETS) expect(fieldNameForLabel(page, TOOLSET_LABELS[set])).toBe("toolsets");
    expect(fieldNameForLabel(page, "Everyday tools")).toBe("toolsets");
    expect(page).toContain("<legend>Which tools may it see?</legend>");
  });

  it("a resource indicator carrying ?toolsets= preselects those toolsets, on the origin or on /mcp", async () => {
    for (const resource of [`${ORIGIN}/?toolsets=data,agents`, `${ORIGIN}/mcp?toolsets=agents,data`]) {
      const { page } = await consentPageFor(resource);
      expect(parseForms(page).find((f) => f.fields.step === "consent")!.checked.toolsets, resource).toEqual(["data", "agents"]);
    }
  });

  it("unticking changes what the grant lists; the URL narrows within it; an unapproved tool says to reconnect; /apps shows the choice", async () => {
    const browser = new TestBrowser();
    const { client, provider } = await connectWithOAuth({ ...alice, toolsets: ["data", "agents"] }, "streamable", new MemoryOAuthProvider(), browser);
    expect(await listed(client)).toEqual(namesIn("data", "agents"));

    const narrowed = await reconnect(provider, "/mcp?toolsets=agents,logic");
    expect(await listed(narrowed)).toEqual(namesIn("agents")); // logic was not approved: the URL cannot add it

    const { envelope } = await callTool(client, "xano_list_functions", { workspace_id: 1 });
    expect(envelope.error.code).toBe("TOOL_NOT_AVAILABLE");
    expect(envelope.error.details).toEqual({ toolset: "logic", enable: "reconnect" });
    expect(envelope.error.message).toContain(`tick "${TOOLSET_LABELS.logic}" on the consent page`);

    const apps = await (await browser.fetch("/apps")).text();
    expect(apps).toContain(`<dt>Tools</dt><dd>${TOOLSET_LABELS.data}; ${TOOLSET_LABELS.agents}</dd>`);
  });

  it("a grant that chose the everyday tools lists the common path (the XANO_TOOLSETS default)", async () => {
    const { client } = await connectWithOAuth({ ...alice, toolsets: ["default"] });
    const names = await listed(client);
    expect(names).toEqual(toolsFor({ debugTools: true }, { toolsets: "default" }).map((t) => t.name));
    expect(names.length).toBeGreaterThanOrEqual(50);
    expect(names.length).toBeLessThanOrEqual(70);
  });

  it("a read-only grant with toolsets lists only their read tools, and a write among them is refused with the step-up challenge", async () => {
    const { client, provider } = await connectWithOAuth({ ...alice, access: "read", toolsets: ["data"] });
    const names = await listed(client);
    expect(names).toEqual(ALL.filter((t) => (t.toolset === "data" || CATALOGUE_TOOL_NAMES.includes(t.name)) && (t.annotations.readOnlyHint || t.checksScopePerCall)).map((t) => t.name));
    const response = await workerFetch(`${ORIGIN}/mcp`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: `Bearer ${provider.savedTokens!.access_token}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "xano_create_table", arguments: { workspace_id: 1, name: "x" } } }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("WWW-Authenticate")).toContain('error="insufficient_scope"');
    // The step-up challenge at a URL with ?toolsets= keeps the choice for the new sign-in.
    const stepUp = await workerFetch(`${ORIGIN}/mcp?toolsets=data`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: `Bearer ${provider.savedTokens!.access_token}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "xano_create_table", arguments: { workspace_id: 1, name: "x" } } }),
    });
    expect(stepUp.status).toBe(403);
    expect(stepUp.headers.get("WWW-Authenticate")).toContain(`resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource?toolsets=data"`);
  });

  it("a consent form naming an unknown toolset is refused, never widened", async () => {
    const { page, browser } = await consentPageFor(ORIGIN);
    const consent = parseForms(page).find((f) => f.fields.step === "consent")!;
    const response = await browser.submit(consent, { toolsets: ["data", "everything"] }, { name: "decision", value: "approve" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("named a toolset this server does not have");
  });
});

describe("?toolsets= on the server URL, through sign-in", () => {
  it("a client connecting to /mcp?toolsets=data follows the SDK's discovery to a grant of data: listed without the URL too, shown on /apps", async () => {
    const browser = new TestBrowser();
    const provider = new MemoryOAuthProvider();
    const { client } = await connectWithOAuth(alice, "streamable", provider, browser, "/mcp?toolsets=data");
    // The SDK sent the resource our challenge's metadata named; the consent page preselected data.
    expect(provider.authorizationUrl!.searchParams.get("resource")).toBe(`${ORIGIN}/?toolsets=data`);
    expect(await listed(client)).toEqual(namesIn("data"));
    // The grant holds the choice, not only the URL: the same tokens on the bare /mcp list the same.
    expect(await listed(await reconnect(provider, "/mcp"))).toEqual(namesIn("data"));
    const apps = await (await browser.fetch("/apps")).text();
    expect(apps).toContain(`<dt>Tools</dt><dd>${TOOLSET_LABELS.data}</dd>`);
  });

  it("the legacy /sse door carries ?toolsets= through sign-in the same way", async () => {
    const provider = new MemoryOAuthProvider();
    const { client } = await connectWithOAuth(alice, "sse", provider, new TestBrowser(), "/sse?toolsets=logic");
    expect(await listed(client)).toEqual(namesIn("logic"));
    expect(await listed(await reconnect(provider, "/mcp"))).toEqual(namesIn("logic"));
  });

  it("the person can still change the preselection: the grant stores what was ticked, the URL narrows within it", async () => {
    const provider = new MemoryOAuthProvider();
    const { client } = await connectWithOAuth({ ...alice, toolsets: ["data", "logic"] }, "streamable", provider, new TestBrowser(), "/mcp?toolsets=data");
    expect(await listed(client)).toEqual(namesIn("data"));
    expect(await listed(await reconnect(provider, "/mcp"))).toEqual(namesIn("data", "logic"));
  });

  it("the 401 from /mcp?toolsets= names metadata that carries the choice (canonical order); that document names the resource with it", async () => {
    const challenge = async (path: string) => (await workerFetch(`${ORIGIN}${path}`, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" }, body: "{}" })).headers.get("WWW-Authenticate") ?? "";
    const metadataUrl = `${ORIGIN}/.well-known/oauth-protected-resource?toolsets=data,logic`;
    expect(await challenge("/mcp?toolsets=logic,data")).toContain(`resource_metadata="${metadataUrl}"`);
    expect(await challenge("/sse?toolsets=data,logic")).toContain(`resource_metadata="${metadataUrl}"`);
    // Without the parameter, or with a name that does not exist, the challenge is the usual one.
    for (const path of ["/mcp", "/mcp?toolsets=data,bogus"]) expect(await challenge(path)).toContain(`resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource"`);

    const root = await (await workerFetch(`${ORIGIN}/.well-known/oauth-protected-resource`)).json();
    const document = await workerFetch(metadataUrl, { headers: { Origin: "https://inspector.example" } });
    expect(document.status).toBe(200);
    expect(document.headers.get("Access-Control-Allow-Origin")).toBe("https://inspector.example");
    expect(await document.json()).toEqual({ ...(root as object), resource: `${ORIGIN}/?toolsets=data,logic` });
  });

  it("a client that sends resource=<server>/mcp?toolsets=data (RFC 8707) gets data preselected, a token that passes the audience check, and refreshes", async () => {
    const resource = `${ORIGIN}/mcp?toolsets=data`;
    const flow = await signedInCode({ authorize: { resource }, signIn: alice });
    const exchanged = await codeExchange(flow, { resource });
    expect(exchanged.response.status, JSON.stringify(exchanged.body)).toBe(200);
    const provider = new MemoryOAuthProvider();
    provider.savedTokens = { access_token: exchanged.body.access_token, token_type: "bearer" };
    expect(await listed(await reconnect(provider, "/mcp"))).toEqual(namesIn("data"));
    const refreshed = await refresh(flow.clientId, exchanged.body.refresh_token);
    expect(refreshed.response.status, JSON.stringify(refreshed.body)).toBe(200);
    // Another path of this origin is still another resource.
    const { client } = await register();
    const refused = await new TestBrowser().fetch(authorizeUrl(client.client_id, (await pkcePair()).challenge, { resource: `${ORIGIN}/other?toolsets=data` }).toString());
    expect(refused.status).toBe(302);
    expect(new URL(refused.headers.get("Location")!).searchParams.get("error")).toBe("invalid_target");
  });

  it("a token whose grant chose data, used on /mcp?toolsets=logic, lists only the catalogue tools and says to reconnect for logic", async () => {
    const provider = new MemoryOAuthProvider();
    await connectWithOAuth(alice, "streamable", provider, new TestBrowser(), "/mcp?toolsets=data");
    const client = await reconnect(provider, "/mcp?toolsets=logic");
    expect(await listed(client)).toEqual(namesIn());
    const { envelope } = await callTool(client, "xano_list_functions", { workspace_id: 1 });
    expect(envelope.error.code).toBe("TOOL_NOT_AVAILABLE");
    expect(envelope.error.details).toEqual({ toolset: "logic", enable: "reconnect" });
  });
});

describe("carrying ?toolsets= (the pure rules of front-door/toolsets-through-sign-in.ts)", () => {
  it("carries a choice that parses, in canonical order; nothing for an absent or unknown one", () => {
    const carried = (query: string) => carriedToolsets(new URL(`${ORIGIN}/mcp${query}`));
    expect(carried("?toolsets=logic,data")).toBe("data,logic");
    expect(carried("?toolsets=agents%2Cdefault")).toBe("default,agents");
    expect(carried("?toolsets=data,all")).toBe("all");
    expect(carried("")).toBeNull();
    expect(carried("?toolsets=")).toBeNull();
    expect(carried("?toolsets=data,bogus")).toBeNull();
  });

  it("maps a resource naming /mcp or /sse of this origin to the origin, query kept; leaves every other value to the library", () => {
    const options = { publicUrl: ORIGIN, mcpPaths: ["/mcp", "/sse"] };
    expect(generalResourceIndicator(`${ORIGIN}/mcp?toolsets=data`, options)).toBe(`${ORIGIN}/?toolsets=data`);
    expect(generalResourceIndicator(`${ORIGIN}/sse`, options)).toBe(ORIGIN);
    for (const other of [ORIGIN, `${ORIGIN}/?toolsets=data`, `${ORIGIN}/mcp/x`, `${ORIGIN}/other?toolsets=data`, `${ORIGIN}/mcp#f`, "https://other.example/mcp?toolsets=data", "http://u:p@localhost:8787/mcp", "not a url"]) {
      expect(generalResourceIndicator(other, options), other).toBeNull();
    }
  });
});

/** Opens /authorize with `resource`, signed in as alice; returns the consent page. */
const consentPageFor = (resource: string) => consentPageAs("Toolsets Test", { resource });
