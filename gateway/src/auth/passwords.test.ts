import { describe, expect, test } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "./passwords.js";

describe("passwords", () => {
  test("hashes with argon2id at the OWASP parameters and verifies only the right password", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, "correct horse battery")).toBe(true);
    expect(await verifyPassword(stored, "correct horse batterY")).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  test("the same password hashes differently each time (salted)", async () => {
    expect(await hashPassword("0123456789")).not.toBe(await hashPassword("0123456789"));
  });

  test("refuses passwords too short to store; a malformed hash is a mismatch, not a crash", async () => {
    await expect(hashPassword("short")).rejects.toMatchObject({ code: "WEAK_PASSWORD" });
    expect(await verifyPassword("not a hash", "whatever123")).toBe(false);
    expect(needsRehash("$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHQ$aGFzaA")).toBe(true);
  });
});
