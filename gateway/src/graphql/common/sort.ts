import { registerEnumType } from "type-graphql";

export enum SortDirection {
  ASC = "ASC",
  DESC = "DESC",
}
registerEnumType(SortDirection, { name: "SortDirection" });

/**
 * The ORM `orderBy` of a whitelisted sort: `columns` maps each sort field (a GraphQL enum value) to
 * its column(s); `tieBreak` keeps pages stable when the sort column has equal values. Only enum values
 * reach here, so no caller-chosen text becomes SQL.
 */
export function orderByOf<Field extends string>(
  sort: { field: Field; direction?: SortDirection | undefined } | undefined,
  columns: Record<Field, string>,
  fallback: { field: Field; direction: SortDirection },
  tieBreak: Record<string, "asc" | "desc">,
): Record<string, "asc" | "desc"> {
  const field = sort?.field ?? fallback.field;
  const direction =
    (sort?.direction ?? (sort ? SortDirection.ASC : fallback.direction)) === SortDirection.ASC
      ? "asc"
      : "desc";
  const orderBy: Record<string, "asc" | "desc"> = { [columns[field]]: direction };
  for (const [column, tieDirection] of Object.entries(tieBreak)) {
    if (!(column in orderBy)) orderBy[column] = tieDirection;
  }
  return orderBy;
}
