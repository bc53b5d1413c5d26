// Xano's content search and sort syntax (xano.md "Content"):
//   search: an object or an array of objects whose keys are "<field>[|<op>][|or]", e.g.
//           [{"tier": "pro"}, {"balance|>=": 100}, {"name|in|or": ["customer 1"]}]
//   ops: = > < >= <= in, not in  (default "=")
//   sort: {field: "asc"|"desc"} or an array of such objects (applied in order).
// How `|or` groups with its neighbours is [unverified]. The fake uses the usual precedence (AND
// binds tighter): a condition flagged `|or` starts a new AND-group, and a row matches when any
// group matches. So [a, b, c|or, d] means (a AND b) OR (c AND d).

import type { Field, Row } from "../fixtures/seed";
import { inputError } from "./errors";
import { coerceValue, fieldNamed } from "./records";
import type { TableState } from "./store";

const OPS = ["=", ">", "<", ">=", "<=", "in", "not in"] as const;
type Op = (typeof OPS)[number];

interface Condition {
  field: Field;
  op: Op;
  value: unknown;
  or: boolean;
}

function parseKey(table: TableState, key: string, value: unknown): Condition {
  // Xano's docs and CLI also write a trailing pipe ("duration|<|"): empty segments are ignored.
  const parts = key.split("|").map((p) => p.trim()).filter((p, i) => i === 0 || p !== "");
  const field = fieldNamed(table, parts[0]);
  let op: Op = "=";
  let or = false;
  for (const part of parts.slice(1)) {
    if (part === "or") or = true;
    else if ((OPS as readonly string[]).includes(part)) op = part as Op;
    else throw inputError(`Unknown search operator "${part}" in "${key}".`, key);
  }
  if ((op === "in" || op === "not in") && !Array.isArray(value)) {
    throw inputError(`The "${op}" operator needs a list value ("${key}").`, key);
  }
  // Timestamps compare as epoch ms even when given as ISO strings.
  const normalise = (v: unknown) => (field.type === "timestamp" && typeof v === "string" ? coerceValue(field, v, null) : v);
  return { field, op, or, value: Array.isArray(value) ? value.map(normalise) : normalise(value) };
}

function test(row: Row, c: Condition): boolean {
  const actual = row[c.field.name];
  switch (c.op) {
    case "=": return actual === c.value;
    case ">": return compare(actual, c.value) > 0;
    case "<": return compare(actual, c.value) < 0;
    case ">=": return compare(actual, c.value) >= 0;
    case "<=": return compare(actual, c.value) <= 0;
    case "in": return (c.value as unknown[]).includes(actual);
    case "not in": return !(c.value as unknown[]).includes(actual);
  }
}

export function compileSearch(table: TableState, search: unknown): (row: Row) => boolean {
  if (search === undefined || search === null) return () => true;
  const objects = Array.isArray(search) ? search : [search];
  const conditions: Condition[] = [];
  for (const obj of objects) {
    if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw inputError("search must be an object or a list of objects.", "search");
    for (const [key, value] of Object.entries(obj)) conditions.push(parseKey(table, key, value));
  }
  const groups: Condition[][] = [];
  for (const c of conditions) {
    if (groups.length === 0 || c.or) groups.push([c]);
    else groups[groups.length - 1].push(c);
  }
  if (groups.length === 0) return () => true;
  return (row) => groups.some((g) => g.every((c) => test(row, c)));
}

export function compileSort(table: TableState, sort: unknown): (a: Row, b: Row) => number {
  const keys: Array<{ name: string; dir: 1 | -1 }> = [];
  if (sort !== undefined && sort !== null) {
    const objects = Array.isArray(sort) ? sort : [sort];
    for (const obj of objects) {
      if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw inputError("sort must be an object or a list of objects.", "sort");
      for (const [name, dir] of Object.entries(obj)) {
        fieldNamed(table, name);
        if (dir !== "asc" && dir !== "desc") throw inputError(`Sort direction for "${name}" must be "asc" or "desc".`, "sort");
        keys.push({ name, dir: dir === "asc" ? 1 : -1 });
      }
    }
  }
  keys.push({ name: "id", dir: 1 }); // a stable tie-break, so pages never overlap.
  return (a, b) => {
    for (const k of keys) {
      const c = compare(a[k.name], b[k.name]);
      if (c !== 0) return c * k.dir;
    }
    return 0;
  };
}

/** Total order: null/undefined first, then numbers/booleans numerically, then strings, then the rest as JSON. */
export function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if ((typeof a === "number" || typeof a === "boolean") && (typeof b === "number" || typeof b === "boolean")) return Number(a) - Number(b);
  const sa = typeof a === "string" ? a : JSON.stringify(a);
  const sb = typeof b === "string" ? b : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
