import { InvalidValueError } from "../../errors.js";
import { assertNonNegative, type Wh } from "../../units/quantities.js";
import { divide, mulDiv, Rounding } from "../../units/rounding.js";

export type CommonHouseShareParameters = {
  /** Common-house meter (ОДПУ) volume, or null when the building has none. */
  commonMeterWh: Wh | null;
  /** Σ volumes of residential premises (by meters or norms). */
  residentialWh: Wh;
  /** Σ volumes of non-residential premises. */
  nonResidentialWh: Wh;
  /** S_об: total area of all residential and non-residential premises, dm² (0.01 m²). */
  totalAreaDm2: bigint;
  /** S_МОП: common-property area counted for electricity, dm². */
  commonAreaDm2: bigint;
  /** S_i: area of the premises billed, dm². */
  premisesAreaDm2: bigint;
  /** N_СОИ: common-property norm, Wh per m² of common area per month (1.13 kWh/m² = 1 130). */
  normWhPerM2: bigint;
  /** Cap the distributed volume at the norm (default true; false when the general meeting chose actual volumes). */
  capAtNorm: boolean;
  /** Distribute a negative V_ОДН as a negative share instead of charging nothing (regional practice, VERIFY). */
  distributeNegative: boolean;
};
export type CommonHouseShareReturnType = {
  /** V_ОДН = V_ОДПУ − Σ residential − Σ non-residential (negative possible); the capped norm volume without a meter. */
  commonVolumeWh: Wh;
  /** V_cap = N_СОИ × S_МОП, rounded half-up to Wh. */
  capWh: Wh;
  /** The volume distributed to the owners. */
  distributableWh: Wh;
  /** The excess over the cap, borne by the managing organisation. */
  borneByManagerWh: Wh;
  /** V_i = distributable × S_i / S_об, rounded half-up (half away from zero when negative) to Wh. */
  shareWh: Wh;
};

/**
 * Common-house needs (ОДН / КР на СОИ, billing-rules §5) charged to one premises in proportion to
 * its floor area, capped at the common-property norm unless the owners decided otherwise. Without
 * a common meter the norm volume is distributed. Mirrors `CommonHouse.commonHouseShare`.
 */
export function commonHouseShare(p: CommonHouseShareParameters): CommonHouseShareReturnType {
  for (const value of [
    p.residentialWh,
    p.nonResidentialWh,
    p.commonAreaDm2,
    p.premisesAreaDm2,
    p.normWhPerM2,
  ]) {
    assertNonNegative(value, "Volumes, areas and norm");
  }
  if (p.totalAreaDm2 <= 0n) throw new InvalidValueError("The total area must be positive");
  if (p.premisesAreaDm2 > p.totalAreaDm2) throw new InvalidValueError("The premises exceed the total area");
  const capWh = mulDiv(p.normWhPerM2, p.commonAreaDm2, 100n, Rounding.HalfUp);
  let commonVolumeWh: Wh;
  let distributableWh: Wh;
  if (p.commonMeterWh === null) {
    commonVolumeWh = capWh;
    distributableWh = capWh;
  } else {
    assertNonNegative(p.commonMeterWh, "Common meter volume");
    commonVolumeWh = p.commonMeterWh - p.residentialWh - p.nonResidentialWh;
    if (commonVolumeWh <= 0n) distributableWh = p.distributeNegative ? commonVolumeWh : 0n;
    else distributableWh = p.capAtNorm && commonVolumeWh > capWh ? capWh : commonVolumeWh;
  }
  const borneByManagerWh = commonVolumeWh > distributableWh ? commonVolumeWh - distributableWh : 0n;
  const shareWh = divide({
    numerator: distributableWh * p.premisesAreaDm2,
    denominator: p.totalAreaDm2,
    rounding: Rounding.HalfUp,
  });
  return { commonVolumeWh, capWh, distributableWh, borneByManagerWh, shareWh };
}
