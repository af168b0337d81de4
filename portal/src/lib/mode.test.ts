import { expect, test } from "vitest";
import { worstMode } from "./mode";

test("the banner shows the most serious mode either source reports", () => {
  expect(worstMode("normal", "normal")).toBe("normal");
  expect(worstMode(undefined, null)).toBe("normal");
  expect(worstMode("normal", "service")).toBe("service");
  expect(worstMode("emergency", "service")).toBe("emergency");
  expect(worstMode("service", "emergency")).toBe("emergency");
  expect(worstMode("normal", "upgrading")).toBe("upgrading");
  expect(worstMode("upgrading", "emergency")).toBe("emergency");
});
