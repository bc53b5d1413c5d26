/**
 * Upstream MCP servers behind the front door (issue 17), as a real MCP client lives it: the
 * official SDK client starts from a bare 401 on /servers/{name}/mcp, discovers that server's
 * resource, signs in with Xano through the same pages, approves (pasting its own upstream token
 * for a `bearer` server), and lists and calls tools that fake-upstream-mcp answers. The fake
 * records which token every upstream call carried.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { ALICE_METADATA_TOKEN, BOB_METADATA_TOKEN } from "../fixtures/seed";
import { ALICE_UPSTREAM_TOKEN, BOB_UPSTREAM_TOKEN, createFakeUpstream } from "../fake-upstream-mcp/index";
import { fakeUpstreamHandlers } from "../fake-upstream-mcp/msw";
import { ORIGIN, TestBrowser, fieldNameForLabel, parseForms } from "./harness/browser";
import { REVISIONS, authorizeUrl, codeExchange, consentPageAs, jsonRpcOf, pkcePair, register, toolsListRequest } from "./harness/oauth-flow";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { callTool, connectWithOAuth, workerFetch, type SignInAs } from "./harness/mcp-client";
import { connectToServer as connect, rpc, serverMetadata, toolNames as names } from "./harness/upstream-door";

const upstream = createFakeUpstream();
const xano = useFakeXano(fakeUpstreamHandlers(upstream));
beforeEach(() => upstream.reset());

const alice: SignInAs = { instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN };
const bob: SignInAs = { instanceUrl: SHARED_INSTANCE_URL, token: BOB_METADATA_TOKEN };
/** Alice with her Xano account (Xano's own OAuth, fake-xano's page), not a pasted Xano token. */
const aliceWithXano: SignInAs = { method: "xano_oauth", email: "alice@example.com", password: "alice-password", instance: "x1234-5678-9012" };
const READS = ["echo_token", "get_ticket", "list_tickets", "whoami"];
const ALL = ["close_ticket", "create_ticket", "delete_ticket", ...READS].sort();

describe("discovery of /servers/{name}/mcp", () => {
  it("answers 401 naming that server's protected resource metadata, which names the server as the resource", async () => {
    const challenged = await workerFetch(`${ORIGIN}/servers/desk/mcp`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(challenged.status).toBe(401);
    expect(challenged.headers.get("WWW-Authenticate")).toContain(`resource_metadata="${serverMetadata("desk")}"`);
    const metadata = await workerFetch(serverMetadata("desk"));
    expect(metadata.status).toBe(200);
    expect(await metadata.json()).toMatchObject({ resource: `${ORIGIN}/servers/desk/mcp`, authorization_servers: [ORIGIN], resource_name: "Support desk" });
    expect((await workerFetch(serverMetadata("nope"))).status).toBe(404);
  });
});

describe("auth none", () => {
  it("lists and calls the upstream's tools, resources and prompts, sending no credential upstream", async () => {
    const { client, token } = await connect("open-desk", alice);
    expect(await names(client)).toEqual(ALL);
    expect((await callTool(client, "whoami")).envelope).toEqual({ user: "anonymous", name: null });
    const created = await callTool(client, "create_ticket", { subject: "From the front door" });
    expect(created.envelope).toMatchObject({ owner: "anonymous", subject: "From the front door", status: "open" });

    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(["desk://summary"]);
    const read = await client.readResource({ uri: "desk://summary" });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toEqual({ user: "anonymous", open: 1 });
    expect((await client.listPrompts()).prompts.map((p) => p.name)).toEqual(["triage"]);
    const prompt = await client.getPrompt({ name: "triage", arguments: { id: "7" } });
    expect(prompt.messages[0].content).toMatchObject({ type: "text", text: "Triage ticket 7 for anonymous." });

    expect(upstream.calls.length).toBeGreaterThan(0);
    expect(upstream.calls.every((call) => call.token === null)).toBe(true);
    expect(JSON.stringify(upstream.calls)).not.toContain(token);
  });
});

describe("auth bearer", () => {
  it("the sign-in page names the server and offers every sign-in, Sign in with Xano first", async () => {
    const { client } = await register({ client_name: "Desk Client" });
    const { challenge } = await pkcePair();
    const page = await (await workerFetch(authorizeUrl(client.client_id, challenge, { resource: `${ORIGIN}/servers/desk/mcp` }))).text();
    expect(page).toContain("wants to use <strong>Support desk</strong>");
    expect(page).toContain("Metadata API token");
    expect(page).toContain("Sign in with Xano");
    expect(page.indexOf("Sign in with Xano")).toBeLessThan(page.indexOf("Metadata API token"));
  });

  it("the consent page names the server and what it may do, and asks for the person's own token, explained", async () => {
    const { page } = await consentPageAs("Desk Client", { resource: `${ORIGIN}/servers/desk/mcp` });
    expect(page).toContain("Allow Desk Client to use Support desk?");
    expect(page).toMatch(/<dt>Server<\/dt><dd><strong>Support desk<\/strong> at upstream-mcp.test<\/dd>/);
    expect(page).toContain("Only the tools Support desk marks as read-only");
    expect(page).toContain("needs your own access token");
    expect(fieldNameForLabel(page, "Your token for Support desk")).toBe("upstream_token");
    expect(page).not.toContain('name="toolsets"');
    // A `none` server asks for nothing more.
    const open = await consentPageAs("Open Client", { resource: `${ORIGIN}/servers/open-desk/mcp` });
    expect(open.page).toContain("Allow Open Client to use Open desk?");
    expect(open.page).not.toContain("upstream_token");
  });

  it("the grant holds the upstream credential only, and /apps shows which server the app uses", async () => {
    const { token, browser } = await connect("desk", { ...alice, upstreamToken: ALICE_UPSTREAM_TOKEN });
    const status = await workerFetch(`${ORIGIN}/status`, { headers: { Authorization: `Bearer ${token}` } });
    const body = JSON.stringify(await status.json());
    expect(body).toContain("upstream_bearer");
    expect(body).not.toContain(ALICE_METADATA_TOKEN);
    expect(body).not.toContain(ALICE_UPSTREAM_TOKEN);
    const apps = await (await browser.fetch("/apps")).text();
    expect(apps).toContain("Support desk (/servers/desk/mcp)");
  });

  it("each person's calls carry their own upstream token, never the other's and never ours", async () => {
    const a = await connect("desk", { ...alice, upstreamToken: ALICE_UPSTREAM_TOKEN });
    const b = await connect("desk", { ...bob, upstreamToken: BOB_UPSTREAM_TOKEN });
    expect(await names(a.client)).toEqual(ALL);
    upstream.calls = [];
    const [aliceMe, bobMe] = await Promise.all([callTool(a.client, "whoami"), callTool(b.client, "whoami")]);
    expect(aliceMe.envelope).toEqual({ user: "alice", name: "Alice Example" });
    expect(bobMe.envelope).toEqual({ user: "bob", name: "Bob Example" });
    expect((await callTool(a.client, "list_tickets")).envelope.tickets.map((t: { id: number }) => t.id)).toEqual([1, 2]);
    expect((await callTool(b.client, "list_tickets")).envelope.tickets.map((t: { id: number }) => t.id)).toEqual([3]);

    const toolCalls = upstream.calls.filter((call) => call.method === "tools/call");
    expect(toolCalls).toHaveLength(4);
    for (const call of upstream.calls) expect([ALICE_UPSTREAM_TOKEN, BOB_UPSTREAM_TOKEN]).toContain(call.token);
    expect(new Set(toolCalls.filter((c) => c.user === "alice").map((c) => c.token))).toEqual(new Set([ALICE_UPSTREAM_TOKEN]));
    expect(new Set(toolCalls.filter((c) => c.user === "bob").map((c) => c.token))).toEqual(new Set([BOB_UPSTREAM_TOKEN]));
    const recorded = JSON.stringify(upstream.calls);
    expect(recorded).not.toContain(a.token);
    expect(recorded).not.toContain(b.token);
    // Nor does the MCP client ever hold the upstream token.
    expect(JSON.stringify(a.provider)).not.toContain(ALICE_UPSTREAM_TOKEN);
  });

  it("an upstream that repeats the person's token in its answer has it masked before the client sees it", async () => {
    const { client } = await connect("desk", { ...alice, upstreamToken: ALICE_UPSTREAM_TOKEN });
    const { result } = await callTool(client, "echo_token");
    expect(JSON.stringify(result)).not.toContain(ALICE_UPSTREAM_TOKEN);
    expect(result.structuredContent).toEqual({ token: "[redacted: your token for Support desk]" });
  });

  it("a token the upstream refuses is refused on the consent page, and no grant is made", async () => {
    await expect(connect("desk", { ...alice, upstreamToken: "not-a-token-upstream-knows" })).rejects.toThrow(/pressing Allow: HTTP 400[\s\S]*did not accept this token/);
    expect(upstream.calls.some((call) => call.token === "not-a-token-upstream-knows")).toBe(true);
  });

  it("an upstream 401 later ends the grant with the re-authentication challenge", async () => {
    const { token } = await connect("desk", { ...alice, upstreamToken: ALICE_UPSTREAM_TOKEN });
    upstream.knobs.fail = { status: 401 };
    const refused = await rpc("/servers/desk/mcp", token, "tools/call", { name: "whoami", arguments: {} });
    expect(refused.status).toBe(401);
    const challenge = refused.headers.get("WWW-Authenticate")!;
    expect(challenge).toContain(`error="invalid_token"`);
    expect(challenge).toContain(`resource_metadata="${serverMetadata("desk")}"`);
    upstream.knobs.fail = null;
    // The grant is gone: the same token is refused even though the upstream would answer again.
    expect((await rpc("/servers/desk/mcp", token, "tools/list")).status).toBe(401);
  });
});

describe("Sign in with Xano to an upstream server", () => {
  it("bearer: Xano first, then the consent page asks for the token; the grant holds that token only, and works without Xano's", async () => {
    const { client: registered } = await register({ client_name: "Desk Client" });
    const { challenge } = await pkcePair();
    const browser = new TestBrowser();
    const signInPage = await (await browser.fetch(authorizeUrl(registered.client_id, challenge, { resource: `${ORIGIN}/servers/desk/mcp` }))).text();
    const toXano = await browser.submit(parseForms(signInPage).find((f) => f.fields.step === "xano-oauth")!, {});
    // Not a consent page that Xano's return would approve by itself: Xano says who this is first.
    expect(toXano.status).toBe(303);
    expect(new URL(toXano.headers.get("Location")!).origin).not.toBe(ORIGIN);

    const { client, token, provider } = await connect("desk", { ...aliceWithXano, upstreamToken: ALICE_UPSTREAM_TOKEN });
    expect((await callTool(client, "whoami")).envelope).toEqual({ user: "alice", name: "Alice Example" });
    expect(upstream.calls.filter((c) => c.method === "tools/call").map((c) => c.token)).toEqual([ALICE_UPSTREAM_TOKEN]);
    const status = (await (await workerFetch(`${ORIGIN}/status`, { headers: { Authorization: `Bearer ${token}` } })).json()) as Record<string, any>;
    expect(status).toMatchObject({ signInMethod: "xano_oauth", credential: { method: "upstream_bearer", upstreamServer: "desk", canRefresh: false, refreshCount: 0 } });
    expect(JSON.stringify(status)).not.toContain(ALICE_UPSTREAM_TOKEN);
    // The Xano tokens of the sign-in are not what the grant uses: with them revoked at Xano, calls go on.
    expect(xano.knobs.revokeUserTokens({ userId: 1, kind: "oauth_access" })).toBeGreaterThan(0);
    expect((await callTool(client, "list_tickets")).envelope.tickets.map((t: { id: number }) => t.id)).toEqual([1, 2]);
    expect(JSON.stringify(provider)).not.toContain(ALICE_UPSTREAM_TOKEN);
  });

  it("bearer, step by step: the pending authorization (its server, state and PKCE) survives Xano's round trip and a refused token", async () => {
    const { client: registered } = await register({ client_name: "Desk Client" });
    const { verifier, challenge } = await pkcePair();
    const browser = new TestBrowser();
    const signInPage = await (await browser.fetch(authorizeUrl(registered.client_id, challenge, { resource: `${ORIGIN}/servers/desk/mcp` }))).text();
    const toXano = await browser.submit(parseForms(signInPage).find((f) => f.fields.step === "xano-oauth")!, {});
    expect(toXano.status).toBe(303);
    const xanoUrl = new URL(toXano.headers.get("Location")!);
    const [xanoForm] = parseForms(await (await browser.fetch(xanoUrl.toString())).text(), xanoUrl.origin);
    const back = await browser.submit(xanoForm, { email: "alice@example.com", password: "alice-password", instance: "x1234-5678-9012" }, { name: "decision", value: "approve" });
    const landed = await browser.fetch(back.headers.get("Location")!);
    // Back to the very authorization request, now signed in: no grant was made on Xano's return.
    expect(landed.status).toBe(303);
    const returnTo = new URL(landed.headers.get("Location")!, ORIGIN);
    expect(returnTo.pathname).toBe("/authorize");
    expect(returnTo.searchParams.get("client_id")).toBe(registered.client_id);
    expect(returnTo.searchParams.get("state")).toBe("conformance-state");

    const consent = await (await browser.fetch(returnTo.toString())).text();
    expect(consent).toContain("Allow Desk Client to use Support desk?");
    expect(consent).toContain("<dt>Signed in as</dt><dd>alice@example.com</dd>");
    const tokenField = fieldNameForLabel(consent, "Your token for Support desk");
    const form = () => parseForms(consent).find((f) => f.buttons.some((b) => b.text === "Allow"))!;
    const refused = await browser.submit(form(), { [tokenField]: "not-a-token-upstream-knows" }, { name: "decision", value: "approve" });
    expect(refused.status).toBe(400);
    const again = await refused.text();
    expect(again).toContain("did not accept this token");
    const allowed = await browser.submit(parseForms(again).find((f) => f.buttons.some((b) => b.text === "Allow"))!, { [tokenField]: ALICE_UPSTREAM_TOKEN }, { name: "decision", value: "approve" });
    expect(allowed.status).toBe(302);
    const redirect = new URL(allowed.headers.get("Location")!);
    expect(redirect.searchParams.get("state")).toBe("conformance-state");
    const { response, body } = await codeExchange({ clientId: registered.client_id, verifier, code: redirect.searchParams.get("code")! }, { resource: `${ORIGIN}/servers/desk/mcp` });
    expect(response.status).toBe(200);
    const called = await rpc("/servers/desk/mcp", body.access_token, "tools/call", { name: "whoami", arguments: {} });
    expect((await jsonRpcOf(called)).result.structuredContent).toEqual({ user: "alice", name: "Alice Example" });
  });

  it("none: Xano first, then the consent page; tools answer", async () => {
    const { client, token } = await connect("open-desk", aliceWithXano);
    expect(await names(client)).toEqual(ALL);
    expect((await callTool(client, "whoami")).envelope).toEqual({ user: "anonymous", name: null });
    const status = (await (await workerFetch(`${ORIGIN}/status`, { headers: { Authorization: `Bearer ${token}` } })).json()) as Record<string, any>;
    expect(status.credential).toMatchObject({ method: "upstream_none", upstreamServer: "open-desk" });
  });

  it("the identity-only session it leaves cannot authorize Xano's own /mcp (that asks Xano again)", async () => {
    const { browser } = await connect("open-desk", aliceWithXano);
    const { client } = await register({ client_name: "Xano Client" });
    const { challenge } = await pkcePair();
    const page = await (await browser.fetch(authorizeUrl(client.client_id, challenge))).text();
    expect(page).toContain("Sign in to connect");
    expect(page).not.toContain(">Allow<");
  });
});

describe("the MCP wire", () => {
  it("reads an upstream that answers as an SSE stream, a notification before the response", async () => {
    const { client } = await connect("desk", { ...alice, upstreamToken: ALICE_UPSTREAM_TOKEN });
    upstream.knobs.sse = true;
    expect((await callTool(client, "whoami")).envelope).toEqual({ user: "alice", name: "Alice Example" });
    expect(await names(client)).toEqual(ALL);
  });

  it.each(REVISIONS)("serves tools/list to a $version client, as /mcp does", async (revision) => {
    const { token } = await connect("open-desk", alice);
    const asMcp = toolsListRequest(revision, token);
    const response = await workerFetch(new Request(`${ORIGIN}/servers/open-desk/mcp`, asMcp));
    expect(response.status).toBe(200);
    const message = await jsonRpcOf(response);
    expect(message.result.tools.map((t: { name: string }) => t.name).sort()).toEqual(ALL);
  });
});

describe("upstream failures that are not the credential's", () => {
  it("429 becomes a retryable tool error carrying the upstream's Retry-After; 500 too", async () => {
    const { client } = await connect("desk", { ...alice, upstreamToken: ALICE_UPSTREAM_TOKEN });
    upstream.knobs.fail = { status: 429, retryAfter: 7, methods: ["tools/call"] };
    const limited = await callTool(client, "whoami");
    expect(limited.result.isError).toBe(true);
    expect(limited.envelope.error).toMatchObject({ code: "RATE_LIMITED", details: { retryable: true, retryAfterSeconds: 7, upstreamStatus: 429 } });
    upstream.knobs.fail = { status: 500, methods: ["tools/call"] };
    const failed = await callTool(client, "whoami");
    expect(failed.envelope.error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", details: { retryable: true, upstreamStatus: 500 } });
    upstream.knobs.fail = null;
    expect((await callTool(client, "whoami")).envelope).toEqual({ user: "alice", name: "Alice Example" });
  });
});

describe("what a connection may list and call", () => {
  it("a read-only grant lists only readOnlyHint tools and gets the 403 step-up challenge for the others", async () => {
    const { client, token } = await connect("desk", { ...alice, upstreamToken: ALICE_UPSTREAM_TOKEN, access: "read" });
    expect(await names(client)).toEqual(READS);
    const refused = await rpc("/servers/desk/mcp", token, "tools/call", { name: "create_ticket", arguments: { subject: "x" } });
    expect(refused.status).toBe(403);
    const challenge = refused.headers.get("WWW-Authenticate")!;
    expect(challenge).toContain(`error="insufficient_scope"`);
    expect(challenge).toContain(`resource_metadata="${serverMetadata("desk")}"`);
    expect(upstream.calls.some((call) => call.tool === "create_ticket")).toBe(false);
    expect((await callTool(client, "list_tickets")).result.isError).toBeFalsy();
  });

  it("a readOnly server lists and calls only readOnlyHint tools, whatever the grant", async () => {
    const { client } = await connect("read-desk", { ...alice, upstreamToken: ALICE_UPSTREAM_TOKEN });
    expect(await names(client)).toEqual(READS);
    const refused = await callTool(client, "delete_ticket", { id: 1 });
    expect(refused.envelope.error).toMatchObject({ code: "TOOL_NOT_AVAILABLE" });
    expect(upstream.calls.some((call) => call.tool === "delete_ticket")).toBe(false);
  });

  it("the operator's allow and deny lists hold on list and call", async () => {
    const { client } = await connect("filtered", alice);
    expect(await names(client)).toEqual(["create_ticket", "list_tickets", "whoami"]);
    for (const hidden of ["delete_ticket", "get_ticket"]) {
      expect((await callTool(client, hidden, { id: 1 })).envelope.error).toMatchObject({ code: "TOOL_NOT_AVAILABLE" });
    }
    expect(upstream.calls.some((call) => call.method === "tools/call" && call.tool !== "whoami")).toBe(false);
  });
});

describe("the grant's tool-call rate limit", () => {
  it("applies as on /mcp: a batch over RATE_LIMIT_TOOL_CALLS_PER_MINUTE (1000 in tests) is 429 before the upstream sees it", async () => {
    const { token } = await connect("open-desk", alice);
    upstream.calls = [];
    const batch = Array.from({ length: 1001 }, (_, i) => ({ jsonrpc: "2.0", id: i + 1, method: "tools/call", params: { name: "whoami", arguments: {} } }));
    const limited = await workerFetch(`${ORIGIN}/servers/open-desk/mcp`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream", "MCP-Protocol-Version": "2025-11-25" },
      body: JSON.stringify(batch),
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ id: 1, error: { code: -32029 } });
    expect(upstream.calls).toEqual([]);
  });
});

describe("activity", () => {
  it("records each upstream call under the server's name, with its outcome, for its person", async () => {
    const { client, browser, provider } = await connect("filtered", alice);
    await callTool(client, "whoami");
    await callTool(client, "delete_ticket", { id: 1 });
    let calls: Array<{ tool: string; outcome: string }> = [];
    for (let attempt = 0; attempt < 30 && calls.length < 2; attempt++) {
      calls = ((await (await browser.fetch(`/apps/activity.json?app=${provider.client!.client_id}`)).json()) as { calls: typeof calls }).calls;
      if (calls.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(calls.map(({ tool, outcome }) => ({ tool, outcome }))).toEqual([
      { tool: "filtered/delete_ticket", outcome: "TOOL_NOT_AVAILABLE" },
      { tool: "filtered/whoami", outcome: "ok" },
    ]);
  });

  it("an upstream's own tool error is recorded as UPSTREAM_TOOL_ERROR", async () => {
    const { client, browser, provider } = await connect("desk", { ...alice, upstreamToken: ALICE_UPSTREAM_TOKEN });
    expect((await callTool(client, "get_ticket", { id: 3 })).result.isError).toBe(true);
    let calls: Array<{ tool: string; outcome: string }> = [];
    for (let attempt = 0; attempt < 30 && calls.length < 1; attempt++) {
      calls = ((await (await browser.fetch(`/apps/activity.json?app=${provider.client!.client_id}`)).json()) as { calls: typeof calls }).calls;
      if (calls.length < 1) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(calls.map(({ tool, outcome }) => ({ tool, outcome }))).toEqual([{ tool: "desk/get_ticket", outcome: "UPSTREAM_TOOL_ERROR" }]);
  });
  it("a tool call the door answers itself, the upstream not even initialising, is recorded as UPSTREAM_UNAVAILABLE", async () => {
    const { client, browser, provider } = await connect("desk", { ...alice, upstreamToken: ALICE_UPSTREAM_TOKEN });
    upstream.knobs.fail = { status: 503 };
    const failed = await callTool(client, "get_ticket", { id: 1 });
    expect(failed.result.isError).toBe(true);
    expect(failed.envelope.error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", details: { retryable: true, upstreamStatus: 503 } });
    expect(upstream.calls.some((call) => call.method === "tools/call")).toBe(false);
    upstream.knobs.fail = null;
    let calls: Array<{ tool: string; outcome: string }> = [];
    for (let attempt = 0; attempt < 30 && calls.length < 1; attempt++) {
      calls = ((await (await browser.fetch(`/apps/activity.json?app=${provider.client!.client_id}`)).json()) as { calls: typeof calls }).calls;
      if (calls.length < 1) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(calls.map(({ tool, outcome }) => ({ tool, outcome }))).toEqual([{ tool: "desk/get_ticket", outcome: "UPSTREAM_UNAVAILABLE" }]);
  });
});

describe("a grant is bound to one backend", () => {
  it("a token for one upstream server is refused on /mcp, /sse and another server", async () => {
    const { token } = await connect("open-desk", alice);
    for (const path of ["/mcp", "/servers/desk/mcp", "/servers/filtered/mcp"]) {
      const refused = await rpc(path, token, "tools/list");
      expect(refused.status, path).toBe(401);
      expect(refused.headers.get("WWW-Authenticate"), path).toContain(`error="invalid_token"`);
    }
    const sse = await workerFetch(`${ORIGIN}/sse`, { headers: { Authorization: `Bearer ${token}`, Accept: "text/event-stream" } });
    expect(sse.status).toBe(401);
    await sse.body?.cancel();
    // Still good where it belongs.
    expect((await rpc("/servers/open-desk/mcp", token, "tools/list")).status).toBe(200);
  });

  it("a Xano token is refused on /servers/{name}/mcp", async () => {
    const xano = await connectWithOAuth(alice, "streamable", undefined, new TestBrowser());
    const token = xano.provider.savedTokens!.access_token;
    expect((await rpc("/mcp", token, "tools/list")).status).toBe(200);
    const refused = await rpc("/servers/open-desk/mcp", token, "tools/list");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("WWW-Authenticate")).toContain(`resource_metadata="${serverMetadata("open-desk")}"`);
  });

  it("an unknown server name is 404 for a signed-in client", async () => {
    const { token } = await connect("open-desk", alice);
    expect((await rpc("/servers/nope/mcp", token, "tools/list")).status).toBe(404);
  });
});
