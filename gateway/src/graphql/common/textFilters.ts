/**
 * Prefix search as a range (`prefix ≤ value < prefix + U+FFFF`): it uses the column's index on both
 * MySQL and SQLite and has no wildcard characters to escape, so `%` or `_` in a filter are matched
 * literally instead of widening the search.
 */
export function prefixRange(prefix: string): { $gte: string; $lt: string } {
  return { $gte: prefix, $lt: `${prefix}\uffff` };
}

/** Trims a filter string; an empty one means "no filter". */
export function cleanFilter(value: string | undefined | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
