/**
 * The hourly import volumes of a billing period (ПЦК 3/4, HourlyBilling `billHourly` and
 * `attestHourlyVolumes`), rebuilt from the meter's indexed half-hour readings.
 *
 * Readings are cumulative registers at the END of each half-hour interval (`intervalEnd`, a multiple
 * of 1800 s UTC). Hour `h` of the period is `(start + 3600h, start + 3600(h + 1)]`; its volume is the
 * sum of its two half hours, i.e. `R(start + 3600(h + 1)) − R(start + 3600h)` with `R` the sum of the
 * import registers T1-T4 the meter carries (the contract sums the same registers). Hours are UTC
 * seconds, so there is no DST gap or repeat. The vector telescopes: its sum is `R(end) − R(start)`,
 * exactly the difference of the Readings period snapshots when both snapshots were taken at the period
 * bounds — which they are whenever the readings at the bounds exist, which this function requires.
 */
export type HalfHourReading = {
  /** Unix seconds UTC, the end of the half-hour interval. */
  intervalEnd: number;
  /** Cumulative import registers in Wh; null when the reading's register mask does not carry one. */
  importT1: number | bigint | null;
  importT2: number | bigint | null;
  importT3: number | bigint | null;
  importT4: number | bigint | null;
};

export type HourlyVolumesFromReadingsParameters = {
  /** The previous period's end (Unix seconds): the first hour starts here. */
  periodStart: number;
  /** The period's end (Unix seconds). */
  periodEnd: number;
  /** The meter's readings; any order, others outside the period are ignored. */
  readings: readonly HalfHourReading[];
};

export type HourlyVolumesErrorCode =
  | "PERIOD_NOT_WHOLE_HOURS"
  | "MISSING_HALF_HOUR"
  | "REGISTERS_CHANGED"
  | "REGISTER_DECREASED";

/** A period whose hourly volumes cannot be rebuilt; `code` is the API code, `hour` the hour at fault. */
export class HourlyVolumesError extends Error {
  override name = "HourlyVolumesError";
  constructor(
    message: string,
    readonly code: HourlyVolumesErrorCode,
    readonly hour?: number,
  ) {
    super(message);
  }
}

const REGISTERS = ["importT1", "importT2", "importT3", "importT4"] as const;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

/** Which import registers a reading carries (bit k = T(k+1)) and their sum. */
function importOf(reading: HalfHourReading): { mask: number; total: bigint } {
  let mask = 0;
  let total = 0n;
  REGISTERS.forEach((name, bit) => {
    const value = reading[name];
    if (value === null || value === undefined) return;
    mask |= 1 << bit;
    total += BigInt(value);
  });
  return { mask, total };
}

/** One volume per hour of `[periodStart, periodEnd)`, in Wh; see the module comment. */
export function hourlyVolumesFromReadings({
  periodStart,
  periodEnd,
  readings,
}: HourlyVolumesFromReadingsParameters): bigint[] {
  if (
    !Number.isInteger(periodStart) ||
    !Number.isInteger(periodEnd) ||
    periodStart % 1800 !== 0 ||
    periodEnd <= periodStart ||
    (periodEnd - periodStart) % 3600 !== 0
  ) {
    throw new HourlyVolumesError(
      `The period ${iso(periodStart)} – ${iso(periodEnd)} is not a whole number of hours on the half-hour grid`,
      "PERIOD_NOT_WHOLE_HOURS",
    );
  }
  const byEnd = new Map<number, HalfHourReading>();
  for (const reading of readings) {
    if (reading.intervalEnd >= periodStart && reading.intervalEnd <= periodEnd) {
      byEnd.set(reading.intervalEnd, reading);
    }
  }
  const hours = (periodEnd - periodStart) / 3600;
  // the register sum at each point of the half-hour grid, start included
  const points: bigint[] = [];
  let mask: number | undefined;
  for (let k = 0; k <= 2 * hours; k++) {
    const at = periodStart + 1800 * k;
    // the half hour ending at `at` belongs to hour ⌊(k − 1) / 2⌋; the start reading opens hour 0
    const hour = k === 0 ? 0 : Math.floor((k - 1) / 2);
    const hourText = `hour ${hour} (${iso(periodStart + 3600 * hour)} – ${iso(periodStart + 3600 * (hour + 1))} UTC)`;
    const reading = byEnd.get(at);
    if (!reading) {
      throw new HourlyVolumesError(
        k === 0
          ? `No reading at the period's start ${iso(at)}, which ${hourText} starts from`
          : `No reading for the half hour ending ${iso(at)} of ${hourText}`,
        "MISSING_HALF_HOUR",
        hour,
      );
    }
    const value = importOf(reading);
    if (mask === undefined) mask = value.mask;
    if (value.mask === 0 || value.mask !== mask) {
      throw new HourlyVolumesError(
        `The reading at ${iso(at)} of ${hourText} carries other import registers (mask ${value.mask}) than the period's start (mask ${mask})`,
        "REGISTERS_CHANGED",
        hour,
      );
    }
    if (k > 0 && value.total < points[k - 1]!) {
      throw new HourlyVolumesError(
        `The import registers went down in the half hour ending ${iso(at)} of ${hourText}`,
        "REGISTER_DECREASED",
        hour,
      );
    }
    points.push(value.total);
  }
  return Array.from({ length: hours }, (_, h) => points[2 * h + 2]! - points[2 * h]!);
}
