import { DecodeError } from "../errors.js";
import {
  encodeReadRequest,
  expectRegisters,
  type ReadRegistersRequest,
} from "../protocol/modbus-rtu/frame.js";
import { ModbusRtuParser } from "../protocol/modbus-rtu/parser.js";
import { readRegisterValue, registersFor } from "../protocol/modbus-rtu/values.js";
import type { BusSession } from "../session/session.js";
import { emptyRegisters, type MeterDriver, type MeterSnapshot, parseScale } from "./driver.js";
import type { RegisterMap, RegisterMapEntry } from "./registerMaps.js";

export type ModbusDriverParameters = {
  model: string;
  session: BusSession<Uint8Array>;
  /** Slave address 1-247. */
  address: number;
  map: RegisterMap;
};

type Block = { start: number; count: number; entries: RegisterMapEntry[] };

/**
 * The generic Modbus RTU driver: everything meter-specific is the {@link RegisterMap}. Registers
 * are read in as few requests as the map allows (contiguous blocks, small gaps bridged).
 */
export class ModbusMeterDriver implements MeterDriver {
  readonly model: string;
  readonly counterModulusWh: bigint | undefined;
  private readonly blocks: Block[];

  constructor(private readonly parameters: ModbusDriverParameters) {
    this.model = parameters.model;
    this.counterModulusWh = parameters.map.counterModulusWh
      ? BigInt(parameters.map.counterModulusWh)
      : undefined;
    this.blocks = planBlocks(parameters.map.registers, parameters.map.maxRegistersPerRequest ?? 60);
  }

  async read(): Promise<MeterSnapshot> {
    const { session, address, map } = this.parameters;
    const snapshot: MeterSnapshot = {
      registers: emptyRegisters(),
      identity: {},
      tamper: false,
      errors: [],
      values: {},
    };
    const tariffs: Array<bigint | null> = [null, null, null, null];
    for (const block of this.blocks) {
      const request: ReadRegistersRequest = {
        address,
        function: map.function,
        start: block.start,
        count: block.count,
      };
      const sentAt = Date.now();
      const registers = await session.transact({
        describe: `slave ${address} FC0${map.function} 0x${block.start.toString(16).padStart(4, "0")}+${block.count}`,
        request: encodeReadRequest(request),
        decoder: () => new ModbusRtuParser({ address, function: map.function }),
        accept: (response) => expectRegisters(response, request),
      });
      const midpoint = (sentAt + Date.now()) / 2;
      for (const entry of block.entries) {
        const raw = readRegisterValue(registers, entry.address - block.start, entry.type, entry.wordOrder);
        const scale = parseScale(entry.scale ?? "1");
        const isEnergy = entry.role?.startsWith("import") || entry.role === "export.total";
        if (isEnergy) {
          const wh = toWh(raw, scale, entry.name);
          snapshot.values[entry.name] = Number(wh);
          if (entry.role === "import.total")
            snapshot.registers = { ...snapshot.registers, importTotalWh: wh };
          else if (entry.role === "export.total")
            snapshot.registers = { ...snapshot.registers, exportWh: wh };
          else tariffs[Number(entry.role!.slice(-1)) - 1] = wh;
          continue;
        }
        const value =
          typeof raw === "number"
            ? raw * (Number(scale.numerator) / Number(scale.denominator))
            : Number(raw) * (Number(scale.numerator) / Number(scale.denominator));
        snapshot.values[entry.name] = typeof raw === "number" ? Math.round(value * 1e6) / 1e6 : value;
        if (entry.role === "clock")
          snapshot.clock = { meterSeconds: Math.floor(value), agentMidpointMs: midpoint };
        if (entry.role === "serial") snapshot.identity.serial = String(raw);
        if (entry.role === "firmware") snapshot.identity.firmware = String(raw);
        if (entry.role === "status") {
          const bits = Number(raw);
          if (map.tamperBits && bits & map.tamperBits) snapshot.tamper = true;
          if (map.errorBits && bits & map.errorBits)
            snapshot.errors.push(`status register 0x${bits.toString(16)}`);
        }
      }
    }
    snapshot.registers = {
      ...snapshot.registers,
      importTariffWh: [tariffs[0]!, tariffs[1]!, tariffs[2]!, tariffs[3]!],
    };
    return snapshot;
  }
}

function toWh(raw: bigint | number, scale: { numerator: bigint; denominator: bigint }, name: string): bigint {
  if (typeof raw === "number") {
    if (!Number.isFinite(raw) || raw < 0)
      throw new DecodeError(`Register ${name} holds ${raw}, not an energy counter`);
    return BigInt(Math.round((raw * Number(scale.numerator)) / Number(scale.denominator)));
  }
  if (raw < 0n) throw new DecodeError(`Register ${name} holds a negative energy ${raw}`);
  // Cumulative counters round down, so that a value never runs ahead of the meter.
  return (raw * scale.numerator) / scale.denominator;
}

/** Groups entries into read requests: sorted by address, gaps up to 8 registers bridged. */
export function planBlocks(entries: readonly RegisterMapEntry[], maxRegisters: number): Block[] {
  const sorted = [...entries].sort((a, b) => a.address - b.address);
  const blocks: Block[] = [];
  for (const entry of sorted) {
    const size = registersFor(entry.type);
    const last = blocks.at(-1);
    const end = entry.address + size;
    if (last && entry.address - (last.start + last.count) <= 8 && end - last.start <= maxRegisters) {
      last.count = Math.max(last.count, end - last.start);
      last.entries.push(entry);
    } else blocks.push({ start: entry.address, count: size, entries: [entry] });
  }
  return blocks;
}
