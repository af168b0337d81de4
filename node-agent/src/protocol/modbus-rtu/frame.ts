import { DecodeError, DeviceRefusedError } from "../../errors.js";
import { appendCrc16, hasValidCrc16, hex } from "../crc16.js";

/** Modbus application limits (Modbus Application Protocol V1.1b3). */
export const MODBUS_MAX_READ_REGISTERS = 125;
export const MODBUS_MAX_ADU = 256;

export const ModbusFunction = {
  ReadHoldingRegisters: 0x03,
  ReadInputRegisters: 0x04,
} as const;
export type ModbusReadFunction = (typeof ModbusFunction)[keyof typeof ModbusFunction];

export const MODBUS_EXCEPTIONS: Record<number, string> = {
  1: "illegal function",
  2: "illegal data address",
  3: "illegal data value",
  4: "slave device failure",
  5: "acknowledge",
  6: "slave device busy",
  10: "gateway path unavailable",
  11: "gateway target device failed to respond",
};

export type ReadRegistersRequest = {
  address: number;
  function: ModbusReadFunction;
  start: number;
  count: number;
};

/** A decoded RTU response: registers for FC03/04, or an exception. */
export type ModbusResponse =
  | { kind: "registers"; address: number; function: number; registers: Uint16Array }
  | { kind: "exception"; address: number; function: number; exceptionCode: number };

/** Encodes FC03/FC04 `addr fc startHi startLo countHi countLo crcLo crcHi`. */
export function encodeReadRequest(request: ReadRegistersRequest): Uint8Array {
  const { address, start, count } = request;
  if (!Number.isInteger(address) || address < 1 || address > 247) {
    throw new DecodeError(`Modbus slave address ${address} is out of range`, {
      details: "unicast addresses are 1-247",
    });
  }
  if (!Number.isInteger(count) || count < 1 || count > MODBUS_MAX_READ_REGISTERS) {
    throw new DecodeError(`Cannot read ${count} registers in one request`, {
      details: "1-125 registers per request",
    });
  }
  if (!Number.isInteger(start) || start < 0 || start + count > 0x10000) {
    throw new DecodeError(`Register range ${start}+${count} is out of range`);
  }
  return appendCrc16([address, request.function, start >> 8, start & 0xff, count >> 8, count & 0xff]);
}

/** Length of the response frame that starts at `bytes[0]`, or undefined when not yet known. */
export function responseLength(bytes: Uint8Array): number | undefined {
  if (bytes.length < 2) return undefined;
  const fc = bytes[1]!;
  if (fc & 0x80) return 5;
  if (fc === 0x01 || fc === 0x02 || fc === 0x03 || fc === 0x04)
    return bytes.length < 3 ? undefined : 5 + bytes[2]!;
  if (fc === 0x05 || fc === 0x06 || fc === 0x0f || fc === 0x10) return 8;
  return 0; // unknown function code: cannot frame
}

/** Decodes one complete response frame (CRC included); throws on a bad CRC or shape. */
export function decodeResponse(frame: Uint8Array): ModbusResponse {
  if (!hasValidCrc16(frame)) throw new DecodeError("Modbus CRC mismatch", { details: hex(frame) });
  const address = frame[0]!;
  const fc = frame[1]!;
  if (fc & 0x80) {
    if (frame.length !== 5)
      throw new DecodeError("Malformed Modbus exception frame", { details: hex(frame) });
    return { kind: "exception", address, function: fc & 0x7f, exceptionCode: frame[2]! };
  }
  if (fc !== 0x03 && fc !== 0x04)
    throw new DecodeError(`Unsupported Modbus function 0x${fc.toString(16)}`, { details: hex(frame) });
  const byteCount = frame[2]!;
  if (byteCount % 2 !== 0 || frame.length !== byteCount + 5) {
    throw new DecodeError("Malformed Modbus register response", { details: hex(frame) });
  }
  const registers = new Uint16Array(byteCount / 2);
  for (let index = 0; index < registers.length; index++)
    registers[index] = (frame[3 + index * 2]! << 8) | frame[4 + index * 2]!;
  return { kind: "registers", address, function: fc, registers };
}

/** Throws {@link DeviceRefusedError} for an exception response; returns registers otherwise. */
export function expectRegisters(response: ModbusResponse, request: ReadRegistersRequest): Uint16Array {
  if (response.kind === "exception") {
    const name = MODBUS_EXCEPTIONS[response.exceptionCode] ?? "unknown exception";
    throw new DeviceRefusedError(
      `Modbus exception ${response.exceptionCode} (${name}) from slave ${response.address}`,
      {
        code: "MODBUS_EXCEPTION",
        details: `function ${request.function} at register ${request.start}, count ${request.count}`,
      },
    );
  }
  if (response.registers.length !== request.count) {
    throw new DecodeError(
      `Slave ${response.address} returned ${response.registers.length} registers, asked for ${request.count}`,
    );
  }
  return response.registers;
}

/** Encodes a normal response (used by the simulator and the tests). */
export function encodeRegistersResponse(
  address: number,
  fc: number,
  registers: ArrayLike<number>,
): Uint8Array {
  const body = [address, fc, registers.length * 2];
  for (let index = 0; index < registers.length; index++)
    body.push(registers[index]! >> 8, registers[index]! & 0xff);
  return appendCrc16(body);
}

export function encodeExceptionResponse(address: number, fc: number, code: number): Uint8Array {
  return appendCrc16([address, fc | 0x80, code]);
}
