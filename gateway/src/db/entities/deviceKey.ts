import { EntitySchema } from "@mikro-orm/core";
import { address, bigint, boolean, type ChainUpdate, updateColumns } from "./columns.js";

/** A device key registered for a meter (`DeviceKeyRegistered`), revoked for good by `DeviceKeyRevoked`. */
export interface DeviceKeyRow extends ChainUpdate {
  meterId: number;
  key: string;
  revoked: boolean;
}

export const DeviceKey = new EntitySchema<DeviceKeyRow>({
  name: "DeviceKey",
  tableName: "device_keys",
  properties: {
    meterId: bigint({ primary: true, autoincrement: false }),
    key: address({ primary: true, index: true }),
    revoked: boolean(),
    ...updateColumns(),
  },
});
