import { InvalidValueError } from "../../errors.js";
import { assertNonNegative, type Wh } from "../../units/quantities.js";

export type ScaleProfileParameters = {
  /** Reference hourly profile (same month last year, else the nearest period with hourly data), mapped by day type and hour. */
  profileWh: readonly Wh[];
  /** The substitute monthly volume the profile must sum to. */
  targetWh: Wh;
};
/** The scaled profile; sums to `targetWh` exactly. */
export type ScaleProfileReturnType = Wh[];

/**
 * Scales a reference hourly profile so that it sums to a substitute volume (billing-rules §3.2,
 * ПЦК 3–6 under substitution, periods 1–2): `floor(target × p_h / Σp)` for every hour but the last,
 * which gets the remainder (§8 rule 3). A profile that sums to zero is refused (use the uniform
 * profile, {@link fillIntervalGaps} with no known intervals, instead). Mirrors
 * `SubstituteVolumes.scaleProfile`.
 *
 * @example scaleProfile({ profileWh: [1n, 1n, 2n], targetWh: 10n }) // [2n, 2n, 6n]
 */
export function scaleProfile({ profileWh, targetWh }: ScaleProfileParameters): ScaleProfileReturnType {
  assertNonNegative(targetWh, "Target volume");
  let total = 0n;
  for (const hour of profileWh) {
    assertNonNegative(hour, "Profile volume");
    total += hour;
  }
  if (total === 0n) throw new InvalidValueError("Cannot scale an empty or all-zero profile");
  const scaled = profileWh.map((hour) => (targetWh * hour) / total);
  const last = scaled.length - 1;
  scaled[last] = targetWh - scaled.slice(0, last).reduce((sum, hour) => sum + hour, 0n);
  return scaled;
}
