import { READINGS_EIP712_NAME, READINGS_EIP712_VERSION } from "@gridledger/domain";
import { Ctx, Query, Resolver } from "type-graphql";
import { RetryableError } from "../../internal/errors.js";
import type { GatewayContext } from "../context.js";
import { Meta, ReadingsDomain } from "./meta.type.js";

@Resolver()
export class MetaResolver {
  @Query(() => Meta, { name: "_meta", description: "Indexed block, chain head and lag; public" })
  async meta(@Ctx() { services }: GatewayContext): Promise<Meta> {
    let head: bigint;
    try {
      head = await services.chain.publicClient.getBlockNumber({ cacheTime: 0 });
    } catch (cause) {
      throw new RetryableError("The chain RPC does not answer", { code: "CHAIN_UNAVAILABLE", cause });
    }
    const { indexedBlock } = await services.indexStatus();
    return {
      chainId: services.chain.chainId,
      chainHead: head.toString(),
      indexedBlock: indexedBlock === undefined ? null : indexedBlock.toString(),
      lag: indexedBlock === undefined ? null : (head > indexedBlock ? head - indexedBlock : 0n).toString(),
      mode: "normal",
    };
  }

  @Query(() => ReadingsDomain, { description: "The EIP-712 domain for signing reading batches; public" })
  readingsDomain(@Ctx() { services }: GatewayContext): ReadingsDomain {
    const verifyingContract = services.chain.contracts.Readings;
    if (!verifyingContract)
      throw new RetryableError("The Readings contract is not deployed", { code: "NOT_DEPLOYED" });
    return {
      name: READINGS_EIP712_NAME,
      version: READINGS_EIP712_VERSION,
      chainId: services.chain.chainId,
      verifyingContract,
    };
  }
}
