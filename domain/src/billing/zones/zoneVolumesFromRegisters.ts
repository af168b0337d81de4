import { InvalidValueError } from "../../errors.js";
import { assertNonNegative, type Wh } from "../../units/quantities.js";

export type ZoneVolumesFromRegistersParameters = {
  /** Register values (T1, T2, T3 … in Wh) at the start of the period, index = zone. */
  previous: readonly Wh[];
  /** Register values at the end of the period, same order. */
  current: readonly Wh[];
};
export type ZoneVolumesFromRegistersReturnType = Wh[];

/**
 * Zone volumes from two snapshots of the meter's tariff registers: `current − previous` per register.
 * A register that went down is refused (a replaced or rolled-over meter needs an explicit
 * correction, never a silent negative volume). Mirrors `TariffMath.zoneVolumesFromRegisters`.
 *
 * @example zoneVolumesFromRegisters({ previous: [12_345_000n], current: [12_532_000n] }) // [187_000n]
 */
export function zoneVolumesFromRegisters({
  previous,
  current,
}: ZoneVolumesFromRegistersParameters): ZoneVolumesFromRegistersReturnType {
  if (previous.length !== current.length || previous.length === 0) {
    throw new InvalidValueError(
      "Register snapshots must list the same, non-zero number of registers",
      `previous has ${previous.length}, current has ${current.length}`,
    );
  }
  return current.map((value, index) => {
    const before = previous[index]!;
    assertNonNegative(before, "Register value");
    if (value < before) {
      throw new InvalidValueError(`Register ${index} went down`, `from ${before} Wh to ${value} Wh`);
    }
    return value - before;
  });
}
