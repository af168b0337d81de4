import { describe, expect, it } from "vitest";
import { DeviceRefusedError } from "../../errors.js";
import { decodeSlcanLine, encodeBitrate, encodeSlcanFrame, SlcanParser } from "../slcan/frame.js";
import {
  decodeUploadResponse,
  encodeUploadRequest,
  encodeUploadResponse,
  expectValue,
  MtrObject,
} from "./frame.js";

const ascii = (b: Uint8Array) => Buffer.from(b).toString("latin1");

describe("MTR-CAN/1", () => {
  it("encodes an SDO-shaped upload request", () => {
    const frame = encodeUploadRequest(1, MtrObject.ImportTotal);
    expect(frame.id).toBe(0x601);
    expect(Array.from(frame.data)).toEqual([0x40, 0x00, 0x20, 1, 0, 0, 0, 0]);
    expect(() => encodeUploadRequest(128, MtrObject.ImportTotal)).toThrow(/1-127/);
  });
  it("addresses the load-profile rows (our 201x extension, docs/agent.md §5) in single frames", () => {
    expect(Array.from(encodeUploadRequest(5, MtrObject.ProfileDepth).data)).toEqual([
      0x40, 0x10, 0x20, 0, 0, 0, 0, 0,
    ]);
    const request = encodeUploadRequest(5, MtrObject.ProfileEnd(3));
    expect(request.id).toBe(0x605);
    expect(Array.from(request.data)).toEqual([0x40, 0x11, 0x20, 3, 0, 0, 0, 0]);
    expect(Array.from(encodeUploadRequest(5, MtrObject.ProfileImport(255)).data)).toEqual([
      0x40, 0x12, 0x20, 255, 0, 0, 0, 0,
    ]);
    // row 3 ends 2023-11-14T22:00:00Z = 1699999200 = 0x6553EDE0, little-endian
    const end = { id: 0x585, data: new Uint8Array([0x43, 0x11, 0x20, 3, 0xe0, 0xed, 0x53, 0x65]) };
    expect(decodeUploadResponse(end)).toEqual({ node: 5, index: 0x2011, sub: 3, value: 1_699_999_200 });
    expect(encodeUploadResponse(5, MtrObject.ProfileEnd(3), 1_699_999_200)).toEqual(end);
    // a row beyond the ring: "sub-index does not exist", a refusal the driver does not retry
    const beyond = decodeUploadResponse(
      encodeUploadResponse(5, MtrObject.ProfileExport(9), { abortCode: 0x06090011 }),
    )!;
    expect(() => expectValue(beyond)).toThrow(/sub-index does not exist/);
  });
  it("decodes 4-, 2- and 1-byte responses and aborts", () => {
    expect(
      decodeUploadResponse({
        id: 0x581,
        data: new Uint8Array([0x43, 0x00, 0x20, 1, 0x4e, 0x61, 0xbc, 0x00]),
      }),
    ).toEqual({ node: 1, index: 0x2000, sub: 1, value: 12345678 });
    expect(
      decodeUploadResponse({
        id: 0x582,
        data: new Uint8Array([0x4b, 0x03, 0x20, 1, 0x34, 0x12, 0xff, 0xff]),
      }),
    ).toMatchObject({ value: 0x1234 });
    const abort = decodeUploadResponse(
      encodeUploadResponse(3, MtrObject.ExportTotal, { abortCode: 0x06020000 }),
    )!;
    expect(() => expectValue(abort)).toThrow(DeviceRefusedError);
    expect(() => expectValue(abort)).toThrow(/object does not exist/);
    expect(decodeUploadResponse({ id: 0x181, data: new Uint8Array(8) })).toBeUndefined();
  });
});

describe("slcan", () => {
  it("encodes standard and extended frames and bitrates", () => {
    expect(ascii(encodeSlcanFrame({ id: 0x601, data: new Uint8Array([1]) }))).toBe("t601101\r");
    expect(
      ascii(
        encodeSlcanFrame({
          id: 0x7ff,
          data: new Uint8Array([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]),
        }),
      ),
    ).toBe("t7FF81122334455667788\r");
    expect(ascii(encodeSlcanFrame({ id: 0x1234567, extended: true, data: new Uint8Array([]) }))).toBe(
      "T012345670\r",
    );
    expect(ascii(encodeBitrate(500_000))).toBe("S6\r");
    expect(() => encodeBitrate(123)).toThrow(/bitrate/);
  });
  it("decodes the reference round trip and tolerates timestamps", () => {
    expect(decodeSlcanLine("t681600BC614E0001")).toEqual({
      id: 0x681,
      extended: false,
      data: new Uint8Array([0x00, 0xbc, 0x61, 0x4e, 0x00, 0x01]),
    });
    expect(decodeSlcanLine("t68110012AB")?.data).toEqual(new Uint8Array([0]));
    expect(decodeSlcanLine("O")).toBeUndefined();
  });
  it("splits a stream into frames, OKs and errors across chunks", () => {
    const parser = new SlcanParser();
    const stream = Buffer.from("\r\x07t58181122334455667788\rz\rjunk\r", "latin1");
    const events = [];
    for (let i = 0; i < stream.length; i += 5)
      events.push(...parser.push(new Uint8Array(stream.subarray(i, i + 5))).frames);
    expect(events.map((e) => e.kind)).toEqual(["ok", "error", "frame", "ok"]);
  });
});
