/**
 * Typed tools declared as data over the operation table: a tool names its operation, and its
 * input (from the operation's parameters, with our descriptions), request (operations.ts) and
 * answer message follow from the row. The tool still declares its kind; defineTool checks that it
 * agrees with the operation and the tool's name.
 */
import { z } from "zod";
import { callOperation, operation, operationShape, InvalidBase64Error } from "../../xano/operations";
import { defineTool, ToolRefusal, type ToolDefinition, type ToolKind } from "./registry";
import type { Toolset } from "./toolsets";
import { answerPart, offsetInput } from "./large-answers";

export interface OperationToolSpec {
  name: string;
  title: string;
  description: string;
  area: string;
  toolset: Toolset;
  kind: ToolKind;
  /** The operation id (operations.generated.ts). */
  operation: string;
  /** What one item is called in messages, e.g. "function". */
  noun: string;
  common?: boolean;
  /** Take only the XanoScript body where Xano also accepts JSON fields. */
  scriptOnly?: boolean;
  /** Arguments always sent (e.g. include_xanoscript: true for a tool that reads code). */
  fixed?: Record<string, unknown>;
  /** Arguments not offered (e.g. fixed ones). */
  omit?: readonly string[];
  /** Answers can be large: offer `offset` and answer in parts. `hint` names another way to shrink it. */
  large?: { hint?: string };
}

const PAST: Record<string, string> = {
  list: "Listed", browse: "Listed", search: "Found", get: "Read", export: "Exported", convert: "Converted", find: "Found",
  create: "Created", add: "Added", upload: "Uploaded", update: "Updated", set: "Set", rename: "Renamed",
  delete: "Deleted", replace: "Replaced", import: "Imported", truncate: "Emptied", cleanup: "Cleaned up", run: "Ran",
};

export function operationTool(spec: OperationToolSpec): ToolDefinition {
  const row = operation(spec.operation);
  const shape = operationShape(row, { scriptOnly: spec.scriptOnly });
  for (const name of [...(spec.omit ?? []), ...Object.keys(spec.fixed ?? {})]) delete shape[name];
  if (spec.large) shape.offset = offsetInput;
  const pathArgs = row.parameters.filter((p) => p.in === "path").map((p) => p.name);
  const verb = spec.name.split("_")[1];
  const describe = (args: Record<string, unknown>) => {
    const ids = pathArgs.filter((n) => n !== "workspace_id").map((n) => `${n.replace(/_id$/, "").replace(/_/g, " ")} ${String(args[n])}`);
    const where = args.workspace_id !== undefined ? ` in workspace ${String(args.workspace_id)}` : "";
    return `${verb} the ${spec.noun}${ids.length ? ` (${ids.join(", ")})` : ""}${where}`;
  };
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    area: spec.area,
    toolset: spec.toolset,
    common: spec.common,
    kind: spec.kind,
    operations: [spec.operation],
    input: z.object(shape),
    describe,
    async run(args, { meta }) {
      const { offset, ...rest } = args as Record<string, unknown> & { offset?: number };
      let answer: unknown;
      try {
        answer = await callOperation(meta, row, { ...rest, ...spec.fixed });
      } catch (error) {
        if (error instanceof InvalidBase64Error) throw new ToolRefusal("INVALID_INPUT", `${error.message}.`, "file");
        throw error;
      }
      const part = spec.large ? answerPart(answer, offset ?? 0, spec.large.hint) : { data: answer, note: "" };
      return { message: summarise(spec, verb, answer, describe(args as Record<string, unknown>)) + part.note, data: part.data };
    },
  });
}

/** One sentence about the answer: a page, a list, one object (with its script's state), or done. */
function summarise(spec: OperationToolSpec, verb: string, answer: unknown, what: string): string {
  const done = `${PAST[verb] ?? "Done:"} ${what.replace(/^\w+ /, "")}.`;
  if (Array.isArray(answer)) return `${answer.length} ${spec.noun}(s).`;
  if (typeof answer !== "object" || answer === null) return done;
  const value = answer as Record<string, unknown>;
  if (Array.isArray(value.items)) {
    const page = typeof value.curPage === "number" ? `Page ${value.curPage}: ` : "";
    const more = typeof value.nextPage === "number" ? `; more on page ${value.nextPage}` : "";
    return `${page}${value.items.length} ${spec.noun}(s)${more}.`;
  }
  const script = value.xanoscript as { status?: unknown; message?: unknown } | undefined;
  const scriptNote =
    script && typeof script === "object"
      ? script.status === "error"
        ? ` Its XanoScript has a problem: ${String(script.message ?? "no message")}.`
        : " Its XanoScript is in data.xanoscript.value."
      : "";
  const id = value.id !== undefined ? ` (id ${String(value.id)})` : "";
  return `${done.replace(/\.$/, "")}${id}.${scriptNote}`;
}
