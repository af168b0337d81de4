import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropMysqlDatabase } from "../openDatabase.js";

export type TestDatabase = { name: "sqlite" | "mysql"; url: string; drop(): Promise<void> };

/**
 * The databases a test file runs against: always SQLite (a file in a fresh temp folder) and, when
 * GRIDLEDGER_TEST_MYSQL_URL is set (CI), a uniquely named MySQL/MariaDB database on that server, so
 * parallel test files never share one. `drop()` removes it.
 */
export function testDatabases(label: string): TestDatabase[] {
  const suffix = `${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const folder = mkdtempSync(join(tmpdir(), "gl-db-"));
  const list: TestDatabase[] = [
    {
      name: "sqlite",
      url: `sqlite:${join(folder, "test.sqlite")}`,
      drop: async () => rmSync(folder, { recursive: true, force: true }),
    },
  ];
  const mysql = process.env.GRIDLEDGER_TEST_MYSQL_URL;
  if (mysql) {
    const url = mysql.replace(/\/[^/]*$/, `/gl_${suffix}`);
    list.push({ name: "mysql", url, drop: () => dropMysqlDatabase(url) });
  }
  return list;
}
