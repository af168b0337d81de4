/**
 * The tariff plan form's checks before sending (F-RETAIL-03) and its `TariffPlanInput`: zone hours
 * cover 24 h exactly once, dates are real Moscow calendar days, rates are non-negative ₽ per kWh
 * that convert exactly to the chain's whole kopecks per MWh.
 */
import type { MessageKey } from "$lib/i18n/messages";

export type TariffKindName = "SINGLE_RATE" | "TWO_ZONE" | "THREE_ZONE" | "VOLUME_RANGE" | "SOCIAL_NORM";
export type ZoneInterval = { startHour: string; endHour: string; zone: string };
export type RateRow = { energy: string; transmission: string; retailMarkup: string; infrastructure: string };
export const RATE_COMPONENTS = ["energy", "transmission", "retailMarkup", "infrastructure"] as const;

export type TariffPlanDraft = {
  kind: TariffKindName;
  /** YYYY-MM-DD, Moscow day the plan starts */
  validFrom: string;
  /** YYYY-MM-DD exclusive end, or empty for open-ended */
  validTo: string;
  vatPercent: string;
  vatIncluded: boolean;
  /** zones for a social norm (1-3); the other kinds fix it */
  socialZones: number;
  /** tiers of a volume-range plan (1-3) */
  tiers: number;
  /** kWh */
  threshold1: string;
  threshold2: string;
  intervals: ZoneInterval[];
  rates: RateRow[];
};

export type TariffPlanInput = {
  kind: TariffKindName;
  validFrom: string;
  validTo?: string;
  vatBp: number;
  vatIncluded: boolean;
  zoneHours: { startHour: number; endHour: number; zone: number }[];
  threshold1: string;
  threshold2: string;
  rates: RateRow[];
};

export type CheckResult =
  | { ok: true; input: TariffPlanInput }
  | { ok: false; problem: MessageKey; detail?: string };

/** Zones of a plan kind (a social norm: as chosen). */
export function zonesOf(draft: Pick<TariffPlanDraft, "kind" | "socialZones">): number {
  if (draft.kind === "TWO_ZONE") return 2;
  if (draft.kind === "THREE_ZONE") return 3;
  if (draft.kind === "SOCIAL_NORM") return draft.socialZones;
  return 1;
}

/** Rate rows the contract expects: 1 / 2 / 3 / one per tier / in-norm and above-norm per zone. */
export function rateRowsOf(draft: Pick<TariffPlanDraft, "kind" | "socialZones" | "tiers">): number {
  if (draft.kind === "VOLUME_RANGE") return draft.tiers;
  if (draft.kind === "SOCIAL_NORM") return draft.socialZones * 2;
  return zonesOf(draft);
}

/** Usual zone hours in Moscow: day 7-23 / night 23-7; peak 7-10 and 17-21, half-peak 10-17 and 21-23, night 23-7. */
export function defaultIntervals(zones: number): ZoneInterval[] {
  const row = (startHour: number, endHour: number, zone: number) => ({
    startHour: String(startHour),
    endHour: String(endHour),
    zone: String(zone),
  });
  if (zones === 2) return [row(7, 23, 0), row(23, 7, 1)];
  if (zones === 3) return [row(7, 10, 0), row(10, 17, 1), row(17, 21, 0), row(21, 23, 1), row(23, 7, 2)];
  return [];
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A real calendar day as the start of that day in Moscow (ISO 8601 with zone), or undefined. */
export function moscowMidnight(day: string): string | undefined {
  const match = DAY.exec(day);
  if (!match) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, date));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date)
    return undefined;
  return `${day}T00:00:00+03:00`;
}

const RUB = /^\d{1,7}([.,]\d{1,5})?$/;
/** "5,12345" ₽ per kWh → "512345" kopecks per MWh (1 ₽/kWh = 100 000 kopecks/MWh), exactly. */
export function rubPerKwhToKopecksPerMwh(text: string): string | undefined {
  const value = text.trim();
  if (!RUB.test(value)) return undefined;
  const [whole = "0", fraction = ""] = value.split(/[.,]/);
  return String(BigInt(whole) * 100_000n + BigInt(fraction.padEnd(5, "0")));
}

const KWH = /^\d{1,12}([.,]\d{1,3})?$/;
/** kWh with up to 3 decimals → whole Wh. */
export function kwhToWh(text: string): string | undefined {
  const value = text.trim();
  if (!KWH.test(value)) return undefined;
  const [whole = "0", fraction = ""] = value.split(/[.,]/);
  return String(BigInt(whole) * 1000n + BigInt(fraction.padEnd(3, "0")));
}

/** The hours' zones, or what is wrong: an hour out of range, one covered twice, or one left out. */
export function checkIntervals(
  intervals: ZoneInterval[],
  zones: number,
):
  | { ok: true; hours: { startHour: number; endHour: number; zone: number }[] }
  | { ok: false; problem: MessageKey; detail?: string } {
  const covered: (number | undefined)[] = new Array(24).fill(undefined);
  const hours: { startHour: number; endHour: number; zone: number }[] = [];
  for (const interval of intervals) {
    const [start, end, zone] = [interval.startHour, interval.endHour, interval.zone].map((v) =>
      /^\d{1,2}$/.test(v.trim()) ? Number(v.trim()) : Number.NaN,
    ) as [number, number, number];
    if (!(start >= 0 && start <= 23) || !(end >= 1 && end <= 24))
      return { ok: false, problem: "tariffPlan.hourRange" };
    if (!(zone >= 0 && zone < zones)) return { ok: false, problem: "tariffPlan.zoneRange" };
    // endHour <= startHour wraps over midnight
    const length = end > start ? end - start : end + 24 - start;
    for (let step = 0; step < length; step++) {
      const hour = (start + step) % 24;
      if (covered[hour] !== undefined)
        return { ok: false, problem: "tariffPlan.hoursOverlap", detail: String(hour) };
      covered[hour] = zone;
    }
    hours.push({ startHour: start, endHour: end, zone });
  }
  const missing = covered.indexOf(undefined);
  if (missing >= 0) return { ok: false, problem: "tariffPlan.hoursMissing", detail: String(missing) };
  return { ok: true, hours };
}

/** The draft checked and turned into the mutation's input. */
export function checkTariffPlan(draft: TariffPlanDraft): CheckResult {
  const validFrom = moscowMidnight(draft.validFrom);
  if (!validFrom) return { ok: false, problem: "tariffPlan.badFrom" };
  let validTo: string | undefined;
  if (draft.validTo.trim()) {
    validTo = moscowMidnight(draft.validTo.trim());
    if (!validTo) return { ok: false, problem: "tariffPlan.badTo" };
    if (draft.validTo.trim() <= draft.validFrom) return { ok: false, problem: "tariffPlan.toBeforeFrom" };
  }
  const vat = draft.vatPercent.trim().replace(",", ".");
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(vat)) return { ok: false, problem: "tariffPlan.badVat" };
  const vatBp = Math.round(Number(vat) * 100);

  const zones = zonesOf(draft);
  let zoneHours: TariffPlanInput["zoneHours"] = [];
  if (zones > 1) {
    const checked = checkIntervals(draft.intervals, zones);
    if (!checked.ok) return checked;
    zoneHours = checked.hours;
  }

  let threshold1 = "0";
  let threshold2 = "0";
  const needsFirst = draft.kind === "SOCIAL_NORM" || (draft.kind === "VOLUME_RANGE" && draft.tiers >= 2);
  if (needsFirst) {
    const wh = kwhToWh(draft.threshold1);
    if (!wh || wh === "0") return { ok: false, problem: "tariffPlan.badThreshold" };
    threshold1 = wh;
  }
  if (draft.kind === "VOLUME_RANGE" && draft.tiers === 3) {
    const wh = kwhToWh(draft.threshold2);
    if (!wh || BigInt(wh) <= BigInt(threshold1)) return { ok: false, problem: "tariffPlan.badThreshold2" };
    threshold2 = wh;
  }

  const rows = rateRowsOf(draft);
  if (draft.rates.length < rows)
    return { ok: false, problem: "tariffPlan.badRate", detail: String(draft.rates.length + 1) };
  const rates: RateRow[] = [];
  for (let index = 0; index < rows; index++) {
    const row = draft.rates[index]!;
    const converted = {} as RateRow;
    for (const component of RATE_COMPONENTS) {
      const kopecks = rubPerKwhToKopecksPerMwh(row[component]);
      if (kopecks === undefined)
        return { ok: false, problem: "tariffPlan.badRate", detail: String(index + 1) };
      converted[component] = kopecks;
    }
    rates.push(converted);
  }
  return {
    ok: true,
    input: {
      kind: draft.kind,
      validFrom,
      ...(validTo ? { validTo } : {}),
      vatBp,
      vatIncluded: draft.vatIncluded,
      zoneHours,
      threshold1,
      threshold2,
      rates,
    },
  };
}
