/**
 * The operation table put to use: look an operation up by id, validate arguments against its
 * parameters (one zod schema per operation, built from the row), and send it exactly as Xano's
 * description says: path parameters in the path, query parameters in the query, the header
 * x-data-source as a header, and the body as JSON, as multipart, or as a `text/x-xanoscript` script.
 *
 * Pure parts (`operationSchema`, `buildRequest`) take values and return values; `callOperation`
 * sends through XanoMetaClient.send, so the one HTTP layer sets the bearer and maps errors.
 */
import { z } from "zod";
import { OPERATION_ROWS } from "./operations.generated";
import type { OperationParam, OperationRow } from "./operation-row";
import { xanoScript, type RequestOptions } from "./http";
import type { XanoMetaClient } from "./client";

export type { OperationRow, OperationParam, OperationKind } from "./operation-row";

export const OPERATIONS: ReadonlyMap<string, OperationRow> = new Map(OPERATION_ROWS.map((row) => [row.id, row]));

/** The row for an id; throws for an unknown id (a bug in a tool definition, found at start-up). */
export function operation(id: string): OperationRow {
  const row = OPERATIONS.get(id);
  if (!row) throw new Error(`unknown Xano operation "${id}"`);
  return row;
}

/** The argument a parameter is given as (its name, or `arg` for the header x-data-source). */
export function argName(param: OperationParam): string {
  return param.arg ?? param.name;
}

/** Whether the operation takes a XanoScript body; its script is then the argument `xanoscript`. */
export function takesXanoScript(row: OperationRow): boolean {
  return row.bodies.includes("xanoscript");
}

// --- Argument schemas ---------------------------------------------------------------------------

/** At most this many characters of text in one argument (an MCP request is capped at 4 MiB). */
export const MAX_TEXT_CHARS = 1_000_000;
/** A file argument's base64: about 2.2 MB of bytes. */
export const MAX_FILE_BASE64_CHARS = 3_000_000;

const SAFE_ID = /^[1-9]\d{0,14}$/;
/** Labels Xano uses for branches and data sources: no slashes, no control characters. */
export const LABEL = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,99}$/;

/** What each common parameter means, in our words; others get a description from their name. */
const DESCRIPTIONS: Record<string, string> = {
  page: "Page number, starting at 1. Use nextPage of a previous answer to continue.",
  per_page: "Items per page, 1 to 1000.",
  search: "Only items whose name contains this text.",
  sort: "Field to sort by.",
  order: "Sort order: asc or desc.",
  branch: 'Branch label, e.g. "v1" (default: the live branch).',
  include_xanoscript: "true to include the object's XanoScript (xanoscript: {status, value, message}).",
  include_draft: "true to return the unpublished draft where one exists, instead of the published version.",
  publish: "true (Xano's default) to publish the change at once; false to keep it as a draft.",
  include_output: "true to include each entry's output (larger answers).",
  include_data: "true to include each entry's data (larger answers).",
  data_source: 'The data source to use, e.g. "live" or "test" (default: live).',
  xanoscript: "The object's XanoScript source; see xano_get_xanoscript_reference for the syntax.",
  guid: "The guid of the security setting to apply, as Xano shows it.",
  name: "The name.",
  description: "A short description.",
  docs: "Longer documentation (markdown).",
  tag: "Tags, e.g. [\"shop\"]; replaces the existing tags.",
  password: "A password Xano uses to encrypt or decrypt the archive.",
  file: "The file: {base64, file_name}.",
  body: "The request body as a JSON value.",
};

function describeParam(param: OperationParam): string {
  const known = DESCRIPTIONS[argName(param)];
  if (known) return known;
  if (/_id$/.test(param.name)) return `The ${param.name.replace(/_id$/, "").replace(/_/g, " ")} id.`;
  return `${param.name.replace(/_/g, " ")} (${param.type}${param.enum ? `: ${param.enum.join(", ")}` : ""}).`;
}

function scalarSchema(param: OperationParam): z.ZodType {
  const name = argName(param);
  if (param.enum && param.enum.every((v) => typeof v === "string")) return z.enum(param.enum as [string, ...string[]]);
  switch (param.type) {
    case "integer":
      if (param.in === "path" || /_id$/.test(name)) {
        return z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(SAFE_ID, "must be a positive whole number")]);
      }
      if (name === "page") return z.number().int().min(1).max(1_000_000);
      if (name === "per_page") return z.number().int().min(1).max(1000);
      return z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
    case "number":
      return z.number();
    case "boolean":
      return z.boolean();
    case "string":
      if (name === "branch" || name === "data_source" || name === "branch_label" || name === "label" || name === "newbranch") return z.string().regex(LABEL, "must be a label such as v1, dev or live");
      if (param.in === "path") return z.string().min(1).max(200);
      return z.string().max(name === "xanoscript" || name === "doc" ? MAX_TEXT_CHARS : 50_000);
    case "file":
      return z.object({
        base64: z.string().min(1).max(MAX_FILE_BASE64_CHARS).describe("The file's bytes, base64-encoded."),
        file_name: z.string().min(1).max(200).optional().describe("The file name to send (default: the parameter's name)."),
      });
    case "array":
      return z.array(param.items && param.items !== "object" && param.items !== "json" && param.items !== "array" ? scalarSchema({ name: "item", type: param.items }) : z.unknown()).max(10_000);
    case "object":
      if (param.properties?.length) {
        return z.object(Object.fromEntries(param.properties.map((p) => [p.name, paramSchema(p)]))).catchall(z.unknown());
      }
      return z.record(z.string(), z.unknown());
    default:
      return z.unknown();
  }
}

function paramSchema(param: OperationParam, optional = !param.required): z.ZodType {
  let schema = scalarSchema(param);
  if (param.nullable) schema = schema.nullable();
  if (optional) schema = schema.optional();
  return schema.describe(describeParam(param));
}

/**
 * The argument fields of one operation. With `scriptOnly`, an operation that takes a XanoScript
 * body is given only the script (its JSON alternative's fields left out) and the script is required.
 */
export function operationShape(row: OperationRow, options: { scriptOnly?: boolean } = {}): Record<string, z.ZodType> {
  const script = takesXanoScript(row) && !row.parameters.some((p) => p.name === "xanoscript");
  const jsonToo = row.bodies.some((b) => b !== "xanoscript");
  const shape: Record<string, z.ZodType> = {};
  for (const param of row.parameters) {
    if (options.scriptOnly && script && param.in === "body") continue;
    const relaxed = script && jsonToo && param.in === "body";
    shape[argName(param)] = paramSchema(param, !param.required || relaxed);
  }
  if (script) {
    const text = z.string().min(1).max(MAX_TEXT_CHARS);
    shape.xanoscript = (jsonToo && !options.scriptOnly ? text.optional() : text).describe(describeParam({ name: "xanoscript", type: "string" }));
  }
  return shape;
}

/**
 * The arguments one operation takes (unknown ones refused). Where Xano accepts either a XanoScript
 * body or JSON fields, both are optional and one of the two must be given.
 */
export function operationSchema(row: OperationRow): z.ZodType<Record<string, unknown>> {
  const object = z.object(operationShape(row)).strict();
  if (!(takesXanoScript(row) && row.bodies.some((b) => b !== "xanoscript"))) return object;
  const required = row.parameters.filter((p) => p.in === "body" && p.required).map(argName);
  return object.refine((args) => args.xanoscript !== undefined || required.every((name) => args[name] !== undefined), {
    message: `give xanoscript, or the fields ${required.join(", ")}`,
    path: ["xanoscript"],
  });
}

// --- Building and sending -------------------------------------------------------------------------

export interface BuiltRequest {
  method: OperationRow["method"];
  /** Path segments after the Meta API base, each encoded by the HTTP layer. */
  segments: Array<string | number>;
  options: RequestOptions;
}

/**
 * The request for validated arguments. A `xanoscript` argument goes as the text body when the
 * operation takes one; otherwise the body fields go as JSON, or as multipart when that is the only
 * body Xano describes (uploads, imports).
 */
export function buildRequest(row: OperationRow, args: Record<string, unknown>): BuiltRequest {
  const segments = pathSegments(row, args);
  const query: Record<string, string | number | boolean | undefined> = {};
  const headers: Record<string, string> = {};
  const fields: Array<[OperationParam, unknown]> = [];
  for (const param of row.parameters) {
    const value = args[argName(param)];
    if (value === undefined) continue;
    if (param.in === "query") query[param.name] = typeof value === "object" ? JSON.stringify(value) : (value as string | number | boolean);
    else if (param.in === "header") headers[param.name] = String(value);
    else if (param.in === "body") fields.push([param, value]);
  }
  const options: RequestOptions = { query, headers, raw: true };
  const script = args.xanoscript;
  if (takesXanoScript(row) && typeof script === "string" && !row.parameters.some((p) => p.name === "xanoscript")) {
    options.text = xanoScript(script);
  } else if (fields.length > 0 || (row.method !== "GET" && row.method !== "DELETE" && row.bodies.length > 0)) {
    if (!row.bodies.includes("json") && row.bodies.includes("multipart")) options.form = formOf(fields);
    else {
      const whole = fields.find(([param]) => param.whole);
      options.body = whole ? whole[1] : Object.fromEntries(fields.map(([param, value]) => [param.name, value]));
    }
  }
  return { method: row.method, segments, options };
}

/** The row's path with each `{parameter}` taken from `values`; a missing one is a bug of the caller. */
export function pathSegments(row: OperationRow, values: Record<string, unknown>): Array<string | number> {
  return row.path
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      const match = /^\{(.+)\}$/.exec(segment);
      if (!match) return segment;
      const value = values[match[1]];
      if (value === undefined || value === null || value === "") throw new Error(`missing path parameter ${match[1]} for ${row.id}`);
      return value as string | number;
    });
}

function formOf(fields: Array<[OperationParam, unknown]>): FormData {
  const form = new FormData();
  for (const [param, value] of fields) {
    if (param.type === "file") {
      const file = value as { base64: string; file_name?: string };
      form.set(param.name, new Blob([fromBase64(file.base64)]), file.file_name ?? param.name);
    } else {
      form.set(param.name, typeof value === "string" ? value : JSON.stringify(value));
    }
  }
  return form;
}

/** Throws INVALID_INPUT-worthy errors as `InvalidBase64Error` so tools can name the field. */
export class InvalidBase64Error extends Error {}

function fromBase64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text.replace(/\s+/g, ""));
  } catch {
    throw new InvalidBase64Error("the file's base64 is not valid base64");
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Sends one operation with arguments already validated by `operationSchema(row)`. */
export function callOperation<T = unknown>(meta: XanoMetaClient, row: OperationRow, args: Record<string, unknown>): Promise<T> {
  const request = buildRequest(row, args);
  return meta.send<T>(request.method, request.segments, request.options);
}

/** Words to find an operation by: its id, path words, area, method and kind. */
export function operationWords(row: OperationRow): string {
  return [row.id.replace(/[._]/g, " "), row.path.replace(/[{}/_-]/g, " "), row.area.replace(/-/g, " "), row.method, row.kind].join(" ").toLowerCase();
}
