import type { Address, LocalAccount } from "viem";

/** Whose key it is: an organisation's (grid company, retail company, bank, operator) or a consumer's. */
export type KeyOwnerKind = "organisation" | "consumer";

/**
 * The gateway's key custody (issue 5 §5): it hands out the key of the organisation or consumer on
 * whose behalf a request acts, so every transaction is signed by its author's own key — never by the
 * relayer's. Resolvers look a key up by the caller's own address only (the session's organisation or
 * consumer address), never by an address taken from the request.
 *
 * Each account comes with its own nonce manager, and the same account object is returned for the
 * same address, so concurrent requests of one signer get consecutive nonces.
 */
export type SignerService = {
  /** Where the keys come from: derived from the dev chain's mnemonic, or read from a keystore folder. */
  readonly mode: "mnemonic" | "keystore";
  /**
   * The key of `address` of `kind`.
   * @throws NonRetryableError `ORGANISATION_KEY_MISSING` / `CONSUMER_KEY_MISSING` when the gateway holds
   *   no key for it, `KEYSTORE_INSECURE` when the key file is readable by others, `KEYSTORE_CORRUPT`
   *   when the file does not hold the key of its address.
   */
  account(kind: KeyOwnerKind, address: Address): Promise<LocalAccount>;
};
