import { hasValidCrc16, hex } from "../crc16.js";
import { ByteBuffer, type FrameParser, type ParseResult } from "../parser.js";
import { decodeResponse, type ModbusResponse, responseLength } from "./frame.js";

export type ModbusRtuParserParameters = {
  /** Accept only frames from this slave (the master knows whom it asked). */
  address?: number;
  /** Accept only this function code (or its exception). */
  function?: number;
};

/**
 * Resynchronising Modbus RTU response parser (master side). Timing (t3.5) cannot be observed
 * reliably through USB converters, so frames are found by shape and CRC instead: at each offset a
 * candidate frame must start with the expected address and function, have the length its function
 * code implies and a valid CRC; otherwise one byte is dropped and the search goes on.
 */
export class ModbusRtuParser implements FrameParser<ModbusResponse> {
  private readonly buffer = new ByteBuffer();
  constructor(private readonly expect: ModbusRtuParserParameters = {}) {}

  get pending(): number {
    return this.buffer.length;
  }
  reset(): void {
    this.buffer.clear();
  }

  push(chunk: Uint8Array): ParseResult<ModbusResponse> {
    this.buffer.append(chunk);
    const frames: ModbusResponse[] = [];
    const discarded: string[] = [];
    let garbage = 0;
    const flushGarbage = () => {
      if (garbage > 0) discarded.push(`${garbage} byte(s) of garbage skipped`);
      garbage = 0;
    };
    while (this.buffer.length >= 2) {
      const view = this.buffer.view();
      if (!this.plausibleStart(view)) {
        this.buffer.consume(1);
        garbage++;
        continue;
      }
      const length = responseLength(view);
      if (length === undefined) break;
      if (length === 0 || length > 256) {
        this.buffer.consume(1);
        garbage++;
        continue;
      }
      if (view.length < length) break; // wait for the rest of the frame
      if (!hasValidCrc16(view, 0, length)) {
        flushGarbage();
        discarded.push(`CRC mismatch in ${hex(view.subarray(0, length))}`);
        this.buffer.consume(1);
        continue;
      }
      flushGarbage();
      frames.push(decodeResponse(this.buffer.take(length)));
    }
    flushGarbage();
    return { frames, discarded };
  }

  private plausibleStart(view: Uint8Array): boolean {
    const address = view[0]!;
    const fc = view[1]!;
    if (this.expect.address !== undefined && address !== this.expect.address) return false;
    if (this.expect.address === undefined && (address < 1 || address > 247)) return false;
    if (this.expect.function !== undefined && (fc & 0x7f) !== this.expect.function) return false;
    return true;
  }
}
