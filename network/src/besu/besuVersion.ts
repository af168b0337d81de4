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

/**
 * The `config.qbft` key that sets the minimum time between empty blocks in a given Besu version,
 * or `undefined` where the feature does not exist.
 *
 * 24.10.0 added it as the experimental `xemptyblockperiodseconds`; 26.5.0 renamed it to
 * `emptyblockperiodseconds` (the `x` name then warns, and was removed after 26.8). Writing the
 * wrong name is silent: Besu ignores the unknown key and produces an empty block every period.
 *
 * @param version - A Besu release, `major.minor.patch`.
 */
export function emptyBlockPeriodKey(
  version: string,
): "emptyblockperiodseconds" | "xemptyblockperiodseconds" | undefined {
  const [major = 0, minor = 0] = version.split(".").map((part) => Number.parseInt(part, 10));
  const at = (m: number, n: number) => major > m || (major === m && minor >= n);
  if (at(26, 5)) return "emptyblockperiodseconds";
  if (at(24, 10)) return "xemptyblockperiodseconds";
  return undefined;
}
