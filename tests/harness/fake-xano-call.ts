/**
 * One HTTP call to fake-xano, as the contract tests make them (through the msw network, so the
 * same path as the Worker's own calls): a bearer token, a JSON, url-encoded or multipart body.
 * `data` is the parsed JSON answer, the text when it is not JSON (HTML pages), undefined when empty.
 */
export interface FakeCallOptions {
  method?: string;
  token?: string;
  json?: unknown;
  form?: Record<string, string> | FormData;
  headers?: Record<string, string>;
}

export async function callFake(url: string, { method, token, json, form, headers = {} }: FakeCallOptions = {}) {
  const h: Record<string, string> = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (json !== undefined) {
    h["content-type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form instanceof FormData) {
    body = form;
  } else if (form) {
    h["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(form).toString();
  }
  const res = await fetch(url, { method: method ?? (body ? "POST" : "GET"), headers: h, body, redirect: "manual" });
  const text = await res.text();
  let data: any = text === "" ? undefined : text;
  try {
    data = JSON.parse(text);
  } catch {
    /* HTML, or empty */
  }
  return { status: res.status, data, headers: res.headers };
}
