import { InvalidValueError } from "../../errors.js";
import { assertNonNegative, type Wh } from "../../units/quantities.js";

export type FillIntervalGapsParameters = {
  /** The period's volume from the meter's integral register (it prevails). */
  registerWh: Wh;
  /** Sum of the intervals that are present. */
  knownWh: Wh;
  /** Number of missing intervals (hours or half hours). */
  missingCount: number;
};
/** Volume of each missing interval, in order; they sum to `registerWh − knownWh`. */
export type FillIntervalGapsReturnType = Wh[];

/**
 * Fills gaps in interval data from the integral register (billing-rules §3.2, [D]): each missing
 * interval gets `(register − known) / n`, floored to Wh, and the last one gets the remainder so the
 * parts sum exactly (§8 rule 3). A negative residual means the whole period must be treated as
 * missing, so it is refused. Mirrors `SubstituteVolumes.fillIntervalGaps`.
 *
 * @example fillIntervalGaps({ registerWh: 10_000_000n, knownWh: 9_700_000n, missingCount: 6 }) // six × 50_000n
 */
export function fillIntervalGaps({
  registerWh,
  knownWh,
  missingCount,
}: FillIntervalGapsParameters): FillIntervalGapsReturnType {
  assertNonNegative(knownWh, "Known volume");
  if (!Number.isInteger(missingCount) || missingCount < 1) {
    throw new InvalidValueError("Need at least one missing interval", `got ${missingCount}`);
  }
  if (registerWh < knownWh) {
    throw new InvalidValueError(
      "The known intervals exceed the register",
      `register ${registerWh} Wh < known ${knownWh} Wh: treat the period as missing`,
    );
  }
  const residual = registerWh - knownWh;
  const each = residual / BigInt(missingCount);
  const parts: Wh[] = new Array(missingCount).fill(each);
  parts[missingCount - 1] = residual - each * BigInt(missingCount - 1);
  return parts;
}
