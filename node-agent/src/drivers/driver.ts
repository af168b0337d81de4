/**
 * The driver contract: a driver turns one meter's protocol into typed readings. It depends on a
 * session (injected), never on a transport, and performs no scheduling or storage.
 */
export type MeterRegisters = {
  /** Cumulative active import, all tariffs, Wh. */
  importTotalWh: bigint | null;
  /** Cumulative active import per tariff zone T1..T4, Wh (null where the meter has no such zone). */
  importTariffWh: readonly [bigint | null, bigint | null, bigint | null, bigint | null];
  /** Cumulative active export (prosumers), Wh; null when the meter does not measure it. */
  exportWh: bigint | null;
};

export type MeterIdentity = {
  serial?: string | undefined;
  /** Firmware or identification string; a change is reported as a meter-state event. */
  firmware?: string | undefined;
};

export type MeterSnapshot = {
  registers: MeterRegisters;
  /** The meter's clock and the agent's time at the middle of the clock read, both in UTC. */
  clock?: { meterSeconds: number; agentMidpointMs: number } | undefined;
  identity: MeterIdentity;
  /** True when the meter reports a tamper flag (cover open, magnetic field). */
  tamper: boolean;
  /** Error flags reported by the meter, in words. */
  errors: string[];
  /** Everything read, in engineering units, for `agent read --json` and logs. */
  values: Record<string, number | string | null>;
};

/** One row of a meter's own half-hour load profile (cumulative registers at the interval end). */
export type ProfileRow = { intervalEnd: number; registers: MeterRegisters };

/**
 * The reading the agent already holds at `sinceExclusive` (its raw import total, before rollover
 * offsets). A driver that derives cumulative rows from increments checks its derivation against it.
 */
export type KnownReading = { intervalEnd: number; importTotalWh: bigint };

export interface MeterDriver {
  /** Driver name, e.g. `sdm630`. */
  readonly model: string;
  /** Register modulus for rollover unwrapping (e.g. 2^32 Wh); undefined when the counter cannot wrap in practice. */
  readonly counterModulusWh: bigint | undefined;
  read(): Promise<MeterSnapshot>;
  /**
   * Present when the meter keeps a half-hour profile: rows with `sinceExclusive < intervalEnd ≤
   * untilInclusive`, oldest first. `known`, when given, is the agent's reading at `sinceExclusive`.
   */
  readLoadProfile?(
    sinceExclusive: number,
    untilInclusive: number,
    known?: KnownReading,
  ): Promise<ProfileRow[]>;
}

export const emptyRegisters = (): MeterRegisters => ({
  importTotalWh: null,
  importTariffWh: [null, null, null, null],
  exportWh: null,
});

/** Exact decimal string (e.g. `"34261.8262567"` kWh) times 10^shift, truncated to an integer. */
export function decimalToInteger(text: string, shift: number): bigint {
  const match = /^\s*(-?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!match || (match[2] === "" && (match[3] ?? "") === ""))
    throw new Error(`Not a decimal number: ${JSON.stringify(text)}`);
  const fraction = (match[3] ?? "").padEnd(shift, "0").slice(0, shift);
  const value = BigInt(`${match[2] || "0"}${fraction}`);
  return match[1] ? -value : value;
}

/** A decimal multiplier as an exact fraction, e.g. `"0.003125"` → 3125/1000000. */
export function parseScale(scale: string | number): { numerator: bigint; denominator: bigint } {
  const text = typeof scale === "number" ? scale.toString() : scale;
  if (/e/i.test(text)) {
    const [mantissa, exponent] = text.toLowerCase().split("e") as [string, string];
    const base = parseScale(mantissa);
    const power = Number(exponent);
    return power >= 0
      ? { numerator: base.numerator * 10n ** BigInt(power), denominator: base.denominator }
      : { numerator: base.numerator, denominator: base.denominator * 10n ** BigInt(-power) };
  }
  const decimals = (text.split(".")[1] ?? "").length;
  return { numerator: decimalToInteger(text, decimals), denominator: 10n ** BigInt(decimals) };
}
