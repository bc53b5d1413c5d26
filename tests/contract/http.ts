// The HTTP vocabulary of the contract cases: one call (a bearer token; a JSON, url-encoded, multipart
// or XanoScript body), the parsed answer, and the checks of Xano's error envelope. Every call goes
// through the `fetch` the runner hands the case.
import { expect } from "vitest";

export interface CallOptions {
  method?: string;
  token?: string;
  json?: unknown;
  form?: Record<string, string> | FormData;
  /** A XanoScript body (`Content-Type: text/x-xanoscript`, as Xano's description says). */
  xanoscript?: string;
  headers?: Record<string, string>;
}

/** `data` is the parsed JSON answer, the text when it is not JSON (HTML pages), undefined when empty. */
export interface CallResult {
  status: number;
  data: any;
  headers: Headers;
}

export type Call = (url: string, options?: CallOptions) => Promise<CallResult>;

export function caller(fetch: typeof globalThis.fetch): Call {
  return async (url, { method, token, json, form, xanoscript, headers = {} } = {}) => {
    const h: Record<string, string> = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (json !== undefined) {
      h["content-type"] = "application/json";
      body = JSON.stringify(json);
    } else if (xanoscript !== undefined) {
      h["content-type"] = "text/x-xanoscript";
      body = xanoscript;
    } else if (form instanceof FormData) {
      body = form;
    } else if (form) {
      h["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(url, { method: method ?? (body !== undefined ? "POST" : "GET"), headers: h, body, redirect: "manual" });
    const text = await res.text();
    let data: any = text === "" ? undefined : text;
    try {
      data = JSON.parse(text);
    } catch {
      /* HTML, YAML, or empty */
    }
    return { status: res.status, data, headers: res.headers };
  };
}

/** Xano's error envelope `{code, message, payload}` with this status and code (and `payload.param`, when given). */
export function expectError(r: { status: number; data: any }, status: number, code: string, param?: string) {
  expect(r.status, JSON.stringify(r.data)?.slice(0, 300)).toBe(status);
  expect(Object.keys(r.data).sort()).toEqual(["code", "message", "payload"]);
  expect(r.data.code).toBe(code);
  expect(typeof r.data.message).toBe("string");
  if (param) expect(r.data.payload.param).toBe(param);
}

/** The envelope with this status, whatever the code; `payload` exactly `{param}` when given. */
export function expectParam(r: { status: number; data: any }, status: number, param?: string) {
  expect(r.status, JSON.stringify(r.data)?.slice(0, 300)).toBe(status);
  expect(Object.keys(r.data).sort()).toEqual(["code", "message", "payload"]);
  if (param) expect(r.data.payload).toEqual({ param });
}

/** Xano's text timestamps, "2026-01-01 00:00:00+0000". */
export const XANO_TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+0000$/;
