import type { TestProject } from "vitest/node";
import { type DevChain, startDevChain } from "../devChain/startDevChain.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** JSON-RPC URL of the one embedded chain shared by the whole test run. */
    devChainRpcUrl: string;
    devChainId: number;
  }
}

let chain: DevChain | undefined;

/**
 * Starts one ephemeral anvil for the whole test run (test mnemonic, quarter-second interval mining
 * so tests wait little for receipts while still exercising real block production) and hands its URL
 * to every test through `inject("devChainRpcUrl")`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  chain = await startDevChain({ blockTimeSeconds: 0.25 });
  project.provide("devChainRpcUrl", chain.rpcUrl);
  project.provide("devChainId", chain.chainId);
  return async () => {
    await chain?.stop();
  };
}
