import { ruDate } from "./renderInvoicePdf.js";
import { renderPdf } from "./renderPdf.js";

/** What a supply contract document says (from the account as registered on chain). */
export type SupplyContractData = {
  /** Contract number, e.g. `ДЭС-10000001`. */
  number: string;
  /** ISO 8601: when the account was opened on chain (block time of AccountOpened). */
  concludedAt: string;
  supplier: string;
  supplierInn: string | null;
  consumerAddress: string;
  account: string;
  installationAddress: string;
  site: string;
  meterSerial: string;
  /** Chain reference of the account's opening, printed so that the contract can be traced. */
  chainRef: string;
};

/** The electricity supply contract (договор энергоснабжения) as a PDF in Russian; deterministic. */
export function renderSupplyContractPdf(data: SupplyContractData): Promise<Buffer> {
  return renderPdf({
    title: `Договор энергоснабжения № ${data.number}`,
    createdAt: new Date(data.concludedAt),
    blocks: [
      { kind: "title", text: `Договор энергоснабжения № ${data.number}` },
      { kind: "text", text: `Дата заключения: ${ruDate(data.concludedAt)}` },
      { kind: "gap" },
      { kind: "field", label: "Гарантирующий поставщик (энергосбытовая организация)", value: data.supplier },
      ...(data.supplierInn ? [{ kind: "field" as const, label: "ИНН", value: data.supplierInn }] : []),
      { kind: "field", label: "Потребитель (адрес в реестре)", value: data.consumerAddress },
      { kind: "field", label: "Лицевой счёт", value: data.account },
      { kind: "field", label: "Адрес точки поставки", value: data.installationAddress },
      { kind: "field", label: "Участок сети", value: data.site },
      { kind: "field", label: "Прибор учёта", value: data.meterSerial },
      { kind: "gap" },
      {
        kind: "text",
        text: "1. Поставщик обязуется осуществлять продажу электрической энергии (мощности), а также через привлечённых третьих лиц оказывать услуги по передаче электрической энергии, а Потребитель обязуется оплачивать приобретаемую электрическую энергию и оказанные услуги.",
      },
      {
        kind: "text",
        text: "2. Объём потреблённой электрической энергии определяется по показаниям прибора учёта, подписанным устройством сбора данных и записанным в реестр GridLedger.",
      },
      {
        kind: "text",
        text: "3. Счета выставляются ежемесячно; хеш каждого счёта записывается в реестр при его выставлении.",
      },
      { kind: "gap" },
      { kind: "field", label: "Запись в реестре", value: data.chainRef },
    ],
  });
}
