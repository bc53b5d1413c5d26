/**
 * Large answers (exports, a workspace's context, OpenAPI documents, history with output) go back
 * in parts, never cut silently: a part says how big the whole is, which characters it holds and
 * the `offset` to ask for next. Files (binary exports) go as base64, in parts the same way.
 */
import { z } from "zod";
import type { RawBody } from "../../xano/http";

/** Characters of one answer part: well inside what MCP clients take in one result. */
export const MAX_ANSWER_CHARS = 100_000;

export const offsetInput = z
  .number()
  .int()
  .min(0)
  .max(1_000_000_000)
  .optional()
  .describe("For a large answer: the character to start from (default 0). A partial answer gives nextOffset; call again with offset = nextOffset for the rest.");

export interface AnswerPart {
  data: unknown;
  /** A sentence for the message when the answer was split, else "". */
  note: string;
}

export function isRawBody(value: unknown): value is RawBody {
  return typeof value === "object" && value !== null && (value as RawBody).bytes instanceof Uint8Array;
}

/**
 * The answer, or the part of it starting at `offset` when it is larger than MAX_ANSWER_CHARS
 * (its JSON text, or a file's base64). `hint` adds another way to a smaller answer (e.g. per_page).
 */
export function answerPart(value: unknown, offset = 0, hint = ""): AnswerPart {
  if (isRawBody(value)) {
    const base64 = toBase64(value.bytes);
    const file = { format: "file", fileName: fileNameOf(value.disposition), contentType: value.contentType, sizeBytes: value.bytes.length };
    const part = slice(base64, offset);
    return { data: { ...file, ...part.range, base64: part.text }, note: part.note("base64 characters", hint) };
  }
  const text = JSON.stringify(value ?? null);
  if (offset === 0 && text.length <= MAX_ANSWER_CHARS) return { data: value, note: "" };
  const part = slice(text, offset);
  return { data: { partial: true, ...part.range, json: part.text }, note: part.note("characters of JSON", hint) };
}

function slice(text: string, offset: number) {
  const start = Math.min(offset, text.length);
  const end = Math.min(start + MAX_ANSWER_CHARS, text.length);
  const nextOffset = end < text.length ? end : null;
  return {
    text: text.slice(start, end),
    range: { totalChars: text.length, offset: start, nextOffset },
    note: (unit: string, hint: string) =>
      start === 0 && nextOffset === null
        ? ""
        : ` The answer is ${text.length} ${unit}; this part holds ${start} to ${end}` +
          (nextOffset !== null ? `: call again with offset = ${nextOffset} for the rest, and join the parts in order.` : " (the last part).") +
          (hint ? ` ${hint}` : ""),
  };
}

function fileNameOf(disposition: string | null): string | null {
  const match = disposition && /filename="?([^";]+)"?/i.exec(disposition);
  return match ? match[1] : null;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
