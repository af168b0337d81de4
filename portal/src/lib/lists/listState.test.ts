import { describe, expect, test } from "vitest";
import {
  accountListParams,
  accountListVariables,
  moscowDayEnd,
  moscowDayStart,
  pageCount,
  parseAccountList,
  parseReadingList,
  readingFilterVariables,
  readingListParams,
  sortRows,
} from "./listState";

const RETAIL = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

describe("accounts list state in the URL", () => {
  test("a URL becomes the state and the state the same URL again", () => {
    const params = new URLSearchParams(
      `retail=${RETAIL}&number=LS-1&site=Centre&address=Lenina&page=3&size=50&sort=site&dir=desc`,
    );
    const state = parseAccountList(params);
    expect(state).toEqual({
      retailCompany: RETAIL.toLowerCase(),
      accountNumber: "LS-1",
      site: "Centre",
      installationAddress: "Lenina",
      page: 3,
      size: 50,
      sort: "site",
      direction: "desc",
    });
    expect(parseAccountList(accountListParams(state))).toEqual(state);
  });

  test("defaults stay out of the URL, and junk falls back to defaults", () => {
    const state = parseAccountList(new URLSearchParams("page=-2&size=33&sort=consumer&retail=nope&dir=up"));
    expect(state).toMatchObject({ page: 1, size: 20, sort: undefined, retailCompany: "", direction: "asc" });
    expect(accountListParams(state).toString()).toBe("");
  });

  test("filters become GraphQL variables; empty and blank filters are left out", () => {
    const state = parseAccountList(new URLSearchParams("number=%20LS-7%20&site=&page=2&size=10"));
    expect(accountListVariables(state)).toEqual({ filter: { accountNumber: "LS-7" }, page: 2, size: 10 });
    expect(accountListVariables(parseAccountList(new URLSearchParams(`retail=${RETAIL}`))).filter).toEqual({
      retailCompany: RETAIL.toLowerCase(),
    });
  });

  test("characters that mean something in URLs survive the round trip", () => {
    const state = {
      ...parseAccountList(new URLSearchParams()),
      installationAddress: "ул. Ленина, 5 & 7 #2 %",
    };
    expect(parseAccountList(new URLSearchParams(accountListParams(state).toString()))).toEqual(state);
  });
});

describe("readings list state", () => {
  test("Moscow calendar days become UTC instants, the last day included", () => {
    expect(moscowDayStart("2026-11-01")).toBe("2026-10-31T21:00:00.000Z");
    expect(moscowDayEnd("2026-11-30")).toBe("2026-11-30T21:00:00.000Z");
    const state = parseReadingList(
      new URLSearchParams(
        "from=2026-11-01&to=2026-11-30&number=LS&serial=E2&address=Len&bucket=MONTH&size=100",
      ),
    );
    expect(readingFilterVariables(state)).toEqual({
      from: "2026-10-31T21:00:00.000Z",
      to: "2026-11-30T21:00:00.000Z",
      accountNumber: "LS",
      meterSerial: "E2",
      installationAddress: "Len",
    });
    expect(parseReadingList(readingListParams(state))).toEqual(state);
  });

  test("malformed dates and buckets are ignored", () => {
    const state = parseReadingList(new URLSearchParams("from=2026-13-45&to=yesterday&bucket=YEAR"));
    expect(state).toMatchObject({ from: "", to: "", bucket: "DAY" });
    expect(readingFilterVariables(state)).toEqual({});
    expect(readingListParams(state).toString()).toBe("");
  });
});

test("sorting a page is locale-aware and numeric, and leaves the input alone", () => {
  const rows = [{ n: "LS-10" }, { n: "LS-9" }, { n: "ls-1" }];
  expect(sortRows(rows, "n", "asc", "ru").map((row) => row.n)).toEqual(["ls-1", "LS-9", "LS-10"]);
  expect(sortRows(rows, "n", "desc", "ru").map((row) => row.n)).toEqual(["LS-10", "LS-9", "ls-1"]);
  expect(rows[0]!.n).toBe("LS-10");
  expect(pageCount(0, 20)).toBe(1);
  expect(pageCount(41, 20)).toBe(3);
});
