import type { Rng } from "./prng.js";

/**
 * Half-hour load profiles for the demo consumers: a daily shape per kind of consumer, a weekly shape
 * (working days and weekends), a seasonal factor from the date, day-to-day and half-hour noise, and
 * rooftop solar for prosumers. Pure and deterministic for a given {@link Rng}.
 */

export const HALF_HOUR = 1800;

export type LoadKind =
  | "flat"
  | "flatStove"
  | "house"
  | "houseHeating"
  | "commonHouse"
  | "shop"
  | "office"
  | "cafe"
  | "school"
  | "workshop"
  | "bakery"
  | "factory";

/** Relative consumption per local hour 0-23 on working days and on weekends. */
type Shape = { workday: readonly number[]; weekend: readonly number[]; noise: number; seasonal: number };

const h = (values: number[]) => values;

const SHAPES: Record<LoadKind, Shape> = {
  flat: {
    workday: h([
      0.35, 0.3, 0.28, 0.27, 0.27, 0.3, 0.55, 1.1, 1.2, 0.75, 0.55, 0.5, 0.55, 0.55, 0.5, 0.55, 0.7, 1.0,
      1.45, 1.8, 1.9, 1.7, 1.2, 0.6,
    ]),
    weekend: h([
      0.45, 0.35, 0.3, 0.28, 0.28, 0.3, 0.4, 0.6, 0.9, 1.15, 1.2, 1.15, 1.2, 1.1, 1.0, 0.95, 1.0, 1.2, 1.5,
      1.8, 1.85, 1.7, 1.3, 0.75,
    ]),
    noise: 0.35,
    seasonal: 0.3,
  },
  flatStove: {
    workday: h([
      0.3, 0.26, 0.25, 0.25, 0.25, 0.3, 0.7, 1.5, 1.4, 0.7, 0.5, 0.55, 0.9, 0.8, 0.55, 0.55, 0.7, 1.2, 1.9,
      2.1, 1.7, 1.4, 1.0, 0.5,
    ]),
    weekend: h([
      0.4, 0.3, 0.27, 0.25, 0.25, 0.28, 0.4, 0.7, 1.2, 1.6, 1.5, 1.3, 1.7, 1.5, 1.0, 0.9, 1.0, 1.4, 2.0, 2.1,
      1.7, 1.4, 1.1, 0.6,
    ]),
    noise: 0.4,
    seasonal: 0.25,
  },
  house: {
    workday: h([
      0.5, 0.45, 0.42, 0.42, 0.42, 0.5, 0.8, 1.2, 1.1, 0.8, 0.7, 0.7, 0.75, 0.75, 0.7, 0.75, 0.9, 1.2, 1.6,
      1.8, 1.8, 1.6, 1.2, 0.8,
    ]),
    weekend: h([
      0.6, 0.5, 0.45, 0.42, 0.42, 0.45, 0.6, 0.8, 1.1, 1.3, 1.4, 1.4, 1.4, 1.3, 1.2, 1.2, 1.2, 1.4, 1.7, 1.8,
      1.8, 1.6, 1.3, 0.9,
    ]),
    noise: 0.3,
    seasonal: 0.4,
  },
  // An electric boiler heating mostly at the night tariff (23-07), plus the household load.
  houseHeating: {
    workday: h([
      2.2, 2.3, 2.3, 2.3, 2.2, 2.1, 1.6, 1.2, 1.0, 0.8, 0.7, 0.7, 0.7, 0.7, 0.7, 0.8, 0.9, 1.1, 1.3, 1.4, 1.4,
      1.3, 1.4, 2.0,
    ]),
    weekend: h([
      2.2, 2.3, 2.3, 2.3, 2.2, 2.1, 1.7, 1.4, 1.2, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.2, 1.4, 1.5, 1.4,
      1.3, 1.4, 2.0,
    ]),
    noise: 0.15,
    seasonal: 0.8,
  },
  // Stairwell and yard lighting (dark hours) and lifts (day).
  commonHouse: {
    workday: h([
      1.0, 0.9, 0.85, 0.85, 0.9, 1.0, 1.2, 1.2, 0.8, 0.55, 0.5, 0.5, 0.5, 0.5, 0.55, 0.65, 1.0, 1.3, 1.4, 1.4,
      1.35, 1.3, 1.2, 1.1,
    ]),
    weekend: h([
      1.05, 0.95, 0.9, 0.85, 0.85, 0.9, 1.0, 1.1, 0.9, 0.7, 0.65, 0.65, 0.65, 0.65, 0.7, 0.75, 1.05, 1.3, 1.4,
      1.4, 1.35, 1.3, 1.2, 1.1,
    ]),
    noise: 0.08,
    seasonal: 0.5,
  },
  shop: {
    workday: h([
      0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.4, 0.7, 1.0, 1.05, 1.05, 1.1, 1.1, 1.1, 1.05, 1.05, 1.1, 1.2,
      1.25, 1.25, 1.2, 1.0, 0.5, 0.38,
    ]),
    weekend: h([
      0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.38, 0.5, 0.9, 1.1, 1.15, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.25, 1.25,
      1.2, 1.1, 0.9, 0.45, 0.36,
    ]),
    noise: 0.08,
    seasonal: 0.15,
  },
  office: {
    workday: h([
      0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.2, 0.45, 1.0, 1.25, 1.3, 1.3, 1.15, 1.25, 1.3, 1.25, 1.2, 1.0,
      0.55, 0.3, 0.2, 0.18, 0.16, 0.15,
    ]),
    weekend: h([
      0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.16, 0.17, 0.17, 0.17, 0.17, 0.17, 0.16, 0.16,
      0.16, 0.16, 0.16, 0.15, 0.15, 0.15, 0.15,
    ]),
    noise: 0.1,
    seasonal: 0.2,
  },
  cafe: {
    workday: h([
      0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.3, 0.6, 0.9, 1.0, 1.0, 1.3, 1.7, 1.6, 1.1, 0.9, 1.0, 1.3, 1.6,
      1.6, 1.4, 1.0, 0.5, 0.3,
    ]),
    weekend: h([
      0.3, 0.25, 0.25, 0.25, 0.25, 0.25, 0.28, 0.4, 0.8, 1.1, 1.2, 1.5, 1.9, 1.8, 1.4, 1.2, 1.2, 1.5, 1.9,
      1.9, 1.6, 1.2, 0.6, 0.35,
    ]),
    noise: 0.12,
    seasonal: 0.1,
  },
  school: {
    workday: h([
      0.12, 0.12, 0.12, 0.12, 0.12, 0.12, 0.25, 0.8, 1.4, 1.5, 1.5, 1.5, 1.5, 1.4, 1.2, 1.0, 0.7, 0.4, 0.25,
      0.2, 0.15, 0.13, 0.12, 0.12,
    ]),
    weekend: h([
      0.12, 0.12, 0.12, 0.12, 0.12, 0.12, 0.12, 0.12, 0.13, 0.14, 0.15, 0.15, 0.15, 0.15, 0.14, 0.13, 0.13,
      0.13, 0.14, 0.14, 0.13, 0.12, 0.12, 0.12,
    ]),
    noise: 0.08,
    seasonal: 0.35,
  },
  workshop: {
    workday: h([
      0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.3, 1.0, 1.5, 1.6, 1.6, 1.1, 1.5, 1.6, 1.5, 1.4, 1.0, 0.4, 0.15,
      0.1, 0.1, 0.1, 0.1,
    ]),
    weekend: h([
      0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.6, 0.9, 0.9, 0.8, 0.7, 0.4, 0.15, 0.1, 0.1, 0.1, 0.1,
      0.1, 0.1, 0.1, 0.1,
    ]),
    noise: 0.2,
    seasonal: 0.2,
  },
  // Night baking shift, then packing and dispatch.
  bakery: {
    workday: h([
      1.3, 1.5, 1.6, 1.6, 1.6, 1.5, 1.3, 1.0, 0.9, 0.8, 0.8, 0.8, 0.7, 0.7, 0.7, 0.7, 0.6, 0.6, 0.5, 0.5, 0.5,
      0.6, 0.9, 1.1,
    ]),
    weekend: h([
      1.1, 1.3, 1.4, 1.4, 1.4, 1.3, 1.1, 0.9, 0.7, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
      0.5, 0.7, 0.9,
    ]),
    noise: 0.06,
    seasonal: 0.05,
  },
  // Two shifts on working days.
  factory: {
    workday: h([
      0.3, 0.28, 0.28, 0.28, 0.28, 0.3, 0.6, 1.3, 1.5, 1.55, 1.55, 1.5, 1.2, 1.5, 1.55, 1.5, 1.45, 1.4, 1.35,
      1.35, 1.3, 1.25, 0.9, 0.4,
    ]),
    weekend: h([
      0.3, 0.28, 0.28, 0.28, 0.28, 0.28, 0.28, 0.3, 0.32, 0.33, 0.33, 0.33, 0.33, 0.33, 0.33, 0.33, 0.32,
      0.32, 0.31, 0.31, 0.3, 0.3, 0.3, 0.3,
    ]),
    noise: 0.05,
    seasonal: 0.1,
  },
};

export const LOAD_KINDS = Object.keys(SHAPES) as LoadKind[];

export type LoadProfileInput = {
  kind: LoadKind;
  /** Target consumption for a 30-day month, kWh (the profile is scaled to it pro rata). */
  monthlyKwh: number;
  /** Unix seconds, aligned to a half hour: interval i ends at `start + (i + 1) * 1800`. */
  start: number;
  intervals: number;
  utcOffsetMinutes: number;
  rng: Rng;
  /** Rooftop solar peak power, kW (prosumers). */
  solarKwp?: number | undefined;
};

export type LoadProfile = {
  /** Energy taken from the grid per interval, Wh. */
  importWh: number[];
  /** Energy fed into the grid per interval, Wh (prosumers; zeros otherwise). */
  exportWh: number[];
};

const DAY = 86_400;

/** 1 in mid-January, 0 in mid-July. */
export function winterFactor(unixSeconds: number): number {
  const dayOfYear = ((unixSeconds / DAY) % 365.2425) - 0.5; // 1970-01-01 is day 0
  return 0.5 + 0.5 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365.2425);
}

/** Local hour (0-23) in which the interval ending at `intervalEnd` starts. */
export function localHourOfInterval(intervalEnd: number, utcOffsetMinutes: number): number {
  const start = intervalEnd - HALF_HOUR + utcOffsetMinutes * 60;
  return Math.floor((((start % DAY) + DAY) % DAY) / 3600);
}

/** Local day of week of the interval (0 = Sunday … 6 = Saturday). */
export function localWeekday(intervalEnd: number, utcOffsetMinutes: number): number {
  const start = intervalEnd - HALF_HOUR + utcOffsetMinutes * 60;
  return (Math.floor(start / DAY) + 4) % 7; // 1970-01-01 was a Thursday
}

export function generateLoadProfile(input: LoadProfileInput): LoadProfile {
  const { kind, start, intervals, utcOffsetMinutes, rng } = input;
  if (start % HALF_HOUR !== 0) throw new RangeError(`start ${start} is not aligned to a half hour`);
  if (!Number.isInteger(intervals) || intervals <= 0)
    throw new RangeError(`invalid interval count ${intervals}`);
  const shape = SHAPES[kind];
  const raw: number[] = new Array(intervals);
  let dayFactor = 1;
  let dayIndex = -1;
  for (let i = 0; i < intervals; i++) {
    const end = start + (i + 1) * HALF_HOUR;
    const localDay = Math.floor((end - HALF_HOUR + utcOffsetMinutes * 60) / DAY);
    if (localDay !== dayIndex) {
      dayIndex = localDay;
      dayFactor = Math.exp(0.12 * rng.normal());
    }
    const weekday = localWeekday(end, utcOffsetMinutes);
    const weekend = weekday === 0 || weekday === 6;
    const hour = localHourOfInterval(end, utcOffsetMinutes);
    const base = (weekend ? shape.weekend : shape.workday)[hour]!;
    const season = 1 + shape.seasonal * (winterFactor(end) - 0.5);
    const noise = Math.max(0.2, 1 + shape.noise * rng.normal());
    raw[i] = base * season * dayFactor * noise;
  }
  const targetWh = (input.monthlyKwh * 1000 * intervals) / (30 * 48);
  const importWh = scaleToIntegers(raw, targetWh);
  const exportWh = new Array<number>(intervals).fill(0);
  if (input.solarKwp !== undefined && input.solarKwp > 0) {
    const solar = solarProfile(input.solarKwp, start, intervals, utcOffsetMinutes, rng);
    for (let i = 0; i < intervals; i++) {
      const net = importWh[i]! - solar[i]!;
      importWh[i] = Math.max(net, 0);
      exportWh[i] = Math.max(-net, 0);
    }
  }
  return { importWh, exportWh };
}

/** Rooftop PV output per interval, Wh: a sine between sunrise and sunset, day length and height by season, clouds per day. */
export function solarProfile(
  kwp: number,
  start: number,
  intervals: number,
  utcOffsetMinutes: number,
  rng: Rng,
): number[] {
  const out: number[] = new Array(intervals);
  let cloud = 1;
  let dayIndex = -1;
  for (let i = 0; i < intervals; i++) {
    const end = start + (i + 1) * HALF_HOUR;
    const localMid = end - HALF_HOUR / 2 + utcOffsetMinutes * 60;
    const localDay = Math.floor(localMid / DAY);
    if (localDay !== dayIndex) {
      dayIndex = localDay;
      cloud = rng.range(0.15, 1);
    }
    const winter = winterFactor(end);
    const dayLength = 16.5 - 9 * winter; // hours, about 53° N
    const peak = 0.78 - 0.45 * winter; // kW per kWp at solar noon
    const hourOfDay = (localMid % DAY) / 3600;
    const sunrise = 12.5 - dayLength / 2;
    const x = (hourOfDay - sunrise) / dayLength;
    const power = x > 0 && x < 1 ? kwp * peak * Math.sin(Math.PI * x) * cloud : 0;
    out[i] = Math.round(power * 500); // kW over half an hour → Wh
  }
  return out;
}

/** Scales positive weights to integers (Wh) whose sum is `round(total)`, by cumulative rounding. */
export function scaleToIntegers(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const out: number[] = new Array(weights.length);
  let cumulative = 0;
  let emitted = 0;
  for (let i = 0; i < weights.length; i++) {
    cumulative += (weights[i]! / sum) * total;
    const target = Math.round(cumulative);
    out[i] = target - emitted;
    emitted = target;
  }
  return out;
}

/**
 * Register (0-based: T1, T2, T3) a meter with `zones` tariff zones counts an interval in, by the
 * household zone hours of billing-rules §1.2 in local time. Two zones: T1 day 07-23, T2 night 23-07.
 * Three zones (Russian meter convention): T1 peak 07-10 and 17-21, T2 night 23-07, T3 half-peak
 * 10-17 and 21-23. The tariff plans of the demo declare the same hours.
 */
export function registerOfInterval(intervalEnd: number, zones: number, utcOffsetMinutes: number): number {
  if (zones <= 1) return 0;
  const hour = localHourOfInterval(intervalEnd, utcOffsetMinutes);
  const night = hour >= 23 || hour < 7;
  if (zones === 2) return night ? 1 : 0;
  if (night) return 1;
  const peak = (hour >= 7 && hour < 10) || (hour >= 17 && hour < 21);
  return peak ? 0 : 2;
}

/** Zone hours (Tariffs.ZoneInterval) matching {@link registerOfInterval}. */
export const TWO_ZONE_HOURS = [
  { startHour: 7, endHour: 23, zone: 0 },
  { startHour: 23, endHour: 7, zone: 1 },
] as const;
export const THREE_ZONE_HOURS = [
  { startHour: 7, endHour: 10, zone: 0 },
  { startHour: 10, endHour: 17, zone: 2 },
  { startHour: 17, endHour: 21, zone: 0 },
  { startHour: 21, endHour: 23, zone: 2 },
  { startHour: 23, endHour: 7, zone: 1 },
] as const;

/**
 * Cumulative register values at each interval end: `zones` import registers (T1..Tn) and, when
 * `withExport`, the export register last. Record 0 is the opening value at `start`.
 */
export function cumulativeRegisters(parameters: {
  profile: LoadProfile;
  start: number;
  zones: number;
  withExport: boolean;
  opening: readonly bigint[];
  utcOffsetMinutes: number;
}): { intervalEnd: number; registers: bigint[] }[] {
  const { profile, start, zones, withExport, utcOffsetMinutes } = parameters;
  const width = zones + (withExport ? 1 : 0);
  if (parameters.opening.length !== width) {
    throw new RangeError(`${parameters.opening.length} opening values for ${width} registers`);
  }
  const current = [...parameters.opening];
  const records = [{ intervalEnd: start, registers: [...current] }];
  for (let i = 0; i < profile.importWh.length; i++) {
    const end = start + (i + 1) * HALF_HOUR;
    const register = registerOfInterval(end, zones, utcOffsetMinutes);
    current[register] = current[register]! + BigInt(profile.importWh[i]!);
    if (withExport) current[zones] = current[zones]! + BigInt(profile.exportWh[i]!);
    records.push({ intervalEnd: end, registers: [...current] });
  }
  return records;
}
