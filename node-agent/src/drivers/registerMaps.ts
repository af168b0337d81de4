import type { RegisterValueType, WordOrder } from "../protocol/modbus-rtu/values.js";

/**
 * A Modbus meter described as data. A new Modbus meter needs a map like these in the config file
 * (`registerMaps`), not code.
 */
export type RegisterRole =
  | "import.total"
  | "import.t1"
  | "import.t2"
  | "import.t3"
  | "import.t4"
  | "export.total"
  /** Unix seconds, UTC. */
  | "clock"
  /** A bit field; bits in `tamperBits` mean tamper, bits in `errorBits` mean a meter error. */
  | "status"
  | "serial"
  | "firmware";

export type RegisterMapEntry = {
  /** Name shown by `agent read`. */
  name: string;
  /** Protocol (0-based) register address. */
  address: number;
  type: RegisterValueType;
  /** Default: `"big"` (high word first). */
  wordOrder?: WordOrder;
  /** Multiplier from the raw value to the unit; for energy roles the unit must be Wh. Default: `"1"`. */
  scale?: string;
  unit?: string;
  role?: RegisterRole;
};

export type RegisterMap = {
  /** 3 = holding registers, 4 = input registers. */
  function: 3 | 4;
  /** Largest read in one request. Default: 60 (Eastron: "30 parameters or less"). */
  maxRegistersPerRequest?: number;
  /** Register modulus of the energy counters in Wh, as a decimal string; omit when they never wrap. */
  counterModulusWh?: string;
  tamperBits?: number;
  errorBits?: number;
  registers: RegisterMapEntry[];
};

const sdmCommon: RegisterMapEntry[] = [
  { name: "frequency", address: 0x0046, type: "float32", unit: "Hz" },
  {
    name: "importActiveEnergy",
    address: 0x0048,
    type: "float32",
    scale: "1000",
    unit: "Wh",
    role: "import.total",
  },
  {
    name: "exportActiveEnergy",
    address: 0x004a,
    type: "float32",
    scale: "1000",
    unit: "Wh",
    role: "export.total",
  },
  { name: "totalActiveEnergy", address: 0x0156, type: "float32", scale: "1000", unit: "Wh" },
];

/** Built-in maps, from reference §1.4. */
export const BUILTIN_REGISTER_MAPS: Record<string, RegisterMap> = {
  /** Eastron SDM120/SDM220/SDM230, single phase, float32 input registers. */
  sdm120: {
    function: 4,
    registers: [
      { name: "voltage", address: 0x0000, type: "float32", unit: "V" },
      { name: "current", address: 0x0006, type: "float32", unit: "A" },
      { name: "activePower", address: 0x000c, type: "float32", unit: "W" },
      ...sdmCommon,
    ],
  },
  /** Eastron SDM630 Modbus V2 / SDM72D-M, three phase. */
  sdm630: {
    function: 4,
    registers: [
      { name: "voltageL1", address: 0x0000, type: "float32", unit: "V" },
      { name: "voltageL2", address: 0x0002, type: "float32", unit: "V" },
      { name: "voltageL3", address: 0x0004, type: "float32", unit: "V" },
      { name: "currentL1", address: 0x0006, type: "float32", unit: "A" },
      { name: "currentL2", address: 0x0008, type: "float32", unit: "A" },
      { name: "currentL3", address: 0x000a, type: "float32", unit: "A" },
      { name: "totalSystemPower", address: 0x0034, type: "float32", unit: "W" },
      ...sdmCommon,
    ],
  },
  /**
   * Wiren Board WB-MAP3E (Russian Modbus RTU energy meter), old-firmware template: u64 energy
   * counters with little-endian word order, 3.125e-6 kWh per unit = 0.003125 Wh.
   */
  "wb-map3e": {
    function: 4,
    registers: [
      { name: "voltageL1", address: 0x10d9, type: "uint16", scale: "0.01", unit: "V" },
      { name: "voltageL2", address: 0x10da, type: "uint16", scale: "0.01", unit: "V" },
      { name: "voltageL3", address: 0x10db, type: "uint16", scale: "0.01", unit: "V" },
      { name: "frequency", address: 0x10f8, type: "uint16", scale: "0.01", unit: "Hz" },
      {
        name: "totalActiveEnergy",
        address: 0x1200,
        type: "uint64",
        wordOrder: "little",
        scale: "0.003125",
        unit: "Wh",
        role: "import.total",
      },
      { name: "totalPower", address: 0x1300, type: "int32", scale: "0.00032", unit: "W" },
    ],
  },
};
