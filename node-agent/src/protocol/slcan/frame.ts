import { DecodeError } from "../../errors.js";
import type { CanFrame } from "../../transport/transport.js";
import { ByteBuffer, type FrameParser, type ParseResult } from "../parser.js";

/**
 * Lawicell slcan ASCII protocol (CANable, USBtin, CANUSB), reference §5.3. Every command ends with
 * `\r`; `\a` (BEL) is an error; `z\r`/`Z\r` acknowledge transmitted frames.
 */
const BITRATES = [10_000, 20_000, 50_000, 100_000, 125_000, 250_000, 500_000, 800_000, 1_000_000];

export function encodeBitrate(bitrate: number): Uint8Array {
  const code = BITRATES.indexOf(bitrate);
  if (code < 0)
    throw new DecodeError(`slcan does not support bitrate ${bitrate}`, {
      details: `one of ${BITRATES.join(", ")}`,
    });
  return ascii(`S${code}\r`);
}
export const SLCAN_OPEN = new Uint8Array([0x4f, 0x0d]);
export const SLCAN_CLOSE = new Uint8Array([0x43, 0x0d]);

const ascii = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex").toUpperCase();

/** `tiiildd…\r` (standard) or `Tiiiiiiiildd…\r` (extended). */
export function encodeSlcanFrame(frame: CanFrame): Uint8Array {
  if (frame.data.length > 8) throw new DecodeError("A classic CAN frame carries at most 8 bytes");
  if (frame.extended) {
    if (frame.id < 0 || frame.id > 0x1fffffff)
      throw new DecodeError(`Extended CAN id ${frame.id} out of range`);
    return ascii(
      `T${frame.id.toString(16).toUpperCase().padStart(8, "0")}${frame.data.length}${hex(frame.data)}\r`,
    );
  }
  if (frame.id < 0 || frame.id > 0x7ff) throw new DecodeError(`Standard CAN id ${frame.id} out of range`);
  return ascii(
    `t${frame.id.toString(16).toUpperCase().padStart(3, "0")}${frame.data.length}${hex(frame.data)}\r`,
  );
}

/** Decodes one line without its `\r`; returns undefined for lines that are not data frames. */
export function decodeSlcanLine(line: string): CanFrame | undefined {
  const match = /^(t([0-9A-Fa-f]{3})|T([0-9A-Fa-f]{8}))([0-8])([0-9A-Fa-f]*)$/.exec(line);
  if (!match) return undefined;
  const length = Number(match[4]);
  const payload = match[5]!;
  // Some adapters append a 4-hex-digit timestamp after the data.
  if (payload.length !== length * 2 && payload.length !== length * 2 + 4) return undefined;
  const extended = match[3] !== undefined;
  const id = Number.parseInt((extended ? match[3] : match[2])!, 16);
  return { id, extended, data: new Uint8Array(Buffer.from(payload.slice(0, length * 2), "hex")) };
}

export type SlcanEvent = { kind: "frame"; frame: CanFrame } | { kind: "ok" } | { kind: "error" };

/** Splits the adapter's byte stream into frames, OKs and errors; other lines are dropped. */
export class SlcanParser implements FrameParser<SlcanEvent> {
  private readonly buffer = new ByteBuffer();
  get pending(): number {
    return this.buffer.length;
  }
  reset(): void {
    this.buffer.clear();
  }
  push(chunk: Uint8Array): ParseResult<SlcanEvent> {
    this.buffer.append(chunk);
    const frames: SlcanEvent[] = [];
    const discarded: string[] = [];
    for (;;) {
      const view = this.buffer.view();
      if (view.length === 0) break;
      if (view[0] === 0x07) {
        this.buffer.consume(1);
        frames.push({ kind: "error" });
        continue;
      }
      const end = view.indexOf(0x0d);
      if (end < 0) {
        if (view.length > 64) {
          discarded.push(`${view.length} bytes without a line end dropped`);
          this.buffer.clear();
        }
        break;
      }
      const line = Buffer.from(this.buffer.take(end + 1).subarray(0, end)).toString("latin1");
      if (line === "" || line === "z" || line === "Z") {
        frames.push({ kind: "ok" });
        continue;
      }
      const frame = decodeSlcanLine(line);
      if (frame) frames.push({ kind: "frame", frame });
      else discarded.push(`slcan line ${JSON.stringify(line)} ignored`);
    }
    return { frames, discarded };
  }
}
