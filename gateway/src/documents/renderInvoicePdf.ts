import { renderPdf } from "./renderPdf.js";

/** What an invoice document says; everything on it comes from here, so the bytes depend on it only. */
export type InvoiceDocumentData = {
  /** Document number, e.g. `СЭС-2-10000001`. */
  number: string;
  supplier: string;
  supplierInn: string;
  /** Personal account number (лицевой счёт). */
  account: string;
  consumer: string;
  address: string;
  /** Billing period, ISO 8601 dates (start inclusive, end exclusive). */
  period: [string, string];
  /** Kopecks, decimal. */
  totalKopecks: string;
  /** Amount per provider component, kopecks (decimal), when known. */
  components?:
    | { energy: string; transmission: string; retailMarkup: string; infrastructure: string }
    | undefined;
  /** Volume billed, Wh (decimal), when known. */
  volumeWh?: string | undefined;
  /** Payment due, ISO 8601 date. */
  dueDate?: string | undefined;
};

/** Kopecks as «1 234,56 руб.» (integer arithmetic, no float rounding). */
export function formatRubles(kopecks: string): string {
  const value = BigInt(kopecks);
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  const rubles = (absolute / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  const rest = (absolute % 100n).toString().padStart(2, "0");
  return `${negative ? "−" : ""}${rubles},${rest} руб.`;
}

/** A date as dd.mm.yyyy in Moscow time (UTC+3 all year since 2014), as Russian documents write it. */
export function ruDate(iso: string): string {
  const [year, month, day] = new Date(Date.parse(iso) + 3 * 3600_000).toISOString().slice(0, 10).split("-");
  return `${day}.${month}.${year}`;
}

/**
 * The invoice (счёт) as a PDF in Russian. Deterministic: the creation date is the period's end, so
 * the SHA-256 of the bytes can be anchored on chain (`InvoiceIssued.documentHash`) and checked again
 * at every download.
 */
export function renderInvoicePdf(data: InvoiceDocumentData): Promise<Buffer> {
  const components = data.components;
  return renderPdf({
    title: `Счёт № ${data.number}`,
    createdAt: new Date(data.period[1]),
    blocks: [
      { kind: "title", text: `Счёт № ${data.number}` },
      { kind: "text", text: "за электрическую энергию (мощность) и услуги по её передаче" },
      { kind: "gap" },
      { kind: "field", label: "Поставщик", value: data.supplier },
      { kind: "field", label: "ИНН поставщика", value: data.supplierInn },
      { kind: "field", label: "Потребитель", value: data.consumer },
      { kind: "field", label: "Адрес", value: data.address },
      { kind: "field", label: "Лицевой счёт", value: data.account },
      {
        kind: "field",
        label: "Расчётный период",
        value: `с ${ruDate(data.period[0])} по ${ruDate(new Date(Date.parse(data.period[1]) - 1000).toISOString())}`,
      },
      ...(data.volumeWh
        ? [
            {
              kind: "field" as const,
              label: "Объём потребления",
              value: `${(Number(BigInt(data.volumeWh)) / 1000).toLocaleString("ru-RU", { maximumFractionDigits: 3 })} кВт·ч`,
            },
          ]
        : []),
      { kind: "gap" },
      ...(components
        ? [
            {
              kind: "table" as const,
              columns: ["Составляющая", "Сумма"],
              widths: [345, 150],
              align: ["left", "right"] as ("left" | "right")[],
              rows: [
                ["Электрическая энергия", formatRubles(components.energy)],
                ["Услуги по передаче электрической энергии", formatRubles(components.transmission)],
                ["Сбытовая надбавка", formatRubles(components.retailMarkup)],
                ["Услуги инфраструктуры", formatRubles(components.infrastructure)],
              ],
            },
          ]
        : []),
      { kind: "text", bold: true, text: `Итого к оплате: ${formatRubles(data.totalKopecks)}` },
      ...(data.dueDate
        ? [{ kind: "field" as const, label: "Оплатить до", value: ruDate(data.dueDate) }]
        : []),
      { kind: "gap" },
      {
        kind: "text",
        text: "Хеш SHA-256 этого файла записан в реестре GridLedger (событие InvoiceIssued); проверить подлинность можно, сравнив их.",
      },
    ],
  });
}
