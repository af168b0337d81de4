import { expect, test } from "vitest";
import { buildCsv, csvField } from "./csv";

test("fields with separators, quotes, line breaks or edge spaces are quoted, quotes doubled", () => {
  expect(csvField("plain")).toBe("plain");
  expect(csvField("a,b")).toBe('"a,b"');
  expect(csvField('say "hi"')).toBe('"say ""hi"""');
  expect(csvField("two\nlines")).toBe('"two\nlines"');
  expect(csvField("cr\rhere")).toBe('"cr\rhere"');
  expect(csvField(" padded ")).toBe('" padded "');
  expect(csvField("a;b", ";")).toBe('"a;b"');
  expect(csvField("a;b", ",")).toBe("a;b");
  expect(csvField(null)).toBe("");
  expect(csvField(undefined)).toBe("");
  expect(csvField(42)).toBe("42");
  expect(csvField(-5)).toBe("-5");
  expect(csvField(true)).toBe("true");
});

test("text that a spreadsheet would run as a formula is defused", () => {
  expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
  expect(csvField("+7 900")).toBe('"\'+7 900"');
  expect(csvField("@SUM(A1)")).toBe('"\'@SUM(A1)"');
  expect(csvField("-1")).toBe('"\'-1"');
});

test("a file has a BOM, a header row and CRLF line ends", () => {
  const csv = buildCsv(
    [
      { number: "LS-1", address: "Ленина, 5", balance: "100" },
      { number: "LS-2", address: 'дом "А"', balance: "0" },
    ],
    [
      { header: "Лицевой счёт", value: (row) => row.number },
      { header: "Адрес", value: (row) => row.address },
      { header: "Баланс", value: (row) => row.balance },
    ],
  );
  expect(csv).toBe('\uFEFFЛицевой счёт,Адрес,Баланс\r\nLS-1,"Ленина, 5",100\r\nLS-2,"дом ""А""",0\r\n');
  expect(buildCsv([], [{ header: "a;b", value: () => "" }], { separator: ";" })).toBe('\uFEFF"a;b"\r\n');
});
