// The request log: one entry per request the fake served, so tests can assert how a client
// behaved on the wire (how many refreshes, which user's token, which route). Tokens themselves are
// never recorded, only whose they are and what kind.

import type { TokenKind } from "./store";

export interface LogEntry {
  /** The fake's clock (epoch ms) when the request arrived. */
  at: number;
  method: string;
  origin: string;
  path: string;
  /** The matched route template, e.g. "GET /api:meta/workspace/{w}/table"; null when no route matched. */
  route: string | null;
  /** The status answered; 0 when a knob dropped the call as a network failure. */
  status: number;
  tokenOwner: number | null;
  tokenKind: TokenKind | "none" | "unknown";
}

export class RequestLog {
  readonly entries: LogEntry[] = [];

  record(entry: LogEntry): void {
    this.entries.push(entry);
  }

  /** How many requests matched a route template (optionally only on one origin). */
  count(route: string, origin?: string): number {
    return this.entries.filter((e) => e.route === route && (origin === undefined || e.origin === origin)).length;
  }

  /** Requests per route template; unmatched requests count under "unmatched". */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.entries) {
      const key = e.route ?? "unmatched";
      out[key] = (out[key] ?? 0) + 1;
    }
    return out;
  }

  clear(): void {
    this.entries.length = 0;
  }

  toJSON() {
    return { entries: this.entries, counts: this.counts() };
  }
}
