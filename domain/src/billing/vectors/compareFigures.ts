import type { Figures } from "./billingCase.js";

export type CompareFiguresParameters = { expected: Figures; actual: Figures };
/** One message per differing figure, with its path; empty when every expected figure matches. */
export type CompareFiguresReturnType = string[];

/**
 * Compares computed figures with a case's `expected`: every key present in `expected` must be
 * present in `actual` with a deeply equal value (arrays element by element, same length). Keys
 * the reference does not state may be absent from `expected`; they are not compared.
 */
export function compareFigures({ expected, actual }: CompareFiguresParameters): CompareFiguresReturnType {
  const problems: string[] = [];
  const walk = (want: unknown, got: unknown, path: string) => {
    if (Array.isArray(want)) {
      if (!Array.isArray(got) || got.length !== want.length) {
        problems.push(`${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
        return;
      }
      for (let index = 0; index < want.length; index++) walk(want[index], got[index], `${path}[${index}]`);
    } else if (want !== null && typeof want === "object") {
      if (got === null || typeof got !== "object" || Array.isArray(got)) {
        problems.push(`${path}: expected an object, got ${JSON.stringify(got)}`);
        return;
      }
      for (const [key, value] of Object.entries(want))
        walk(value, (got as Record<string, unknown>)[key], `${path}.${key}`);
    } else if (want !== got) {
      problems.push(`${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
  };
  walk(expected, actual, "$");
  return problems;
}
