/**
 * The two tools that reach every Xano operation whatever toolsets a connection chose:
 * xano_find_operations (find an operation by words; read-only) and xano_call_operation (send one by
 * id, with arguments validated against its parameters). A read-only connection may list and use
 * xano_call_operation, which then refuses every operation whose kind is not read.
 */
import { z } from "zod";
import { OPERATIONS, argName, callOperation, operationSchema, operationWords, type OperationRow, InvalidBase64Error } from "../../xano/operations";
import { OPERATION_KINDS } from "../../xano/operation-row";
import { defineTool, ToolRefusal, type ToolDefinition } from "./registry";
import { answerPart, offsetInput } from "./large-answers";

const area = "Catalogue";
const toolset = "operations" as const;

/** The part of a row a model needs to call it. */
function describeOperation(row: OperationRow, typedTools: ReadonlyMap<string, string[]>) {
  return {
    id: row.id,
    method: row.method,
    path: row.path,
    kind: row.kind,
    permission: row.permission,
    body: row.bodies,
    parameters: row.parameters.map((p) => ({
      name: argName(p),
      in: p.in,
      type: p.type,
      ...(p.required ? { required: true } : {}),
      ...(p.enum ? { enum: p.enum } : {}),
      ...(p.items ? { items: p.items } : {}),
      ...(p.properties ? { properties: p.properties.map((q) => q.name) } : {}),
    })),
    ...(row.bodies.includes("xanoscript") && !row.parameters.some((p) => p.name === "xanoscript") ? { xanoscript: "give the script as the argument xanoscript" } : {}),
    typedTools: typedTools.get(row.id) ?? [],
  };
}

export function catalogueTools(allTools: () => readonly ToolDefinition[]): ToolDefinition[] {
  let typed: Map<string, string[]> | null = null;
  const typedTools = () => {
    if (!typed) {
      typed = new Map();
      for (const tool of allTools()) for (const id of tool.operations) typed.set(id, [...(typed.get(id) ?? []), tool.name]);
    }
    return typed;
  };

  const findOperations = defineTool({
    name: "xano_find_operations",
    title: "Find Xano operations",
    area,
    toolset,
    common: true,
    description:
      "Finds operations of Xano's Metadata API (all 205, whatever tools this connection lists) by words, e.g. \"trigger history\" or \"static host build\". " +
      "Each match gives its id, method, path, kind (read, create, update, destructive, runs-code), permission, parameters and the typed tools that send it. " +
      "Prefer a typed tool when there is one; otherwise call the operation with xano_call_operation.",
    input: z.object({
      words: z.string().trim().min(1).max(200).describe('Words to look for in operation ids, paths and areas, e.g. "middleware history".'),
      kind: z.enum(OPERATION_KINDS as [string, ...string[]]).optional().describe("Only operations of this kind."),
      limit: z.number().int().min(1).max(50).optional().describe("At most this many matches (default 15)."),
    }),
    kind: "read",
    operations: [],
    describe: (args) => `find operations matching "${args.words}"`,
    async run(args) {
      const words = args.words.toLowerCase().split(/[\s,./_-]+/).filter(Boolean);
      const scored = [...OPERATIONS.values()]
        .filter((row) => !args.kind || row.kind === args.kind)
        .map((row) => {
          const text = operationWords(row);
          return { row, score: words.filter((w) => text.includes(w)).length };
        })
        .filter((match) => match.score > 0)
        .sort((a, b) => b.score - a.score || a.row.id.localeCompare(b.row.id));
      const limit = args.limit ?? 15;
      const items = scored.slice(0, limit).map(({ row }) => describeOperation(row, typedTools()));
      return {
        message: `${scored.length} operation(s) match${scored.length > limit ? `; the best ${limit} are shown (narrow the words or raise limit)` : ""}.`,
        data: { items, matched: scored.length },
      };
    },
  });

  const callOperationTool = defineTool({
    name: "xano_call_operation",
    title: "Call a Xano operation",
    area,
    toolset,
    common: true,
    description:
      "Calls any operation of Xano's Metadata API by its id (from xano_find_operations), with its arguments checked against the operation's parameters. " +
      "It may create, change or delete data, or run code, depending on the operation: confirm with the person before anything that is not a read. " +
      "A read-only connection can only call read operations. XanoScript bodies go in arguments.xanoscript; files as {base64, file_name}.",
    input: z.object({
      operation_id: z.string().min(1).max(100).describe('The operation id, e.g. "middleware_history.search" (see xano_find_operations).'),
      arguments: z.record(z.string(), z.unknown()).optional().describe("The operation's arguments by name, e.g. {\"workspace_id\": 1, \"page\": 2}."),
      offset: offsetInput,
    }),
    kind: "per-operation",
    operations: [],
    xanoPermission: (args) => OPERATIONS.get(args.operation_id)?.permission ?? undefined,
    describe: (args) => `call the operation ${args.operation_id}`,
    async run(args, { meta, canWrite }) {
      const row = OPERATIONS.get(args.operation_id);
      if (!row) throw new ToolRefusal("NOT_FOUND", `There is no operation "${args.operation_id}". Find its id with xano_find_operations.`, "operation_id");
      if (row.kind !== "read" && !canWrite) {
        throw new ToolRefusal("INSUFFICIENT_SCOPE", `${row.id} is a ${row.kind} operation and this connection was approved read only; only read operations can be called. Reconnect with read and change access to use it.`, "operation_id");
      }
      const parsed = operationSchema(row).safeParse(args.arguments ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = ["arguments", ...(issue?.path ?? [])].join(".");
        throw new ToolRefusal("INVALID_INPUT", `Invalid argument "${field}" for ${row.id}: ${issue?.message ?? "invalid"}. xano_find_operations lists its parameters.`, field);
      }
      let answer: unknown;
      try {
        answer = await callOperation(meta, row, parsed.data);
      } catch (error) {
        if (error instanceof InvalidBase64Error) throw new ToolRefusal("INVALID_INPUT", `${error.message}.`, "arguments");
        throw error;
      }
      const part = answerPart(answer, args.offset ?? 0);
      return { message: `Called ${row.id} (${row.method} ${row.path}).${part.note}`, data: part.data };
    },
  });

  return [findOperations, callOperationTool];
}
