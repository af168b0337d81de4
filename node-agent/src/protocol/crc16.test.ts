import { describe, expect, it } from "vitest";
import { appendCrc16, crc16Modbus, fromHexString, hasValidCrc16, hex } from "./crc16.js";

describe("crc16Modbus", () => {
  it("matches the check value of CRC-16/MODBUS", () => {
    expect(crc16Modbus(new Uint8Array(Buffer.from("123456789")))).toBe(0x4b37);
  });
  it("reproduces the worked example and the reference vectors, low byte first", () => {
    expect(hex(appendCrc16([0x01, 0x03, 0x00, 0x00, 0x00, 0x01]))).toBe("01 03 00 00 00 01 84 0a");
    expect(hex(appendCrc16([0x01, 0x03, 0x00, 0x00, 0x00, 0x0a]))).toBe("01 03 00 00 00 0a c5 cd");
    expect(hex(appendCrc16([0x01, 0x04, 0x00, 0x00, 0x00, 0x02]))).toBe("01 04 00 00 00 02 71 cb");
    expect(hex(appendCrc16([0x01, 0x04, 0x01, 0x56, 0x00, 0x02]))).toBe("01 04 01 56 00 02 90 27");
  });
  it("has a zero remainder over a frame including its CRC", () => {
    expect(crc16Modbus(fromHexString("81 03 00 21 18"))).toBe(0);
    expect(hasValidCrc16(fromHexString("81 03 00 21 18"))).toBe(true);
    expect(hasValidCrc16(fromHexString("81 03 00 21 19"))).toBe(false);
  });
});
