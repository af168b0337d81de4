import { expect, test } from "vitest";
import { energy, kwh, money, moscowDate, moscowDateTime, moscowToday, shortHex, toBigInt } from "./format";

test("energy from the gateway's Wh strings, in both languages", () => {
  expect(energy("1234567", "ru")).toBe("1\u00a0234,567\u00a0кВт·ч");
  expect(energy("1234567", "en")).toBe("1,234.567\u00a0kWh");
  expect(energy("99999999999999999999", "en", 0)).toBe("100,000,000,000,000,000\u00a0kWh");
  expect(energy(null, "ru")).toBe("—");
  expect(energy("12.5", "ru")).toBe("—");
  expect(kwh("250", "ru")).toBe("0,250");
  expect(kwh(undefined, "en")).toBe("—");
});

test("money in kopecks", () => {
  expect(money("123456", "ru")).toBe("1\u00a0234,56\u00a0₽");
  expect(money("-50", "en")).toBe("RUB\u00a0−0.50");
  expect(money("", "en")).toBe("—");
});

test("times are Moscow time", () => {
  const seconds = Date.parse("2026-11-26T21:30:00Z") / 1000;
  expect(moscowDateTime(seconds, "ru")).toBe("27.11.2026 00:30");
  expect(moscowDateTime(seconds, "en")).toBe("2026-11-27 00:30");
  expect(moscowDate(seconds, "ru")).toBe("27.11.2026");
  expect(moscowToday(Date.parse("2026-11-26T21:00:00Z"))).toBe("2026-11-27");
});

test("helpers", () => {
  expect(toBigInt("-12")).toBe(-12n);
  expect(toBigInt("1e3")).toBeUndefined();
  expect(shortHex(`0x${"ab".repeat(32)}`)).toBe("0xababab…ababab");
  expect(shortHex("0x12")).toBe("0x12");
});
