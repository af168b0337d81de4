/**
 * The Besu release the production network runs (`hyperledger/besu:<BESU_VERSION>` on Docker Hub).
 *
 * 26.8.0 is the newest release the reference notes saw (besu-qbft.md, sources table). It is after
 * 26.5.0, which renamed `xemptyblockperiodseconds` to `emptyblockperiodseconds`, and after 25.7.0,
 * which removed the EEA/PRIV API groups and onchain permissioning that older example configs use.
 * Change it only together with docs/network.md "Upgrading Besu"; the genesis key for the empty
 * block period follows it through {@link emptyBlockPeriodKey}.
 */
export const BESU_VERSION = "26.8.0";

/** The Docker image the compose file and the docs pin. */
export const BESU_IMAGE = `hyperledger/besu:${BESU_VERSION}`;
