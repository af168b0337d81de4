import { EntitySchema } from "@mikro-orm/core";
import { address, bigint, boolean, type ChainUpdate, integer, updateColumns } from "./columns.js";

/**
 * Reconciliation of delivered volumes for a (period, retail company): the signed totals of both sides
 * (`VolumeTotalsSigned`) and the outcome (`VolumesReconciled`). Per-account submissions and mismatches
 * are in {@link ReconciliationVolume}.
 */
export interface ReconciliationRow extends ChainUpdate {
  periodId: number;
  retailCompany: string;
  gridSignedWh: number | null;
  retailSignedWh: number | null;
  /** null until `VolumesReconciled`. */
  matched: boolean | null;
}

export const Reconciliation = new EntitySchema<ReconciliationRow>({
  name: "Reconciliation",
  tableName: "reconciliations",
  properties: {
    periodId: integer({ primary: true, autoincrement: false }),
    retailCompany: address({ primary: true }),
    gridSignedWh: bigint({ nullable: true }),
    retailSignedWh: bigint({ nullable: true }),
    matched: boolean({ nullable: true }),
    ...updateColumns(),
  },
});

/** One account's volume for a (period, retail company) as each party submitted it. */
export interface ReconciliationVolumeRow extends ChainUpdate {
  periodId: number;
  retailCompany: string;
  accountId: number;
  gridWh: number | null;
  retailWh: number | null;
  /** Set by `AccountVolumeMismatch`. */
  mismatch: boolean;
}

export const ReconciliationVolume = new EntitySchema<ReconciliationVolumeRow>({
  name: "ReconciliationVolume",
  tableName: "reconciliation_volumes",
  properties: {
    periodId: integer({ primary: true, autoincrement: false }),
    retailCompany: address({ primary: true }),
    accountId: bigint({ primary: true, autoincrement: false }),
    gridWh: bigint({ nullable: true }),
    retailWh: bigint({ nullable: true }),
    mismatch: boolean(),
    ...updateColumns(),
  },
});
