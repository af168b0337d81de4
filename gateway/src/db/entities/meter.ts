import { EntitySchema } from "@mikro-orm/core";
import {
  address,
  bigint,
  boolean,
  bytes32,
  type ChainUpdate,
  integer,
  smallint,
  text,
  updateColumns,
} from "./columns.js";

/**
 * A meter (Registry `MeterRegistered`/`MeterUpdated`) with its current state (tamper flag, firmware,
 * clock drift from the meter state events) and the account it is attached to (`AccountOpened`).
 */
export interface MeterRow extends ChainUpdate {
  id: number;
  gridCompany: string;
  gridCompanyId: number | null;
  accountId: number | null;
  /** The retail company serving the attached account: readings copy it for the retail cabinet's filters. */
  retailCompanyId: number | null;
  meterType: number;
  tariffZones: number;
  meteringScheme: number;
  remoteReading: boolean;
  exportCapable: boolean;
  atBalanceBoundary: boolean;
  lossMethod: number;
  lossPpm: number;
  /** bytes32 serial as text (right-padded UTF-8 on chain); the raw value in `serialHex`. */
  serial: string;
  serialHex: string;
  model: string;
  modelHex: string;
  lossParameters: string;
  referenceFirmware: string | null;
  currentFirmware: string | null;
  tampered: boolean;
  lastClockDrift: number | null;
}

export const Meter = new EntitySchema<MeterRow>({
  name: "Meter",
  tableName: "meters",
  properties: {
    id: bigint({ primary: true, autoincrement: false }),
    gridCompany: address(),
    gridCompanyId: integer({ nullable: true }),
    accountId: bigint({ nullable: true, index: true }),
    retailCompanyId: integer({ nullable: true }),
    meterType: smallint(),
    tariffZones: smallint(),
    meteringScheme: smallint(),
    remoteReading: boolean(),
    exportCapable: boolean(),
    atBalanceBoundary: boolean(),
    lossMethod: smallint(),
    lossPpm: integer(),
    serial: text(66, { index: true }),
    serialHex: bytes32(),
    model: text(66, { index: true }),
    modelHex: bytes32(),
    lossParameters: bytes32(),
    referenceFirmware: bytes32({ nullable: true }),
    currentFirmware: bytes32({ nullable: true }),
    tampered: boolean(),
    lastClockDrift: integer({ nullable: true }),
    ...updateColumns(),
  },
  indexes: [{ properties: ["gridCompanyId", "serial"] }, { properties: ["retailCompanyId", "serial"] }],
});
