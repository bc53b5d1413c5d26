/**
 * The person's activity as downloads (/apps/activity.csv and .json). CSV cells are quoted, and a
 * cell that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return)
 * gets a leading apostrophe (OWASP "CSV Injection"); tool names and ids are ours or Xano's, but an
 * app's name is chosen by whoever registered it.
 */
export interface ExportedCall {
  at: string;
  app: string;
  app_name: string;
  via: string;
  tool: string;
  objects: Record<string, unknown>;
  outcome: string;
  duration_ms: number;
}

const COLUMNS = ["at", "app", "app_name", "via", "tool", "objects", "outcome", "duration_ms"] as const;

export function csvCell(value: unknown): string {
  let text = typeof value === "string" ? value : typeof value === "number" ? String(value) : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function toCsv(calls: readonly ExportedCall[]): string {
  const lines = [COLUMNS.join(",")];
  for (const call of calls) lines.push(COLUMNS.map((column) => csvCell(call[column])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export function toJson(calls: readonly ExportedCall[]): string {
  return JSON.stringify({ calls }, null, 2);
}

/** A download of our own content: never rendered, never cached, never framed. */
export function attachment(body: string, contentType: string, filename: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${filename}"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    },
  });
}
