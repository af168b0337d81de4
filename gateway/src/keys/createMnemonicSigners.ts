import { pbkdf2Sync } from "node:crypto";
import { type Address, createNonceManager, type LocalAccount, toHex } from "viem";
import { HDKey, privateKeyToAccount } from "viem/accounts";
import { jsonRpc } from "viem/nonce";
import { CONSUMER_KEY_BASE_INDEX, DEVICE_KEY_BASE_INDEX } from "../demo/demoPlan.js";
import { keyMissingError } from "./errors.js";
import type { KeyOwnerKind, SignerService } from "./signerService.js";

/** HD indexes (m/44'/60'/0'/0/i) of the organisations of the embedded system: `DEV_ROLES` 0-4. */
export const DEV_ORGANISATION_INDEXES = [0, 1, 2, 3, 4] as const;
/** The dev role `consumer` (index 7); demo consumers follow from `CONSUMER_KEY_BASE_INDEX` (100). */
export const DEV_CONSUMER_FIRST_INDEXES = [7] as const;

export type CreateMnemonicSignersParameters = {
  /** The embedded dev chain's mnemonic (`.gridledger/chain/mnemonic`). */
  mnemonic: string;
  /** How many demo consumer keys (from index 100) may be derived. Default and maximum: 900 (device keys start at 1000). */
  maxConsumers?: number | undefined;
};

/**
 * Key custody of the embedded system: the keys are derived from the dev chain's mnemonic, exactly as
 * the chain funds its role accounts (`network` `devAccounts`) and the demo seed derives its consumers
 * (`demoKeyDeriver`): organisations at indexes 0-4, consumers at 7 and from 100 on. The relayer (5)
 * and device keys (6, from 1000) are deliberately not served: they sign nothing for anybody.
 *
 * Consumer keys are derived on demand, in order, until the asked address is found, so a start does not
 * pay for 900 derivations.
 */
export function createMnemonicSigners(parameters: CreateMnemonicSignersParameters): SignerService {
  const seed = pbkdf2Sync(parameters.mnemonic.normalize("NFKD"), "mnemonic", 2048, 64, "sha512");
  const parent = HDKey.fromMasterSeed(seed).derive("m/44'/60'/0'/0");
  // never into the device keys' range
  const maxConsumers = Math.min(
    parameters.maxConsumers ?? 900,
    DEVICE_KEY_BASE_INDEX - CONSUMER_KEY_BASE_INDEX,
  );
  const derive = (index: number): LocalAccount =>
    privateKeyToAccount(toHex(parent.deriveChild(index).privateKey!), {
      // one counter per signer: concurrent requests of one organisation get consecutive nonces
      nonceManager: createNonceManager({ source: jsonRpc() }),
    });
  const byKind: Record<KeyOwnerKind, Map<string, LocalAccount>> = {
    organisation: new Map(),
    consumer: new Map(),
  };
  for (const index of DEV_ORGANISATION_INDEXES) {
    const account = derive(index);
    byKind.organisation.set(account.address.toLowerCase(), account);
  }
  for (const index of DEV_CONSUMER_FIRST_INDEXES) {
    const account = derive(index);
    byKind.consumer.set(account.address.toLowerCase(), account);
  }
  let derivedConsumers = 0;

  return {
    mode: "mnemonic",
    async account(kind, address) {
      const key = address.toLowerCase();
      const known = byKind[kind].get(key);
      if (known) return known;
      if (kind === "consumer") {
        while (derivedConsumers < maxConsumers) {
          const account = derive(CONSUMER_KEY_BASE_INDEX + derivedConsumers++);
          byKind.consumer.set(account.address.toLowerCase(), account);
          if (account.address.toLowerCase() === key) return account;
        }
      }
      throw keyMissingError(kind, address as Address);
    },
  };
}
