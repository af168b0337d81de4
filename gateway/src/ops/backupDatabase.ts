import { spawn } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import BetterSqlite3 from "better-sqlite3";
import { parseDatabaseUrl } from "../db/openDatabase.js";
import { type BackupManifest, writeManifest } from "./backupManifest.js";
import { BackupError } from "./opsErrors.js";

export type BackupDatabaseParameters = {
  /** The gateway's database URL (`sqlite:<file>` or `mysql://…`). */
  url: string;
  /** The backup file to write (SQLite: a database file; MySQL/MariaDB: an SQL dump). */
  file: string;
  /** The dump program for MySQL/MariaDB. Default: `mariadb-dump`. */
  dumpCommand?: string | undefined;
};

/**
 * Backs up the gateway's database online, consistently with its indexer checkpoint: SQLite through
 * the online backup API (a page-by-page copy of one snapshot, while the indexer writes), MySQL/MariaDB
 * through `mariadb-dump --single-transaction` (one InnoDB snapshot, no locks). The checkpoint row is
 * in the same snapshot as the rows it covers, so a restore resumes indexing exactly after it. Writes
 * `<file>.manifest.json` with the checkpoint and the file's SHA-256.
 */
export async function backupDatabase(parameters: BackupDatabaseParameters): Promise<BackupManifest> {
  const { dialect, dbName, clientUrl } = parseDatabaseUrl(parameters.url);
  mkdirSync(path.dirname(path.resolve(parameters.file)), { recursive: true });
  const partial = `${parameters.file}.partial`;
  rmSync(partial, { force: true });
  if (dialect === "sqlite") {
    if (dbName === ":memory:") throw new BackupError("An in-memory database cannot be backed up");
    if (!existsSync(dbName)) throw new BackupError(`No SQLite database at ${dbName}`);
    const source = new BetterSqlite3(dbName, { readonly: true, fileMustExist: true });
    try {
      await source.backup(partial);
    } finally {
      source.close();
    }
  } else {
    await runDump(parameters.dumpCommand ?? "mariadb-dump", clientUrl!, dbName, partial);
  }
  renameSync(partial, parameters.file);
  const checkpoint =
    dialect === "sqlite" ? sqliteCheckpoint(parameters.file) : await dumpCheckpoint(parameters.file);
  return writeManifest(parameters.file, { dialect, createdAt: new Date().toISOString(), checkpoint });
}

/** Connection options for the MariaDB command-line tools; the password travels in MYSQL_PWD, not argv. */
export function mysqlToolArguments(clientUrl: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const url = new URL(clientUrl);
  const args = [
    `--host=${url.hostname}`,
    `--port=${url.port || "3306"}`,
    `--user=${decodeURIComponent(url.username || "root")}`,
  ];
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (url.password) env.MYSQL_PWD = decodeURIComponent(url.password);
  return { args, env };
}

function runDump(command: string, clientUrl: string, dbName: string, file: string): Promise<void> {
  const { args, env } = mysqlToolArguments(clientUrl);
  return new Promise((resolve, reject) => {
    const child = spawn(
      command,
      [
        ...args,
        "--single-transaction",
        "--quick",
        "--routines",
        "--triggers",
        "--hex-blob",
        "--skip-lock-tables",
        dbName,
      ],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    const out = createWriteStream(file, { mode: 0o600 });
    child.stdout.pipe(out);
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
      out.end(() => {
        if (code === 0) resolve();
        else
          reject(
            new BackupError(`${command} failed with exit code ${code}`, stderr.trim().split("\n").pop()),
          );
      });
    });
  });
}

function sqliteCheckpoint(file: string): BackupManifest["checkpoint"] {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare(
        "select block_number, block_hash, deployment, chain_id from indexer_checkpoints where id = 'main'",
      )
      .get() as
      | { block_number: number; block_hash: string; deployment: string; chain_id: number }
      | undefined;
    return row
      ? {
          blockNumber: Number(row.block_number),
          blockHash: row.block_hash,
          deployment: row.deployment,
          chainId: Number(row.chain_id),
        }
      : null;
  } finally {
    db.close();
  }
}

/**
 * The checkpoint as the dump's INSERT for `indexer_checkpoints` has it (column order from its CREATE
 * TABLE). Reads the dump line by line and stops there, so a dump of any size is fine.
 */
async function dumpCheckpoint(file: string): Promise<BackupManifest["checkpoint"]> {
  const lines = createInterface({
    input: createReadStream(file, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let columns: string[] | undefined;
  let inCreate = false;
  let insert: string | undefined;
  for await (const line of lines) {
    if (line.startsWith("CREATE TABLE `indexer_checkpoints`")) {
      inCreate = true;
      columns = [];
    } else if (inCreate) {
      const column = /^\s*`([a-z_]+)`/.exec(line);
      if (column) columns!.push(column[1]!);
      else inCreate = false;
    } else if (line.startsWith("INSERT INTO `indexer_checkpoints` VALUES")) {
      insert = line.slice("INSERT INTO `indexer_checkpoints` VALUES".length);
    } else if (insert !== undefined) {
      insert += line;
    }
    if (insert?.trimEnd().endsWith(";")) break;
  }
  lines.close();
  if (!columns || insert === undefined) return null;
  for (const tuple of insert.matchAll(/\(([^()]*)\)/g)) {
    const values = [...tuple[1]!.matchAll(/'((?:[^'\\]|\\.)*)'|([^,]+)/g)].map(
      (match) => match[1] ?? match[2]!.trim(),
    );
    const row = Object.fromEntries(columns.map((column, index) => [column, values[index]]));
    if (row.id !== "main") continue;
    return {
      blockNumber: Number(row.block_number),
      blockHash: String(row.block_hash),
      deployment: String(row.deployment),
      chainId: Number(row.chain_id),
    };
  }
  return null;
}
