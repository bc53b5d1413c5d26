/**
 * Xano's error envelope is `{code, message, payload}`. Every failed Xano call becomes one
 * `XanoApiError`; `describeXanoError` is the single place that turns it into what an assistant
 * reads (what went wrong and what to do next).
 */
import { describeBytes } from "../lib/bounded-body";

export class XanoApiError extends Error {
  constructor(
    /** HTTP status, or 0 when Xano could not be reached. */
    readonly status: number,
    /** Xano's error code (ERROR_CODE_NOT_FOUND, …), or NETWORK_ERROR / INVALID_RESPONSE / UPSTREAM_TOO_LARGE. */
    readonly code: string,
    message: string,
    readonly payload: unknown = undefined,
    /** Seconds to wait before retrying, from Retry-After, when Xano sent one. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = "XanoApiError";
  }
}

/** The code of an answer larger than the call's cap (xano/fetch.ts); its payload is `{ maxBytes }`. */
export const UPSTREAM_TOO_LARGE = "UPSTREAM_TOO_LARGE";

export interface ToolError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** What went wrong and what the assistant (or person) should do next. */
/**
 * `permission` is the Metadata API permission the call needs (e.g. "Database: Delete"), named in a
 * 403's advice; a 400 names the field Xano complained about (its `payload.param`).
 */
export function describeXanoError(error: XanoApiError, what: string, permission?: string): ToolError {
  if (error.code === UPSTREAM_TOO_LARGE) {
    const maxBytes = (error.payload as { maxBytes: number }).maxBytes;
    return {
      code: UPSTREAM_TOO_LARGE,
      message:
        `Xano's answer while trying to ${what} is larger than ${describeBytes(maxBytes)}, more than this server reads from one call, so it was not read. ` +
        `Ask for less at a time: a smaller page (per_page), a narrower search, or one item instead of a list.`,
      details: { status: error.status, maxBytes },
    };
  }
  const details: Record<string, unknown> = { status: error.status, xanoCode: error.code };
  if (error.payload !== undefined && error.payload !== "" && error.payload !== null) details.payload = error.payload;
  const xano = error.message ? ` Xano said: "${error.message}".` : "";
  switch (true) {
    case error.status === 0:
      return { code: "XANO_UNREACHABLE", message: `Could not reach Xano while trying to ${what}. Try again shortly.${xano}`, details };
    case error.status === 400: {
      const field = fieldOf(error.payload);
      if (field) details.field = field;
      return {
        code: "INVALID_INPUT",
        message: field
          ? `Xano rejected the input to ${what}: field "${field}".${xano} Fix "${field}" and try again.`
          : `Xano rejected the input to ${what}.${xano} Check the arguments and try again.`,
        details,
      };
    }
    case error.status === 401:
      return { code: "XANO_UNAUTHORIZED", message: `Xano did not accept the stored credential while trying to ${what}.${xano} Sign in again to reconnect.`, details };
    case error.status === 403: {
      if (permission) details.permission = permission;
      const needed = permission ? `the "${permission}" permission` : "the permission (scope) this needs";
      return {
        code: "XANO_FORBIDDEN",
        message:
          `Xano denied access while trying to ${what}.${xano} This needs ${needed}: give the Metadata API token that permission in Xano ` +
          `(instance settings → Metadata API) or sign in with a token that has it. With "Sign in with Xano", your role in the workspace must allow it.`,
        details,
      };
    }
    case error.status === 404:
      return { code: "NOT_FOUND", message: `Not found while trying to ${what}.${xano} Check the ids (list them first if unsure).`, details };
    case error.status === 429: {
      const wait = error.retryAfterSeconds;
      if (wait !== null) details.retryAfterSeconds = wait;
      return {
        code: "RATE_LIMITED",
        message: `Xano is rate-limiting requests (while trying to ${what}). Retry ${wait !== null ? `after ${wait} seconds` : "in a little while"}.`,
        details,
      };
    }
    case error.status >= 500:
      return { code: "XANO_SERVER_ERROR", message: `Xano failed while trying to ${what} (HTTP ${error.status}).${xano} This is usually temporary; retry shortly.`, details };
    default:
      return { code: "XANO_ERROR", message: `Xano answered HTTP ${error.status} while trying to ${what}.${xano}`, details };
  }
}

function fieldOf(payload: unknown): string | null {
  if (typeof payload !== "object" || payload === null) return null;
  const param = (payload as Record<string, unknown>).param;
  return typeof param === "string" && param !== "" ? param : null;
}

/**
 * Xano refused a XanoScript body (HTTP 400). The model wrote the script, so the answer is Xano's
 * own message, with the line and column when Xano names them (in the payload or the text), and
 * the loop to follow: fix the script, send it again.
 */
export function describeXanoScriptRejection(error: XanoApiError, what: string): ToolError {
  const details: Record<string, unknown> = { status: error.status, xanoCode: error.code };
  if (error.payload !== undefined && error.payload !== "" && error.payload !== null) details.payload = error.payload;
  const { line, column } = scriptPosition(error);
  if (line !== null) details.line = line;
  if (column !== null) details.column = column;
  const where = line !== null ? ` at line ${line}${column !== null ? `, column ${column}` : ""}` : "";
  const said = error.message ? ` Xano said: "${error.message}".` : "";
  return {
    code: "XANOSCRIPT_INVALID",
    message:
      `Xano refused the XanoScript${where} while trying to ${what}.${said} Fix the script${where ? " there" : ""} and call the tool again with the corrected xanoscript ` +
      "(xano_get_xanoscript_reference shows the syntax of each object kind).",
    details,
  };
}

function scriptPosition(error: XanoApiError): { line: number | null; column: number | null } {
  const payload = typeof error.payload === "object" && error.payload !== null ? (error.payload as Record<string, unknown>) : {};
  const number = (value: unknown) => (typeof value === "number" && Number.isInteger(value) && value > 0 ? value : null);
  const fromText = (re: RegExp) => {
    const match = re.exec(error.message);
    return match ? Number(match[1]) : null;
  };
  return {
    line: number(payload.line) ?? fromText(/\bline\s*:?\s*(\d+)/i) ?? fromText(/\b(\d+):\d+\b/),
    column: number(payload.column) ?? fromText(/\bcol(?:umn)?\s*:?\s*(\d+)/i) ?? fromText(/\b\d+:(\d+)\b/),
  };
}
