/**
 * Deterministic simulated consumption: a meter's cumulative import at any instant, so that a
 * test can compute what the agent must have read for every interval.
 */
export type EnergyProfile = {
  /** Wh at Unix second 0 of the simulation epoch. */
  baseWh: number;
  /** Average power, W (= Wh per hour). */
  powerW: number;
  /** Export power for prosumers, W. Default: 0. */
  exportPowerW?: number;
  /** Export Wh at the simulation epoch. Default: 0. */
  exportBaseWh?: number;
};

/** A half-hour boundary (2023-11-14T22:00:00Z). */
export const SIMULATION_EPOCH = 1_699_999_200;

export function simulatedImportWh(profile: EnergyProfile, unixSeconds: number): number {
  return profile.baseWh + Math.floor(((unixSeconds - SIMULATION_EPOCH) * profile.powerW) / 3600);
}

export function simulatedExportWh(profile: EnergyProfile, unixSeconds: number): number {
  return (
    (profile.exportBaseWh ?? 0) +
    Math.floor(((unixSeconds - SIMULATION_EPOCH) * (profile.exportPowerW ?? 0)) / 3600)
  );
}

/** The energy of the n-th simulated meter in a config (what the `simulator` transport uses). */
export function defaultEnergyProfile(index: number): EnergyProfile {
  return { baseWh: 1_000_000 + index * 10_000, powerW: 1500 + index * 10, exportPowerW: index % 2 ? 200 : 0 };
}
