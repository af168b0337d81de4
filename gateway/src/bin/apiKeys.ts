#!/usr/bin/env node
/**
 * API keys of integrating organisations, from the operator's shell:
 *
 *   node gateway/dist/bin/apiKeys.js issue  --organisation 0x… --name "1C billing" --scopes invoices:read,payments:read [--expires 2027-12-31T00:00:00Z]
 *   node gateway/dist/bin/apiKeys.js list   [--organisation 0x…]
 *   node gateway/dist/bin/apiKeys.js revoke <prefix>
 *   node gateway/dist/bin/apiKeys.js scopes
 *
 * `--db URL` overrides GRIDLEDGER_DATABASE_URL (default sqlite:<data dir>/gateway.sqlite); `--json`
 * prints JSON. `issue` prints the key once, on stdout: only its hash is stored, so copy it now.
 * The organisation must be registered on the ledger and indexed; the key acts with its role.
 * Exit codes: 0 done, 1 refused (the code is printed), 2 bad usage.
 */
import { pathToFileURL } from "node:url";
import { API_KEY_SCOPES } from "../apiKeys/apiKeyScopes.js";
import { issueApiKey } from "../apiKeys/issueApiKey.js";
import { type ApiKeyListing, listApiKeys, revokeApiKey } from "../apiKeys/manageApiKeys.js";
import { readSystemConfig } from "../config/systemConfig.js";
import { openDatabase } from "../db/openDatabase.js";
import { GatewayError } from "../internal/errors.js";

export type ApiKeysCliIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
};

const USAGE =
  "usage: apiKeys issue --organisation ADDRESS --name NAME --scopes SCOPE[,SCOPE…] [--expires ISO-8601] [--db URL] [--json]\n" +
  "       apiKeys list [--organisation ADDRESS] [--db URL] [--json]\n" +
  "       apiKeys revoke PREFIX [--db URL] [--json]\n" +
  "       apiKeys scopes\n";

const FLAGS = new Set(["json"]);
const VALUED = new Set(["organisation", "name", "scopes", "expires", "db"]);

class UsageError extends Error {}

function parseArguments(argv: string[]): {
  command: string;
  positional: string[];
  options: Record<string, string | true>;
} {
  const [command = "", ...rest] = argv;
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let index = 0; index < rest.length; index++) {
    const argument = rest[index]!;
    if (!argument.startsWith("--")) {
      positional.push(argument);
      continue;
    }
    const name = argument.slice(2);
    if (FLAGS.has(name)) options[name] = true;
    else if (VALUED.has(name)) {
      const value = rest[++index];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      options[name] = value;
    } else throw new UsageError(`Unknown option --${name}`);
  }
  return { command, positional, options };
}

const isoOrNull = (seconds: number | null) =>
  seconds === null ? null : new Date(seconds * 1000).toISOString();

function describeKey(key: ApiKeyListing): string {
  const state =
    key.revokedAt !== null
      ? `revoked ${isoOrNull(key.revokedAt)}`
      : key.expiresAt !== null
        ? `expires ${isoOrNull(key.expiresAt)}`
        : "active";
  return `${key.prefix}  ${key.organisation}  ${key.role.padEnd(14)}  ${state.padEnd(32)}  ${key.name}  [${key.scopes}]  last used ${isoOrNull(key.lastUsedAt) ?? "never"}`;
}

/** Runs one command; returns the exit code. */
export async function runApiKeysCli(argv: string[], io: ApiKeysCliIo): Promise<number> {
  let parsed: ReturnType<typeof parseArguments>;
  try {
    parsed = parseArguments(argv);
    if (!["issue", "list", "revoke", "scopes"].includes(parsed.command))
      throw new UsageError(parsed.command ? `Unknown command "${parsed.command}"` : "No command");
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { command, positional, options } = parsed;
  const json = options.json === true;
  if (command === "scopes") {
    for (const [scope, meaning] of Object.entries(API_KEY_SCOPES))
      io.stdout(`${scope.padEnd(20)} ${meaning}\n`);
    return 0;
  }
  let expiresAt: number | undefined;
  if (command === "issue") {
    const missing = ["organisation", "name", "scopes"].filter((name) => typeof options[name] !== "string");
    if (missing.length > 0) {
      io.stderr(`issue needs ${missing.map((name) => `--${name}`).join(", ")}\n${USAGE}`);
      return 2;
    }
    if (typeof options.expires === "string") {
      const parsedDate = Date.parse(options.expires);
      if (!/^\d{4}-\d{2}-\d{2}/.test(options.expires) || Number.isNaN(parsedDate)) {
        io.stderr(`--expires "${options.expires}" is not an ISO 8601 date or instant\n`);
        return 2;
      }
      expiresAt = Math.floor(parsedDate / 1000);
    }
  }
  if (command === "revoke" && positional.length !== 1) {
    io.stderr(`revoke needs exactly one key prefix\n${USAGE}`);
    return 2;
  }

  const url = typeof options.db === "string" ? options.db : readSystemConfig(io.env).databaseUrl;
  const database = await openDatabase({ url });
  try {
    const em = database.em();
    if (command === "issue") {
      const { key, row } = await issueApiKey(em, {
        organisation: options.organisation as string,
        name: options.name as string,
        scopes: (options.scopes as string)
          .split(",")
          .map((scope) => scope.trim())
          .filter(Boolean),
        expiresAt,
      });
      if (json) io.stdout(`${JSON.stringify({ key, ...row })}\n`);
      else {
        io.stderr(
          `Issued ${row.prefix} for ${row.organisation} (${row.role}), scopes ${row.scopes}. The key is shown only now:\n`,
        );
        io.stdout(`${key}\n`);
      }
    } else if (command === "list") {
      const keys = await listApiKeys(
        em,
        typeof options.organisation === "string" ? options.organisation : undefined,
      );
      if (json) io.stdout(`${JSON.stringify(keys)}\n`);
      else for (const key of keys) io.stdout(`${describeKey(key)}\n`);
    } else {
      const key = await revokeApiKey(em, positional[0]!);
      if (json) io.stdout(`${JSON.stringify(key)}\n`);
      else io.stdout(`Revoked ${describeKey(key)}\n`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    io.stderr(`${error.code}: ${error.shortMessage}${error.details ? ` (${error.details})` : ""}\n`);
    return 1;
  } finally {
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runApiKeysCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
