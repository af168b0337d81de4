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
      let args: Record<string, unknown> | undefined;
      if (event.name === "MeterReadingsRecorded") args = readMeterReadingsRecorded(log);
      if (!args)
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

/**
 * `MeterReadingsRecorded(uint64 indexed meterId, uint8 registerMask, ReadingSource source, bytes records)`
 * read straight from the ABI words (most logs are this event; the generic decoder copies the bytes
 * several times). Returns undefined for anything but the canonical encoding, and the generic strict
 * decoder then decides.
 */
function readMeterReadingsRecorded(log: RpcLog): Record<string, unknown> | undefined {
  const data = log.data;
  const meterTopic = log.topics[1];
  if (log.topics.length !== 2 || !meterTopic || data.length < 2 + 64 * 4) return undefined;
  const word = (index: number) => data.slice(2 + index * 64, 2 + (index + 1) * 64);
  const small = (index: number) => {
    const value = word(index);
    return /^0{62}[0-9a-f]{2}$/i.test(value) ? Number.parseInt(value.slice(62), 16) : undefined;
  };
  const registerMask = small(0);
  const source = small(1);
  if (registerMask === undefined || source === undefined || source > 2 || word(2) !== `${"0".repeat(62)}60`)
    return undefined;
  const length = Number.parseInt(word(3), 16);
  const padded = Math.ceil(length / 32) * 64;
  if (!/^0{48}/.test(word(3)) || data.length !== 2 + 64 * 4 + padded) return undefined;
  if (!/^0{48}[0-9a-f]{16}$/i.test(meterTopic.slice(2))) return undefined;
  return {
    meterId: BigInt(meterTopic),
    registerMask,
    source,
    records: `0x${data.slice(2 + 64 * 4, 2 + 64 * 4 + length * 2)}`,
  };
}
