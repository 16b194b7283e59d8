/**
 * Plain-text tables for the command line: columns padded to their widest cell, a header
 * row, nothing else. Pure.
 */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The dead letters a replay asked for that are no longer dead letters: how far it got. */
export function replayProgress(asked: readonly string[], stillDead: ReadonlySet<string>): number {
  return asked.filter((id) => !stillDead.has(id)).length;
}
