import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { modbusCaptures as cap } from "../../_test/fixtures/captures.js";
import { DecodeError, DeviceRefusedError } from "../../errors.js";
import { fromHexString, hex } from "../crc16.js";
import { decodeResponse, encodeReadRequest, encodeRegistersResponse, expectRegisters } from "./frame.js";
import { ModbusRtuParser } from "./parser.js";
import { readRegisterValue, writeRegisterValue } from "./values.js";

describe("encodeReadRequest", () => {
  it("produces the captured request bytes", () => {
    expect(hex(encodeReadRequest({ address: 1, function: 3, start: 0, count: 2 }))).toBe(
      cap.readHolding2.request,
    );
    expect(hex(encodeReadRequest({ address: 1, function: 4, start: 0x156, count: 2 }))).toBe(
      cap.totalEnergy.request,
    );
    expect(hex(encodeReadRequest({ address: 7, function: 3, start: 0, count: 1 }))).toBe(
      cap.noAnswer.request,
    );
  });
  it("refuses out-of-range requests", () => {
    expect(() => encodeReadRequest({ address: 0, function: 3, start: 0, count: 1 })).toThrow(DecodeError);
    expect(() => encodeReadRequest({ address: 1, function: 3, start: 0, count: 126 })).toThrow(/125/);
    expect(() => encodeReadRequest({ address: 1, function: 4, start: 0xffff, count: 2 })).toThrow(
      DecodeError,
    );
  });
});

describe("decodeResponse", () => {
  it("decodes registers and floats of captured responses", () => {
    const regs = decodeResponse(fromHexString(cap.readHolding2.response));
    expect(regs.kind === "registers" && Array.from(regs.registers)).toEqual([1234, 48879]);
    const voltage = decodeResponse(fromHexString(cap.voltage.response));
    if (voltage.kind !== "registers") throw new Error("expected registers");
    expect(readRegisterValue(voltage.registers, 0, "float32")).toBeCloseTo(230.1, 4);
    const energy = decodeResponse(fromHexString(cap.totalEnergy.response));
    if (energy.kind !== "registers") throw new Error("expected registers");
    expect(readRegisterValue(energy.registers, 0, "float32")).toBe(1246.75);
  });
  it("turns an exception response into a DeviceRefusedError naming the exception", () => {
    const response = decodeResponse(fromHexString(cap.exception02.response));
    expect(response).toEqual({ kind: "exception", address: 1, function: 4, exceptionCode: 2 });
    expect(() => expectRegisters(response, { address: 1, function: 4, start: 0x300, count: 2 })).toThrow(
      DeviceRefusedError,
    );
    expect(() => expectRegisters(response, { address: 1, function: 4, start: 0x300, count: 2 })).toThrow(
      /illegal data address/,
    );
  });
  it("rejects a bad CRC", () => {
    const bad = fromHexString(cap.voltage.response);
    bad[4]! ^= 0x01;
    expect(() => decodeResponse(bad)).toThrow(/CRC/);
  });
});

describe("ModbusRtuParser", () => {
  const response = fromHexString(cap.totalEnergy.response);
  it("assembles a frame split at every position", () => {
    for (let cut = 1; cut < response.length; cut++) {
      const parser = new ModbusRtuParser({ address: 1, function: 4 });
      expect(parser.push(response.subarray(0, cut)).frames).toHaveLength(0);
      const { frames } = parser.push(response.subarray(cut));
      expect(frames).toHaveLength(1);
      expect(parser.pending).toBe(0);
    }
  });
  it("returns two merged frames from one chunk", () => {
    const parser = new ModbusRtuParser({ address: 1 });
    const merged = new Uint8Array([
      ...fromHexString(cap.voltage.response),
      ...fromHexString(cap.exception02.response),
    ]);
    const { frames } = parser.push(merged);
    expect(frames.map((frame) => frame.kind)).toEqual(["registers", "exception"]);
  });
  it("skips a garbage prefix and reports it", () => {
    const parser = new ModbusRtuParser({ address: 1, function: 4 });
    const { frames, discarded } = parser.push(new Uint8Array([0x00, 0xff, 0x13, 0x37, 0x01, ...response]));
    expect(frames).toHaveLength(1);
    expect(discarded.join()).toMatch(/garbage/);
  });
  it("drops a bad-CRC frame with a reason and still finds the good frame after it", () => {
    const bad = fromHexString(cap.totalEnergy.response);
    bad[5]! ^= 0x40;
    const parser = new ModbusRtuParser({ address: 1, function: 4 });
    const { frames, discarded } = parser.push(new Uint8Array([...bad, ...response]));
    expect(frames).toHaveLength(1);
    expect(discarded.some((reason) => reason.startsWith("CRC mismatch"))).toBe(true);
  });
  it("never throws and never invents frames from random bytes (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (noise, chunk) => {
        const parser = new ModbusRtuParser({ address: 1, function: 4 });
        const stream = new Uint8Array([...noise, ...response]);
        const frames = [];
        for (let at = 0; at < stream.length; at += chunk)
          frames.push(...parser.push(stream.subarray(at, at + chunk)).frames);
        // The real frame at the end is found unless the noise left a longer incomplete candidate pending.
        for (const frame of frames) expect(frame.address).toBe(1);
        return frames.length <= 2;
      }),
    );
  });
  it("round-trips encoded register responses of any size (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 125 }),
        (registers) => {
          const parser = new ModbusRtuParser({ address: 9, function: 3 });
          const [frame] = parser.push(encodeRegistersResponse(9, 3, registers)).frames;
          expect(frame?.kind === "registers" && Array.from(frame.registers)).toEqual(registers);
        },
      ),
    );
  });
});

describe("register values", () => {
  it("reads u64 with little-endian word order (WB-MAP) and signed types", () => {
    const words = writeRegisterValue(0x0001_0002_0003_0004n, "uint64", "little");
    expect(words).toEqual([4, 3, 2, 1]);
    expect(readRegisterValue(new Uint16Array(words), 0, "uint64", "little")).toBe(0x0001_0002_0003_0004n);
    expect(readRegisterValue(new Uint16Array([0xffff, 0xfffe]), 0, "int32")).toBe(-2n);
    expect(() => readRegisterValue(new Uint16Array([1]), 0, "uint32")).toThrow(/outside/);
  });
});
