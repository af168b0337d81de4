import { InvalidValueError } from "../errors.js";
import type { UnixSeconds } from "./halfHour.js";

/**
 * Russian time zones and their UTC offsets. Russia has kept permanent standard time with no
 * daylight saving since 26 October 2014, so a zone is a fixed offset; the table keeps the offset
 * valid since that date and the later moves of single regions (Volgograd 2020, Saratov 2016, …)
 * as dated entries, because zone hours of tariffs are local-time rules.
 * Tested against the platform's IANA database (Intl) in `russianTimeZones.test.ts`.
 */
type OffsetPeriod = { fromUnixSeconds: UnixSeconds; offsetMinutes: number };

// The 2014 reform took effect at 02:00 local time on 26 October in each zone, at different UTC
// instants; the table is valid from the day after, when every zone had changed.
const SINCE_2014 = Date.UTC(2014, 9, 27) / 1000;

export const RUSSIAN_TIME_ZONES: Readonly<Record<string, readonly OffsetPeriod[]>> = {
  "Europe/Kaliningrad": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 120 }],
  "Europe/Moscow": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 180 }],
  "Europe/Simferopol": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 180 }],
  "Europe/Kirov": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 180 }],
  "Europe/Volgograd": [
    { fromUnixSeconds: SINCE_2014, offsetMinutes: 180 },
    { fromUnixSeconds: Date.UTC(2018, 9, 27, 23) / 1000, offsetMinutes: 240 },
    { fromUnixSeconds: Date.UTC(2020, 11, 26, 22) / 1000, offsetMinutes: 180 },
  ],
  "Europe/Astrakhan": [
    { fromUnixSeconds: SINCE_2014, offsetMinutes: 180 },
    { fromUnixSeconds: Date.UTC(2016, 2, 26, 23) / 1000, offsetMinutes: 240 },
  ],
  "Europe/Saratov": [
    { fromUnixSeconds: SINCE_2014, offsetMinutes: 180 },
    { fromUnixSeconds: Date.UTC(2016, 11, 3, 23) / 1000, offsetMinutes: 240 },
  ],
  "Europe/Ulyanovsk": [
    { fromUnixSeconds: SINCE_2014, offsetMinutes: 180 },
    { fromUnixSeconds: Date.UTC(2016, 2, 26, 23) / 1000, offsetMinutes: 240 },
  ],
  "Europe/Samara": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 240 }],
  "Asia/Yekaterinburg": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 300 }],
  "Asia/Omsk": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 360 }],
  "Asia/Novosibirsk": [
    { fromUnixSeconds: SINCE_2014, offsetMinutes: 360 },
    { fromUnixSeconds: Date.UTC(2016, 6, 23, 20) / 1000, offsetMinutes: 420 },
  ],
  "Asia/Barnaul": [
    { fromUnixSeconds: SINCE_2014, offsetMinutes: 360 },
    { fromUnixSeconds: Date.UTC(2016, 2, 26, 20) / 1000, offsetMinutes: 420 },
  ],
  "Asia/Tomsk": [
    { fromUnixSeconds: SINCE_2014, offsetMinutes: 360 },
    { fromUnixSeconds: Date.UTC(2016, 4, 28, 20) / 1000, offsetMinutes: 420 },
  ],
  "Asia/Novokuznetsk": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 420 }],
  "Asia/Krasnoyarsk": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 420 }],
  "Asia/Irkutsk": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 480 }],
  "Asia/Chita": [
    { fromUnixSeconds: SINCE_2014, offsetMinutes: 480 },
    { fromUnixSeconds: Date.UTC(2016, 2, 26, 18) / 1000, offsetMinutes: 540 },
  ],
  "Asia/Yakutsk": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 540 }],
  "Asia/Khandyga": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 540 }],
  "Asia/Vladivostok": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 600 }],
  "Asia/Ust-Nera": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 600 }],
  "Asia/Magadan": [
    { fromUnixSeconds: SINCE_2014, offsetMinutes: 600 },
    { fromUnixSeconds: Date.UTC(2016, 3, 23, 16) / 1000, offsetMinutes: 660 },
  ],
  "Asia/Sakhalin": [
    { fromUnixSeconds: SINCE_2014, offsetMinutes: 600 },
    { fromUnixSeconds: Date.UTC(2016, 2, 26, 16) / 1000, offsetMinutes: 660 },
  ],
  "Asia/Srednekolymsk": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 660 }],
  "Asia/Kamchatka": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 720 }],
  "Asia/Anadyr": [{ fromUnixSeconds: SINCE_2014, offsetMinutes: 720 }],
};

export type RussianTimeZone = keyof typeof RUSSIAN_TIME_ZONES;

/** UTC offset in minutes of `timeZone` at the instant `at`. */
export function utcOffsetMinutes(timeZone: string, at: UnixSeconds): number {
  const periods = RUSSIAN_TIME_ZONES[timeZone];
  if (!periods) {
    throw new InvalidValueError(
      `Unknown Russian time zone: "${timeZone}"`,
      `one of ${Object.keys(RUSSIAN_TIME_ZONES).join(", ")}`,
    );
  }
  const first = periods[0]!;
  if (at < first.fromUnixSeconds) {
    throw new InvalidValueError(`Instant ${at} is before 2014-10-27, when today's Russian zones began`);
  }
  let offset = first.offsetMinutes;
  for (const period of periods) if (at >= period.fromUnixSeconds) offset = period.offsetMinutes;
  return offset;
}

export type LocalTime = {
  /** Local calendar date as YYYY-MM-DD. */
  date: string;
  /** Minutes since local midnight, 0–1439. */
  minuteOfDay: number;
  /** Local hour 0–23. */
  hour: number;
  /** Day of week, 1 = Monday … 7 = Sunday (ISO). */
  isoWeekday: number;
};

/** Local wall-clock time in `timeZone` of the UTC instant `at`. */
export function toLocalTime(at: UnixSeconds, timeZone: string): LocalTime {
  const shifted = new Date((at + utcOffsetMinutes(timeZone, at) * 60) * 1000);
  const minuteOfDay = shifted.getUTCHours() * 60 + shifted.getUTCMinutes();
  return {
    date: shifted.toISOString().slice(0, 10),
    minuteOfDay,
    hour: shifted.getUTCHours(),
    isoWeekday: ((shifted.getUTCDay() + 6) % 7) + 1,
  };
}

/**
 * The local time an interval is billed in: its START (interval end − 30 min). An interval 23:00–23:30
 * local belongs to 23:00 and to that day, even though it ends at 23:30.
 */
export function intervalLocalStart(intervalEnd: UnixSeconds, timeZone: string): LocalTime {
  return toLocalTime(intervalEnd - 1800, timeZone);
}
