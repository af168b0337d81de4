/**
 * Time as the scheduler sees it. Production uses the system clock; tests and benchmarks use an
 * accelerated clock so that days of half hours pass in seconds, across process restarts.
 */
export interface Clock {
  /** Unix milliseconds. */
  now(): number;
  /** Resolves after `ms` of this clock's time, or early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

export const systemClock: Clock = { now: () => Date.now(), sleep: realSleep };

/**
 * Simulated time running `speed` times faster than real time from `realStartMs` (wall clock) at
 * `simulatedStartMs`. Two processes given the same parameters agree on the time.
 */
export function acceleratedClock(parameters: {
  simulatedStartMs: number;
  realStartMs: number;
  speed: number;
}): Clock {
  const { simulatedStartMs, realStartMs, speed } = parameters;
  return {
    now: () => Math.floor(simulatedStartMs + (Date.now() - realStartMs) * speed),
    sleep: (ms, signal) => realSleep(ms / speed, signal),
  };
}
