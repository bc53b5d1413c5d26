/**
 * Activity (/apps/activity): every tool call made through the official MCP SDK client is recorded
 * for its person (app, tool, the ids it named, outcome, duration) and shown only to that person;
 * the filters, the CSV and JSON downloads, the chart, the retention clean-up, and a storage failure
 * that must not fail the call. Everything through the real Worker (SELF) and fake-xano.
 */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import worker from "../src/index";
import migration from "../migrations/0001_activity.sql?raw";
import { ALICE_METADATA_TOKEN, BOB_METADATA_TOKEN } from "../fixtures/seed";
import { ORIGIN, TestBrowser, decodeEntities, fieldNameForLabel, parseForms } from "./harness/browser";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { MemoryOAuthProvider, callTool, connectWithOAuth } from "./harness/mcp-client";
import { ACTIVITY_SCHEMA, schemaStatements } from "../src/activity/schema";
import { insertActivity } from "../src/activity/activity-store";
import { csvCell } from "../src/activity/export";
import { namedIds } from "../src/activity/record";

useFakeXano();
const alice = { instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN };
const bob = { instanceUrl: SHARED_INSTANCE_URL, token: BOB_METADATA_TOKEN };

afterEach(() => vi.restoreAllMocks());

interface ShownCall {
  tool: string;
  app: string;
  outcome: string;
  objects: string;
}

/** The calls listed on an Activity page. */
function callsOn(page: string): ShownCall[] {
  return [...page.matchAll(/<li class="call">([\s\S]*?)<\/li>/g)].map(([, item]) => {
    const field = (name: string) => decodeEntities(new RegExp(`<dt>${name}</dt><dd>([^<]*)</dd>`).exec(item)?.[1] ?? "");
    return { tool: decodeEntities(/<h3>([^<]*)<\/h3>/.exec(item)?.[1] ?? ""), app: field("App"), outcome: field("Outcome"), objects: field("Objects") };
  });
}

/** The Activity page (recording happens after each answer, so wait until `until` holds). */
async function activity(browser: TestBrowser, query = "", until: (calls: ShownCall[]) => boolean = () => true) {
  for (let attempt = 0; ; attempt++) {
    const response = await browser.fetch(`/apps/activity${query}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    const calls = callsOn(page);
    if (until(calls) || attempt >= 30) return { page, calls, response };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function connect(signIn: typeof alice, browser = new TestBrowser()) {
  const connected = await connectWithOAuth(signIn, "streamable", new MemoryOAuthProvider(), browser);
  return { ...connected, clientId: connected.provider.client!.client_id };
}

describe("Activity", () => {
  it("the schema the Worker applies is the migration's", () => {
    expect(schemaStatements(migration)).toEqual(schemaStatements(ACTIVITY_SCHEMA));
    expect(schemaStatements(migration)).toHaveLength(3);
  });

  it("shows each call with its app, tool, ids and outcome to its person only, newest first", async () => {
    const aliceBrowser = new TestBrowser();
    const aliceApp = await connect(alice, aliceBrowser);
    expect((await callTool(aliceApp.client, "xano_list_tables", { workspace_id: 1 })).envelope.success).toBe(true);
    const missing = await callTool(aliceApp.client, "xano_get_table_details", { workspace_id: 1, table_id: 99999 });
    expect(missing.envelope.error.code).toBe("NOT_FOUND");
    const bobBrowser = new TestBrowser();
    const bobApp = await connect(bob, bobBrowser);
    expect((await callTool(bobApp.client, "xano_list_tables", { workspace_id: 2 })).envelope.success).toBe(true);

    const seen = await activity(aliceBrowser, `?app=${aliceApp.clientId}`, (calls) => calls.length >= 2);
    expect(seen.response.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    expect(seen.page).toContain("<h1>Activity</h1>");
    expect(seen.calls).toEqual([
      { tool: "xano_get_table_details", app: "Test MCP Client", outcome: "NOT_FOUND", objects: "workspace_id 1; table_id 99999" },
      { tool: "xano_list_tables", app: "Test MCP Client", outcome: "OK", objects: "workspace_id 1" },
    ]);
    // Never another person's: alice's whole activity has no call of bob's app, and bob's none of alice's.
    const aliceAll = await activity(aliceBrowser);
    expect(aliceAll.page).not.toContain(bobApp.clientId);
    expect(aliceAll.calls.some((call) => call.objects.includes("workspace_id 2"))).toBe(false);
    const bobAll = await activity(bobBrowser, "", (calls) => calls.length >= 1);
    expect(bobAll.calls.map((call) => call.objects)).toEqual(["workspace_id 2"]);
    expect(bobAll.page).not.toContain(aliceApp.clientId);
    // Bob asking for alice's app by id sees nothing either.
    expect((await activity(bobBrowser, `?app=${aliceApp.clientId}`)).calls).toEqual([]);

    // The chart: inline SVG with a text alternative naming today's counts.
    const today = new Date().toISOString().slice(0, 10);
    expect(seen.page).toMatch(/<svg class="chart" role="img" aria-labelledby="chart-title chart-desc"/);
    expect(seen.page).toContain(`${today}: 1 succeeded, 1 failed`);
    expect(seen.page).not.toContain("<script");
    await aliceApp.client.close();
    await bobApp.client.close();
  });

  it("keeps only the id-ish arguments (…_id, …_ids), also inside xano_call_operation's arguments", () => {
    expect(namedIds({ workspace_id: 1, table_id: 101, record_ids: [1, 2, { x: 1 }], name: "secret-ish", content: { record_id: 9 } })).toEqual({ workspace_id: 1, table_id: 101, record_ids: [1, 2] });
    expect(namedIds({ operation_id: "table.get", arguments: { workspace_id: 1, table_id: 7, search: "x" } })).toEqual({ operation_id: "table.get", workspace_id: 1, table_id: 7 });
    expect(namedIds({ branch_id: "x".repeat(65), ids: [1] })).toEqual({});
  });

  it("records calls over the legacy /sse transport too (the same door)", async () => {
    const browser = new TestBrowser();
    const sse = await connectWithOAuth(alice, "sse", new MemoryOAuthProvider(), browser);
    expect((await callTool(sse.client, "xano_list_tables", { workspace_id: 1 })).envelope.success).toBe(true);
    const { calls } = await activity(browser, `?app=${sse.provider.client!.client_id}`, (listed) => listed.length >= 1);
    expect(calls).toEqual([{ tool: "xano_list_tables", app: "Test MCP Client", outcome: "OK", objects: "workspace_id 1" }]);
    await sse.client.close();
  });

  it("filters by app, tool and outcome through a labelled GET form, and pages", async () => {
    const browser = new TestBrowser();
    const first = await connect(alice, browser);
    const second = await connect(alice, browser);
    await callTool(first.client, "xano_list_tables", { workspace_id: 1 });
    await callTool(first.client, "xano_get_table_details", { workspace_id: 1, table_id: 99999 });
    await callTool(second.client, "whoami");
    await activity(browser, `?app=${second.clientId}`, (calls) => calls.length === 1);
    const { page } = await activity(browser, `?app=${first.clientId}`, (calls) => calls.length === 2);

    const form = parseForms(page).find((f) => f.action === "/apps/activity")!;
    expect(form.method.toLowerCase()).toBe("get");
    for (const label of ["App", "Tool", "Outcome"]) expect(fieldNameForLabel(page, label)).toBeTruthy();
    const byOutcome = await browser.submit(form, { [fieldNameForLabel(page, "App")]: first.clientId, [fieldNameForLabel(page, "Outcome")]: "NOT_FOUND", [fieldNameForLabel(page, "Tool")]: "" });
    expect(byOutcome.status).toBe(200);
    expect(callsOn(await byOutcome.text()).map((c) => c.tool)).toEqual(["xano_get_table_details"]);
    expect((await activity(browser, `?app=${first.clientId}&tool=xano_list_tables`)).calls.map((c) => c.outcome)).toEqual(["OK"]);
    expect((await activity(browser, `?app=${second.clientId}`)).calls.map((c) => c.tool)).toEqual(["whoami"]);
    expect((await activity(browser, `?tool=no_such_tool`)).page).toContain("No calls match these filters.");

    // Paging: 50 a page, links keep the filters.
    const at = Date.now() - 60_000;
    // Rows of alice's (the same user and sign-in proof as her recorded calls).
    const owner = (await env.ACTIVITY_DB.prepare("SELECT user_id, proof FROM activity WHERE app = ? LIMIT 1").bind(first.clientId).first<{ user_id: string; proof: string }>())!;
    const [userId, proof] = [owner.user_id, owner.proof];
    expect(proof).toMatch(/^credential:[0-9a-f]{64}$/);
    for (let i = 0; i < 55; i++) await insertActivity(env.ACTIVITY_DB, { at: at - i * 1000, userId, proof, via: "oauth", app: "paging-app", tool: "xano_list_tables", objects: { workspace_id: i }, outcome: "ok", durationMs: 3 });
    const one = await activity(browser, "?app=paging-app");
    expect(one.calls).toHaveLength(50);
    expect(one.calls[0].objects).toBe("workspace_id 0");
    expect(one.page).toContain('href="/apps/activity?app=paging-app&amp;page=2" rel="next"');
    expect(one.page).not.toContain('rel="prev"');
    const two = await activity(browser, "?app=paging-app&page=2");
    expect(two.calls.map((c) => c.objects)).toEqual(["workspace_id 50", "workspace_id 51", "workspace_id 52", "workspace_id 53", "workspace_id 54"]);
    expect(two.page).toContain('href="/apps/activity?app=paging-app" rel="prev"');
    expect(two.page).not.toContain('rel="next"');
  });

  it("exports the filtered calls as CSV and JSON attachments, formula cells defused", async () => {
    const browser = new TestBrowser();
    const app = await connect(alice, browser);
    await callTool(app.client, "xano_list_tables", { workspace_id: 1 });
    await callTool(app.client, "xano_get_table_details", { workspace_id: 1, table_id: 99999 });
    const { page } = await activity(browser, `?app=${app.clientId}&outcome=NOT_FOUND`, (calls) => calls.length === 1);
    expect(page).toContain(`href="/apps/activity.csv?app=${app.clientId}&amp;outcome=NOT_FOUND"`);

    const json = await browser.fetch(`/apps/activity.json?app=${app.clientId}&outcome=NOT_FOUND`);
    expect(json.headers.get("Content-Disposition")).toBe('attachment; filename="activity.json"');
    expect(json.headers.get("Content-Type")).toContain("application/json");
    const { calls } = (await json.json()) as { calls: Array<Record<string, unknown>> };
    expect(calls).toEqual([
      { at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), app: app.clientId, app_name: "Test MCP Client", via: "oauth", tool: "xano_get_table_details", objects: { workspace_id: 1, table_id: 99999 }, outcome: "NOT_FOUND", duration_ms: expect.any(Number) },
    ]);

    const csv = await browser.fetch(`/apps/activity.csv?app=${app.clientId}`);
    expect(csv.headers.get("Content-Disposition")).toBe('attachment; filename="activity.csv"');
    expect(csv.headers.get("Content-Type")).toContain("text/csv");
    const lines = (await csv.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("at,app,app_name,via,tool,objects,outcome,duration_ms");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"xano_get_table_details","{""workspace_id"":1,""table_id"":99999}","NOT_FOUND"`);
    // (A client id may itself start with "-": csvCell defuses it like any other cell.)
    expect(lines[2]).toContain(`${csvCell(app.clientId)},"Test MCP Client","oauth","xano_list_tables"`);
    for (const formula of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"]) expect(csvCell(formula)).toBe(`"'${formula}"`);
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');

    // Signed out: nothing, just the way to sign in.
    const stranger = await new TestBrowser().fetch("/apps/activity.csv");
    expect(stranger.status).toBe(303);
    expect(stranger.headers.get("Location")).toBe("/apps");
  });

  it("the scheduled clean-up deletes calls older than ACTIVITY_RETENTION_DAYS (30) and keeps the rest", async () => {
    const day = 24 * 60 * 60 * 1000;
    const row = (age: number, app: string) => insertActivity(env.ACTIVITY_DB, { at: Date.now() - age, userId: "retention-user", via: "oauth", app, tool: "whoami", objects: {}, outcome: "ok", durationMs: 1 });
    await row(31 * day, "old-app");
    await row(45 * day, "old-app");
    await row(29 * day, "recent-app");
    await row(60_000, "recent-app");
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const ctx = createExecutionContext();
    await (worker as ExportedHandler<Env>).scheduled!(createScheduledController({ cron: "17 * * * *", scheduledTime: Date.now() }), env as never, ctx);
    await waitOnExecutionContext(ctx);
    const left = await env.ACTIVITY_DB.prepare("SELECT app FROM activity WHERE user_id = 'retention-user' ORDER BY at").all<{ app: string }>();
    expect(left.results.map((r) => r.app)).toEqual(["recent-app", "recent-app"]);
    expect(lines.map((line) => JSON.parse(line))).toContainEqual(expect.objectContaining({ event: "purge", kind: "activity", activityPurged: 2 }));
  });

  it("a failing activity store neither fails nor slows the call; the failure is logged", async () => {
    const browser = new TestBrowser();
    const app = await connect(alice, browser);
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const broken = {
      prepare() {
        throw new Error("D1_ERROR: no such database");
      },
      batch() {
        return Promise.reject(new Error("D1_ERROR: no such database"));
      },
    };
    const contexts: ExecutionContext[] = [];
    // The same Worker, with an activity binding whose every use throws.
    const brokenFetch: typeof fetch = async (input, init) => {
      const request = input instanceof Request ? new Request(input, init) : new Request(input.toString(), init);
      if (!request.headers.has("Host")) request.headers.set("Host", new URL(request.url).host);
      const ctx = createExecutionContext();
      contexts.push(ctx);
      return (worker as ExportedHandler<Env>).fetch!(request as never, { ...env, ACTIVITY_DB: broken } as never, ctx);
    };
    const client = new Client({ name: "test-client", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp`), { authProvider: app.provider, fetch: brokenFetch }));
    const { envelope } = await callTool(client, "xano_list_tables", { workspace_id: 1 });
    expect(envelope.success).toBe(true);
    for (const ctx of contexts) await waitOnExecutionContext(ctx);
    const failures = lines.filter((line) => line.startsWith('{"event":"activity_failed"')).map((line) => JSON.parse(line));
    expect(failures).toContainEqual(expect.objectContaining({ tool: "xano_list_tables", error: "Error" }));
    await client.close();
  });
});
