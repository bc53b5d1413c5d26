/**
 * Xano's search and sort syntax, shared by record search, update-by-search and request-history
 * search. Checked here so a malformed term is named before Xano is called.
 *   search: an object or a list of objects whose keys are "<field>[|<op>][|or]"
 *   ops: = > < >= <= in, not in   (none = equals; in / not in take a list)
 *   sort: {field: "asc"|"desc"} or a list of such objects, applied in order
 */
import { z } from "zod";

export const SEARCH_OPS = ["=", ">", "<", ">=", "<=", "in", "not in"] as const;

/** The search syntax, with examples, for tool descriptions. */
export const SEARCH_HELP =
  'Search syntax: an object, or a list of objects, whose keys are "<field>", "<field>|<op>" or "<field>|<op>|or" and whose values are what to compare with. ' +
  `Operators: ${SEARCH_OPS.join(" ")} (no operator means equals; "in" and "not in" take a list). ` +
  'Terms are ANDed; a key ending in "|or" starts an alternative, e.g. [a, b, c|or, d] means (a AND b) OR (c AND d). ' +
  'Examples: {"status": "paid"}; [{"balance|>=": 100}, {"tier|in": ["pro", "enterprise"]}]; ' +
  '[{"status": "pending"}, {"status|or": "paid"}] (pending OR paid); {"created_at|<": "2026-01-02T00:00:00Z"}.';

/** The sort syntax, for tool descriptions. */
export const SORT_HELP = 'Sort: {"<field>": "asc"|"desc"} or a list of them, e.g. [{"tier": "asc"}, {"balance": "desc"}].';

const term = z.record(z.string(), z.unknown());

function checkTerm(obj: Record<string, unknown>, path: Array<string | number>, ctx: z.RefinementCtx) {
  for (const [key, value] of Object.entries(obj)) {
    // Xano's own examples end keys with a pipe ("duration|<|"): empty segments carry no meaning.
    const [field, ...flags] = key.split("|").map((part) => part.trim()).filter((part, i) => i === 0 || part !== "");
    const bad = (message: string) => ctx.addIssue({ code: "custom", message, path: [...path, key] });
    if (!field) bad(`"${key}" has no field name before "|".`);
    const ops = flags.filter((f) => f !== "or");
    if (flags.length > 2 || ops.length > 1 || flags.filter((f) => f === "or").length > 1 || (flags.length === 2 && flags[1] !== "or")) {
      bad(`"${key}" must look like "<field>", "<field>|<op>" or "<field>|<op>|or".`);
    } else if (ops.length === 1 && !(SEARCH_OPS as readonly string[]).includes(ops[0])) {
      bad(`unknown operator "${ops[0]}" in "${key}"; use one of ${SEARCH_OPS.join(", ")}.`);
    } else if ((ops[0] === "in" || ops[0] === "not in") && !Array.isArray(value)) {
      bad(`"${key}" needs a list value, e.g. ["a", "b"].`);
    }
  }
}

/** The `search` input (an object or a list of terms), each key checked; callers add .optional() and .describe(). */
export function searchInput() {
  return z
    .union([term, z.array(term).max(100, "at most 100 search terms")])
    .superRefine((value, ctx) => {
      if (Array.isArray(value)) value.forEach((obj, i) => checkTerm(obj, [i], ctx));
      else checkTerm(value, [], ctx);
    });
}

export function isEmptySearch(search: Record<string, unknown> | Array<Record<string, unknown>>): boolean {
  return Array.isArray(search) ? search.every((t) => Object.keys(t).length === 0) : Object.keys(search).length === 0;
}

const direction = z.record(z.string(), z.enum(["asc", "desc"]));

export const sortInput = z
  .union([direction, z.array(direction).max(10, "at most 10 sort keys")])
  .optional()
  .describe('Sort order: {"<field>": "asc"|"desc"} or a list of them applied in order, e.g. [{"tier": "asc"}, {"balance": "desc"}].');
