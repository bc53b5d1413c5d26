// Xano's error envelope. Every error the fake answers has the body `{code, message, payload}`
// (xano.md "Errors"), so clients can be tested against the one shape they will meet.

export type XanoErrorCode =
  | "ERROR_CODE_INPUT_ERROR"
  | "ERROR_CODE_BAD_REQUEST"
  | "ERROR_CODE_UNAUTHORIZED"
  | "ERROR_CODE_ACCESS_DENIED"
  | "ERROR_CODE_NOT_FOUND"
  | "ERROR_CODE_TOO_MANY_REQUESTS"
  | "ERROR_FATAL";

/** The code Xano uses for a status; used when a knob injects a bare status. */
export function codeForStatus(status: number): XanoErrorCode {
  switch (status) {
    case 400: return "ERROR_CODE_INPUT_ERROR";
    case 401: return "ERROR_CODE_UNAUTHORIZED";
    case 403: return "ERROR_CODE_ACCESS_DENIED";
    case 404: return "ERROR_CODE_NOT_FOUND";
    case 429: return "ERROR_CODE_TOO_MANY_REQUESTS";
    default: return status >= 500 ? "ERROR_FATAL" : "ERROR_CODE_BAD_REQUEST";
  }
}

const DEFAULT_MESSAGES: Record<XanoErrorCode, string> = {
  ERROR_CODE_INPUT_ERROR: "Invalid input.",
  ERROR_CODE_BAD_REQUEST: "Bad request.",
  ERROR_CODE_UNAUTHORIZED: "Unauthorized.",
  ERROR_CODE_ACCESS_DENIED: "Access denied.",
  ERROR_CODE_NOT_FOUND: "Not found.",
  ERROR_CODE_TOO_MANY_REQUESTS: "Too many requests.",
  ERROR_FATAL: "Something went wrong.",
};

/** Thrown by handlers; the dispatcher turns it into the envelope. */
export class XanoError extends Error {
  constructor(
    readonly status: number,
    readonly code: XanoErrorCode,
    message: string,
    readonly payload: unknown = "",
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const inputError = (message: string, param?: string) =>
  new XanoError(400, "ERROR_CODE_INPUT_ERROR", message, param ? { param } : "");
export const notFound = (message = "Not found.") => new XanoError(404, "ERROR_CODE_NOT_FOUND", message);
export const unauthorized = (message: string) => new XanoError(401, "ERROR_CODE_UNAUTHORIZED", message);
export const accessDenied = (message: string) => new XanoError(403, "ERROR_CODE_ACCESS_DENIED", message);

export function errorResponse(
  status: number,
  code: XanoErrorCode = codeForStatus(status),
  message: string = DEFAULT_MESSAGES[code],
  payload: unknown = "",
  headers: Record<string, string> = {},
): Response {
  return Response.json({ code, message, payload }, { status, headers });
}

export function responseForError(err: XanoError): Response {
  return errorResponse(err.status, err.code, err.message, err.payload, err.headers);
}

/** Marks an injected network failure; fake.fetch rejects with it, msw turns it into HttpResponse.error(). */
export class FakeNetworkError extends TypeError {
  readonly fakeXanoNetworkFailure = true;
  constructor(route: string) {
    super(`fake-xano: injected network failure on ${route}`);
  }
}
