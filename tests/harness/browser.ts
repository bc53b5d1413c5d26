/**
 * A minimal browser for tests: a cookie jar, manual redirects, and HTML form reading/submission,
 * all through SELF.fetch into the real Worker. Pages are driven the way a person would: find the
 * form, fill the labelled fields, press a button.
 */
import { SELF } from "cloudflare:test";

export const ORIGIN = "http://localhost:8787";

export interface HtmlForm {
  method: string;
  action: string;
  fields: Record<string, string>;
  buttons: Array<{ name: string; value: string; text: string }>;
  labels: string[];
}

export class TestBrowser {
  readonly cookies = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await SELF.fetch(new URL(url, ORIGIN).toString(), { ...init, headers, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Submits a form as a browser would, pressing the named button (if any). */
  async submit(form: HtmlForm, values: Record<string, string>, button?: { name: string; value: string }): Promise<Response> {
    const body = new URLSearchParams({ ...form.fields, ...values });
    if (button) body.set(button.name, button.value);
    return this.fetch(form.action, {
      method: form.method.toUpperCase(),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
  }
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

/** Every <form> of a page with its inputs (hidden and visible), buttons and label texts. */
export function parseForms(page: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const match of page.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(match[1]);
    const inner = match[2];
    const fields: Record<string, string> = {};
    for (const input of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const a = attributes(input[1]);
      if (a.name && a.type !== "submit") fields[a.name] = a.value ?? "";
    }
    const buttons = [...inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)].map((b) => {
      const a = attributes(b[1]);
      return { name: a.name ?? "", value: a.value ?? "", text: b[2].replace(/<[^>]+>/g, "").trim() };
    });
    const labels = [...inner.matchAll(/<label\b[^>]*>([\s\S]*?)<\/label>/gi)].map((l) => decodeEntities(l[1].replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim()));
    forms.push({ method: attrs.method ?? "get", action: attrs.action ?? "", fields, buttons, labels });
  }
  return forms;
}

/** The control a visible label points at: `<label for=id>` → `<input id=id name=…>`. */
export function fieldNameForLabel(page: string, labelStartsWith: string): string {
  for (const match of page.matchAll(/<label\b([^>]*)>([\s\S]*?)<\/label>/gi)) {
    const text = decodeEntities(match[2].replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim());
    if (!text.startsWith(labelStartsWith)) continue;
    const id = attributes(match[1]).for;
    const input = [...page.matchAll(/<input\b([^>]*)>/gi)].map((i) => attributes(i[1])).find((a) => a.id === id);
    if (input?.name) return input.name;
  }
  throw new Error(`No form control labelled "${labelStartsWith}"`);
}
