/**
 * A small line diff (longest common subsequence; config files are tens of lines) so that --dry-run
 * can show exactly which lines of a file would change, with a line of context around each change.
 */
export function lineDiff(before, after, context = 1) {
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  const lcs = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: " ", text: a[i++], at: j++ });
    else if (j < b.length && (i === a.length || lcs[i][j + 1] > lcs[i + 1][j])) ops.push({ kind: "+", text: b[j], at: j++ });
    else ops.push({ kind: "-", text: a[i++], at: j });
  }
  const changed = ops.map((op, index) => (op.kind === " " ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return "";
  const shown = new Set();
  for (const index of changed) for (let k = index - context; k <= index + context; k++) if (k >= 0 && k < ops.length) shown.add(k);
  const out = [];
  let previous = -2;
  for (const index of [...shown].sort((x, y) => x - y)) {
    if (index !== previous + 1) out.push(`      @@ line ${ops[index].at + 1}`);
    out.push(`      ${ops[index].kind} ${ops[index].text}`);
    previous = index;
  }
  return out.join("\n");
}
