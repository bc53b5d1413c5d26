/** Input pieces shared by many tools, each with the description an assistant reads. */
import { z } from "zod";

/** Xano ids: a positive whole number, given as a number or a numeric string. */
export function idInput(what: string) {
  return z
    .union([z.number().int().positive(), z.string().regex(/^[1-9]\d{0,15}$/, "must be a positive whole number")])
    .describe(`The ${what} id (a number, e.g. 12; a numeric string like "12" also works).`);
}

export const pageInput = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe("Page number, starting at 1 (default 1). Use the nextPage value of a previous result to continue.");

export function perPageInput(max: number, fallback: number) {
  return z.number().int().min(1).max(max).optional().describe(`Items per page, 1 to ${max} (default ${fallback}).`);
}

export function toId(value: number | string): number {
  return typeof value === "number" ? value : Number(value);
}
