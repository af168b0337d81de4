import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { authenticateApiKey } from "../apiKeys/authenticateApiKey.js";
import { Organisation } from "../db/entities/index.js";
import { openDatabase } from "../db/openDatabase.js";
import { runApiKeysCli } from "./apiKeys.js";

const BANK = `0x${"d1".repeat(20)}`;
const TX = `0x${"ee".repeat(32)}`;
const folder = mkdtempSync(join(tmpdir(), "gl-apikeys-cli-"));
const url = `sqlite:${join(folder, "gateway.sqlite")}`;

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runApiKeysCli(argv, {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: {},
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

beforeAll(async () => {
  const database = await openDatabase({ url });
  await database.em().insert(Organisation, {
    id: 1,
    address: BANK,
    kind: 4,
    active: true,
    profileHash: TX,
    profileId: TX,
    profileIdText: null,
    blockNumber: 1,
    txHash: TX,
    logIndex: 0,
    updatedBlock: 1,
    updatedTxHash: TX,
    updatedLogIndex: 0,
  });
  await database.close();
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("apiKeys CLI", () => {
  test("issue prints the key once on stdout; list shows it without the secret; revoke ends it", async () => {
    const issued = await run(
      "issue",
      "--db",
      url,
      "--organisation",
      BANK,
      "--name",
      "bank import",
      "--scopes",
      "payments:write,invoices:read",
      "--expires",
      "2099-01-01",
    );
    expect(issued.code, issued.stderr).toBe(0);
    const key = issued.stdout.trim();
    expect(key).toMatch(/^glk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/);
    expect(issued.stderr).toContain("PAYMENT_SOURCE");
    const prefix = key.slice(4, 12);

    const listed = await run("list", "--db", url, "--json");
    const rows = JSON.parse(listed.stdout) as { prefix: string; scopes: string; expiresAt: number }[];
    expect(rows).toEqual([
      expect.objectContaining({
        prefix,
        scopes: "invoices:read payments:write",
        expiresAt: Date.UTC(2099, 0, 1) / 1000,
      }),
    ]);
    expect(listed.stdout).not.toContain(key.slice(13));

    expect((await run("revoke", prefix, "--db", url)).code).toBe(0);
    const database = await openDatabase({ url });
    await expect(authenticateApiKey(database.em(), key)).rejects.toMatchObject({ code: "API_KEY_REVOKED" });
    await database.close();
  });

  test("bad usage exits 2 with the usage; a refused request exits 1 with its code", async () => {
    expect((await run("issue", "--db", url, "--name", "x")).code).toBe(2);
    expect(
      (
        await run(
          "issue",
          "--db",
          url,
          "--organisation",
          BANK,
          "--name",
          "x",
          "--scopes",
          "invoices:read",
          "--expires",
          "soon",
        )
      ).code,
    ).toBe(2);
    expect((await run("frobnicate")).stderr).toContain("usage:");
    const unknownScope = await run(
      "issue",
      "--db",
      url,
      "--organisation",
      BANK,
      "--name",
      "x",
      "--scopes",
      "everything",
    );
    expect(unknownScope).toMatchObject({ code: 1 });
    expect(unknownScope.stderr).toContain("BAD_USER_INPUT: Unknown scope everything");
    expect((await run("revoke", "nosuchid", "--db", url)).stderr).toContain("NOT_FOUND");
    expect((await run("scopes")).stdout).toContain("payments:write");
  });
});
