import { expect, test } from "vitest";
import {
  invoiceTitle,
  type MeterReplacement,
  ordinal,
  replacementNote,
  type VolumeEvent,
  volumeSourceNotes,
} from "./volumeSource";

const none = {
  method: null,
  volumeWh: null,
  consecutivePeriods: null,
  deductedWh: null,
  oldMeterId: null,
  newMeterId: null,
  oldMeterWh: null,
  newMeterWh: null,
  areaDm2: null,
  periodId: 5,
} as const;
// 2026-11-14 12:00 Moscow
const REPLACED_AT = Date.UTC(2026, 10, 14, 9) / 1000;
const replacement: MeterReplacement = {
  oldMeterId: "7",
  newMeterId: "9",
  oldMeterSerial: "OLD-1",
  newMeterSerial: "NEW-1",
  replacedAt: REPLACED_AT,
  oldFinalWh: ["1010000", "0", "0", "0", "0"],
  newInitialWh: ["500", "0", "0", "0", "0"],
  chain: { txHash: "0xab" },
};
const nbsp = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

test("ordinal() in both languages, the teens included", () => {
  expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 112].map((n) => ordinal(n, "en"))).toEqual([
    "1st",
    "2nd",
    "3rd",
    "4th",
    "11th",
    "12th",
    "13th",
    "21st",
    "22nd",
    "112th",
  ]);
  expect(ordinal(2, "ru")).toBe("2-й");
});

test("volumeSourceNotes() names the substitute method and the periods in a row (from the second)", () => {
  const average: VolumeEvent = {
    ...none,
    kind: "SUBSTITUTED",
    method: "HOUSEHOLD_AVERAGE",
    volumeWh: "196667",
    consecutivePeriods: 2,
  };
  expect(volumeSourceNotes([average], "ru").map(nbsp)).toEqual([
    "Объём замещён: среднее за предыдущие периоды, 196,667 кВт·ч (2-й период подряд)",
  ]);
  expect(volumeSourceNotes([average], "en").map(nbsp)).toEqual([
    "Substituted volume: average of the previous periods, 196.667 kWh (2nd period in a row)",
  ]);
  const first = { ...average, method: "HOUSEHOLD_NORM", volumeWh: "138000", consecutivePeriods: 1 };
  expect(volumeSourceNotes([first], "en").map(nbsp)).toEqual([
    "Substituted volume: the consumption norm, 138.000 kWh",
  ]);
});

test("volumeSourceNotes() dates a replacement from the meter history and sums each meter's registers", () => {
  const across: VolumeEvent = {
    ...none,
    kind: "ACROSS_REPLACEMENT",
    oldMeterId: "7",
    newMeterId: "9",
    oldMeterWh: ["10000", "0", "0", "0", "0"],
    newMeterWh: ["15000", "5000", "0", "0", "0"],
  };
  expect(volumeSourceNotes([across], "en", [replacement]).map(nbsp)).toEqual([
    "Meter replaced on 2026-11-14: 10.000 kWh on the old meter + 20.000 kWh on the new one",
  ]);
  // without the history the date is not guessed
  expect(nbsp(volumeSourceNotes([across], "ru")[0]!)).toBe(
    "Прибор учёта заменён в этом периоде: 10,000 кВт·ч по старому прибору + 20,000 кВт·ч по новому",
  );
});

test("volumeSourceNotes() describes the recalculation and the common-house share", () => {
  const notes = volumeSourceNotes(
    [
      { ...none, kind: "RECALCULATED", deductedWh: ["100000", "20000", "0", "0"] },
      { ...none, kind: "COMMON_HOUSE", volumeWh: "8136", areaDm2: "5400" },
    ],
    "en",
  ).map(nbsp);
  expect(notes).toEqual([
    "Readings are back: the substitute volume billed before is deducted (120.000 kWh)",
    "Common-house needs (ОДН) share: 8.136 kWh for 54 m² of floor area",
  ]);
});

test("invoiceTitle() labels the ОДН share with its real period, by month or by day", () => {
  // period ends 2026-12-01 00:00 Moscow: its last day is 30.11.2026
  const periodEnd = Date.UTC(2026, 10, 30, 21) / 1000;
  const energyInvoice = { periodId: 2, billingPeriodId: 2, isCommonHouseShare: false, periodEnd };
  const share = { ...energyInvoice, periodId: 2 + 2 ** 30, isCommonHouseShare: true };
  expect(invoiceTitle(energyInvoice, "ru", "month")).toBe("Счёт за 11.2026");
  expect(invoiceTitle(share, "ru", "month")).toBe("Общедомовые нужды за 11.2026");
  expect(invoiceTitle(share, "en", "date")).toBe("Common-house needs for 2026-11-30");
  expect(invoiceTitle({ ...share, periodEnd: null }, "en", "month")).toBe("Common-house needs for 2");
});

test("replacementNote() names both meters with their readings at the exchange", () => {
  expect(nbsp(replacementNote(replacement, "en"))).toBe(
    "2026-11-14: OLD-1 (final reading 1,010.000 kWh) replaced by NEW-1 (initial reading 0.500 kWh)",
  );
  expect(nbsp(replacementNote({ ...replacement, oldMeterSerial: null }, "ru"))).toMatch(/^14\.11\.2026: #7 /);
});
