/**
 * One response envelope for every tool, as the original server's users know it:
 *   success: { success: true, operation, message, data }
 *   failure: { success: false, operation, error: { code, message, details } }  (isError: true)
 * It goes out twice: as `structuredContent` for programs and as text for models that read text.
 */
import type { ToolError } from "../xano/errors";

/**
 * Every `error.code` a tool can answer with. DEBUG.md ("Tool calls") explains each one; a test
 * keeps the two lists equal, and the catalogue's property test fails on any other code.
 */
export const ERROR_CODES = [
  "INVALID_INPUT",
  "XANOSCRIPT_INVALID",
  "INSUFFICIENT_SCOPE",
  "TOOL_NOT_AVAILABLE",
  "NOT_FOUND",
  "XANO_FORBIDDEN",
  "XANO_UNAUTHORIZED",
  "XANO_REAUTH_REQUIRED",
  "RATE_LIMITED",
  "XANO_UNREACHABLE",
  "XANO_SERVER_ERROR",
  "XANO_ERROR",
  "UPSTREAM_TOO_LARGE",
  "UPSTREAM_UNAVAILABLE",
  "INTERNAL_ERROR",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface SuccessEnvelope {
  success: true;
  operation: string;
  message: string;
  data: unknown;
}

export interface FailureEnvelope {
  success: false;
  operation: string;
  error: ToolError;
}

export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: "text"; text: string }>;
  structuredContent: Record<string, unknown>;
  isError?: boolean;
}

export function success(operation: string, message: string, data: unknown): ToolResult {
  const envelope: SuccessEnvelope = { success: true, operation, message, data };
  return { content: [{ type: "text", text: `${message}\n${JSON.stringify(data, null, 2)}` }], structuredContent: { ...envelope } };
}

export function failure(operation: string, error: ToolError): ToolResult {
  const envelope: FailureEnvelope = { success: false, operation, error };
  return {
    content: [{ type: "text", text: `Error (${error.code}): ${error.message}` }],
    structuredContent: { ...envelope },
    isError: true,
  };
}
