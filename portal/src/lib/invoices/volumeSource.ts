import { energy, moscowDate } from "../format";
import { type Locale, type MessageKey, translate } from "../i18n/messages";

/** `Invoice.volumeSource` as the gateway sends it (only the fields of its kind are set). */
export type VolumeEvent = {
  kind: "SUBSTITUTED" | "RECALCULATED" | "ACROSS_REPLACEMENT" | "COMMON_HOUSE";
  method: string | null;
  periodId: number;
  volumeWh: string | null;
  consecutivePeriods: number | null;
  deductedWh: string[] | null;
  oldMeterId: string | null;
  newMeterId: string | null;
  oldMeterWh: string[] | null;
  newMeterWh: string[] | null;
  areaDm2: string | null;
};

/** `Account.meterReplacements` / `Meter.replacements`. */
export type MeterReplacement = {
  oldMeterId: string;
  newMeterId: string;
  oldMeterSerial: string | null;
  newMeterSerial: string | null;
  replacedAt: number;
  oldFinalWh: string[];
  newInitialWh: string[];
  chain: { txHash: string };
};

/** What an invoice title needs: the real period and whether it is the ОДН share. */
export type InvoicePeriod = {
  periodId: number;
  billingPeriodId: number;
  isCommonHouseShare: boolean;
  periodEnd: number | null;
};

/** "2-й" / "2nd": the ordinal of a count of periods in a row. */
export function ordinal(n: number, locale: Locale): string {
  if (locale === "ru") return `${n}-й`;
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/** The sum of a register list in Wh (decimal strings), as a decimal string. */
const sum = (values: string[] | null): string =>
  (values ?? []).reduce((total, value) => total + BigInt(value), 0n).toString();

/**
 * One line per volume event of an invoice, in the reader's language: "Объём замещён: среднее за
 * предыдущие периоды (2-й период подряд)", "Meter replaced on 2026-11-14: …", the ОДН share. The
 * replacement's date is not in the event: it comes from the account's meter history when given
 * (lists leave it out to stay within the query cost), else the note says "in this period".
 */
export function volumeSourceNotes(
  events: readonly VolumeEvent[],
  locale: Locale,
  replacements: readonly MeterReplacement[] = [],
): string[] {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  return events.map((event) => {
    switch (event.kind) {
      case "SUBSTITUTED": {
        const method = event.method
          ? t(`volume.method.${event.method}` as MessageKey)
          : t("volume.method.UNKNOWN");
        const text = t("volume.substituted", { method, volume: energy(event.volumeWh, locale) });
        return (event.consecutivePeriods ?? 0) > 1
          ? `${text} (${t("volume.inRow", { nth: ordinal(event.consecutivePeriods!, locale) })})`
          : text;
      }
      case "RECALCULATED":
        return t("volume.recalculated", { volume: energy(sum(event.deductedWh), locale) });
      case "ACROSS_REPLACEMENT": {
        const replacement = replacements.find(
          (item) => item.oldMeterId === event.oldMeterId && item.newMeterId === event.newMeterId,
        );
        const volumes = {
          old: energy(sum(event.oldMeterWh), locale),
          new: energy(sum(event.newMeterWh), locale),
        };
        return replacement
          ? t("volume.replaced", { date: moscowDate(replacement.replacedAt, locale), ...volumes })
          : t("volume.replacedInPeriod", volumes);
      }
      case "COMMON_HOUSE":
        return t("volume.commonHouse", {
          volume: energy(event.volumeWh, locale),
          // dm² → m² with two decimals
          area: (Number(event.areaDm2 ?? 0) / 100).toLocaleString(locale, { maximumFractionDigits: 2 }),
        });
      default:
        return t("volume.method.UNKNOWN");
    }
  });
}

/**
 * The invoice's title: "Счёт за 11.2026" or, for the common-house share, "Общедомовые нужды за
 * 11.2026"; `month` gives the period's month, `date` its last day; the period number without an end.
 */
export function invoiceTitle(invoice: InvoicePeriod, locale: Locale, style: "month" | "date"): string {
  let period: string | number = invoice.billingPeriodId;
  if (invoice.periodEnd) {
    const day = moscowDate(invoice.periodEnd - 1, locale);
    period = style === "date" ? day : locale === "ru" ? day.slice(3) : day.slice(0, 7);
  }
  return translate(locale, invoice.isCommonHouseShare ? "invoice.commonHouseTitle" : "invoice.title", {
    period,
  });
}

/** "14.11.2026: OLD-1 (конечные показания 1 010 кВт·ч) → NEW-1 (начальные 0,5 кВт·ч)". */
export function replacementNote(replacement: MeterReplacement, locale: Locale): string {
  return translate(locale, "account.replacement", {
    date: moscowDate(replacement.replacedAt, locale),
    old: replacement.oldMeterSerial ?? `#${replacement.oldMeterId}`,
    new: replacement.newMeterSerial ?? `#${replacement.newMeterId}`,
    final: energy(sum(replacement.oldFinalWh), locale),
    initial: energy(sum(replacement.newInitialWh), locale),
  });
}
