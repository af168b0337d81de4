import type { MessageKey } from "$lib/i18n/messages";
import { isCalendarDate } from "./urlState";

/** One input of a list's filter form. */
export type FilterField = {
  /** Key in the form's values (and the state). */
  key: string;
  label: MessageKey;
  kind: "text" | "date" | "select" | "number";
  /** data-testid of the input: `filter-<testId>`. */
  testId: string;
  maxlength?: number;
  /** Choices of a select; the empty value is "any" (`anyLabel`). */
  options?: readonly { value: string; label: string }[];
  anyLabel?: MessageKey;
  /** Whether a select must have a value (no "any" choice). */
  required?: boolean;
  min?: number;
  max?: number;
};

export type FilterProblem = { key: string; message: MessageKey };

/**
 * Checks the form before it is sent: text within its length, real dates, a date range whose start
 * is not after its end, whole numbers within range. Returns the problems (empty when all is well).
 */
export function checkFilters(
  fields: readonly FilterField[],
  values: Record<string, string>,
): FilterProblem[] {
  const problems: FilterProblem[] = [];
  for (const field of fields) {
    const value = (values[field.key] ?? "").trim();
    if (!value) {
      if (field.required) problems.push({ key: field.key, message: "filters.required" });
      continue;
    }
    if (field.maxlength !== undefined && value.length > field.maxlength)
      problems.push({ key: field.key, message: "filters.tooLong" });
    if (field.kind === "date" && !isCalendarDate(value))
      problems.push({ key: field.key, message: "filters.badDate" });
    if (field.kind === "number") {
      const number = Number(value);
      if (
        !/^\d+$/.test(value) ||
        (field.min !== undefined && number < field.min) ||
        (field.max !== undefined && number > field.max)
      )
        problems.push({ key: field.key, message: "filters.badNumber" });
    }
  }
  const from = values.from?.trim();
  const to = values.to?.trim();
  if (from && to && isCalendarDate(from) && isCalendarDate(to) && from > to)
    problems.push({ key: "to", message: "filters.badRange" });
  return problems;
}
