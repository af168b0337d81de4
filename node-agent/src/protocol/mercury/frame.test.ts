import { describe, expect, it } from "vitest";
import { mercuryCaptures as cap } from "../../_test/fixtures/captures.js";
import { DeviceRefusedError } from "../../errors.js";
import { fromHexString, hex } from "../crc16.js";
import {
  decodeEnergy,
  decodeFirmware,
  decodeMercuryU32,
  decodeSerial,
  decodeTime,
  encodeMercuryRequest,
  encodeMercuryU32,
  encodeOpenChannel,
  encodeReadEnergy,
  encodeTime,
  expectData,
  expectOk,
  MercuryParser,
  statusParser,
} from "./frame.js";

describe("Mercury requests", () => {
  it("encode the captured open-channel, energy and serial requests", () => {
    expect(hex(encodeOpenChannel(0x5f, 1, "111111"))).toBe(cap.openChannel.toLowerCase());
    expect(hex(encodeReadEnergy(0x5f, 0))).toBe(cap.energyRequest.toLowerCase());
    expect(hex(encodeMercuryRequest(0x00, [0x08, 0x00]))).toBe(cap.serialRequest.toLowerCase());
  });
  it("refuses a password that is not six digits", () => {
    expect(() => encodeOpenChannel(1, 1, "12345")).toThrow(/six digits/);
  });
});

describe("Mercury replies", () => {
  it("decode the captured energy reply (word-swapped u32, FF FF FF FF = unsupported)", () => {
    const [reply] = new MercuryParser({ address: 0x5f, dataLength: 16 }).push(
      fromHexString(cap.energyResponse),
    ).frames;
    const energy = decodeEnergy(expectData(reply!, "energy"));
    expect(energy).toEqual({
      activeImportWh: 1716n,
      activeExportWh: null,
      reactiveImportVarh: 396n,
      reactiveExportVarh: 318n,
    });
  });
  it("decode the captured serial number and firmware", () => {
    const [reply] = new MercuryParser({ address: 0, dataLength: 7 }).push(
      fromHexString(cap.serialResponse),
    ).frames;
    expect(decodeSerial(expectData(reply!, "serial"))).toEqual({
      serial: "36790160",
      manufactured: "2019-02-10",
    });
    expect(decodeFirmware(fromHexString(cap.firmwareData))).toBe("2.3.5");
  });
  it("turn the captured 'channel not open' status into a refusal", () => {
    const [reply] = statusParser(0x5f).push(fromHexString(cap.channelNotOpen)).frames;
    expect(reply).toEqual({ address: 0x5f, kind: "status", status: 5 });
    expect(() => expectOk(reply!, "read")).toThrow(DeviceRefusedError);
    expect(() => expectOk(reply!, "read")).toThrow(/channel not open/);
  });
  it("accept a status frame where data was expected (an error answer)", () => {
    const [reply] = new MercuryParser({ address: 0x5f, dataLength: 16 }).push(
      fromHexString(cap.channelNotOpen),
    ).frames;
    expect(reply?.kind).toBe("status");
  });
  it("survive split, garbage-prefixed and bad-CRC input", () => {
    const frame = fromHexString(cap.energyResponse);
    const parser = new MercuryParser({ address: 0x5f, dataLength: 16 });
    const first = parser.push(new Uint8Array([0x11, 0x22, ...frame.subarray(0, 7)]));
    expect(first.frames).toHaveLength(0);
    expect(first.discarded.join()).toMatch(/2 byte\(s\) of garbage/);
    const { frames } = parser.push(frame.subarray(7));
    expect(frames).toHaveLength(1);
    const bad = fromHexString(cap.energyResponse);
    bad[3]! ^= 1;
    const second = new MercuryParser({ address: 0x5f, dataLength: 16 }).push(
      new Uint8Array([...bad, ...frame]),
    );
    expect(second.frames).toHaveLength(1);
    expect(second.discarded.join()).toMatch(/CRC mismatch/);
  });
  it("round-trip u32 values and BCD clock", () => {
    for (const value of [0n, 1716n, 0xfffffffen, 123456789n])
      expect(decodeMercuryU32(new Uint8Array(encodeMercuryU32(value)), 0)).toBe(value);
    const t = Date.UTC(2026, 10, 27, 4, 30, 15) / 1000;
    expect(decodeTime(new Uint8Array(encodeTime(t, 180)), 180)).toBe(t);
    expect(() => decodeTime(new Uint8Array([0x99, 0, 0, 0, 1, 1, 0x26, 1]), 180)).toThrow(/BCD/);
  });
});
