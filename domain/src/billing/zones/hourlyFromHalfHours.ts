import { InvalidValueError } from "../../errors.js";
import { assertNonNegative, type Wh } from "../../units/quantities.js";

export type HourlyFromHalfHoursParameters = {
  /** Consecutive half-hour volumes starting on a whole hour; an even count. */
  halfHoursWh: readonly Wh[];
};
export type HourlyFromHalfHoursReturnType = Wh[];

/**
 * Aggregates a 30-minute profile into hours (retail settlement granularity for ПЦК 3–6 is hourly:
 * hour = sum of its two halves, billing-rules §3.2). Mirrors `TariffMath.hourlyFromHalfHours`.
 *
 * @example hourlyFromHalfHours({ halfHoursWh: [1n, 2n, 3n, 4n] }) // [3n, 7n]
 */
export function hourlyFromHalfHours({
  halfHoursWh,
}: HourlyFromHalfHoursParameters): HourlyFromHalfHoursReturnType {
  if (halfHoursWh.length % 2 !== 0) {
    throw new InvalidValueError(
      "A half-hour profile must hold whole hours",
      `${halfHoursWh.length} half hours`,
    );
  }
  const hours: Wh[] = [];
  for (let i = 0; i < halfHoursWh.length; i += 2) {
    assertNonNegative(halfHoursWh[i]!, "Half-hour volume");
    assertNonNegative(halfHoursWh[i + 1]!, "Half-hour volume");
    hours.push(halfHoursWh[i]! + halfHoursWh[i + 1]!);
  }
  return hours;
}
