/**
 * The charts of the Activity page and of /admin: calls per UTC day stacked by outcome (succeeded /
 * failed), the share of failed calls per day, and calls by tool, as inline SVG drawn on the server. No script and no CSS (the pages' CSP allows only /styles.css): colours
 * are presentation attributes. Its <title> and <desc> carry the same numbers as text, and the SVG
 * is role="img" labelled by them, so a screen reader reads the totals per day. `id` prefixes the
 * ids of <title> and <desc>, so one page can hold several charts.
 */
import { html, type SafeHtml } from "../lib/html";

export interface DayCount {
  /** YYYY-MM-DD (UTC). */
  day: string;
  ok: number;
  failed: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const WIDTH = 560;
const HEIGHT = 160;
const BASE = HEIGHT - 20;
const OK_COLOUR = "#2b8a3e";
const FAILED_COLOUR = "#c92a2a";

/** The last `days` UTC days ending with `now`'s, each with its counts (zero when there were none). */
export function dayCounts(rows: ReadonlyArray<{ day: string; outcome: string; calls: number }>, now: number, days: number): DayCount[] {
  const byDay = new Map<string, DayCount>();
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(now - i * DAY_MS).toISOString().slice(0, 10);
    byDay.set(day, { day, ok: 0, failed: 0 });
  }
  for (const row of rows) {
    const entry = byDay.get(row.day);
    if (!entry) continue;
    if (row.outcome === "ok") entry.ok += row.calls;
    else entry.failed += row.calls;
  }
  return [...byDay.values()];
}

export function callsPerDayChart(counts: readonly DayCount[], id = "chart"): SafeHtml {
  const max = Math.max(1, ...counts.map((c) => c.ok + c.failed));
  const slot = WIDTH / counts.length;
  const bar = Math.max(4, slot * 0.7);
  const scale = (n: number) => (n / max) * (BASE - 10);
  const total = counts.reduce((sum, c) => sum + c.ok + c.failed, 0);
  const description =
    total === 0
      ? "No calls in this period."
      : counts
          .filter((c) => c.ok + c.failed > 0)
          .map((c) => `${c.day}: ${c.ok} succeeded, ${c.failed} failed`)
          .join("; ") + ".";
  const bars = counts.map((c, i) => {
    const x = (i * slot + (slot - bar) / 2).toFixed(1);
    const okHeight = scale(c.ok);
    const failedHeight = scale(c.failed);
    return html`<rect x="${x}" y="${(BASE - okHeight).toFixed(1)}" width="${bar.toFixed(1)}" height="${okHeight.toFixed(1)}" fill="${OK_COLOUR}"></rect><rect x="${x}" y="${(BASE - okHeight - failedHeight).toFixed(1)}" width="${bar.toFixed(1)}" height="${failedHeight.toFixed(1)}" fill="${FAILED_COLOUR}"></rect>`;
  });
  const first = counts[0]?.day ?? "";
  const last = counts[counts.length - 1]?.day ?? "";
  return html`<svg class="chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${HEIGHT}" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-title">Calls per day from ${first} to ${last}: ${total} in all</title>
<desc id="${id}-desc">${description}</desc>
<line x1="0" y1="${BASE}" x2="${WIDTH}" y2="${BASE}" stroke="#889" stroke-width="1"></line>
${bars}
<text x="0" y="${HEIGHT - 4}" font-size="16" fill="#667">${first}</text>
<text x="${WIDTH}" y="${HEIGHT - 4}" font-size="16" fill="#667" text-anchor="end">${last}</text>
<text x="0" y="14" font-size="16" fill="#667">${max === 1 ? "1 call" : `${max} calls`}</text>
</svg>
<p class="legend"><span class="swatch ok" aria-hidden="true"></span> Succeeded <span class="swatch failed" aria-hidden="true"></span> Failed</p>`;
}

/** The share of each day's calls that failed, as bars from 0 to 100 %; days without calls have none. */
export function errorRateChart(counts: readonly DayCount[], id: string): SafeHtml {
  const slot = WIDTH / counts.length;
  const bar = Math.max(4, slot * 0.7);
  const rate = (c: DayCount) => (c.ok + c.failed === 0 ? null : c.failed / (c.ok + c.failed));
  const percent = (r: number) => `${Math.round(r * 100)} %`;
  const days = counts.filter((c) => rate(c) !== null);
  const description = days.length === 0 ? "No calls in this period." : days.map((c) => `${c.day}: ${percent(rate(c)!)} failed (${c.failed} of ${c.ok + c.failed})`).join("; ") + ".";
  const bars = counts.map((c, i) => {
    const r = rate(c);
    if (r === null) return html``;
    const height = r * (BASE - 20);
    return html`<rect x="${(i * slot + (slot - bar) / 2).toFixed(1)}" y="${(BASE - height).toFixed(1)}" width="${bar.toFixed(1)}" height="${height.toFixed(1)}" fill="${FAILED_COLOUR}"></rect>`;
  });
  const first = counts[0]?.day ?? "";
  const last = counts[counts.length - 1]?.day ?? "";
  return html`<svg class="chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${HEIGHT}" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-title">Share of calls that failed, per day from ${first} to ${last}</title>
<desc id="${id}-desc">${description}</desc>
<line x1="0" y1="${BASE}" x2="${WIDTH}" y2="${BASE}" stroke="#889" stroke-width="1"></line>
<line x1="0" y1="20" x2="${WIDTH}" y2="20" stroke="#889" stroke-width="1" stroke-dasharray="4 4"></line>
${bars}
<text x="0" y="${HEIGHT - 4}" font-size="16" fill="#667">${first}</text>
<text x="${WIDTH}" y="${HEIGHT - 4}" font-size="16" fill="#667" text-anchor="end">${last}</text>
<text x="0" y="14" font-size="16" fill="#667">100 %</text>
</svg>`;
}

/** Calls per tool (most called first), each bar split into succeeded and failed, labelled above it. */
export function callsByToolChart(rows: ReadonlyArray<{ tool: string; calls: number; failed: number }>, id: string): SafeHtml {
  const ROW = 44;
  const height = Math.max(1, rows.length) * ROW;
  const max = Math.max(1, ...rows.map((r) => r.calls));
  const scale = (n: number) => (n / max) * WIDTH;
  const description = rows.length === 0 ? "No calls in this period." : rows.map((r) => `${r.tool}: ${r.calls} calls, ${r.failed} failed`).join("; ") + ".";
  const bars = rows.map((r, i) => {
    const y = i * ROW;
    const okWidth = scale(r.calls - r.failed);
    return html`<text x="0" y="${y + 16}" font-size="16" fill="#667">${r.tool}: ${r.calls}</text><rect x="0" y="${y + 22}" width="${okWidth.toFixed(1)}" height="14" fill="${OK_COLOUR}"></rect><rect x="${okWidth.toFixed(1)}" y="${y + 22}" width="${scale(r.failed).toFixed(1)}" height="14" fill="${FAILED_COLOUR}"></rect>`;
  });
  return html`<svg class="chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${height}" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-title">${rows.length === 0 ? "Calls by tool: none" : `Calls by tool, the ${rows.length} most called`}</title>
<desc id="${id}-desc">${description}</desc>
${bars}
</svg>`;
}
