import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { type Hex, type ReadingBatch, readingBatchTypedData } from "@gridledger/domain";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { ConfigError, NonRetryableError } from "../errors.js";

/**
 * The device key (secp256k1). The file holds the 0x-hex private key and a newline; it is created
 * with mode 0600 (readable only by the agent's user) and is never overwritten.
 */
export type KeygenResult = { address: Hex; file: string };

export function keygen(file: string): KeygenResult {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const key = generatePrivateKey();
  let fd: number;
  try {
    // "wx": fail if the file exists, so a key registered on the chain is never replaced by accident.
    fd = openSync(file, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new NonRetryableError(`Device key ${file} already exists`, {
        details: "refusing to overwrite a key that may be registered; move it away first",
      });
    }
    throw error;
  }
  try {
    writeSync(fd, `${key}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { address: privateKeyToAccount(key).address, file };
}

/** Loads the device key; refuses a key file that group or others can read. */
export function loadDeviceKey(file: string): PrivateKeyAccount {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    throw new ConfigError(`Device key ${file} not found`, {
      details: "create it with `agent keygen --key FILE` and register the printed address",
    });
  }
  if (mode & 0o077) {
    throw new ConfigError(
      `Device key ${file} is readable by other users (mode ${(mode & 0o777).toString(8)})`,
      { details: `run: chmod 600 ${file}` },
    );
  }
  const text = readFileSync(file, "utf8").trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(text))
    throw new ConfigError(`Device key ${file} is not a 32-byte hex private key`);
  return privateKeyToAccount(text as Hex);
}

export type ReadingsDomain = { chainId: number; verifyingContract: Hex };

export function domainKey(domain: ReadingsDomain): string {
  return `${domain.chainId}:${domain.verifyingContract.toLowerCase()}`;
}

/** Signs a batch with EIP-712 exactly as `@gridledger/domain` defines it (deterministic, RFC 6979). */
export function signBatch(
  account: PrivateKeyAccount,
  domain: ReadingsDomain,
  batch: ReadingBatch,
): Promise<Hex> {
  return account.signTypedData(readingBatchTypedData({ ...domain, batch }));
}
