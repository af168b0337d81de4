import KeyvRedis from "@keyv/redis";
import Keyv from "keyv";

/**
 * The gateway's key-value store (sessions, login throttling, caches): Redis when `redisUrl` is set
 * (production, several gateway instances share it), process memory otherwise (embedded).
 */
export function createKeyValueStore<Value>(redisUrl: string | undefined, namespace: string): Keyv<Value> {
  if (!redisUrl) return new Keyv<Value>({ namespace });
  return new Keyv<Value>({ store: new KeyvRedis(redisUrl), namespace, useKeyPrefix: false });
}
