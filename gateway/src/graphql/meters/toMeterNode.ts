import type { MeterRow } from "../../db/entities/index.js";
import { chainRef } from "../common/chainRef.type.js";
import type { MeterNode } from "./meter.type.js";

export function toMeterNode(row: MeterRow): MeterNode {
  return {
    id: String(row.id),
    serial: row.serial,
    model: row.model,
    meterType: row.meterType,
    tariffZones: row.tariffZones,
    meteringScheme: row.meteringScheme,
    remoteReading: row.remoteReading,
    exportCapable: row.exportCapable,
    atBalanceBoundary: row.atBalanceBoundary,
    lossMethod: row.lossMethod,
    lossPpm: row.lossPpm,
    accountId: row.accountId === null ? null : String(row.accountId),
    gridCompany: row.gridCompany,
    tampered: row.tampered,
    firmwareChanged:
      row.referenceFirmware !== null &&
      row.currentFirmware !== null &&
      row.referenceFirmware !== row.currentFirmware,
    lastClockDrift: row.lastClockDrift,
    chain: chainRef({
      blockNumber: row.updatedBlock,
      txHash: row.updatedTxHash,
      logIndex: row.updatedLogIndex,
    }),
  };
}
