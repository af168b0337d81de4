/**
 * List screens keep their filters, page, page size and sort in the URL, so a link can be shared and
 * the back button steps through earlier searches. These pure functions translate between the URL's
 * query string, the form and the GraphQL variables.
 */

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

const text = (params: URLSearchParams, name: string, max = 64) =>
  (params.get(name) ?? "").trim().slice(0, max);

function positive(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const value = Number(params.get(name));
  return Number.isInteger(value) && value >= 1 && value <= max ? value : fallback;
}

function pageSize(params: URLSearchParams): number {
  const value = Number(params.get("size"));
  return (PAGE_SIZES as readonly number[]).includes(value) ? value : DEFAULT_PAGE_SIZE;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function date(params: URLSearchParams, name: string): string {
  const value = params.get(name) ?? "";
  return DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? value : "";
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export function parseAccountList(params: URLSearchParams): AccountListState {
  const retail = text(params, "retail", 42);
  const sort = params.get("sort") as AccountSortKey | null;
  return {
    retailCompany: ADDRESS.test(retail) ? retail.toLowerCase() : "",
    accountNumber: text(params, "number", 32),
    site: text(params, "site", 32),
    installationAddress: text(params, "address", 64),
    page: positive(params, "page", 1, 1_000_000),
    size: pageSize(params),
    sort: sort && ACCOUNT_SORT_KEYS.includes(sort) ? sort : undefined,
    direction: params.get("dir") === "desc" ? "desc" : "asc",
  };
}

/** The query string of a state; defaults are left out so that URLs stay short. */
export function accountListParams(state: AccountListState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.retailCompany) params.set("retail", state.retailCompany);
  if (state.accountNumber.trim()) params.set("number", state.accountNumber.trim());
  if (state.site.trim()) params.set("site", state.site.trim());
  if (state.installationAddress.trim()) params.set("address", state.installationAddress.trim());
  if (state.page > 1) params.set("page", String(state.page));
  if (state.size !== DEFAULT_PAGE_SIZE) params.set("size", String(state.size));
  if (state.sort) {
    params.set("sort", state.sort);
    if (state.direction === "desc") params.set("dir", "desc");
  }
  return params;
}

export type AccountFilterVariables = {
  retailCompany?: string;
  accountNumber?: string;
  site?: string;
  installationAddress?: string;
};

/** The `accounts(filter, page, size)` variables of a state (empty filters are omitted). */
export function accountListVariables(state: AccountListState): {
  filter: AccountFilterVariables;
  page: number;
  size: number;
} {
  const filter: AccountFilterVariables = {};
  if (state.retailCompany) filter.retailCompany = state.retailCompany;
  if (state.accountNumber.trim()) filter.accountNumber = state.accountNumber.trim();
  if (state.site.trim()) filter.site = state.site.trim();
  if (state.installationAddress.trim()) filter.installationAddress = state.installationAddress.trim();
  return { filter, page: state.page, size: state.size };
}

export function parseReadingList(params: URLSearchParams): ReadingListState {
  const bucket = params.get("bucket") as Bucket | null;
  return {
    from: date(params, "from"),
    to: date(params, "to"),
    accountNumber: text(params, "number", 32),
    meterSerial: text(params, "serial", 32),
    installationAddress: text(params, "address", 64),
    page: positive(params, "page", 1, 1_000_000),
    size: pageSize(params),
    bucket: bucket && BUCKETS.includes(bucket) ? bucket : "DAY",
  };
}

export function readingListParams(state: ReadingListState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.from) params.set("from", state.from);
  if (state.to) params.set("to", state.to);
  if (state.accountNumber.trim()) params.set("number", state.accountNumber.trim());
  if (state.meterSerial.trim()) params.set("serial", state.meterSerial.trim());
  if (state.installationAddress.trim()) params.set("address", state.installationAddress.trim());
  if (state.page > 1) params.set("page", String(state.page));
  if (state.size !== DEFAULT_PAGE_SIZE) params.set("size", String(state.size));
  if (state.bucket !== "DAY") params.set("bucket", state.bucket);
  return params;
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
