import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createNonceManager } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { jsonRpc } from "viem/nonce";
import { ConfigurationError } from "../internal/errors.js";

/**
 * Reads a secp256k1 key from `file`, or generates one there (mode 0600, folder 0700) at first use.
 * Keys are generated at setup on the machine that uses them and never leave it; a key file that
 * others can read is refused rather than used.
 */
export function loadOrCreateKey(file: string): PrivateKeyAccount {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${generatePrivateKey()}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new ConfigurationError(
      `Key file ${file} is readable by others (mode ${mode.toString(8)})`,
      "chmod 600 it",
    );
  }
  const text = readFileSync(file, "utf8").trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) {
    throw new ConfigurationError(`Key file ${file} does not hold a 32-byte hex private key`);
  }
  // The gateway sends concurrently from this key: the nonce manager hands out consecutive nonces.
  return privateKeyToAccount(text as `0x${string}`, {
    nonceManager: createNonceManager({ source: jsonRpc() }),
  });
}
