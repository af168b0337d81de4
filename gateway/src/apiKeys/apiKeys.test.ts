import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testDatabases } from "../db/_test/testDatabases.js";
import { ApiKey, Organisation } from "../db/entities/index.js";
import { type Database, openDatabase } from "../db/openDatabase.js";
import { apiKeyPrefix, hashApiKey } from "./apiKeyFormat.js";
import { authenticateApiKey } from "./authenticateApiKey.js";
import { issueApiKey } from "./issueApiKey.js";
import { listApiKeys, revokeApiKey } from "./manageApiKeys.js";

const BANK = `0x${"d1".repeat(20)}`;
const RETAIL = `0x${"b1".repeat(20)}`;
const TX = `0x${"ee".repeat(32)}`;
const NOW = 1_790_000_000;
const origin = {
  blockNumber: 1,
  txHash: TX,
  logIndex: 0,
  updatedBlock: 1,
  updatedTxHash: TX,
  updatedLogIndex: 0,
};
const organisation = (id: number, address: string, kind: number) => ({
  id,
  address,
  kind,
  active: true,
  profileHash: TX,
  profileId: TX,
  profileIdText: null,
  ...origin,
});

describe.each(testDatabases("apikeys"))("API keys on $name", (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ url: target.url });
    await database.em().insertMany(Organisation, [organisation(1, BANK, 4), organisation(2, RETAIL, 3)]);
  });
  afterAll(async () => {
    await database?.close();
    await target.drop();
  });

  test("a key is shown once and stored only as its SHA-256; it acts as its organisation with its scopes", async () => {
    const { key, row } = await issueApiKey(database.em(), {
      organisation: BANK.toUpperCase().replace("0X", "0x"),
      name: "bank statement import",
      scopes: ["payments:write", "invoices:read", "payments:write"],
      now: NOW,
    });
    expect(key).toMatch(/^glk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/);
    expect(row).toMatchObject({
      organisation: BANK,
      role: "PAYMENT_SOURCE",
      scopes: "invoices:read payments:write",
    });
    expect(row).not.toHaveProperty("keyHash");
    const stored = await database.em().findOneOrFail(ApiKey, { prefix: apiKeyPrefix(key)! });
    expect(stored.keyHash).toBe(hashApiKey(key));
    expect(JSON.stringify(stored)).not.toContain(key.slice(13));

    const authenticated = await authenticateApiKey(database.em(), key, NOW + 5);
    expect(authenticated.principal).toMatchObject({ role: "PAYMENT_SOURCE", organisation: BANK });
    expect([...authenticated.scopes]).toEqual(["invoices:read", "payments:write"]);
    expect((await database.em().findOneOrFail(ApiKey, { id: row.id })).lastUsedAt).toBe(NOW + 5);
  });

  test("a wrong secret under a real prefix, an unknown key and garbage all get one answer", async () => {
    const { key } = await issueApiKey(database.em(), {
      organisation: RETAIL,
      name: "1C",
      scopes: ["invoices:read"],
      now: NOW,
    });
    const forged = `${key.slice(0, 13)}${"A".repeat(43)}`;
    for (const presented of [forged, `glk_AAAAAAAA_${"B".repeat(43)}`, "Bearer nonsense", ""]) {
      await expect(authenticateApiKey(database.em(), presented, NOW)).rejects.toMatchObject({
        code: "API_KEY_INVALID",
      });
    }
  });

  test("revoked and expired keys are refused with their own codes; revoking twice keeps the first time", async () => {
    const { key, row } = await issueApiKey(database.em(), {
      organisation: RETAIL,
      name: "expiring",
      scopes: ["readings:read"],
      expiresAt: NOW + 100,
      now: NOW,
    });
    expect((await authenticateApiKey(database.em(), key, NOW + 99)).prefix).toBe(row.prefix);
    await expect(authenticateApiKey(database.em(), key, NOW + 100)).rejects.toMatchObject({
      code: "API_KEY_EXPIRED",
    });

    const other = await issueApiKey(database.em(), {
      organisation: RETAIL,
      name: "revoked",
      scopes: ["readings:read"],
      now: NOW,
    });
    expect((await revokeApiKey(database.em(), other.row.prefix, NOW + 10)).revokedAt).toBe(NOW + 10);
    expect((await revokeApiKey(database.em(), other.row.prefix, NOW + 20)).revokedAt).toBe(NOW + 10);
    await expect(authenticateApiKey(database.em(), other.key, NOW + 11)).rejects.toMatchObject({
      code: "API_KEY_REVOKED",
    });
    await expect(revokeApiKey(database.em(), "zzzzzzzz")).rejects.toMatchObject({ code: "NOT_FOUND" });
    const listed = await listApiKeys(database.em(), RETAIL);
    expect(listed.map((item) => item.name)).toContain("revoked");
    expect(listed.every((item) => !("keyHash" in item))).toBe(true);
  });

  test("a key of an organisation the ledger deactivated is refused", async () => {
    const { key } = await issueApiKey(database.em(), {
      organisation: BANK,
      name: "later off",
      scopes: ["payments:read"],
      now: NOW,
    });
    await database.em().nativeUpdate(Organisation, { address: BANK }, { active: false });
    await expect(authenticateApiKey(database.em(), key, NOW)).rejects.toMatchObject({
      code: "ORGANISATION_INACTIVE",
    });
    await database.em().nativeUpdate(Organisation, { address: BANK }, { active: true });
  });

  test("unknown scopes, organisations not on the ledger and past expiries are refused at issue", async () => {
    const em = database.em();
    await expect(
      issueApiKey(em, { organisation: BANK, name: "x", scopes: ["payments:steal"] }),
    ).rejects.toMatchObject({
      code: "BAD_USER_INPUT",
      shortMessage: "Unknown scope payments:steal",
    });
    await expect(issueApiKey(em, { organisation: BANK, name: "x", scopes: [] })).rejects.toMatchObject({
      code: "BAD_USER_INPUT",
    });
    await expect(
      issueApiKey(em, { organisation: `0x${"99".repeat(20)}`, name: "x", scopes: ["payments:read"] }),
    ).rejects.toMatchObject({ code: "UNKNOWN_ORGANISATION" });
    await expect(
      issueApiKey(em, { organisation: "bank", name: "x", scopes: ["payments:read"] }),
    ).rejects.toMatchObject({
      code: "BAD_USER_INPUT",
    });
    await expect(
      issueApiKey(em, {
        organisation: BANK,
        name: "x",
        scopes: ["payments:read"],
        expiresAt: NOW - 1,
        now: NOW,
      }),
    ).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
  });
});
