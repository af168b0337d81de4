import { expect, test } from "vitest";
import { checkFilters, type FilterField } from "./filterFields";

const FIELDS: FilterField[] = [
  { key: "from", label: "filters.from", kind: "date", testId: "from" },
  { key: "to", label: "filters.to", kind: "date", testId: "to" },
  { key: "accountNumber", label: "filters.accountNumber", kind: "text", testId: "number", maxlength: 5 },
  {
    key: "year",
    label: "filters.year",
    kind: "number",
    testId: "year",
    min: 2000,
    max: 2100,
    required: true,
  },
];

test("a well-filled form has no problems; empty optional fields are fine", () => {
  expect(
    checkFilters(FIELDS, { from: "2026-11-01", to: "2026-11-30", accountNumber: "LS-1", year: "2026" }),
  ).toEqual([]);
  expect(checkFilters(FIELDS, { year: "2026" })).toEqual([]);
});

test("each kind of mistake is named at its field", () => {
  expect(
    checkFilters(FIELDS, { from: "2026-12-01", to: "2026-11-30", accountNumber: "LS-123", year: "" }),
  ).toEqual([
    { key: "accountNumber", message: "filters.tooLong" },
    { key: "year", message: "filters.required" },
    { key: "to", message: "filters.badRange" },
  ]);
  expect(checkFilters(FIELDS, { from: "2026-02-30", year: "1999" })).toEqual([
    { key: "from", message: "filters.badDate" },
    { key: "year", message: "filters.badNumber" },
  ]);
});
