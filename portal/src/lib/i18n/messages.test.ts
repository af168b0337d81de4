import { expect, test } from "vitest";
import { en, ru, translate } from "./messages";

test("both languages have every text, with the same placeholders", () => {
  expect(Object.keys(en).sort()).toEqual(Object.keys(ru).sort());
  const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
  for (const key of Object.keys(ru) as (keyof typeof ru)[])
    expect(names(en[key]), key).toEqual(names(ru[key]));
});

test("placeholders are filled; unknown ones stay visible", () => {
  expect(translate("ru", "page.of", { page: 2, pages: 5, total: 93 })).toBe("Страница 2 из 5 · всего 93");
  expect(translate("en", "page.of", { page: 2 })).toBe("Page 2 of {pages} · {total} in total");
  expect(translate("en", "login.bad")).toBe("Wrong login or password.");
});
