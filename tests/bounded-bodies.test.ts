/**
 * Bodies are read with a byte cap, as attacks: a large chunked body (no Content-Length) to every
 * door that reads one gets 413 before it is read whole, and a Xano answer over the cap becomes a
 * tool error instead of filling the isolate's memory. The reader itself (src/lib/bounded-body.ts)
 * is checked to cancel its source on overflow.
 */
import { SELF } from "cloudflare:test";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { readBounded } from "../src/lib/bounded-body";
import { MAX_MESSAGE_BYTES } from "../src/mcp/request-guards";
import { MAX_FORM_BYTES } from "../src/front-door/request-body";
import { UPSTREAM_MAX_BYTES, UPSTREAM_MAX_FILE_BYTES } from "../src/xano/fetch";
import { ALICE_METADATA_TOKEN } from "../fixtures/seed";
import { ORIGIN } from "./harness/browser";
import { SHARED_INSTANCE_URL, overrideNetwork, useFakeXano } from "./harness/fake-xano-network";
import { callTool, connectWithOAuth } from "./harness/mcp-client";
import { REVISIONS, tokenEndpoint, tokensFor, toolsListRequest } from "./harness/oauth-flow";

useFakeXano();
const MiB = 1024 * 1024;
const CLASSIC = REVISIONS[2];

/**
 * A body of `total` bytes made on demand in 64 KiB pieces (a chunked upload: no Content-Length),
 * recording how much was pulled from it and whether its reader cancelled it.
 */
function meteredBody(total: number, prefix = "") {
  const seen = { pulled: 0, cancelled: false };
  const piece = new TextEncoder().encode("a".repeat(64 * 1024));
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (prefix) controller.enqueue(new TextEncoder().encode(prefix));
      },
      pull(controller) {
        if (seen.pulled >= total) return controller.close();
        controller.enqueue(piece);
        seen.pulled += piece.byteLength;
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

describe("the bounded reader", () => {
  it("cancels its source as soon as the cap is passed, without reading the rest", async () => {
    const { stream, seen } = meteredBody(8 * MiB);
    const read = await readBounded({ body: stream, headers: new Headers() }, 100 * 1024);
    expect(read).toEqual({ ok: false, maxBytes: 100 * 1024 });
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBe(128 * 1024);
  });

  it("refuses a declared Content-Length over the cap without reading a byte", async () => {
    const { stream, seen } = meteredBody(8 * MiB);
    const read = await readBounded({ body: stream, headers: new Headers({ "Content-Length": String(8 * MiB) }) }, 64 * 1024);
    expect(read.ok).toBe(false);
    expect(seen.pulled).toBe(0);
    expect(seen.cancelled).toBe(true);
  });

  it("returns every byte of a body within the cap, the cap itself included", async () => {
    const { stream, seen } = meteredBody(128 * 1024, "x=");
    const read = await readBounded({ body: stream, headers: new Headers() }, 128 * 1024 + 2);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.bytes.byteLength).toBe(128 * 1024 + 2);
    expect(new TextDecoder().decode(read.bytes.slice(0, 4))).toBe("x=aa");
    expect(seen.cancelled).toBe(false);
  });
});

/** A chunked POST into the Worker: the body is a stream, so no Content-Length is sent. */
function chunkedPost(path: string, total: number, headers: Record<string, string> = {}) {
  const { stream, seen } = meteredBody(total, "x=");
  const response = SELF.fetch(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: stream,
    // @ts-expect-error workerd's RequestInit predates `duplex`; Node's fetch needs it for a stream body.
    duplex: "half",
  });
  return { response, seen };
}

describe("front-door forms and the token endpoint: 8 MiB chunked bodies get 413 (cap 64 KiB)", () => {
  it("/oauth/token answers 413 with an OAuth error, having read at most the cap", async () => {
    const { response, seen } = chunkedPost("/oauth/token", 8 * MiB);
    const answer = await response;
    expect(answer.status).toBe(413);
    expect(await answer.json()).toEqual({ error: "invalid_request", error_description: `The request body is larger than ${MAX_FORM_BYTES / 1024} KiB.` });
    expect(seen.pulled).toBeLessThan(MiB);
  });

  it.each(["/authorize?client_id=x&response_type=code", "/apps/sign-in", "/apps/revoke", "/apps/revoke-all", "/logout"])("POST %s answers 413 with a page, having read at most the cap", async (path) => {
    const { response, seen } = chunkedPost(path, 8 * MiB);
    const answer = await response;
    expect(answer.status).toBe(413);
    expect(answer.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(await answer.text()).toContain("too large");
    expect(seen.pulled).toBeLessThan(MiB);
  });

  it("a declared Content-Length over the cap is refused too", async () => {
    const answer = await SELF.fetch(`${ORIGIN}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `grant_type=refresh_token&pad=${"a".repeat(MAX_FORM_BYTES)}`,
    });
    expect(answer.status).toBe(413);
    expect(((await answer.json()) as { error: string }).error).toBe("invalid_request");
  });

  it("a token request within the cap still works, its body read once and handed on (refresh, then its replay revokes the grant)", async () => {
    const { clientId, refreshToken, accessToken } = await tokensFor();
    const refreshed = await tokenEndpoint({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId, pad: "a".repeat(60 * 1024) });
    expect(refreshed.response.status).toBe(200);
    const next = await tokenEndpoint({ grant_type: "refresh_token", refresh_token: refreshed.body.refresh_token, client_id: clientId });
    expect(next.response.status).toBe(200);
    // The first token is now two generations old: presenting it is a replay, and the detector
    // (which reads the same bytes the library read) revokes the grant.
    const replay = await tokenEndpoint({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId });
    expect(replay.body.error).toBe("invalid_grant");
    expect((await SELF.fetch(toolsListRequest(CLASSIC, next.body.access_token))).status).toBe(401);
    expect(accessToken).toBeTruthy();
  });
});

describe("MCP messages: cap 4 MiB, with or without Content-Length", () => {
  it("a 5 MiB chunked POST to /mcp gets 413 with a JSON-RPC error, having read at most the cap", async () => {
    const { accessToken } = await tokensFor();
    const request = toolsListRequest(CLASSIC, accessToken);
    const { stream, seen } = meteredBody(5 * MiB, `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"`);
    // @ts-expect-error see chunkedPost
    const response = await SELF.fetch(new Request(request, { body: stream, duplex: "half" }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ jsonrpc: "2.0", error: { code: -32600, message: `Request body larger than ${MAX_MESSAGE_BYTES} bytes` }, id: null });
    expect(seen.pulled).toBeLessThan(MAX_MESSAGE_BYTES + MiB);
  });
});

describe("upstream answers: a cap per call", () => {
  const alice = { instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN };

  it("a Xano answer over the ordinary cap (8 MiB, chunked) is a UPSTREAM_TOO_LARGE tool error, and the answer is not read whole", async () => {
    const { stream, seen } = meteredBody(UPSTREAM_MAX_BYTES * 4, "[");
    overrideNetwork(http.get(`${SHARED_INSTANCE_URL}/api:meta/workspace`, () => new HttpResponse(stream, { headers: { "Content-Type": "application/json" } })));
    const { client } = await connectWithOAuth(alice);
    const { result, envelope } = await callTool(client, "xano_list_databases");
    expect(result.isError).toBe(true);
    expect(envelope.error.code).toBe("UPSTREAM_TOO_LARGE");
    expect(envelope.error.message).toContain(`${UPSTREAM_MAX_BYTES / MiB} MiB`);
    expect(envelope.error.details.maxBytes).toBe(UPSTREAM_MAX_BYTES);
    expect(seen.pulled).toBeLessThan(UPSTREAM_MAX_BYTES * 2);
    await client.close();
  });

  it("a schema export gets the larger cap for files (32 MiB): a 9 MiB export is read and reported by size", async () => {
    const exported = new Uint8Array(9 * MiB);
    overrideNetwork(
      http.post(`${SHARED_INSTANCE_URL}/api:meta/workspace/1/export-schema`, () =>
        new HttpResponse(exported, { headers: { "Content-Type": "application/octet-stream", "Content-Disposition": 'attachment; filename="w.xano"' } }),
      ),
    );
    const { client } = await connectWithOAuth(alice);
    const { envelope } = await callTool(client, "xano_export_workspace_schema", { workspace_id: 1 });
    expect(envelope.success).toBe(true);
    expect(envelope.data).toMatchObject({ format: "file", sizeBytes: 9 * MiB, base64: null });
    expect(UPSTREAM_MAX_FILE_BYTES).toBeGreaterThan(9 * MiB);
    await client.close();
  });

  it("an export over the file cap is a UPSTREAM_TOO_LARGE tool error", async () => {
    const { stream } = meteredBody(UPSTREAM_MAX_FILE_BYTES + MiB);
    overrideNetwork(http.post(`${SHARED_INSTANCE_URL}/api:meta/workspace/1/export-schema`, () => new HttpResponse(stream, { headers: { "Content-Type": "application/octet-stream" } })));
    const { client } = await connectWithOAuth(alice);
    const { envelope } = await callTool(client, "xano_export_workspace_schema", { workspace_id: 1 });
    expect(envelope.error.code).toBe("UPSTREAM_TOO_LARGE");
    expect(envelope.error.details.maxBytes).toBe(UPSTREAM_MAX_FILE_BYTES);
    await client.close();
  });
});
