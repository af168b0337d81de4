/**
 * List screens keep their filters, page, page size and sort in the URL, so a link can be shared and
 * the back button steps through earlier searches. These pure functions translate between the URL's
 * query string, the form and the GraphQL variables.
 */

import {
  addressParam,
  type Codecs,
  choiceParam,
  dateParam,
  integerParam,
  numberChoiceParam,
  optionalChoiceParam,
  optionalIntegerParam,
  readParams,
  textParam,
  writeParams,
} from "./urlState";

export const PAGE_SIZES = [10, 20, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 20;

export type SortDirection = "asc" | "desc";

export type AccountSortKey = "accountNumber" | "site" | "installationAddress" | "retailCompany" | "active";
const ACCOUNT_SORT_KEYS: readonly AccountSortKey[] = [
  "accountNumber",
  "site",
  "installationAddress",
  "retailCompany",
  "active",
];

export type AccountListState = {
  retailCompany: string;
  accountNumber: string;
  site: string;
  installationAddress: string;
  page: number;
  size: number;
  sort: AccountSortKey | undefined;
  direction: SortDirection;
};

export type Bucket = "HALF_HOUR" | "DAY" | "MONTH";
const BUCKETS: readonly Bucket[] = ["HALF_HOUR", "DAY", "MONTH"];

export type ReadingListState = {
  /** Moscow calendar date YYYY-MM-DD, first day included. */
  from: string;
  /** Moscow calendar date YYYY-MM-DD, last day included. */
  to: string;
  accountNumber: string;
  meterSerial: string;
  installationAddress: string;
  page: number;
  size: number;
  bucket: Bucket;
};

const PAGE = integerParam("page", 1, 1_000_000, 1);
const SIZE = numberChoiceParam("size", PAGE_SIZES, DEFAULT_PAGE_SIZE);
const DIRECTION = choiceParam<SortDirection>("dir", ["asc", "desc"], "asc");

export const ACCOUNT_LIST: Codecs<AccountListState> = {
  retailCompany: addressParam("retail"),
  accountNumber: textParam("number", 32),
  site: textParam("site", 32),
  installationAddress: textParam("address", 64),
  page: PAGE,
  size: SIZE,
  sort: optionalChoiceParam("sort", ACCOUNT_SORT_KEYS),
  direction: DIRECTION,
};

export function parseAccountList(params: URLSearchParams): AccountListState {
  return readParams(ACCOUNT_LIST, params).state;
}

/** The query string of a state; defaults are left out so that URLs stay short. */
export function accountListParams(state: AccountListState): URLSearchParams {
  return writeParams(ACCOUNT_LIST, state);
}

export type AccountFilterVariables = {
  retailCompany?: string;
  accountNumber?: string;
  site?: string;
  installationAddress?: string;
};

/** Only the filters that are set, trimmed: what the gateway's `…Filter` inputs take. */
export function setFilters<Filter extends Record<string, string>>(values: Filter): Partial<Filter> {
  const filter: Partial<Filter> = {};
  for (const [key, value] of Object.entries(values))
    if (value.trim()) filter[key as keyof Filter] = value.trim() as Filter[keyof Filter];
  return filter;
}

/** The `accounts(filter, page, size)` variables of a state (empty filters are omitted). */
export function accountListVariables(state: AccountListState): {
  filter: AccountFilterVariables;
  page: number;
  size: number;
} {
  const { retailCompany, accountNumber, site, installationAddress } = state;
  return {
    filter: setFilters({ retailCompany, accountNumber, site, installationAddress }),
    page: state.page,
    size: state.size,
  };
}

export const READING_LIST: Codecs<ReadingListState> = {
  from: dateParam("from"),
  to: dateParam("to"),
  accountNumber: textParam("number", 32),
  meterSerial: textParam("serial", 32),
  installationAddress: textParam("address", 64),
  page: PAGE,
  size: SIZE,
  bucket: choiceParam("bucket", BUCKETS, "DAY"),
};

export function parseReadingList(params: URLSearchParams): ReadingListState {
  return readParams(READING_LIST, params).state;
}

export function readingListParams(state: ReadingListState): URLSearchParams {
  return writeParams(READING_LIST, state);
}

export type MeterSortKey = "serial" | "model" | "tariffZones" | "accountId";
const METER_SORT_KEYS: readonly MeterSortKey[] = ["serial", "model", "tariffZones", "accountId"];

export type MeterListState = {
  accountNumber: string;
  serial: string;
  model: string;
  installationAddress: string;
  page: number;
  size: number;
  sort: MeterSortKey | undefined;
  direction: SortDirection;
};

/** Meters (F-GRID-06, F-RETAIL-05). */
export const METER_LIST: Codecs<MeterListState> = {
  accountNumber: textParam("number", 32),
  serial: textParam("serial", 32),
  model: textParam("model", 32),
  installationAddress: textParam("address", 64),
  page: PAGE,
  size: SIZE,
  sort: optionalChoiceParam("sort", METER_SORT_KEYS),
  direction: DIRECTION,
};

export type PaymentBucket = "DAY" | "MONTH";
export type PaymentSortKey = "paidAt" | "amount" | "accountId" | "source";
const PAYMENT_SORT_KEYS: readonly PaymentSortKey[] = ["paidAt", "amount", "accountId", "source"];

export type PaymentListState = {
  from: string;
  to: string;
  accountNumber: string;
  installationAddress: string;
  paymentSource: string;
  retailCompany: string;
  page: number;
  size: number;
  bucket: PaymentBucket;
  sort: PaymentSortKey | undefined;
  direction: SortDirection;
};

/** Payments (F-RETAIL-07, F-CONSUMER-02). */
export const PAYMENT_LIST: Codecs<PaymentListState> = {
  from: dateParam("from"),
  to: dateParam("to"),
  accountNumber: textParam("number", 32),
  installationAddress: textParam("address", 64),
  paymentSource: addressParam("source"),
  retailCompany: addressParam("retail"),
  page: PAGE,
  size: SIZE,
  bucket: choiceParam<PaymentBucket>("bucket", ["DAY", "MONTH"], "DAY"),
  sort: optionalChoiceParam("sort", PAYMENT_SORT_KEYS),
  direction: DIRECTION,
};

export type ReportState = {
  retailCompany: string;
  year: number;
  /** 1-12, or 0 for the whole year (no month chosen). */
  month: number;
  page: number;
  size: number;
};

/** Payment reports by retail company, year and month (F-GRID-07, F-RETAIL-02). */
export function reportCodecs(currentYear: number): Codecs<ReportState> {
  return {
    retailCompany: addressParam("retail"),
    year: integerParam("year", 2000, 2100, currentYear),
    month: optionalIntegerParam("month", 1, 12),
    page: PAGE,
    size: SIZE,
  };
}

/** Moscow is UTC+3 all year (no daylight saving since 2014). */
const MOSCOW_OFFSET = "+03:00";

/** The instant a Moscow calendar day starts, ISO 8601 in UTC. */
export function moscowDayStart(day: string): string {
  return new Date(`${day}T00:00:00${MOSCOW_OFFSET}`).toISOString();
}

/** The instant after a Moscow calendar day (its last half hour ends there). */
export function moscowDayEnd(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00${MOSCOW_OFFSET}`) + 86_400_000).toISOString();
}

export type ReadingFilterVariables = {
  from?: string;
  to?: string;
  accountNumber?: string;
  meterSerial?: string;
  installationAddress?: string;
  meterId?: string;
};

/** The `readings(filter, …)` / `consumptionSeries(filter, bucket)` filter of a state. */
export function readingFilterVariables(
  state: Pick<ReadingListState, "from" | "to" | "accountNumber" | "meterSerial" | "installationAddress">,
): ReadingFilterVariables {
  const filter: ReadingFilterVariables = {};
  if (state.from) filter.from = moscowDayStart(state.from);
  if (state.to) filter.to = moscowDayEnd(state.to);
  if (state.accountNumber.trim()) filter.accountNumber = state.accountNumber.trim();
  if (state.meterSerial.trim()) filter.meterSerial = state.meterSerial.trim();
  if (state.installationAddress.trim()) filter.installationAddress = state.installationAddress.trim();
  return filter;
}

/** Rows of one page sorted by a column, locale-aware; the input is not changed. */
export function sortRows<Row>(
  rows: readonly Row[],
  key: keyof Row | undefined,
  direction: SortDirection,
  locale: string,
): Row[] {
  if (!key) return [...rows];
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: "base" });
  const sign = direction === "desc" ? -1 : 1;
  return [...rows].sort((a, b) => sign * collator.compare(String(a[key] ?? ""), String(b[key] ?? "")));
}

/** Number of pages for a total (at least 1). */
export function pageCount(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}

export type PaymentFilterVariables = {
  accountId?: string;
  from?: string;
  to?: string;
  accountNumber?: string;
  installationAddress?: string;
  paymentSource?: string;
  retailCompany?: string;
};

/** The `payments(filter, …)` / `paymentsSeries(filter, bucket)` filter of a state. */
export function paymentFilterVariables(
  state: Pick<
    PaymentListState,
    "from" | "to" | "accountNumber" | "installationAddress" | "paymentSource" | "retailCompany"
  >,
): PaymentFilterVariables {
  const { accountNumber, installationAddress, paymentSource, retailCompany } = state;
  const filter: PaymentFilterVariables = setFilters({
    accountNumber,
    installationAddress,
    paymentSource,
    retailCompany,
  });
  if (state.from) filter.from = moscowDayStart(state.from);
  if (state.to) filter.to = moscowDayEnd(state.to);
  return filter;
}

/** The first instant of a Moscow month and of the next one (ISO 8601 UTC). */
export function moscowMonthRange(year: number, month: number): { from: string; to: string } {
  const pad = (value: number) => String(value).padStart(2, "0");
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return {
    from: moscowDayStart(`${year}-${pad(month)}-01`),
    to: moscowDayStart(`${next.year}-${pad(next.month)}-01`),
  };
}
