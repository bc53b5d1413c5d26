/**
 * The legacy HTTP+SSE transport (/sse), attacked over real HTTP into the Worker: a session belongs
 * to the grant that opened it. The server issues every session id; a message posted with any other
 * id, or with another grant's token, gets 404 and nothing runs; tools always run with the POSTing
 * request's own grant; no secret is written to the session object's storage.
 */
import { SELF, env, runInDurableObject } from "cloudflare:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, it } from "vitest";
import { BOB_METADATA_TOKEN } from "../fixtures/seed";
import { ORIGIN } from "./harness/browser";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { MemoryOAuthProvider, callTool, workerFetch } from "./harness/mcp-client";
import { ALICE, tokensFor } from "./harness/oauth-flow";

const fake = useFakeXano();
const BOB = { instanceUrl: SHARED_INSTANCE_URL, token: BOB_METADATA_TOKEN };

/** An open legacy SSE stream, read event by event. */
class SseStream {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private buffer = "";
  private pending?: Promise<ReadableStreamReadResult<Uint8Array>>;
  private readonly decoder = new TextDecoder();

  constructor(readonly response: Response) {
    this.reader = response.body!.getReader();
  }

  static async open(accessToken: string, query = ""): Promise<SseStream> {
    const response = await SELF.fetch(`${ORIGIN}/sse${query}`, { headers: { Authorization: `Bearer ${accessToken}`, Accept: "text/event-stream" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
    return new SseStream(response);
  }

  /** The next event (comments skipped), or null when none arrives within `ms`. */
  async next(ms = 2000): Promise<{ event: string; data: string } | null> {
    const deadline = Date.now() + ms;
    for (;;) {
      const end = this.buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const lines = block.split("\n").filter((line) => !line.startsWith(":"));
        if (lines.length === 0) continue;
        const event = lines.find((l) => l.startsWith("event:"))?.slice(6).trim() ?? "message";
        const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
        return { event, data };
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      // A read still pending from an earlier timeout keeps its place (its chunk must not be lost).
      this.pending ??= this.reader.read();
      const chunk = await Promise.race([this.pending, new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), left))]);
      if (chunk === "timeout") return null;
      this.pending = undefined;
      if (chunk.done) throw new Error("the stream ended");
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }

  /** The message endpoint the server announced (path and query). */
  async endpoint(): Promise<string> {
    const first = await this.next();
    expect(first?.event).toBe("endpoint");
    return first!.data;
  }

  close() {
    return this.reader.cancel();
  }
}

function post(accessToken: string, endpoint: string, message: unknown) {
  return SELF.fetch(`${ORIGIN}${endpoint}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json", Host: "localhost:8787" },
    body: JSON.stringify(message),
  });
}

const WHOAMI = { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "whoami", arguments: {} } };
const INITIALIZED = { jsonrpc: "2.0", method: "notifications/initialized" };

function sessionIdOf(endpoint: string): string {
  return new URL(endpoint, ORIGIN).searchParams.get("sessionId")!;
}

describe("legacy SSE: a session belongs to the grant that opened it", () => {
  it("fixation: a session id chosen by someone else is never used; the server issues its own, and each person sees only themselves", async () => {
    const alice = await tokensFor();
    const bob = await tokensFor({ signIn: BOB });
    const chosen = "published-by-alice-0123456789";
    // alice opens a stream on her chosen id and keeps posting to it, then publishes the URL.
    const aliceStream = await SseStream.open(alice.accessToken, `?sessionId=${chosen}`);
    const aliceEndpoint = await aliceStream.endpoint();
    expect(sessionIdOf(aliceEndpoint)).not.toBe(chosen);
    expect((await post(alice.accessToken, `/sse/message?sessionId=${chosen}`, INITIALIZED)).status).toBe(404);

    // bob connects with the published URL through the SDK's SSE transport: his session is his own.
    const client = new Client({ name: "bob", version: "1.0.0" });
    const provider = new MemoryOAuthProvider();
    provider.saveTokens({ access_token: bob.accessToken, token_type: "Bearer" });
    const transport = new SSEClientTransport(new URL(`${ORIGIN}/sse?sessionId=${chosen}`), { authProvider: provider, fetch: workerFetch });
    await client.connect(transport);
    const who = await callTool(client, "whoami");
    expect(who.envelope).toMatchObject({ success: true, data: { user: { email: "bob@example.com" } } });
    await client.close();

    // alice's own stream still answers alice, on the id the server gave her.
    expect((await post(alice.accessToken, aliceEndpoint, WHOAMI)).status).toBe(202);
    const answer = await aliceStream.next();
    expect(answer?.event).toBe("message");
    expect(JSON.parse(answer!.data).result.structuredContent.data.user.email).toBe("alice@example.com");
    await aliceStream.close();
  });

  it("injection: another grant's token on someone's session id gets 404, nothing runs, and nothing reaches the owner's stream", async () => {
    const alice = await tokensFor();
    const bob = await tokensFor({ signIn: BOB });
    const bobStream = await SseStream.open(bob.accessToken);
    const bobEndpoint = await bobStream.endpoint();

    const bobAgain = await tokensFor({ signIn: BOB });
    fake.log.clear();
    const injected = await post(alice.accessToken, bobEndpoint, { ...WHOAMI, params: { name: "xano_delete_table", arguments: { workspace_id: 1, table_id: 101 } } });
    expect(injected.status).toBe(404);
    expect(await injected.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32001, message: expect.stringMatching(/session not found/i) }, id: null });
    expect(fake.log.entries).toHaveLength(0);
    expect(await bobStream.next(300)).toBeNull();

    // A second grant of the same person is another grant too.
    expect((await post(bobAgain.accessToken, bobEndpoint, WHOAMI)).status).toBe(404);
    expect(fake.log.entries).toHaveLength(0);

    // The owner's own calls run, with the owner's credential.
    expect((await post(bob.accessToken, bobEndpoint, WHOAMI)).status).toBe(202);
    const answer = await bobStream.next();
    expect(JSON.parse(answer!.data)).toMatchObject({ id: 7, result: { structuredContent: { success: true, data: { user: { email: "bob@example.com" } } } } });
    await bobStream.close();
  });

  it("a session id the server never issued, or one of absurd length, gets 404 (never a 500) and no session object", async () => {
    const alice = await tokensFor();
    const long = "x".repeat(1500);
    const stream = await SseStream.open(alice.accessToken, `?sessionId=${long}`);
    expect(sessionIdOf(await stream.endpoint())).not.toBe(long);
    await stream.close();
    for (const id of [long, "abc", "", "0".repeat(64)]) {
      const response = await post(alice.accessToken, `/sse/message?sessionId=${id}`, WHOAMI);
      expect(response.status, id.slice(0, 20)).toBe(404);
    }
    expect((await post(alice.accessToken, "/sse/message", WHOAMI)).status).toBe(404);
  });

  it("a session ends with its stream: once the server notices (at the next event it writes), its id gets 404", async () => {
    const alice = await tokensFor();
    const stream = await SseStream.open(alice.accessToken);
    const endpoint = await stream.endpoint();
    expect((await post(alice.accessToken, endpoint, INITIALIZED)).status).toBe(202);
    await stream.close();
    // A closed stream is noticed when the session object next writes to it (an answer, or the
    // keep-alive comment every 15 s); from then on the id is unknown. Only the owner's own grant
    // could post meanwhile, and its answer has nowhere to go.
    const statuses: number[] = [];
    for (let tries = 0; tries < 5 && statuses.at(-1) !== 404; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      statuses.push((await post(alice.accessToken, endpoint, WHOAMI)).status);
    }
    expect(statuses.at(-1)).toBe(404);
    expect(statuses.length).toBeLessThanOrEqual(3);
  });

  it("the session object stores nothing: no grant props, no storeKey, no token", async () => {
    const alice = await tokensFor();
    const stream = await SseStream.open(alice.accessToken);
    const endpoint = await stream.endpoint();
    expect((await post(alice.accessToken, endpoint, WHOAMI)).status).toBe(202);
    await stream.next();
    const namespace = (env as unknown as { MCP_SSE: DurableObjectNamespace }).MCP_SSE;
    const stub = namespace.get(namespace.idFromName(sessionIdOf(endpoint)));
    const stored = await runInDurableObject(stub, async (_instance, state) => [...(await state.storage.list()).entries()]);
    expect(stored).toEqual([]);
    await stream.close();
  });

  it("a read-only grant's write call on its own session gets the 403 step-up challenge, and the call does not run", async () => {
    const reader = await tokensFor({ signIn: { ...ALICE, access: "read" } });
    const stream = await SseStream.open(reader.accessToken);
    const endpoint = await stream.endpoint();
    fake.log.clear();
    const response = await post(reader.accessToken, endpoint, { ...WHOAMI, params: { name: "xano_delete_table", arguments: { workspace_id: 1, table_id: 101 } } });
    expect(response.status).toBe(403);
    expect(response.headers.get("WWW-Authenticate")).toMatch(/error="insufficient_scope"/);
    expect(fake.log.entries).toHaveLength(0);
    await stream.close();
  });

  it("Streamable-HTTP-first clients given the /sse URL work: they POST to it", async () => {
    const alice = await tokensFor();
    const client = new Client({ name: "streamable-on-sse", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${ORIGIN}/sse`), { fetch: workerFetch, requestInit: { headers: { Authorization: `Bearer ${alice.accessToken}` } } }));
    const who = await callTool(client, "whoami");
    expect(who.envelope).toMatchObject({ success: true, data: { user: { email: "alice@example.com" } } });
    await client.close();
  });
});
