import { spawn } from "node:child_process";
import { copyFileSync, createReadStream, renameSync, rmSync } from "node:fs";
import { dropMysqlDatabase, parseDatabaseUrl } from "../db/openDatabase.js";
import { mysqlToolArguments } from "./backupDatabase.js";
import { type BackupManifest, readVerifiedManifest } from "./backupManifest.js";
import { BackupError } from "./opsErrors.js";

export type RestoreDatabaseParameters = {
  /** The database to replace (the gateway and indexer using it must be stopped). */
  url: string;
  /** A backup written by `backupDatabase` (with its manifest). */
  file: string;
  /** The client program for MySQL/MariaDB. Default: `mariadb`. */
  clientCommand?: string | undefined;
};

/**
 * Replaces the database with a backup: checks the backup against its manifest (checksum, kind), then
 * SQLite: puts the file in place of the database (its old WAL and shared-memory files removed);
 * MySQL/MariaDB: drops and re-creates the database and loads the dump. Opening the database afterwards
 * applies any newer migrations, and the indexer resumes after the backup's checkpoint.
 */
export async function restoreDatabase(parameters: RestoreDatabaseParameters): Promise<BackupManifest> {
  const manifest = await readVerifiedManifest(parameters.file);
  const { dialect, dbName, clientUrl } = parseDatabaseUrl(parameters.url);
  if (manifest.dialect !== dialect) {
    throw new BackupError(
      `The backup is a ${manifest.dialect} database; the target is ${dialect}`,
      "restore into the same kind of database, or rebuild with `indexer reindex`",
    );
  }
  if (dialect === "sqlite") {
    if (dbName === ":memory:") throw new BackupError("Cannot restore into an in-memory database");
    const staging = `${dbName}.restoring`;
    copyFileSync(parameters.file, staging);
    for (const suffix of ["-wal", "-shm"]) rmSync(`${dbName}${suffix}`, { force: true });
    renameSync(staging, dbName);
  } else {
    await dropMysqlDatabase(parameters.url);
    const { MikroORM } = await import("@mikro-orm/mariadb");
    const admin = await MikroORM.init({
      clientUrl: clientUrl!,
      dbName: "information_schema",
      entities: [],
      discovery: { warnWhenNoEntities: false },
    });
    try {
      await admin.em.getConnection().execute(`create database \`${dbName}\` character set utf8mb4`);
    } finally {
      await admin.close(true);
    }
    await loadDump(parameters.clientCommand ?? "mariadb", clientUrl!, dbName, parameters.file);
  }
  return manifest;
}

function loadDump(command: string, clientUrl: string, dbName: string, file: string): Promise<void> {
  const { args, env } = mysqlToolArguments(clientUrl);
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, dbName], { env, stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new BackupError(
              `${command} is not installed`,
              "install the MariaDB client (Debian: mariadb-client)",
            )
          : error,
      ),
    );
    child.once("close", (code) => {
      if (code === 0) resolve();
      else
        reject(new BackupError(`${command} failed with exit code ${code}`, stderr.trim().split("\n").pop()));
    });
    createReadStream(file).pipe(child.stdin);
  });
}
