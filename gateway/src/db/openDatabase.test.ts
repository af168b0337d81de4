import { afterAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "../internal/errors.js";
import { testDatabases } from "./_test/testDatabases.js";
import { Meter, type MeterRow } from "./entities/index.js";
import { migrationsFor } from "./migrations/index.js";
import { openDatabase, parseDatabaseUrl } from "./openDatabase.js";

describe("parseDatabaseUrl()", () => {
  it("reads sqlite files, memory and mysql/mariadb URLs", () => {
    expect(parseDatabaseUrl("sqlite::memory:")).toEqual({ dialect: "sqlite", dbName: ":memory:" });
    expect(parseDatabaseUrl("sqlite:data/gw.sqlite")).toEqual({
      dialect: "sqlite",
      dbName: "data/gw.sqlite",
    });
    expect(parseDatabaseUrl("sqlite:///tmp/gw.sqlite")).toEqual({
      dialect: "sqlite",
      dbName: "/tmp/gw.sqlite",
    });
    expect(parseDatabaseUrl("mysql://root:pw@db:3306/gridledger")).toEqual({
      dialect: "mysql",
      dbName: "gridledger",
      clientUrl: "mariadb://root:pw@db:3306",
    });
    expect(parseDatabaseUrl("mariadb://u@h/x").dialect).toBe("mysql");
  });

  it("refuses unknown schemes and missing database names with a ConfigurationError", () => {
    expect(() => parseDatabaseUrl("postgres://h/db")).toThrow(ConfigurationError);
    expect(() => parseDatabaseUrl("mysql://h:3306/")).toThrow(ConfigurationError);
    expect(() => parseDatabaseUrl("mysql://h/bad-name")).toThrow(ConfigurationError);
    expect(() => parseDatabaseUrl("sqlite:")).toThrow(ConfigurationError);
  });
});

for (const target of testDatabases("opendb")) {
  describe(`openDatabase() on ${target.name}`, () => {
    afterAll(() => target.drop());

    it("migrates to a schema equal to the entities (no pending diff), twice without change", async () => {
      const db = await openDatabase({ url: target.url });
      try {
        expect(await db.orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe("");
        expect(await db.migrate()).toEqual([]);
      } finally {
        await db.close();
      }
      const again = await openDatabase({ url: target.url });
      try {
        const executed = await again.orm.getMigrator().getExecutedMigrations();
        expect(executed.map((m) => m.name)).toEqual(
          migrationsFor(target.name === "mysql" ? "mysql" : "sqlite").map((m) => m.name),
        );
      } finally {
        await again.close();
      }
    });

    if (target.name === "mysql") {
      it("completes the initial migration after a crash left part of it (MySQL DDL is not transactional)", async () => {
        const db = await openDatabase({ url: target.url });
        const connection = db.orm.em.getConnection();
        await connection.execute("delete from `gateway_migrations`");
        await connection.execute("drop table `readings`");
        await connection.execute("drop table `tariff_plans`");
        await db.close();
        const again = await openDatabase({ url: target.url });
        try {
          expect(await again.orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe("");
          expect((await again.orm.getMigrator().getExecutedMigrations()).length).toBe(
            migrationsFor("mysql").length,
          );
        } finally {
          await again.close();
        }
      });
    }

    it("stores and reads back a meter with uint48-sized values exactly", async () => {
      const db = await openDatabase({ url: target.url });
      try {
        const row: MeterRow = {
          id: 2 ** 40 + 7,
          gridCompany: "0x00000000000000000000000000000000000000aa",
          gridCompanyId: 1,
          accountId: null,
          retailCompanyId: null,
          meterType: 1,
          tariffZones: 3,
          meteringScheme: 1,
          remoteReading: true,
          exportCapable: false,
          atBalanceBoundary: true,
          lossMethod: 0,
          lossPpm: -1500,
          serial: "A-1",
          serialHex: `0x${"41".padEnd(64, "0")}`,
          model: "Mercury 234",
          modelHex: `0x${"4d".padEnd(64, "0")}`,
          lossParameters: `0x${"0".repeat(64)}`,
          referenceFirmware: null,
          currentFirmware: null,
          tampered: false,
          lastClockDrift: null,
          blockNumber: 2 ** 48 - 1,
          txHash: `0x${"ab".repeat(32)}`,
          logIndex: 3,
          updatedBlock: 2 ** 48 - 1,
          updatedTxHash: `0x${"ab".repeat(32)}`,
          updatedLogIndex: 3,
        };
        await db.em().insert(Meter, row);
        const found = await db.em().findOneOrFail(Meter, { serial: "A-1" });
        expect({ ...found }).toEqual(row);
      } finally {
        await db.close();
      }
    });
  });
}
