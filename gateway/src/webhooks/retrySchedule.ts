/**
 * Delays before each retry of a failed delivery (docs/api.md "Webhooks"): roughly doubling from 10 s
 * to 24 h, about 54 hours in all, so an endpoint that is down over a weekend still gets its events.
 * After the last one fails the delivery is `dead` (replayable by its owner).
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  10_000, // 10 s
  30_000, // 30 s
  120_000, // 2 min
  600_000, // 10 min
  1_800_000, // 30 min
  3_600_000, // 1 h
  7_200_000, // 2 h
  14_400_000, // 4 h
  28_800_000, // 8 h
  43_200_000, // 12 h
  86_400_000, // 24 h
];

/** Each delay is spread by ±`jitter` (a fraction) so that many failed deliveries do not retry at once. */
export const DEFAULT_RETRY_JITTER = 0.2;

/**
 * The delay after failed attempt number `attempts` (1-based), or undefined when the schedule is
 * exhausted and the delivery is dead.
 */
export function retryDelay(
  schedule: readonly number[],
  attempts: number,
  jitter: number,
  random: () => number = Math.random,
): number | undefined {
  const base = schedule[attempts - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (1 + jitter * (2 * random() - 1)));
}
