/**
 * A minimal browser for tests: a cookie jar, manual redirects, and HTML form reading/submission,
 * all through SELF.fetch into the real Worker. Pages are driven the way a person would: find the
 * form, fill the labelled fields, press a button.
 */
import { SELF } from "cloudflare:test";

export const ORIGIN = "http://localhost:8787";

export interface HtmlForm {
  /** The page's origin, to resolve a relative action. */
  origin?: string;
  method: string;
  action: string;
  fields: Record<string, string>;
  /** Every checked checkbox value by name (a group of checkboxes submits each ticked one). */
  checked: Record<string, string[]>;
  buttons: Array<{ name: string; value: string; text: string }>;
  labels: string[];
}

/** How a request reaches the Worker: SELF, or the Worker's fetch called with another env (tests/allow-lists.test.ts). */
export type WorkerFetch = (request: Request) => Promise<Response>;

export class TestBrowser {
  readonly cookies = new Map<string, string>();

  /** `headers` go with every request to the Worker, e.g. the `CF-Connecting-IP` Cloudflare would add. */
  constructor(
    private readonly headers: Record<string, string> = {},
    private readonly worker: WorkerFetch = (request) => SELF.fetch(request),
  ) {}

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.headers)) if (!headers.has(name)) headers.set(name, value);
    if (this.cookies.size > 0) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const target = new URL(url, ORIGIN);
    // Our Worker is reached through SELF; any other origin (fake Xano's pages) through the
    // intercepted network. Cookies are kept per origin.
    if (target.origin !== ORIGIN) return this.fetchElsewhere(target, init);
    const response = await this.worker(new Request(target.toString(), { ...init, headers, redirect: "manual" }));
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

  private readonly elsewhere = new Map<string, Map<string, string>>();

  private async fetchElsewhere(target: URL, init: RequestInit): Promise<Response> {
    const jar = this.elsewhere.get(target.origin) ?? new Map<string, string>();
    this.elsewhere.set(target.origin, jar);
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set("Cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(target.toString(), { ...init, headers, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const index = pair.indexOf("=");
      jar.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
    }
    return response;
  }

  /** Submits a form as a browser would, pressing the named button (if any). */
  async submit(form: HtmlForm, values: Record<string, string | string[]>, button?: { name: string; value: string }): Promise<Response> {
    // Checkbox names and other field names never overlap; `values` replace either (a list for a checkbox group).
    const body = new URLSearchParams();
    const merged: Record<string, string | string[]> = { ...form.checked, ...form.fields, ...values };
    for (const [name, value] of Object.entries(merged)) for (const one of [value].flat()) body.append(name, one);
    if (button) body.set(button.name, button.value);
    return this.fetch(new URL(form.action, form.origin ?? ORIGIN).toString(), {
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
export function parseForms(page: string, origin: string = ORIGIN): HtmlForm[] {
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
      return { name: a.name ?? "", value: a.value ?? "", text: b[2].replace(/<[^>]+>/g, "").trim() };
    });
    const labels = [...inner.matchAll(/<label\b[^>]*>([\s\S]*?)<\/label>/gi)].map((l) => decodeEntities(l[1].replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim()));
    for (const select of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const name = attributes(select[1]).name;
      const first = select[2].match(/<option\b([^>]*)>/i);
      if (name && first) fields[name] = attributes(first[1]).value ?? "";
    }
    forms.push({ origin, method: attrs.method ?? "get", action: attrs.action ?? "", fields, checked, buttons, labels });
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
