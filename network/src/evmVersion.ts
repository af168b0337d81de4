/**
 * The EVM version shared by the whole system: solc compiles for it, anvil runs it, and the Besu
 * genesis enables its milestones (londonBlock 0, shanghaiTime 0, cancunTime 0). Contracts compiled
 * for a later fork than the genesis enables fail on Besu (besu-qbft.md pitfall 18). Cancun is the
 * newest fork with a documented, field-proven QBFT genesis.
 */
export const EVM_VERSION = "cancun";
