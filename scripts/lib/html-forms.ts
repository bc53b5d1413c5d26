/**
 * Reading our HTML pages the way a browser submits them: every <form> with the fields it would send
 * untouched (hidden inputs, the checked radio and checkboxes, the first option of a select), its
 * buttons and label texts, and the control a visible label names. Used by the HTTP OAuth client
 * (oauth-http-client.ts), so by the worker tests and the scripts alike. No runtime APIs: it runs in
 * workerd and in Node.
 */

export interface HtmlForm {
  /** The page's origin, to resolve a relative action. */
  origin: string;
  method: string;
  action: string;
  fields: Record<string, string>;
  /** Every checked checkbox value by name (a group of checkboxes submits each ticked one). */
  checked: Record<string, string[]>;
  buttons: Array<{ name: string; value: string; text: string }>;
  labels: string[];
}

export function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, "`")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, "&");
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of tag.matchAll(/([a-zA-Z_:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    out[match[1].toLowerCase()] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? "");
  }
  return out;
}

const textOf = (html: string) => decodeEntities(html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim());

/** Every <form> of a page with its inputs (hidden and visible), buttons and label texts. */
export function parseForms(page: string, origin: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const match of page.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(match[1]);
    const inner = match[2];
    const fields: Record<string, string> = {};
    const checked: Record<string, string[]> = {};
    for (const input of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const a = attributes(input[1]);
      // A browser submits only the checked radio button or checkbox of a group.
      if ((a.type === "radio" || a.type === "checkbox") && !("checked" in a)) continue;
      if (a.type === "checkbox" && a.name) {
        (checked[a.name] ??= []).push(a.value ?? "on");
        continue;
      }
      if (a.name && a.type !== "submit") fields[a.name] = a.value ?? "";
    }
    const buttons = [...inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)].map((b) => {
      const a = attributes(b[1]);
      return { name: a.name ?? "", value: a.value ?? "", text: textOf(b[2]) };
    });
    const labels = [...inner.matchAll(/<label\b[^>]*>([\s\S]*?)<\/label>/gi)].map((l) => textOf(l[1]));
    for (const select of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const name = attributes(select[1]).name;
      const first = select[2].match(/<option\b([^>]*)>/i);
      if (name && first) fields[name] = attributes(first[1]).value ?? "";
    }
    forms.push({ origin, method: attrs.method ?? "get", action: attrs.action ?? "", fields, checked, buttons, labels });
  }
  return forms;
}

/** The control a visible label points at: `<label for=id>` → `<input id=id name=…>` (or a `<select>`). */
export function fieldNameForLabel(page: string, labelStartsWith: string): string {
  for (const match of page.matchAll(/<label\b([^>]*)>([\s\S]*?)<\/label>/gi)) {
    if (!textOf(match[2]).startsWith(labelStartsWith)) continue;
    const id = attributes(match[1]).for;
    const input = [...page.matchAll(/<(?:input|select)\b([^>]*)>/gi)].map((i) => attributes(i[1])).find((a) => a.id === id);
    if (input?.name) return input.name;
  }
  throw new Error(`No form control labelled "${labelStartsWith}"`);
}
