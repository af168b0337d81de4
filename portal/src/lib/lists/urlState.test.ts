import { expect, test } from "vitest";
import {
  addressParam,
  choiceParam,
  dateParam,
  integerParam,
  isCalendarDate,
  readParams,
  textParam,
  writeParams,
} from "./urlState";

const CODECS = {
  number: textParam("number", 8),
  from: dateParam("from"),
  source: addressParam("source"),
  bucket: choiceParam("bucket", ["DAY", "MONTH"] as const, "DAY"),
  page: integerParam("page", 1, 100, 1),
};

test("valid values are read and written back the same", () => {
  const params = new URLSearchParams(
    "number=LS-1&from=2026-11-01&source=0x70997970C51812dc3A010C7d01b50e0d17dc79C8&bucket=MONTH&page=3",
  );
  const { state, ignored } = readParams(CODECS, params);
  expect(ignored).toEqual([]);
  expect(state).toEqual({
    number: "LS-1",
    from: "2026-11-01",
    source: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
    bucket: "MONTH",
    page: 3,
  });
  expect(readParams(CODECS, writeParams(CODECS, state)).state).toEqual(state);
});

test("invalid values fall back to defaults and are named; empty ones are simply absent", () => {
  const { state, ignored } = readParams(
    CODECS,
    new URLSearchParams("number=ABCDEFGHIJ&from=2026-02-30&source=0x12&bucket=YEAR&page=0&unknown=1"),
  );
  expect(ignored).toEqual(["number", "from", "source", "bucket", "page"]);
  expect(state).toEqual({ number: "", from: "", source: "", bucket: "DAY", page: 1 });
  expect(writeParams(CODECS, state).toString()).toBe("");
  expect(readParams(CODECS, new URLSearchParams("number=&from=")).ignored).toEqual([]);
});

test("calendar dates are real days", () => {
  expect(isCalendarDate("2028-02-29")).toBe(true);
  expect(isCalendarDate("2026-02-29")).toBe(false);
  expect(isCalendarDate("2026-1-01")).toBe(false);
});
