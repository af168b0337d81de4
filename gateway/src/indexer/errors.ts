import { NonRetryableError, RetryableError } from "../internal/errors.js";

/**
 * The chain under the index changed: a block the index built on is no longer on the chain (a reset
 * development chain, a reorg, or a different chain behind the same URL). QBFT has immediate finality,
 * so on the production network this is a tripwire for misconfiguration, never routine.
 */
export class ChainReorgError extends NonRetryableError {
  override name = "ChainReorgError";
  constructor(blockNumber: number, expectedHash: string, actualHash: string) {
    super(`The chain no longer has the indexed block ${blockNumber}`, {
      code: "CHAIN_REORG",
      details: `indexed hash ${expectedHash}, the chain now says ${actualHash}; run \`reindex\` (or start the indexer with onReorg "rebuild")`,
    });
  }
}

/** The database was built from another chain or deployment than the one configured. */
export class DeploymentMismatchError extends NonRetryableError {
  override name = "DeploymentMismatchError";
  constructor(shortMessage: string, details?: string) {
    super(shortMessage, { code: "DEPLOYMENT_MISMATCH", details });
  }
}

/** A log could not be turned into rows (undecodable, out of range, inconsistent). Nothing is written. */
export class IndexerDataError extends NonRetryableError {
  override name = "IndexerDataError";
  constructor(shortMessage: string, details?: string) {
    super(shortMessage, { code: "INDEXER_DATA", details });
  }
}

/** The chain's RPC endpoint failed in a way that may pass (connection, timeout, 5xx). */
export class ChainRpcError extends RetryableError {
  override name = "ChainRpcError";
  constructor(shortMessage: string, cause: unknown) {
    super(shortMessage, { code: "CHAIN_RPC", cause, details: (cause as Error)?.message?.split("\n")[0] });
  }
}

/** The database failed in a way that may pass (connection lost, lock timeout). */
export class DatabaseUnavailableError extends RetryableError {
  override name = "DatabaseUnavailableError";
  constructor(shortMessage: string, cause: unknown) {
    super(shortMessage, { code: "DATABASE", cause, details: (cause as Error)?.message?.split("\n")[0] });
  }
}
