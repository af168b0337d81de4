import type { RegisterMap } from "../drivers/registerMaps.js";
import { hasValidCrc16 } from "../protocol/crc16.js";
import { encodeExceptionResponse, encodeRegistersResponse } from "../protocol/modbus-rtu/frame.js";
import { writeRegisterValue } from "../protocol/modbus-rtu/values.js";
import { type EnergyProfile, simulatedExportWh, simulatedImportWh } from "./energy.js";

export type SimulatedModbusMeter = {
  address: number;
  map: RegisterMap;
  energy: EnergyProfile;
  /** Unix milliseconds of the simulated world. */
  now: () => number;
  /** When set, the meter does not answer. */
  silent?: boolean;
};

/**
 * A Modbus RTU slave for any {@link RegisterMap}: energy roles follow the meter's
 * {@link EnergyProfile}, other registers hold fixed plausible values. Answers FC03/FC04 and
 * exception 02 for unmapped addresses. Used by the `simulator` transport, the tests and benchmarks.
 */
export class ModbusSlaveSimulator {
  private readonly meters = new Map<number, SimulatedModbusMeter>();
  add(meter: SimulatedModbusMeter): void {
    this.meters.set(meter.address, meter);
  }

  respond(request: Uint8Array): Uint8Array | undefined {
    if (request.length !== 8 || !hasValidCrc16(request)) return undefined;
    const [address, fc] = [request[0]!, request[1]!];
    const meter = this.meters.get(address);
    if (!meter || meter.silent) return undefined;
    if (fc !== meter.map.function) return encodeExceptionResponse(address, fc, 0x01);
    const start = (request[2]! << 8) | request[3]!;
    const count = (request[4]! << 8) | request[5]!;
    const image = this.image(meter);
    const registers: number[] = [];
    for (let register = start; register < start + count; register++) {
      const value = image.get(register);
      if (value === undefined && !this.bridgeable(meter, register))
        return encodeExceptionResponse(address, fc, 0x02);
      registers.push(value ?? 0);
    }
    return encodeRegistersResponse(address, fc, registers);
  }

  /** Gaps inside a mapped span read as zero, like real meters' reserved registers. */
  private bridgeable(meter: SimulatedModbusMeter, register: number): boolean {
    const addresses = meter.map.registers.map((entry) => entry.address);
    return register > Math.min(...addresses) && register < Math.max(...addresses) + 4;
  }

  private image(meter: SimulatedModbusMeter): Map<number, number> {
    const seconds = Math.floor(meter.now() / 1000);
    const image = new Map<number, number>();
    for (const entry of meter.map.registers) {
      const scale = Number(entry.scale ?? "1");
      let value: number;
      if (entry.role === "import.total" || entry.role === "import.t1")
        value = simulatedImportWh(meter.energy, seconds) / scale;
      else if (entry.role === "export.total") value = simulatedExportWh(meter.energy, seconds) / scale;
      else if (entry.role === "clock") value = seconds;
      else if (entry.role?.startsWith("import.t")) value = 0;
      else value = entry.unit === "V" ? 230.1 / scale : entry.unit === "Hz" ? 50 / scale : 1 / scale;
      const raw = entry.type === "float32" ? value : BigInt(Math.floor(value));
      const words = writeRegisterValue(raw, entry.type, entry.wordOrder);
      for (const [index, word] of words.entries()) image.set(entry.address + index, word);
    }
    return image;
  }
}
