/**
 * What the fake upstream MCP server offers: a tiny support desk. Read tools are annotated
 * `readOnlyHint: true`, write tools are not (so a read-only grant may call only the first).
 * Tickets are per demo user; state lives in the `Desk` the server was created with.
 */
import { McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { DemoUser } from "./users";

export interface Ticket {
  id: number;
  owner: string;
  subject: string;
  status: "open" | "closed";
}

export interface Desk {
  tickets: Ticket[];
  nextId: number;
}

export function newDesk(): Desk {
  return {
    tickets: [
      { id: 1, owner: "alice", subject: "Cannot export CSV", status: "open" },
      { id: 2, owner: "alice", subject: "Invoice address", status: "closed" },
      { id: 3, owner: "bob", subject: "Password reset loop", status: "open" },
    ],
    nextId: 4,
  };
}

export const READ_TOOLS = ["whoami", "list_tickets", "get_ticket", "echo_token"] as const;
export const WRITE_TOOLS = ["create_ticket", "close_ticket", "delete_ticket"] as const;

const text = (value: unknown) => ({ content: [{ type: "text" as const, text: JSON.stringify(value) }], structuredContent: value as Record<string, unknown> });
const notFound = (id: number) => ({ content: [{ type: "text" as const, text: `No ticket ${id} for you` }], isError: true });

/** An MCP server for one request, acting for `user` (null: the anonymous caller of a `none` server). */
export function buildServer(desk: Desk, user: DemoUser | null, { notifyFirst = false, token = null as string | null } = {}): McpServer {
  const server = new McpServer({ name: "fake-upstream-mcp", version: "1.0.0" }, { capabilities: { logging: {} } });
  const who = user?.id ?? "anonymous";
  const mine = () => desk.tickets.filter((t) => t.owner === who);
  const read = { readOnlyHint: true, openWorldHint: false };
  server.registerTool("whoami", { description: "Who the upstream thinks is calling", inputSchema: z.object({}), annotations: read }, async (_args, ctx) => {
    // Over SSE (knobs.sse), a log notification comes on the stream before the response.
    if (notifyFirst) await ctx.mcpReq.notify({ method: "notifications/message", params: { level: "info", data: "looking you up" } });
    return text({ user: who, name: user?.name ?? null });
  });
  server.registerTool("list_tickets", { description: "Your tickets", annotations: read }, async () => text({ tickets: mine() }));
  server.registerTool("get_ticket", { description: "One of your tickets", inputSchema: z.object({ id: z.number().int() }), annotations: read }, async ({ id }) => {
    const ticket = mine().find((t) => t.id === id);
    return ticket ? text(ticket) : notFound(id);
  });
  server.registerTool("create_ticket", { description: "Open a ticket", inputSchema: z.object({ subject: z.string().min(1).max(200) }), annotations: { readOnlyHint: false, destructiveHint: false } }, async ({ subject }) => {
    const ticket: Ticket = { id: desk.nextId++, owner: who, subject, status: "open" };
    desk.tickets.push(ticket);
    return text(ticket);
  });
  server.registerTool("close_ticket", { description: "Close one of your tickets", inputSchema: z.object({ id: z.number().int() }), annotations: { readOnlyHint: false, idempotentHint: true } }, async ({ id }) => {
    const ticket = mine().find((t) => t.id === id);
    if (!ticket) return notFound(id);
    ticket.status = "closed";
    return text(ticket);
  });
  // No annotations at all: the MCP default (readOnlyHint false) applies.
  server.registerTool("delete_ticket", { description: "Delete one of your tickets", inputSchema: z.object({ id: z.number().int() }) }, async ({ id }) => {
    const index = desk.tickets.findIndex((t) => t.id === id && t.owner === who);
    if (index < 0) return notFound(id);
    desk.tickets.splice(index, 1);
    return text({ deleted: id });
  });
  // A careless upstream that repeats the caller's token in its answer (the front door must mask it).
  server.registerTool("echo_token", { description: "Repeats the bearer token this call carried", inputSchema: z.object({}), annotations: read }, async () => text({ token }));
  server.registerResource("summary", "desk://summary", { title: "Your desk", mimeType: "application/json" }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify({ user: who, open: mine().filter((t) => t.status === "open").length }) }],
  }));
  server.registerPrompt("triage", { description: "Triage one ticket", argsSchema: z.object({ id: z.string() }) }, async ({ id }) => ({
    messages: [{ role: "user" as const, content: { type: "text" as const, text: `Triage ticket ${id} for ${who}.` } }],
  }));
  return server;
}
