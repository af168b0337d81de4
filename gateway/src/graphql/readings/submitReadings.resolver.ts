import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { Hex } from "viem";
import { relayReadingBatch } from "../../ingest/relayReadingBatch.js";
import { NonRetryableError } from "../../internal/errors.js";
import type { GatewayContext } from "../context.js";
import { ReadingBatchInput } from "./submitReadings.input.js";
import { SubmitReadingsResult } from "./submitReadings.type.js";

@Resolver()
export class SubmitReadingsResolver {
  /**
   * The agent's ingest path. No session is needed: the EIP-712 signature of a registered device key
   * is the credential, checked here before relaying and again by the contract.
   */
  @Mutation(() => SubmitReadingsResult, { description: "Relay a device-signed reading batch to the ledger" })
  async submitReadings(
    @Arg("batch", () => ReadingBatchInput) batch: ReadingBatchInput,
    @Arg("signature", () => String) signature: string,
    @Ctx() { services }: GatewayContext,
  ): Promise<SubmitReadingsResult> {
    const { chain } = services;
    const readingsAddress = chain.contracts.Readings;
    if (!readingsAddress)
      throw new NonRetryableError("The Readings contract is not deployed", { code: "NOT_DEPLOYED" });
    const result = await relayReadingBatch({
      publicClient: chain.publicClient,
      walletClient: chain.walletClient,
      relayer: chain.relayer,
      readingsAddress,
      chainId: chain.chainId,
      zeroGasPrice: chain.zeroGasPrice,
      batch: {
        meters: batch.meters.map((entry) => ({
          meterId: BigInt(entry.meterId),
          registerMask: entry.registerMask,
          records: entry.records.toLowerCase() as Hex,
        })),
      },
      signature: signature as Hex,
    });
    return { ...result, blockNumber: result.blockNumber.toString() };
  }
}
