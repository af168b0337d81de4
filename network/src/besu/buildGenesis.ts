import { type Hex, numberToHex } from "viem";
import { InvalidConsortiumError } from "../errors.js";
import { EVM_VERSION } from "../evmVersion.js";
import { BESU_VERSION } from "./besuVersion.js";
import { emptyBlockPeriodKey } from "./emptyBlockPeriodKey.js";
import { encodeExtraData } from "./encodeExtraData.js";
import { parseAddress } from "./parseAddress.js";

/**
 * Block gas limit of a new consortium's genesis. A private network sets its own; 100 M gas holds about
 * 200 reading batches of 480, and the embedded dev chain uses the same figure so that throughput
 * measured on it is the network's, not anvil's 30 M default.
 */
export const GENESIS_BLOCK_GAS_LIMIT = 100_000_000n;

/** The QBFT mixHash Besu enforces on every block ("…ctical byzantine fault tolerance"). */
export const QBFT_MIX_HASH: Hex = "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365";

const ZERO_32: Hex = `0x${"00".repeat(32)}`;
const ZERO_ADDRESS: Hex = `0x${"00".repeat(20)}`;

/**
 * Milestones from Homestead to London are block numbers, Shanghai and Cancun are timestamps; all
 * at genesis so the chain runs the Cancun EVM from block 1, as anvil does with `--hardfork cancun`.
 * Besu lowercases genesis keys, so the camelCase here is for people.
 */
const CANCUN_MILESTONES = {
  homesteadBlock: 0,
  eip150Block: 0,
  eip158Block: 0,
  byzantiumBlock: 0,
  constantinopleBlock: 0,
  petersburgBlock: 0,
  istanbulBlock: 0,
  berlinBlock: 0,
  londonBlock: 0,
  shanghaiTime: 0,
  cancunTime: 0,
} as const;

export type BuildGenesisParameters = {
  /** EIP-155 chain id; must be unique to the consortium (not 1337 or 31337). */
  chainId: number;
  /** Validator (node) addresses. Sorted here so that every member derives the same genesis. */
  validators: readonly Hex[];
  /** Accounts funded at genesis, address → balance in wei. */
  alloc?: Readonly<Record<string, bigint>> | undefined;
  /** Minimum seconds between blocks. Default: 2. */
  blockPeriodSeconds?: number | undefined;
  /** Round-0 timeout; Besu doubles it on each round change. Default: twice the block period. */
  requestTimeoutSeconds?: number | undefined;
  /** Blocks after which pending validator votes are discarded. Default: 30000. */
  epochLength?: number | undefined;
  /** Minimum seconds between *empty* blocks; 0 or undefined keeps one block per period. Default: 0. */
  emptyBlockPeriodSeconds?: number | undefined;
  /** Block gas limit. Default: 100,000,000. */
  gasLimit?: bigint | undefined;
  /** Maximum contract code size in bytes; omitted means Besu's default 24576, the same as anvil's. */
  contractSizeLimit?: number | undefined;
  /** Genesis timestamp, seconds since the epoch. */
  timestamp: number;
  /** The Besu version the genesis is written for. Default: {@link BESU_VERSION}. */
  besuVersion?: string | undefined;
};

/** A Besu QBFT genesis, as written to `genesis.json`. */
export type BesuGenesis = {
  config: Record<string, unknown> & { chainId: number; zeroBaseFee: true; qbft: Record<string, number> };
  nonce: Hex;
  timestamp: Hex;
  gasLimit: Hex;
  difficulty: Hex;
  mixHash: Hex;
  coinbase: Hex;
  baseFeePerGas: Hex;
  blobGasUsed: Hex;
  excessBlobGas: Hex;
  parentBeaconBlockRoot: Hex;
  number: Hex;
  gasUsed: Hex;
  parentHash: Hex;
  extraData: Hex;
  alloc: Record<string, { balance: Hex }>;
};

export type BuildGenesisReturnType = BesuGenesis;

/**
 * Builds the QBFT genesis for the consortium: free gas (zero base fee, London and later at block 0),
 * the Cancun EVM ({@link EVM_VERSION}), QBFT with block-header validator selection, and the
 * validators in `extraData`.
 *
 * Any byte that differs between members' genesis files gives a different genesis hash and the
 * nodes refuse each other, so everything here is deterministic: validators and alloc are sorted,
 * numbers are written as hex.
 *
 * @param parameters - {@link BuildGenesisParameters}
 * @throws {InvalidConsortiumError} If a number is out of range or there is no validator.
 */
export function buildGenesis(parameters: BuildGenesisParameters): BuildGenesisReturnType {
  const {
    chainId,
    alloc = {},
    blockPeriodSeconds = 2,
    epochLength = 30_000,
    emptyBlockPeriodSeconds = 0,
    gasLimit = GENESIS_BLOCK_GAS_LIMIT,
    contractSizeLimit,
    timestamp,
    besuVersion = BESU_VERSION,
  } = parameters;
  const requestTimeoutSeconds = parameters.requestTimeoutSeconds ?? 2 * blockPeriodSeconds;
  positive("chainId", chainId);
  if (chainId === 1337 || chainId === 31337) {
    throw new InvalidConsortiumError(
      `Chain id ${chainId} is the development default; pick one unique to the consortium`,
    );
  }
  positive("blockPeriodSeconds", blockPeriodSeconds);
  positive("requestTimeoutSeconds", requestTimeoutSeconds);
  positive("epochLength", epochLength);
  if (!Number.isSafeInteger(emptyBlockPeriodSeconds) || emptyBlockPeriodSeconds < 0) {
    throw new InvalidConsortiumError("emptyBlockPeriodSeconds must be a whole number of seconds, 0 or more");
  }
  if (contractSizeLimit !== undefined) positive("contractSizeLimit", contractSizeLimit);
  // Besu's minimum gas limit is 5000 (AbstractGasLimitSpecification).
  if (gasLimit < 5000n) throw new InvalidConsortiumError("gasLimit must be at least 5000");
  if (parameters.validators.length === 0) {
    throw new InvalidConsortiumError("A QBFT genesis needs at least one validator");
  }
  const validators = [
    ...new Set(parameters.validators.map((v) => parseAddress(v, "validator address").toLowerCase())),
  ].sort() as Hex[];
  if (validators.length !== parameters.validators.length) {
    throw new InvalidConsortiumError("The same validator address is listed twice");
  }

  const qbft: Record<string, number> = {
    blockperiodseconds: blockPeriodSeconds,
    epochlength: epochLength,
    requesttimeoutseconds: requestTimeoutSeconds,
  };
  if (emptyBlockPeriodSeconds > 0) {
    const key = emptyBlockPeriodKey(besuVersion);
    if (!key) {
      throw new InvalidConsortiumError(`Besu ${besuVersion} has no empty block period (it came in 24.10.0)`);
    }
    qbft[key] = emptyBlockPeriodSeconds;
  }

  const sortedAlloc: Record<string, { balance: Hex }> = {};
  for (const address of Object.keys(alloc)
    .map((a) => parseAddress(a, "account address").toLowerCase())
    .sort()) {
    const balance = Object.entries(alloc).find(([a]) => a.toLowerCase() === address)?.[1] ?? 0n;
    sortedAlloc[address] = { balance: numberToHex(balance) };
  }

  return {
    config: {
      chainId,
      ...CANCUN_MILESTONES,
      zeroBaseFee: true,
      ...(contractSizeLimit === undefined ? {} : { contractSizeLimit }),
      qbft,
    },
    nonce: "0x0",
    timestamp: numberToHex(timestamp),
    gasLimit: numberToHex(gasLimit),
    difficulty: "0x1",
    mixHash: QBFT_MIX_HASH,
    coinbase: ZERO_ADDRESS,
    // Without it Besu puts 1 gwei into the London genesis header even with zeroBaseFee.
    baseFeePerGas: "0x0",
    // Cancun header fields, required when cancunTime is 0.
    blobGasUsed: "0x0",
    excessBlobGas: "0x0",
    parentBeaconBlockRoot: ZERO_32,
    number: "0x0",
    gasUsed: "0x0",
    parentHash: ZERO_32,
    extraData: encodeExtraData({ validators }),
    alloc: sortedAlloc,
  };
}

/** The milestone keys this genesis enables, for the schema check and the docs. */
export const GENESIS_MILESTONES: Readonly<Record<typeof EVM_VERSION, readonly string[]>> = {
  cancun: Object.keys(CANCUN_MILESTONES),
};

function positive(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidConsortiumError(`${name} must be a positive whole number, got ${value}`);
  }
}
