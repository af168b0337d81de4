import type { Hex } from "viem";
import { z } from "zod";
import { InvalidConsortiumError, NetworkError } from "../errors.js";
import { EVM_VERSION } from "../evmVersion.js";
import { BESU_VERSION } from "./besuVersion.js";
import { GENESIS_MILESTONES, QBFT_MIX_HASH } from "./buildGenesis.js";
import { decodeExtraData } from "./decodeExtraData.js";
import { emptyBlockPeriodKey } from "./emptyBlockPeriodKey.js";

const hexQuantity = z.string().regex(/^0x(0|[1-9a-f][0-9a-f]*)$/i, "a hex quantity such as 0x0 or 0x5f5e100");
const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/i, "32 bytes of hex");
const seconds = z.number().int().positive();

// Besu reads the genesis with lowercased keys (GenesisReader → JsonUtil.normalizeKeys), so the
// schema is written in lowercase and applied to a lowercased copy: `chainId` and `chainid` are the
// same field to Besu and to this check.
const qbftSchema = z
  .object({
    blockperiodseconds: seconds,
    requesttimeoutseconds: seconds,
    epochlength: seconds,
    emptyblockperiodseconds: z.number().int().min(0).optional(),
    xemptyblockperiodseconds: z.number().int().min(0).optional(),
    // Header-mode validator selection only: contract mode needs historical state to sync (besu#5358).
    validatorcontractaddress: z.never().optional(),
    xblockperiodmilliseconds: z.never({ error: "experimental, tests only" }).optional(),
  })
  .loose();

const configSchema = z
  .object({
    chainid: z.number().int().positive(),
    zerobasefee: z.literal(true, { error: "zeroBaseFee must be true for a free-gas network" }),
    qbft: qbftSchema,
    contractsizelimit: z.number().int().positive().max(2147483647).optional(),
    // Removed or foreign consensus blocks that would make Besu pick another protocol.
    ibft2: z.never().optional(),
    clique: z.never().optional(),
    ethash: z.never().optional(),
    fixedbasefee: z.never({ error: "fixedBaseFee contradicts zeroBaseFee" }).optional(),
  })
  .catchall(z.unknown());

/** The fields of a QBFT genesis that Besu reads, in Besu's lowercased form. */
export const besuGenesisSchema = z
  .object({
    config: configSchema,
    nonce: hexQuantity.optional(),
    timestamp: hexQuantity,
    gaslimit: hexQuantity,
    difficulty: z.literal("0x1", { error: "QBFT requires difficulty 0x1" }),
    mixhash: z.string().refine((v) => v.toLowerCase() === QBFT_MIX_HASH, "the QBFT mixHash constant"),
    coinbase: z.string().regex(/^0x[0-9a-f]{40}$/i),
    basefeepergas: z.literal("0x0", { error: "baseFeePerGas must be 0x0 (else Besu uses 1 gwei)" }),
    blobgasused: hexQuantity.optional(),
    excessblobgas: hexQuantity.optional(),
    parentbeaconblockroot: hex32.optional(),
    number: hexQuantity.optional(),
    gasused: hexQuantity.optional(),
    parenthash: hex32.optional(),
    extradata: z.string().regex(/^0x[0-9a-f]*$/i),
    alloc: z.record(
      z.string().regex(/^(0x)?[0-9a-f]{40}$/i, "an address"),
      z.object({ balance: z.string().regex(/^(0x[0-9a-f]+|\d+)$/i) }).loose(),
    ),
  })
  .loose();

export type CheckGenesisParameters = {
  /** The Besu version the genesis must run on. Default: {@link BESU_VERSION}. */
  besuVersion?: string | undefined;
};

export type CheckGenesisReturnType = {
  chainId: number;
  /** Validators decoded from `extraData`, lowercase, in encoded order. */
  validators: Hex[];
};

/**
 * Checks a genesis (parsed JSON) against the fields Besu reads and the rules that make a
 * GridLedger network work: QBFT with header validators, free gas, every milestone of
 * {@link EVM_VERSION} at genesis with its header fields, and the empty-block key of the pinned
 * Besu version. Run it on any genesis a member is handed before starting a node on it.
 *
 * @param genesis - The parsed `genesis.json`.
 * @param parameters - {@link CheckGenesisParameters}
 * @throws {InvalidConsortiumError} Listing every problem found.
 */
export function checkGenesis(
  genesis: unknown,
  parameters: CheckGenesisParameters = {},
): CheckGenesisReturnType {
  const besuVersion = parameters.besuVersion ?? BESU_VERSION;
  const normalised = lowercaseKeys(genesis);
  const result = besuGenesisSchema.safeParse(normalised);
  const problems: string[] = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
  if (!result.success) throw invalid(problems);
  const { config, extradata, blobgasused, excessblobgas, parentbeaconblockroot } = result.data;

  for (const key of GENESIS_MILESTONES[EVM_VERSION]) {
    if (config[key.toLowerCase()] !== 0) problems.push(`config.${key} must be 0 for the ${EVM_VERSION} EVM`);
  }
  if (blobgasused === undefined || excessblobgas === undefined || parentbeaconblockroot === undefined) {
    problems.push("blobGasUsed, excessBlobGas and parentBeaconBlockRoot are required when cancunTime is 0");
  }
  const emptyKey = emptyBlockPeriodKey(besuVersion);
  for (const key of ["emptyblockperiodseconds", "xemptyblockperiodseconds"] as const) {
    if (config.qbft[key] !== undefined && key !== emptyKey) {
      problems.push(
        `config.qbft.${key} is not read by Besu ${besuVersion}${emptyKey ? `; use ${emptyKey}` : ""}`,
      );
    }
  }
  if (config.qbft.requesttimeoutseconds < config.qbft.blockperiodseconds) {
    problems.push("config.qbft.requesttimeoutseconds should be at least blockperiodseconds (docs: twice)");
  }
  let validators: Hex[] = [];
  try {
    validators = decodeExtraData(extradata as Hex).validators;
    if (validators.length === 0)
      problems.push("extraData lists no validators (contract mode is not supported)");
  } catch (cause) {
    problems.push(`extraData: ${cause instanceof NetworkError ? cause.shortMessage : String(cause)}`);
  }
  if (problems.length > 0) throw invalid(problems);
  return { chainId: config.chainid, validators };
}

function invalid(problems: string[]): InvalidConsortiumError {
  return new InvalidConsortiumError(
    `The genesis is not a valid GridLedger QBFT genesis (${problems.length} problems)`,
    {
      details: problems.join("\n"),
    },
  );
}

/** Lowercases object keys recursively, except the addresses under `alloc`, as Besu does. */
function lowercaseKeys(value: unknown, parentKey = ""): unknown {
  if (Array.isArray(value)) return value.map((item) => lowercaseKeys(item));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      parentKey === "alloc" ? key : key.toLowerCase(),
      lowercaseKeys(inner, parentKey === "alloc" ? "" : key.toLowerCase()),
    ]),
  );
}
