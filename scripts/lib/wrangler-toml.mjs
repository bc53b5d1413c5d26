/**
 * Reads and edits wrangler.toml as lines, so that every comment and the order of everything stays
 * exactly as a person wrote it. It understands only what the setup wizard touches: the top-level
 * `name`, the `[vars]` table and the `[[kv_namespaces]]` blocks, each with one `key = "string"` per
 * line (the shape of this repository's file). Anything else passes through untouched.
 */

const HEADER = /^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?\s*(#.*)?$/;
const STRING_KEY = /^(\s*)([A-Za-z0-9_-]+)(\s*=\s*)"((?:[^"\\]|\\.)*)"(.*)$/;

export class WranglerToml {
  /** @param {string} text */
  constructor(text) {
    this.eol = text.includes("\r\n") ? "\r\n" : "\n";
    this.lines = text.split(/\r?\n/);
  }

  toString() {
    return this.lines.join(this.eol);
  }

  /** The sections in order: { header, start, end } with `start` the header line (or -1 for the top). */
  sections() {
    const sections = [{ header: "", array: false, start: -1, end: this.lines.length }];
    this.lines.forEach((line, index) => {
      const match = HEADER.exec(line);
      if (!match) return;
      sections[sections.length - 1].end = index;
      sections.push({ header: match[2], array: match[1] === "[[", start: index, end: this.lines.length });
    });
    return sections;
  }

  /** The string value of `key` between lines (start, end), with its line index. */
  findKey(section, key) {
    for (let i = section.start + 1; i < section.end; i++) {
      const match = STRING_KEY.exec(this.lines[i]);
      if (match && match[2] === key) return { index: i, value: unescape(match[4]) };
    }
    return null;
  }

  /** The Worker's name (top-level `name`). */
  workerName() {
    return this.findKey(this.sections()[0], "name")?.value ?? null;
  }

  /** Every `[vars]` entry as a plain object. */
  vars() {
    const section = this.sections().find((s) => s.header === "vars" && !s.array);
    const vars = {};
    if (!section) return vars;
    for (let i = section.start + 1; i < section.end; i++) {
      const match = STRING_KEY.exec(this.lines[i]);
      if (match) vars[match[2]] = unescape(match[4]);
    }
    return vars;
  }

  /**
   * Sets `[vars] key = "value"`. An existing line keeps its indentation and trailing comment; a new
   * key goes after the last key of `[vars]`, under `comment` (one line, without "#").
   * Returns "unchanged", "changed" or "added".
   */
  setVar(key, value, comment) {
    let section = this.sections().find((s) => s.header === "vars" && !s.array);
    if (!section) {
      // A [vars] table goes before the first table, after the top-level keys.
      const firstTable = this.sections()[1]?.start ?? this.lines.length;
      this.lines.splice(firstTable, 0, "[vars]", "");
      section = this.sections().find((s) => s.header === "vars" && !s.array);
    }
    const found = this.findKey(section, key);
    if (found) {
      if (found.value === value) return "unchanged";
      const match = STRING_KEY.exec(this.lines[found.index]);
      this.lines[found.index] = `${match[1]}${match[2]}${match[3]}${quote(value)}${match[5]}`;
      return "changed";
    }
    let last = section.start;
    for (let i = section.start + 1; i < section.end; i++) if (STRING_KEY.test(this.lines[i])) last = i;
    const added = [`${key} = ${quote(value)}`];
    if (comment) added.unshift(`# ${comment}`);
    this.lines.splice(last + 1, 0, ...added);
    return "added";
  }

  /** The `[[kv_namespaces]]` block whose binding is `binding`, with its id (or null). */
  kvNamespace(binding) {
    for (const section of this.sections()) {
      if (section.header !== "kv_namespaces" || !section.array) continue;
      const bindingLine = this.findKey(section, "binding");
      if (bindingLine?.value !== binding) continue;
      return { section, bindingLine, id: this.findKey(section, "id") };
    }
    return null;
  }

  /**
   * Sets the id of the KV namespace bound as `binding`: replaces an `id` line, or adds one right
   * after the `binding` line. Returns "unchanged", "changed" or "added"; throws if there is no block.
   */
  setKvNamespaceId(binding, id) {
    const block = this.kvNamespace(binding);
    if (!block) throw new Error(`wrangler.toml has no [[kv_namespaces]] block with binding = "${binding}"`);
    if (block.id) {
      if (block.id.value === id) return "unchanged";
      const match = STRING_KEY.exec(this.lines[block.id.index]);
      this.lines[block.id.index] = `${match[1]}${match[2]}${match[3]}${quote(id)}${match[5]}`;
      return "changed";
    }
    const indent = STRING_KEY.exec(this.lines[block.bindingLine.index])[1];
    this.lines.splice(block.bindingLine.index + 1, 0, `${indent}id = ${quote(id)}`);
    return "added";
  }
}

/** A TOML basic string; JSON's escapes are valid TOML escapes for everything a URL or list holds. */
function quote(value) {
  return JSON.stringify(String(value));
}

function unescape(raw) {
  try {
    return JSON.parse(`"${raw}"`);
  } catch {
    return raw;
  }
}
