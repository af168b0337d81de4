import { describe, expect, it } from "vitest";
import { BESU_VERSION } from "./besuVersion.js";
import { emptyBlockPeriodKey } from "./emptyBlockPeriodKey.js";

describe("emptyBlockPeriodKey()", () => {
  it.each([
    ["24.7.1", undefined],
    ["24.10.0", "xemptyblockperiodseconds"],
    ["25.11.0", "xemptyblockperiodseconds"],
    ["26.4.9", "xemptyblockperiodseconds"],
    ["26.5.0", "emptyblockperiodseconds"],
    ["27.1.0", "emptyblockperiodseconds"],
  ])("Besu %s reads %s", (version, key) => {
    expect(emptyBlockPeriodKey(version)).toBe(key);
  });

  it("the pinned version reads the non-experimental key", () => {
    expect(emptyBlockPeriodKey(BESU_VERSION)).toBe("emptyblockperiodseconds");
  });
});
