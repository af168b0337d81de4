import { GRID_LEDGER_CONTRACTS, type GridLedgerDeployment, gridLedgerArtifacts } from "@gridledger/contracts";
import { type Abi, type AbiEvent, decodeEventLog, type Hex, toEventSelector } from "viem";
import { IndexerDataError } from "../errors.js";

/** A log as `eth_getLogs` returns it (quantities in hex). */
export type RpcLog = {
  address: string;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash: Hex;
  transactionHash: Hex;
  logIndex: Hex;
  blockTimestamp?: Hex | null;
  removed?: boolean;
};

/** A decoded log with its position on the chain. */
export type DecodedLog = {
  contract: string;
  eventName: string;
  args: Record<string, unknown>;
  blockNumber: number;
  blockHash: string;
  txHash: string;
  logIndex: number;
  /** Unix seconds; filled by the sync stage when the node does not put it on logs. */
  blockTime: number | undefined;
};

export type LogDecoder = {
  /** Proxy addresses to ask `eth_getLogs` for. */
  addresses: Hex[];
  decode(log: RpcLog): DecodedLog;
};

/**
 * Decodes logs of a deployment's contracts (the proxies) with each contract's full ABI, so events the
 * gateway has no table for (roles, upgrades) are still decoded for the journal.
 */
export function createLogDecoder(deployment: GridLedgerDeployment): LogDecoder {
  const byAddress = new Map<string, { name: string; events: Map<string, AbiEvent> }>();
  for (const name of GRID_LEDGER_CONTRACTS) {
    const address = deployment.contracts[name];
    if (!address) throw new IndexerDataError(`The deployment has no ${name} contract`);
    const events = new Map<string, AbiEvent>();
    for (const item of gridLedgerArtifacts[name].abi as Abi) {
      if (item.type === "event") events.set(toEventSelector(item), item);
    }
    byAddress.set(address.toLowerCase(), { name, events });
  }
  return {
    addresses: [...byAddress.keys()] as Hex[],
    decode(log) {
      const contract = byAddress.get(log.address.toLowerCase());
      const topic = log.topics[0];
      const event = contract && topic ? contract.events.get(topic) : undefined;
      const where = `log ${Number(log.logIndex)} of block ${Number(log.blockNumber)} (tx ${log.transactionHash})`;
      if (!contract || !event) {
        throw new IndexerDataError(`Unknown event in ${where}`, `address ${log.address}, topic ${topic}`);
      }
      let args: Record<string, unknown>;
      try {
        const decoded = decodeEventLog({
          abi: [event],
          topics: log.topics as [Hex, ...Hex[]],
          data: log.data,
          strict: true,
        });
        args = decoded.args as unknown as Record<string, unknown>;
      } catch (error) {
        throw new IndexerDataError(
          `Cannot decode ${contract.name}.${event.name} in ${where}`,
          (error as Error).message.split("\n")[0],
        );
      }
      return {
        contract: contract.name,
        eventName: event.name,
        args,
        blockNumber: Number(log.blockNumber),
        blockHash: log.blockHash.toLowerCase(),
        txHash: log.transactionHash.toLowerCase(),
        logIndex: Number(log.logIndex),
        blockTime: log.blockTimestamp ? Number(log.blockTimestamp) : undefined,
      };
    },
  };
}
