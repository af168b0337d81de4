import type { EntityManager, MikroORM, Options } from "@mikro-orm/core";
import { ConfigurationError } from "../internal/errors.js";
import { entities } from "./entities/index.js";
import { migrationsFor } from "./migrations/index.js";

export type DatabaseDialect = "sqlite" | "mysql";

export type OpenDatabaseParameters = {
  /**
   * `sqlite:<file>`, `sqlite::memory:`, `mysql://user:pass@host:port/db` or `mariadb://…` (both use
   * the MariaDB driver, which speaks to MySQL too).
   */
  url: string;
  /**
   * Apply pending migrations on open. Default: `true`.
   */
  migrate?: boolean | undefined;
  /** Create the MySQL database when it does not exist. Default: `true`. */
  createDatabase?: boolean | undefined;
  /** Log SQL. Default: `false`. */
  debug?: boolean | undefined;
};

export type Database = {
  orm: MikroORM;
  dialect: DatabaseDialect;
  /** A fresh entity manager (never the global one). */
  em(): EntityManager;
  /** Applies pending migrations; returns their names. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
};

/** Parses a database URL into the dialect and MikroORM connection options. */
export function parseDatabaseUrl(url: string): {
  dialect: DatabaseDialect;
  dbName: string;
  clientUrl?: string;
} {
  if (url === "sqlite::memory:") return { dialect: "sqlite", dbName: ":memory:" };
  if (url.startsWith("sqlite:")) {
    const file = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (!file) throw new ConfigurationError(`Database URL ${url} names no file`, "use sqlite:<file>");
    return { dialect: "sqlite", dbName: file };
  }
  if (url.startsWith("mysql://") || url.startsWith("mariadb://")) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigurationError(`Database URL is malformed`, "mysql://user:password@host:port/database");
    }
    const dbName = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
    if (!dbName || !/^[A-Za-z0-9_$]+$/.test(dbName)) {
      throw new ConfigurationError(
        `Database URL names no valid database`,
        "mysql://user:password@host:port/database (letters, digits, _ and $)",
      );
    }
    parsed.protocol = "mariadb:";
    parsed.pathname = "/";
    return { dialect: "mysql", dbName, clientUrl: parsed.toString().replace(/\/$/, "") };
  }
  throw new ConfigurationError(
    `Unsupported database URL ${url.replace(/\/\/[^@]*@/, "//…@")}`,
    "sqlite:<file>, sqlite::memory:, mysql://… or mariadb://…",
  );
}

/**
 * Opens the gateway database with the entities of `db/entities` and (by default) brings its schema up
 * to date with the migrations of its dialect.
 *
 * @example
 * const db = await openDatabase({ url: "sqlite:.gridledger/gateway.sqlite" });
 * const meters = await db.em().find(Meter, { serial: "A-1" });
 * await db.close();
 */
export async function openDatabase(parameters: OpenDatabaseParameters): Promise<Database> {
  const { dialect, dbName, clientUrl } = parseDatabaseUrl(parameters.url);
  const { Migrator } = await import("@mikro-orm/migrations");
  const common = {
    dbName,
    entities,
    discovery: { warnWhenNoEntities: true, disableDynamicFileAccess: true },
    debug: parameters.debug ?? false,
    allowGlobalContext: false,
    extensions: [Migrator],
    migrations: {
      tableName: "gateway_migrations",
      migrationsList: migrationsFor(dialect),
      // MySQL commits DDL implicitly, so a migration cannot be one transaction there.
      transactional: dialect === "sqlite",
      allOrNothing: dialect === "sqlite",
      silent: true,
      snapshot: false,
      emit: "ts" as const,
    },
  } satisfies Partial<Options>;

  let orm: MikroORM;
  if (dialect === "sqlite") {
    const { MikroORM: SqliteOrm } = await import("@mikro-orm/better-sqlite");
    orm = await SqliteOrm.init({
      ...common,
      // WAL: readers (the API) do not block the indexer's write transaction; NORMAL sync is durable
      // at every checkpoint of the WAL and keeps commits fast.
      pool: {
        afterCreate: (connection: unknown, done: (error: Error | null, connection: unknown) => void) => {
          const raw = connection as { pragma?: (sql: string) => unknown };
          try {
            if (dbName !== ":memory:") raw.pragma?.("journal_mode = WAL");
            raw.pragma?.("synchronous = NORMAL");
            raw.pragma?.("busy_timeout = 5000");
            done(null, connection);
          } catch (error) {
            done(error as Error, connection);
          }
        },
      },
    });
  } else {
    const { MikroORM: MariaDbOrm } = await import("@mikro-orm/mariadb");
    if (parameters.createDatabase ?? true) {
      await ensureMysqlDatabase(clientUrl!, dbName);
    }
    orm = await MariaDbOrm.init({ ...common, clientUrl: clientUrl!, timezone: "+00:00" });
  }

  const migrate = async () => {
    const applied = await orm.getMigrator().up();
    return applied.map((migration) => migration.name);
  };
  if (parameters.migrate ?? true) await migrate();

  return {
    orm,
    dialect,
    em: () => orm.em.fork(),
    migrate,
    close: () => orm.close(true),
  };
}

async function ensureMysqlDatabase(clientUrl: string, dbName: string): Promise<void> {
  const { MikroORM: MariaDbOrm } = await import("@mikro-orm/mariadb");
  const admin = await MariaDbOrm.init({
    clientUrl,
    dbName: "information_schema",
    entities: [],
    discovery: { warnWhenNoEntities: false },
    connect: true,
  });
  try {
    await admin.em
      .getConnection()
      .execute(`create database if not exists \`${dbName}\` character set utf8mb4`);
  } finally {
    await admin.close(true);
  }
}

/** Drops a MySQL database (tests). */
export async function dropMysqlDatabase(url: string): Promise<void> {
  const { dbName, clientUrl } = parseDatabaseUrl(url);
  const { MikroORM: MariaDbOrm } = await import("@mikro-orm/mariadb");
  const admin = await MariaDbOrm.init({
    clientUrl: clientUrl!,
    dbName: "information_schema",
    entities: [],
    discovery: { warnWhenNoEntities: false },
  });
  try {
    await admin.em.getConnection().execute(`drop database if exists \`${dbName}\``);
  } finally {
    await admin.close(true);
  }
}
