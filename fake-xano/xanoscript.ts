// A well-formedness check for XanoScript, the language Xano's Metadata API takes as
// `text/x-xanoscript` bodies (described in ../shared/xano-meta-api/xanoscript-docs/).
// The fake does not run or type-check scripts; it checks what a client can get wrong in transit
// and what the fake needs to file the object:
// - the first word is the keyword of the object kind the endpoint serves (`function`, `query`, …);
// - a name follows (a bare word, a quoted string, or a path such as `/products`);
// - then optional header attributes (`verb=GET`) and exactly one `{ … }` block, nothing after it;
// - `{}` `[]` `()` are balanced and strings are closed (`"…"` and `'…'` end on their line,
//   `"""…"""` may span lines); `//` starts a comment outside strings.
// From the top level of the block it derives simple settings (`description = "…"`, `tags = […]`,
// `table = "user"`, `actions = {insert: true}`, `llm = {…}`): literal values only.
// A failure names the line and column (1-based) where the problem is, or where the unclosed thing opened.

export interface ScriptDocument {
  keyword: string;
  name: string;
  /** Header attributes such as `verb=GET` (values as written, quotes removed). */
  attributes: Record<string, string>;
  /** Top-level `key = <literal>` settings of the block; a non-literal value (an expression) is absent. */
  settings: Record<string, unknown>;
}

export interface ScriptError {
  line: number;
  column: number;
  message: string;
}

export type ScriptCheck = { ok: true; doc: ScriptDocument } | { ok: false; error: ScriptError };

type TokenType = "word" | "string" | "punct";
interface Token {
  type: TokenType;
  value: string;
  line: number;
  column: number;
  /** Nesting depth BEFORE the token (an opening brace at the top level has depth 0). */
  depth: number;
}

const PUNCT = new Set(["{", "}", "[", "]", "(", ")", "=", ",", ":", "|"]);
const CLOSER: Record<string, string> = { "{": "}", "[": "]", "(": ")" };

class ScriptSyntaxError extends Error {
  constructor(readonly line: number, readonly column: number, message: string) {
    super(message);
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const open: Array<{ char: string; line: number; column: number }> = [];
  let i = 0;
  let line = 1;
  let column = 1;
  const advance = (n = 1) => {
    for (let k = 0; k < n; k++) {
      if (text[i] === "\n") { line++; column = 1; } else column++;
      i++;
    }
  };
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\r" || c === "\n") { advance(); continue; }
    if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") advance();
      continue;
    }
    const start = { line, column, depth: open.length };
    if (text.startsWith('"""', i)) {
      const end = text.indexOf('"""', i + 3);
      if (end < 0) throw new ScriptSyntaxError(start.line, start.column, 'unterminated """ string');
      const value = text.slice(i + 3, end);
      advance(end + 3 - i);
      tokens.push({ type: "string", value, ...start });
      continue;
    }
    if (c === '"' || c === "'") {
      let value = "";
      advance();
      for (;;) {
        const d = text[i];
        if (d === undefined || d === "\n") throw new ScriptSyntaxError(start.line, start.column, `unterminated string (missing closing ${c})`);
        if (d === "\\" && i + 1 < text.length && text[i + 1] !== "\n") { value += text[i + 1]; advance(2); continue; }
        advance();
        if (d === c) break;
        value += d;
      }
      tokens.push({ type: "string", value, ...start });
      continue;
    }
    if (PUNCT.has(c)) {
      if (CLOSER[c]) {
        open.push({ char: c, line, column });
      } else if (c === "}" || c === "]" || c === ")") {
        const top = open.pop();
        if (!top) throw new ScriptSyntaxError(line, column, `unexpected "${c}" with nothing open`);
        if (CLOSER[top.char] !== c) {
          throw new ScriptSyntaxError(line, column, `"${c}" does not close the "${top.char}" opened on line ${top.line}, column ${top.column}`);
        }
      }
      tokens.push({ type: "punct", value: c, line: start.line, column: start.column, depth: CLOSER[c] ? start.depth : open.length });
      advance();
      continue;
    }
    let value = "";
    while (i < text.length && !/\s/.test(text[i]) && !PUNCT.has(text[i]) && text[i] !== '"' && text[i] !== "'" && !text.startsWith("//", i)) {
      value += text[i];
      advance();
    }
    tokens.push({ type: "word", value, ...start });
  }
  const unclosed = open.pop();
  if (unclosed) throw new ScriptSyntaxError(unclosed.line, unclosed.column, `"${unclosed.char}" is never closed`);
  return tokens;
}

/** Parses one literal value at tokens[at]; returns the value and the index after it, or null for an expression. */
function literal(tokens: Token[], at: number): { value: unknown; next: number } | null {
  const t = tokens[at];
  if (!t) return null;
  if (t.type === "string") return { value: t.value, next: at + 1 };
  if (t.type === "word") {
    if (t.value === "true" || t.value === "false") return { value: t.value === "true", next: at + 1 };
    if (t.value === "null") return { value: null, next: at + 1 };
    if (/^-?\d+(\.\d+)?$/.test(t.value)) return { value: Number(t.value), next: at + 1 };
    return null;
  }
  if (t.value === "[") {
    const items: unknown[] = [];
    let k = at + 1;
    while (tokens[k] && tokens[k].value !== "]") {
      if (tokens[k].type === "punct" && tokens[k].value === ",") { k++; continue; }
      const item = literal(tokens, k);
      if (!item) return null;
      items.push(item.value);
      k = item.next;
    }
    return tokens[k] ? { value: items, next: k + 1 } : null;
  }
  if (t.value === "{") {
    const object: Record<string, unknown> = {};
    let k = at + 1;
    while (tokens[k] && !(tokens[k].type === "punct" && tokens[k].value === "}")) {
      if (tokens[k].type === "punct" && tokens[k].value === ",") { k++; continue; }
      const key = tokens[k];
      if (key.type === "punct" || tokens[k + 1]?.value !== ":") return null;
      // `temperature. : 1` appears in Xano's own example; a trailing dot on a key is tolerated.
      const item = literal(tokens, k + 2);
      if (!item) return null;
      object[key.value.replace(/\.$/, "")] = item.value;
      k = item.next;
    }
    return tokens[k] ? { value: object, next: k + 1 } : null;
  }
  return null;
}

function settingsOf(tokens: Token[], from: number, to: number): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (let k = from; k < to; k++) {
    const t = tokens[k];
    if (t.depth !== 1 || t.type !== "word" || tokens[k + 1]?.value !== "=" || tokens[k + 1].type !== "punct") continue;
    // `a = b` where the previous token sits on the same line belongs to a larger statement.
    const previous = tokens[k - 1];
    if (previous && previous.line === t.line && previous.depth === 1 && previous.value !== "{") continue;
    const value = literal(tokens, k + 2);
    if (value && (tokens[value.next] === undefined || tokens[value.next].line !== tokens[value.next - 1].line || tokens[value.next].value === "}")) {
      settings[t.value] = value.value;
    }
  }
  return settings;
}

/** Checks a script against the keywords an endpoint accepts (empty list: any keyword). */
export function checkXanoScript(text: string, keywords: readonly string[]): ScriptCheck {
  try {
    return { ok: true, doc: parseDocument(text, keywords) };
  } catch (err) {
    if (err instanceof ScriptSyntaxError) return { ok: false, error: { line: err.line, column: err.column, message: err.message } };
    throw err;
  }
}

function parseDocument(text: string, keywords: readonly string[]): ScriptDocument {
  const tokens = tokenize(text);
  const expected = keywords.map((k) => `"${k}"`).join(" or ");
  const first = tokens[0];
  if (!first) throw new ScriptSyntaxError(1, 1, `the script is empty; expected ${expected || "a keyword"}`);
  if (first.type !== "word" || (keywords.length > 0 && !keywords.includes(first.value))) {
    throw new ScriptSyntaxError(first.line, first.column, `expected ${expected} here, found "${first.value}"`);
  }
  const nameToken = tokens[1];
  if (!nameToken || nameToken.type === "punct") {
    const at = nameToken ?? first;
    throw new ScriptSyntaxError(at.line, at.column, `${first.value} needs a name after the keyword`);
  }
  if (nameToken.value.trim() === "") throw new ScriptSyntaxError(nameToken.line, nameToken.column, `${first.value} needs a non-empty name`);
  const attributes: Record<string, string> = {};
  let k = 2;
  while (tokens[k] && !(tokens[k].type === "punct" && tokens[k].value === "{")) {
    const key = tokens[k];
    const eq = tokens[k + 1];
    const value = tokens[k + 2];
    if (key.type !== "word" || eq?.value !== "=" || !value || value.type === "punct") {
      throw new ScriptSyntaxError(key.line, key.column, `unexpected "${key.value}" before the opening "{" of ${first.value} ${nameToken.value}`);
    }
    attributes[key.value] = value.value;
    k += 3;
  }
  const openBrace = tokens[k];
  if (!openBrace) {
    const last = tokens[tokens.length - 1];
    throw new ScriptSyntaxError(last.line, last.column, `${first.value} ${nameToken.value} has no "{ … }" block`);
  }
  // The matching "}" is the next punct "}" back at depth 0.
  let close = k + 1;
  while (!(tokens[close].type === "punct" && tokens[close].value === "}" && tokens[close].depth === 0)) close++;
  const trailing = tokens[close + 1];
  if (trailing) {
    throw new ScriptSyntaxError(trailing.line, trailing.column, `unexpected "${trailing.value}" after the end of ${first.value} ${nameToken.value}; one object per script`);
  }
  return { keyword: first.value, name: nameToken.value, attributes, settings: settingsOf(tokens, k + 1, close) };
}

/** A minimal script for an object created from JSON fields rather than XanoScript. */
export function skeletonScript(keyword: string, name: string, description: string, body = "stack {\n  }"): string {
  const quoted = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name);
  const lines = [`${keyword} ${quoted} {`];
  if (description) lines.push(`  description = ${JSON.stringify(description)}`);
  lines.push(`  ${body}`, "}", "");
  return lines.join("\n");
}

/**
 * For fragments (a stack of statements, as convert/fromXS takes): checks delimiters and strings
 * only, and lists the statements that start a line at the top level (`var $x1`, `db.query users`).
 */
export function checkFragment(text: string): { ok: true; statements: Array<{ keyword: string; name: string; line: number }> } | { ok: false; error: ScriptError } {
  try {
    const tokens = tokenize(text);
    const statements: Array<{ keyword: string; name: string; line: number }> = [];
    tokens.forEach((t, i) => {
      const previous = tokens[i - 1];
      if (t.depth === 0 && t.type === "word" && (!previous || previous.line !== t.line)) {
        const next = tokens[i + 1];
        statements.push({ keyword: t.value, name: next && next.line === t.line && next.type !== "punct" ? next.value : "", line: t.line });
      }
    });
    if (statements.length === 0) throw new ScriptSyntaxError(1, 1, "the script is empty");
    return { ok: true, statements };
  } catch (err) {
    if (err instanceof ScriptSyntaxError) return { ok: false, error: { line: err.line, column: err.column, message: err.message } };
    throw err;
  }
}
