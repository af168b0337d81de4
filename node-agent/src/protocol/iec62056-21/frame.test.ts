import { describe, expect, it } from "vitest";
import { iecVectors as v } from "../../_test/fixtures/captures.js";
import { DeviceRefusedError } from "../../errors.js";
import { hex } from "../crc16.js";
import {
  computeBcc,
  decodeIdentification,
  encodeBreak,
  encodeCommand,
  encodeDataBlock,
  encodeOptionSelect,
  encodeRequest,
  expectNoError,
  IecParser,
  parseDataSets,
} from "./frame.js";

const bytes = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));

describe("BCC", () => {
  it("XOR matches the standard vectors", () => {
    expect(computeBcc(bytes(v.passwordPrompt.text).subarray(1), "xor")).toBe(v.passwordPrompt.xor);
    expect(computeBcc(bytes(v.write.text).subarray(1), "xor")).toBe(v.write.xor);
    expect(hex(encodeBreak("xor"))).toBe(v.breakXor);
  });
  it("7-bit sum matches the Energomera vectors", () => {
    expect(hex(encodeBreak("sum7"))).toBe(v.breakSum7);
    expect(encodeCommand("R1", "ET0PE()", "sum7").at(-1)).toBe(v.et0peCommandSum7);
    expect(encodeCommand("R1", "ET0PE()", "xor").at(-1)).toBe(v.et0peCommandXor);
    expect(computeBcc(bytes(v.wbReply.text).subarray(1), "sum7")).toBe(v.wbReply.sum7);
    expect(computeBcc(bytes(v.wbReply.text).subarray(1), "xor")).toBe(v.wbReply.xor);
  });
});

describe("messages", () => {
  it("encode request and option select", () => {
    expect(Buffer.from(encodeRequest("012345678")).toString()).toBe("/?012345678!\r\n");
    expect(hex(encodeOptionSelect(9600, "1"))).toBe("06 30 35 31 0d 0a");
    expect(() => encodeRequest("a!b")).toThrow();
  });
  it("decode identification", () => {
    expect(decodeIdentification("/EKT5CE301v12")).toMatchObject({
      manufacturer: "EKT",
      baudCharacter: "5",
      identification: "CE301v12",
    });
    expect(() => decodeIdentification("garbage")).toThrow(/identification/);
  });
  it("parse repeated and continued data sets", () => {
    expect(
      parseDataSets("ET0PE(34261.8262567)(25179.1846554)(9082.6416013)(0.0)(0.0)(0.0)")[0]?.values,
    ).toHaveLength(6);
    const sets = parseDataSets("ET0PE(68.02)\r\n(45.29)\r\n(22.73)\r\n");
    expect(sets).toEqual([{ name: "ET0PE", values: ["68.02", "45.29", "22.73"] }]);
    expect(parseDataSets("VOLTA(230.1)VOLTA(229.8)").map((s) => s.values[0])).toEqual(["230.1", "229.8"]);
  });
  it("recognise error replies", () => {
    expect(() => expectNoError("(ERR12)", "ET0PE")).toThrow(DeviceRefusedError);
    expect(() => expectNoError("ET0PE(1.0)", "ET0PE")).not.toThrow();
  });
});

describe("IecParser", () => {
  const reply = bytes(v.wbReply.text + String.fromCharCode(v.wbReply.sum7));
  it("assembles split blocks, identification lines and ACK", () => {
    const parser = new IecParser("sum7");
    const stream = new Uint8Array([...bytes("/EKT5CE301v12\r\n"), 0x06, ...reply]);
    const frames = [];
    for (const byte of stream) frames.push(...parser.push(new Uint8Array([byte])).frames);
    expect(frames.map((f) => f.kind)).toEqual(["identification", "ack", "block"]);
    expect(frames[2]).toMatchObject({ kind: "block", command: undefined, last: true });
  });
  it("parses the SOH P0 password prompt with its command", () => {
    const prompt = bytes(`${v.passwordPrompt.text}${String.fromCharCode(v.passwordPrompt.xor)}`);
    expect(new IecParser("xor").push(prompt).frames[0]).toEqual({
      kind: "block",
      command: "P0",
      data: "(1234567)",
      last: true,
    });
  });
  it("skips garbage, drops a bad-BCC block with a reason, keeps the good one after it", () => {
    const parser = new IecParser("sum7");
    const bad = reply.slice();
    bad[bad.length - 1]! ^= 0x01;
    const { frames, discarded } = parser.push(
      new Uint8Array([0x7f, 0x55, ...bad, ...encodeDataBlock("SNUMB(123)", "sum7")]),
    );
    expect(frames).toEqual([{ kind: "block", command: undefined, data: "SNUMB(123)", last: true }]);
    expect(discarded.join()).toMatch(/BCC mismatch/);
  });
  it("strips the parity bit when a 7E1 line is read as 8 bits", () => {
    const withParity = encodeDataBlock("X(1)", "xor").map((b) => b | 0x80);
    expect(new IecParser("xor").push(withParity).frames).toHaveLength(1);
  });
});
