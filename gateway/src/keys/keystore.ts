import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { type Address, createNonceManager, getAddress, isAddress, type LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { jsonRpc } from "viem/nonce";
import { NonRetryableError } from "../internal/errors.js";
import { keyMissingError } from "./errors.js";
import type { KeyOwnerKind, SignerService } from "./signerService.js";

/**
 * The production keystore: one file per key, `<dir>/organisations/<address>.key` and
 * `<dir>/consumers/<address>.key`, each holding the 0x-hex private key, mode 0600, in folders of mode
 * 0700. The folder lives outside the repository (GRIDLEDGER_KEYSTORE_DIR); keys are generated there by
 * the `keys` CLI at setup and never leave the machine.
 */
export const KEYSTORE_FOLDERS: Record<KeyOwnerKind, string> = {
  organisation: "organisations",
  consumer: "consumers",
};

const KEY_TEXT = /^0x[0-9a-fA-F]{64}$/;

export type GenerateKeyParameters = { directory: string; kind: KeyOwnerKind };
export type GenerateKeyReturnType = { address: Address; file: string };

/**
 * Generates a key of `kind` in the keystore at `directory` and returns its address (to register on
 * chain: as an organisation by the operator, as an account's consumer by the retail company).
 */
export function generateKey({ directory, kind }: GenerateKeyParameters): GenerateKeyReturnType {
  const folder = path.join(directory, KEYSTORE_FOLDERS[kind]);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(directory, 0o700);
  chmodSync(folder, 0o700);
  const privateKey = generatePrivateKey();
  const address = privateKeyToAccount(privateKey).address;
  const file = path.join(folder, `${address.toLowerCase()}.key`);
  // `wx`: never overwrite a key (a new random key cannot collide; a second writer must fail loudly)
  writeFileSync(file, `${privateKey}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return { address, file };
}

/** The addresses the keystore at `directory` holds keys for. */
export function listKeys(directory: string): { kind: KeyOwnerKind; address: Address; file: string }[] {
  const found: { kind: KeyOwnerKind; address: Address; file: string }[] = [];
  for (const kind of ["organisation", "consumer"] as const) {
    const folder = path.join(directory, KEYSTORE_FOLDERS[kind]);
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder).sort()) {
      const match = /^(0x[0-9a-f]{40})\.key$/.exec(name);
      if (match) found.push({ kind, address: getAddress(match[1]!), file: path.join(folder, name) });
    }
  }
  return found;
}

/** Throws `KEYSTORE_INSECURE` when `target` (a key file or its folder) is open to group or others. */
export function assertPrivate(target: string): void {
  const mode = statSync(target).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new NonRetryableError(`${target} is accessible to group or others (mode ${mode.toString(8)})`, {
      code: "KEYSTORE_INSECURE",
      details: `chmod ${statSync(target).isDirectory() ? "700" : "600"} it; the gateway refuses to use keys others can read`,
    });
  }
}

/** Reads and checks one key file: private mode, a 32-byte hex key, and the key of the address in its name. */
export function readKeyFile(file: string, address: Address): `0x${string}` {
  assertPrivate(file);
  const text = readFileSync(file, "utf8").trim();
  if (!KEY_TEXT.test(text)) {
    throw new NonRetryableError(`${file} does not hold a 32-byte hex private key`, {
      code: "KEYSTORE_CORRUPT",
    });
  }
  const derived = privateKeyToAccount(text as `0x${string}`).address;
  if (derived.toLowerCase() !== address.toLowerCase()) {
    throw new NonRetryableError(`${file} holds the key of ${derived}, not of ${address}`, {
      code: "KEYSTORE_CORRUPT",
    });
  }
  return text as `0x${string}`;
}

export type CreateKeystoreSignersParameters = { directory: string };

/**
 * Key custody in production: keys read from the keystore folder on first use (and kept in memory),
 * each checked for a private mode and for matching its address. The folders must not be open to group
 * or others either. A key added by the CLI while the gateway runs is found at its first use.
 */
export function createKeystoreSigners({ directory }: CreateKeystoreSignersParameters): SignerService {
  const loaded = new Map<string, LocalAccount>();
  return {
    mode: "keystore",
    async account(kind, address) {
      if (!isAddress(address, { strict: false })) throw keyMissingError(kind, address);
      const cacheKey = `${kind}:${address.toLowerCase()}`;
      const cached = loaded.get(cacheKey);
      if (cached) return cached;
      const folder = path.join(directory, KEYSTORE_FOLDERS[kind]);
      const file = path.join(folder, `${address.toLowerCase()}.key`);
      if (!existsSync(file)) throw keyMissingError(kind, address);
      assertPrivate(directory);
      assertPrivate(folder);
      const account = privateKeyToAccount(readKeyFile(file, address), {
        nonceManager: createNonceManager({ source: jsonRpc() }),
      });
      loaded.set(cacheKey, account);
      return account;
    },
  };
}
