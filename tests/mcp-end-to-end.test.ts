/**
 * End to end, as a real MCP client lives it: the official MCP SDK client starts from a bare 401,
 * discovers, registers, signs in through the real /authorize pages (HTML forms, cookies),
 * exchanges the code with PKCE, refreshes once, and calls every tool against fake-xano.
 */
import { describe, expect, it } from "vitest";
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ALICE_METADATA_TOKEN, BOB_METADATA_TOKEN, CUSTOMERS_TABLE_ID, TASKS_TABLE_ID, customerRow, taskRow } from "../fixtures/seed";
import { toolsFor } from "../src/mcp/tools";
import { ORIGIN } from "./harness/browser";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { callTool, connectWithOAuth, workerFetch } from "./harness/mcp-client";

const fake = useFakeXano();
const alice = { instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN };
const bob = { instanceUrl: SHARED_INSTANCE_URL, token: BOB_METADATA_TOKEN };

describe("MCP SDK client over streamable HTTP (/mcp)", () => {
  it("signs in from a bare 401, refreshes once, and every tool returns the seeded data", async () => {
    const { client, provider } = await connectWithOAuth(alice);
    expect(provider.client?.client_id).toBeTruthy();
    const firstTokens = provider.savedTokens!;
    expect(firstTokens.refresh_token).toBeTruthy();
    // The Xano credential never appears in what the client holds.
    expect(JSON.stringify(provider)).not.toContain(ALICE_METADATA_TOKEN);

    // Refresh once, the way the SDK does when its access token expires.
    const refreshed = await auth(provider, { serverUrl: new URL(`${ORIGIN}/mcp`), fetchFn: workerFetch });
    expect(refreshed).toBe("AUTHORIZED");
    expect(provider.savedTokens!.access_token).not.toBe(firstTokens.access_token);
    expect(provider.savedTokens!.refresh_token).not.toBe(firstTokens.refresh_token);
    await client.close();

    const afterRefresh = new Client({ name: "after-refresh", version: "1.0.0" });
    await afterRefresh.connect(new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp`), { authProvider: provider, fetch: workerFetch }));

    const { tools } = await afterRefresh.listTools();
    // Exactly the registry (tests run with DEBUG_TOOLS=true), so new tools need no edit here.
    expect(tools.map((t) => t.name).sort()).toEqual(toolsFor({ debugTools: true }).map((t) => t.name).sort());
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["whoami", "xano_list_tables", "xano_browse_table_content", "debug_auth"]));

    const me = await callTool(afterRefresh, "whoami");
    expect(me.envelope).toMatchObject({
      success: true,
      operation: "whoami",
      data: { user: { id: 1, name: "Alice Example", email: "alice@example.com" }, signInMethod: "metadata_token" },
    });
    expect(JSON.stringify(me.result)).not.toContain(ALICE_METADATA_TOKEN);

    const instances = await callTool(afterRefresh, "xano_list_instances");
    expect(instances.envelope.success).toBe(true);
    const names = instances.envelope.data.items.map((i: { name: string }) => i.name);
    expect(names).toContain("x1234-5678-9012");
    expect(instances.envelope.data.items.find((i: { name: string }) => i.name === "x1234-5678-9012").meta_api).toBe(`${SHARED_INSTANCE_URL}/api:meta`);

    const workspaces = await callTool(afterRefresh, "xano_list_databases");
    expect(workspaces.envelope.data.items).toEqual([expect.objectContaining({ id: 1, name: "Alice Workspace" })]);

    // Table paging: 12 tables, 5 per page.
    const seen: string[] = [];
    let page: number | null = 1;
    while (page !== null) {
      const { envelope } = await callTool(afterRefresh, "xano_list_tables", { workspace_id: "1", page, per_page: 5 });
      expect(envelope.success).toBe(true);
      expect(envelope.data.curPage).toBe(page);
      seen.push(...envelope.data.items.map((t: { name: string }) => t.name));
      page = envelope.data.nextPage;
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect(seen).toEqual(expect.arrayContaining(["customers", "orders", "products"]));

    // Content paging: 120 customers, 50 per page → pages of 50, 50, 20, rows intact.
    const first = await callTool(afterRefresh, "xano_browse_table_content", { workspace_id: 1, table_id: CUSTOMERS_TABLE_ID });
    expect(first.envelope.data).toMatchObject({ curPage: 1, nextPage: 2, prevPage: null, itemsTotal: 120, pageTotal: 3, perPage: 50 });
    expect(first.envelope.data.items).toHaveLength(50);
    expect(first.envelope.data.items[0]).toMatchObject(customerRow(1));
    const last = await callTool(afterRefresh, "xano_browse_table_content", { workspace_id: 1, table_id: String(CUSTOMERS_TABLE_ID), page: 3 });
    expect(last.envelope.data).toMatchObject({ curPage: 3, nextPage: null, prevPage: 2 });
    expect(last.envelope.data.items).toMatchObject(Array.from({ length: 20 }, (_, i) => customerRow(101 + i)));

    // Every Xano call carried the token in a header, never in a URL.
    for (const entry of fake.log.entries) expect(entry.path).not.toContain(ALICE_METADATA_TOKEN);
    await afterRefresh.close();
  });

  it("two users in parallel each see only their own private workspace", async () => {
    const [a, b] = await Promise.all([connectWithOAuth(alice), connectWithOAuth(bob)]);
    const [aw, bw] = await Promise.all([callTool(a.client, "xano_list_databases"), callTool(b.client, "xano_list_databases")]);
    expect(aw.envelope.data.items.map((w: { id: number }) => w.id)).toEqual([1]);
    expect(bw.envelope.data.items.map((w: { id: number }) => w.id)).toEqual([2]);

    const [aliceTasks, bobTasks] = await Promise.all([
      callTool(a.client, "xano_browse_table_content", { workspace_id: 2, table_id: TASKS_TABLE_ID }),
      callTool(b.client, "xano_browse_table_content", { workspace_id: 2, table_id: TASKS_TABLE_ID, per_page: 10 }),
    ]);
    expect(aliceTasks.result.isError).toBe(true);
    expect(aliceTasks.envelope).toMatchObject({ success: false, error: { code: "NOT_FOUND" } });
    expect(bobTasks.envelope.data.items).toMatchObject(Array.from({ length: 10 }, (_, i) => taskRow(i + 1)));

    // fake-xano saw each user's calls made with that user's own token.
    const owners = new Set(fake.log.entries.filter((e) => e.path.includes("/table/201/content")).map((e) => e.tokenOwner));
    expect(owners).toEqual(new Set([1, 2]));
    await Promise.all([a.client.close(), b.client.close()]);
  });

  it("tool errors come back in the error envelope with what to do next", async () => {
    const { client } = await connectWithOAuth(alice);
    const missing = await callTool(client, "xano_browse_table_content", { workspace_id: 1, table_id: 999 });
    expect(missing.result.isError).toBe(true);
    expect(missing.envelope).toMatchObject({ success: false, operation: "xano_browse_table_content", error: { code: "NOT_FOUND" } });
    expect(missing.envelope.error.message).toContain("table 999");

    fake.knobs.rateLimit({ count: 1, retryAfterSeconds: 12 });
    const limited = await callTool(client, "xano_list_databases");
    expect(limited.envelope.error).toMatchObject({ code: "RATE_LIMITED", details: { retryAfterSeconds: 12 } });

    fake.knobs.failNext({ route: "GET /api:meta/workspace", status: "network" });
    const unreachable = await callTool(client, "xano_list_databases");
    expect(unreachable.envelope.error.code).toBe("XANO_UNREACHABLE");

    fake.knobs.failNext({ route: "GET /api:meta/workspace", status: 500 });
    const broken = await callTool(client, "xano_list_databases");
    expect(broken.envelope.error.code).toBe("XANO_SERVER_ERROR");

    await client.close();
  });

  it("rejects invalid arguments without calling Xano", async () => {
    const { client } = await connectWithOAuth(alice);
    fake.log.clear();
    const { result, envelope } = await callTool(client, "xano_list_tables", { workspace_id: "../../etc" });
    expect(result.isError).toBe(true);
    // Our envelope, not the SDK's bare "Input validation error" text.
    expect(envelope).toMatchObject({ success: false, operation: "xano_list_tables", error: { code: "INVALID_INPUT" } });
    expect(envelope.error.message).toMatch(/"workspace_id"/);
    expect(envelope.error.details.issues[0].path).toBe("workspace_id");
    const missing = await callTool(client, "xano_list_tables", {});
    expect(missing.envelope.error).toMatchObject({ code: "INVALID_INPUT", details: { issues: [expect.objectContaining({ path: "workspace_id" })] } });
    expect(fake.log.entries).toHaveLength(0);
    await client.close();
  });
});

describe("MCP SDK client over legacy SSE (/sse)", () => {
  it("serves the same tools to clients configured with the original /sse URL", async () => {
    const { client } = await connectWithOAuth(alice, "sse");
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("xano_list_tables");
    const tables = await callTool(client, "xano_list_tables", { workspace_id: 1, per_page: 3 });
    expect(tables.envelope).toMatchObject({ success: true, data: { curPage: 1, nextPage: 2 } });
    expect(tables.envelope.data.items).toHaveLength(3);
    const invalid = await callTool(client, "xano_list_tables", { workspace_id: -1 });
    expect(invalid.envelope).toMatchObject({ success: false, error: { code: "INVALID_INPUT" } });
    await client.close();
  });
});
