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
