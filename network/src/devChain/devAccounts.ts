import { type HDAccount, mnemonicToAccount } from "viem/accounts";

/**
 * Who is who on the embedded development chain. Each organisation signs its own transactions with
 * its own key (never the gateway's), so the dev chain funds one account per role, derived from one
 * mnemonic at the standard path m/44'/60'/0'/0/i.
 *
 * The mnemonic of a persistent dev chain is generated at first start and kept in its data folder
 * (see `startDevChain`); tests use {@link TEST_MNEMONIC}, the well-known Foundry/Hardhat one, which
 * must never guard anything real.
 */
export const DEV_ROLES = [
  "operator",
  "gridCompany",
  "retailCompanyA",
  "retailCompanyB",
  "bank",
  "relayer",
  "device",
  "consumer",
] as const;
export type DevRole = (typeof DEV_ROLES)[number];

export const TEST_MNEMONIC = "test test test test test test test test test test test junk";

/** Number of funded accounts anvil creates: the named roles plus spare ones for tests. */
export const DEV_ACCOUNT_COUNT = 20;

export type DevAccounts = Record<DevRole, HDAccount> & { all: HDAccount[] };

/** Derives the dev accounts of a mnemonic: the named roles first, then spares up to {@link DEV_ACCOUNT_COUNT}. */
export function devAccounts(mnemonic: string = TEST_MNEMONIC): DevAccounts {
  const all = Array.from({ length: DEV_ACCOUNT_COUNT }, (_, index) =>
    mnemonicToAccount(mnemonic, { addressIndex: index }),
  );
  const named = Object.fromEntries(DEV_ROLES.map((role, index) => [role, all[index]!])) as Record<
    DevRole,
    HDAccount
  >;
  return { ...named, all };
}
