/**
 * Writes the next migration of both dialects from the difference between the entities and a database
 * migrated to the latest existing migration: `npm run migration:create --workspace gateway`.
 * MySQL needs GRIDLEDGER_TEST_MYSQL_URL (a scratch database is created and dropped).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropMysqlDatabase, openDatabase } from "../src/db/openDatabase.js";

const targets: { dialect: string; url: string; drop?: string }[] = [
  { dialect: "sqlite", url: `sqlite:${join(mkdtempSync(join(tmpdir(), "gl-migrate-")), "scratch.sqlite")}` },
];
const mysql = process.env.GRIDLEDGER_TEST_MYSQL_URL;
if (mysql) {
  const url = mysql.replace(/\/[^/]*$/, `/gl_migrate_${process.pid}`);
  targets.push({ dialect: "mysql", url, drop: url });
} else {
  console.warn("GRIDLEDGER_TEST_MYSQL_URL is not set: only the SQLite migration is written");
}
for (const target of targets) {
  const db = await openDatabase({ url: target.url });
  // the file naming is read per call; the folder must be passed (the config's was fixed at start)
  db.orm.config.get("migrations").fileName = (timestamp: string, name?: string) =>
    `Migration${timestamp}${name ? `_${name}` : ""}`;
  const folder = join(import.meta.dirname, "..", "src", "db", "migrations", target.dialect);
  const migrator = db.orm.getMigrator();
  const result = await migrator.createMigration(folder, false, false, process.argv[2]);
  console.log(target.dialect, result.fileName || "(no changes)");
  await db.close();
  if (target.drop) await dropMysqlDatabase(target.drop);
}
