/** Input pieces shared by many tools, each with the description an assistant reads. */
import { z } from "zod";
import { MAX_TEXT_CHARS } from "../../xano/operations";

/** Xano ids: a positive whole number, given as a number or a numeric string. */
export function idInput(what: string) {
  return z
    .union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(SAFE_ID, "must be a positive whole number")])
    .describe(`The ${what} id (a number, e.g. 12; a numeric string like "12" also works).`);
}

/** Up to 15 digits: every such number is exact as a JavaScript number (16 digits may not be). */
const SAFE_ID = /^[1-9]\d{0,14}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A record id: a positive whole number, or a uuid for tables whose `id` field is a uuid. */
export function recordIdInput() {
  return z
    .union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(SAFE_ID).or(z.string().regex(UUID))])
    .describe('The record id: a number (e.g. 12, or "12"), or a uuid for tables whose id field is a uuid.');
}

/** A record id as Xano expects it: a number, or the uuid string unchanged. */
export function toRecordId(value: number | string): number | string {
  return typeof value === "string" && UUID.test(value) ? value : toId(value);
}

export const pageInput = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe("Page number, starting at 1 (default 1). Use the nextPage value of a previous result to continue.");

export function perPageInput(max: number, fallback: number) {
  return z.number().int().min(1).max(max).optional().describe(`Items per page, 1 to ${max} (default ${fallback}).`);
}

export function toId(value: number | string): number {
  return typeof value === "number" ? value : Number(value);
}

/** A branch label, as Xano's branch list shows it. */
export const branchLabelInput = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._ -]{0,99}$/, "must be a branch label such as v1 or dev")
  .describe('A branch label as xano_list_branches shows it, e.g. "dev".');

/** `branch` wherever Xano takes it; without it, the live branch. */
export const branchInput = branchLabelInput.optional().describe('A branch label as xano_list_branches shows it, e.g. "dev" (default: the live branch).');

/** Xano's `x-data-source` header on record operations. */
export const dataSourceInput = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_ -]{0,99}$/, "must be a data source label such as live or test")
  .optional()
  .describe('The data source to use, as xano_list_data_sources shows it, e.g. "test" (default: live).');

/** `include_xanoscript` on reads of objects Xano can answer as code (Xano's description: false by default). */
export const includeXanoscriptInput = z
  .boolean()
  .optional()
  .describe("true: also answer the object's code as XanoScript (data.xanoscript.value, or each item's), to read what is there before changing it.");

/**
 * A whole object as XanoScript, for tools that also take its fields: sent to Xano as is
 * (`text/x-xanoscript`), and given instead of the fields, never beside them.
 */
export function xanoscriptInput(what: string, example: string) {
  return z
    .string()
    .min(1)
    .max(MAX_TEXT_CHARS)
    .optional()
    .describe(
      `The ${what} written in XanoScript, e.g. '${example}', instead of the other fields. Sent to Xano as is (Content-Type text/x-xanoscript); ` +
        "a refused script comes back with Xano's message and line: fix it and call again. See xano_get_xanoscript_reference.",
    );
}

/** Either XanoScript or the fields, never both: Xano's body is one or the other. */
export function scriptOrFields(fields: readonly string[]) {
  return (args: Record<string, unknown>, ctx: z.RefinementCtx) => {
    if (args.xanoscript === undefined) return;
    for (const f of fields) {
      if (args[f] !== undefined) ctx.addIssue({ code: "custom", path: [f], message: `give either xanoscript or ${f}, not both (the script sets it)` });
    }
  };
}

/** `publish` on updates of objects Xano keeps drafts of (Xano's default: true). */
export const publishInput = z
  .boolean()
  .optional()
  .describe("false: save the change as a draft (read it back with include_draft=true) instead of publishing it at once (default true).");
