/** Plain-text tables and number formats of the benchmarks' reports. */

function formatRow(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
}

/** The first column left-aligned, the others right-aligned, under a rule. */
export function formatTable(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headings.map((heading, i) => Math.max(heading.length, ...rows.map((row) => row[i].length)));
  return [
    formatRow(headings, widths),
    '-'.repeat(widths.reduce((sum, width) => sum + width + 2, -2)),
    ...rows.map((row) => formatRow(row, widths)),
  ].join('\n');
}

export const percent = (share: number) => `${(share * 100).toFixed(0)}%`;
export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 2 : 1) : '-');
