// Tables written in XanoScript (`table <name> { description = "…" auth = … schema { <type>[[]] <name>[?] … } index = [ … ] }`),
// as meta-tables.ts reads them on create and update, and the script answered for
// `include_xanoscript=true`: the one written, verbatim, until the table changes otherwise; then
// one generated from the table.
// Pure helpers; meta-tables.ts owns the routes.

import type { Field, FieldType } from "../../fixtures/seed";
import type { TableState } from "../store";
import { checkXanoScript } from "../xanoscript";
import { scriptError } from "./meta-logic";
import { FIELD_TYPES, normaliseField, validateSchema } from "./schema-rules";

/** The table as XanoScript: the script it was written with while nothing changed since, else one generated from it. */
export function tableScript(t: TableState): string {
  const generated = generatedTableScript(t);
  return t.script && t.script.generated === generated ? t.script.text : generated;
}

/** Keeps `script` as the table's own, after `t` was made or changed from it. */
export function keepTableScript(t: TableState, script: string | undefined): void {
  t.script = script === undefined ? undefined : { text: script, generated: generatedTableScript(t) };
}

function generatedTableScript(t: TableState): string {
  const fields = t.schema.map((f) => `    ${f.type}${f.style === "list" ? "[]" : ""} ${f.name}${f.nullable ? "?" : ""}`);
  const description = t.description ? `  description = ${JSON.stringify(t.description)}\n` : "";
  return `table ${/^[A-Za-z_]\w*$/.test(t.name) ? t.name : JSON.stringify(t.name)} {\n${description}  schema {\n${fields.join("\n")}\n  }\n}\n`;
}

/**
 * The fields of a table script's `schema { … }` block: one `<type>[[]] <name>[?]` per line
 * (a `{ … }` after a field holds its options, which the fake does not read). A field `current`
 * already has under the same name and type keeps its settings.
 */
function schemaFromScript(script: string, current: Field[]): Field[] {
  const lines = script.split("\n");
  const start = lines.findIndex((l) => /^\s*schema\s*\{\s*$/.test(l));
  if (start < 0) throw scriptError({ line: 1, column: 1, message: "a table needs a schema { … } block" });
  const fields: Field[] = [];
  let depth = 1;
  for (let i = start + 1; i < lines.length && depth > 0; i++) {
    const line = lines[i].replace(/\/\/.*$/, "");
    if (depth === 1) {
      const m = /^\s*([a-z_]+)(\[\])?\s+"?([A-Za-z_][A-Za-z0-9_]*)"?(\?)?/.exec(line);
      if (m) {
        if (!(FIELD_TYPES as readonly string[]).includes(m[1])) {
          throw scriptError({ line: i + 1, column: line.indexOf(m[1]) + 1, message: `unknown field type "${m[1]}"` });
        }
        const kept = current.find((f) => f.name === m[3] && f.type === m[1]);
        fields.push(kept ?? normaliseField({ name: m[3], type: m[1] as FieldType, nullable: m[4] === "?", style: m[2] ? "list" : "single" }));
      }
    }
    for (const c of line.replace(/"(?:[^"\\]|\\.)*"/g, "")) depth += c === "{" ? 1 : c === "}" ? -1 : 0;
  }
  return validateSchema(fields);
}

/** What a `table` script says: its name, settings it sets, the schema if it has a block, indexes if listed. */
export function parseTableScript(script: string, current: Field[]) {
  const check = checkXanoScript(script, ["table"]);
  if (!check.ok) throw scriptError(check.error);
  const { settings } = check.doc;
  return {
    name: check.doc.name,
    description: typeof settings.description === "string" ? settings.description : undefined,
    auth: typeof settings.auth === "boolean" ? settings.auth : undefined,
    tag: Array.isArray(settings.tags) ? settings.tags.filter((t): t is string => typeof t === "string") : undefined,
    schema: /^\s*schema\s*\{/m.test(script) ? schemaFromScript(script, current) : undefined,
    index: Array.isArray(settings.index) ? (settings.index as unknown[]) : undefined,
  };
}
