// Xano's description writes Meta API object timestamps (tables, branches, files, API groups,
// endpoints, functions, request history) as text, "2023-04-19 21:01:32+0000". The fake keeps epoch
// milliseconds inside (record values stay epoch ms, as Xano's content routes answer them) and
// formats at the edge.

export function xanoTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-01T00:00:00.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}+0000`;
}
