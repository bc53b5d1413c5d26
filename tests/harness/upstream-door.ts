/**
 * Driving /servers/{name}/mcp as an MCP client does, shared by the upstream door's tests
 * (tests/upstream-door.test.ts, tests/upstream-oauth-door.test.ts): connect with the official SDK
 * client through the whole sign-in, list tool names, send one raw JSON-RPC request with a token.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ORIGIN } from "./browser";
import { connectWithOAuth, workerFetch, type SignInAs } from "./mcp-client";

/** The SDK client connected to /servers/{server}/mcp after signing in as `signIn`, and its MCP access token. */
export async function connectToServer(server: string, signIn: SignInAs) {
  const connected = await connectWithOAuth(signIn, "streamable", undefined, undefined, `/servers/${server}/mcp`);
  return { ...connected, token: connected.provider.savedTokens!.access_token };
}

export const toolNames = async (client: Client) => (await client.listTools()).tools.map((t) => t.name).sort();

/** One JSON-RPC request straight to a door, as a client that already holds `token`. */
export function rpc(path: string, token: string, method: string, params: Record<string, unknown> = {}) {
  return workerFetch(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream", "MCP-Protocol-Version": "2025-11-25" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
}

/** The protected-resource metadata URL of /servers/{name}/mcp, as its 401 challenge names it. */
export const serverMetadata = (name: string) => `${ORIGIN}/.well-known/oauth-protected-resource/servers/${name}/mcp`;
