import { describe, expect, it } from "vitest";
import { modbusCaptures as cap } from "../_test/fixtures/captures.js";
import { ChecksumError, DeviceRefusedError, TimeoutError } from "../errors.js";
import { fromHexString } from "../protocol/crc16.js";
import {
  encodeReadRequest,
  expectRegisters,
  type ReadRegistersRequest,
} from "../protocol/modbus-rtu/frame.js";
import { ModbusRtuParser } from "../protocol/modbus-rtu/parser.js";
import { MockChannel } from "../transport/mock.js";
import { BusSession } from "./session.js";

const request: ReadRegistersRequest = { address: 1, function: 4, start: 0x156, count: 2 };
const exchange = {
  describe: "slave 1 FC04 0x0156+2",
  request: encodeReadRequest(request),
  decoder: () => new ModbusRtuParser({ address: 1, function: 4 }),
  accept: (response: Parameters<typeof expectRegisters>[0]) => expectRegisters(response, request),
};

describe("BusSession", () => {
  it("matches the response to the request and returns the registers", async () => {
    const channel = new MockChannel<Uint8Array>({ respond: () => fromHexString(cap.totalEnergy.response) });
    const session = new BusSession(channel, { timeoutMs: 200 });
    expect(Array.from(await session.transact(exchange))).toEqual([0x449b, 0xd800]);
    expect(channel.isOpen).toBe(true);
    expect(channel.lastWrite).toEqual(fromHexString(cap.totalEnergy.request));
  });

  it("times out with the request in the message, after the configured retries", async () => {
    const channel = new MockChannel<Uint8Array>();
    const session = new BusSession(channel, { timeoutMs: 30, retries: 2, retryDelayMs: 1 });
    await expect(session.transact(exchange)).rejects.toThrow(TimeoutError);
    await expect(session.transact(exchange)).rejects.toThrow(
      /No answer from slave 1 FC04 0x0156\+2 within 30 ms/,
    );
    expect(channel.recording).toHaveLength(6);
    expect(session.stats.timeouts).toBe(6);
  });

  it("reports a CRC error (not a plain timeout) and recovers when the retry is clean", async () => {
    let calls = 0;
    const bad = fromHexString(cap.totalEnergy.response);
    bad[4]! ^= 0xff;
    const channel = new MockChannel<Uint8Array>({
      respond: () => (++calls === 1 ? bad : fromHexString(cap.totalEnergy.response)),
    });
    const session = new BusSession(channel, { timeoutMs: 30, retries: 1, retryDelayMs: 1 });
    expect(Array.from(await session.transact(exchange))).toHaveLength(2);
    expect(session.stats.checksumErrors).toBe(1);
    const always = new BusSession(new MockChannel<Uint8Array>({ respond: () => bad }), {
      timeoutMs: 30,
      retries: 0,
    });
    await expect(always.transact(exchange)).rejects.toThrow(ChecksumError);
  });

  it("does not retry an exception response", async () => {
    const channel = new MockChannel<Uint8Array>({ respond: () => fromHexString("01 84 02 c2 c1") });
    const session = new BusSession(channel, { timeoutMs: 100, retries: 3 });
    await expect(session.transact(exchange)).rejects.toThrow(DeviceRefusedError);
    expect(channel.recording).toHaveLength(1);
  });

  it("keeps one request in flight per bus", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const channel = new MockChannel<Uint8Array>({
      respond: () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        setTimeout(() => inFlight--, 4);
        return fromHexString(cap.totalEnergy.response);
      },
      responseDelayMs: 5,
    });
    const session = new BusSession(channel, { timeoutMs: 200, turnaroundMs: 0 });
    await Promise.all(Array.from({ length: 8 }, () => session.transact(exchange)));
    expect(maxInFlight).toBe(1);
    expect(channel.recording).toHaveLength(8);
  });

  it("ignores garbage on the bus and unrelated frames while waiting", async () => {
    const channel = new MockChannel<Uint8Array>({
      respond: () => [
        new Uint8Array([0xde, 0xad]),
        fromHexString(cap.voltage.response.replace(/^01/, "02")),
        fromHexString(cap.totalEnergy.response),
      ],
    });
    const session = new BusSession(channel, { timeoutMs: 200 });
    expect(Array.from(await session.transact(exchange))).toEqual([0x449b, 0xd800]);
  });

  it("reopens the channel after a transport error", async () => {
    const channel = new MockChannel<Uint8Array>({ respond: () => fromHexString(cap.totalEnergy.response) });
    const session = new BusSession(channel, { timeoutMs: 200 });
    await session.transact(exchange);
    let reopened = 0;
    const open = channel.open.bind(channel);
    channel.open = async () => {
      reopened++;
      await open();
    };
    channel.emitError(new Error("unplugged"));
    await session.transact(exchange);
    expect(reopened).toBe(1);
  });
});
