import type Keyv from "keyv";
import type { PublicClient } from "viem";
import type { Database } from "../db/openDatabase.js";
import type { DependencyProbe } from "./createModeController.js";

/** The chain RPC answers with the deployment's chain id; reports the head. */
export function chainProbe(publicClient: PublicClient, chainId: number): DependencyProbe {
  return async () => {
    const [answeredChainId, head] = await Promise.all([
      publicClient.getChainId(),
      publicClient.getBlockNumber({ cacheTime: 0 }),
    ]);
    if (answeredChainId !== chainId) {
      throw new Error(`the RPC answers with chain id ${answeredChainId}, the deployment is on ${chainId}`);
    }
    return { head };
  };
}

/** The database answers a trivial query on a pooled connection. */
export function databaseProbe(database: Database): DependencyProbe {
  return async () => {
    await database.em().getConnection().execute("select 1");
    return undefined;
  };
}

/**
 * The key-value store (Redis) round-trips a value. keyv reports store failures as `error` events and
 * `false`/`undefined` answers rather than throwing, so the probe listens for them.
 */
export function keyValueProbe(store: Keyv<number>): DependencyProbe {
  let lastError: unknown;
  store.on("error", (error: unknown) => {
    lastError = error;
  });
  return async () => {
    lastError = undefined;
    const value = Date.now();
    const written = await store.set("probe", value, 60_000);
    const read = written ? await store.get("probe") : undefined;
    if (!written || read !== value) {
      const reason =
        lastError instanceof Error ? lastError.message : lastError ? String(lastError) : undefined;
      throw new Error(reason ?? "a value just written was not read back");
    }
    return undefined;
  };
}
