import { DecodeError, DeviceRefusedError } from "../../errors.js";
import { ByteBuffer, type FrameParser, type ParseResult } from "../parser.js";

/**
 * IEC 62056-21 (ex IEC 61107) mode C messages, pure. Reference §3.
 *
 * The block check character is configurable: the standard XOR (`"xor"`) or the 7-bit arithmetic
 * sum (`"sum7"`) that Energomera CE-series meters use.
 */
export const SOH = 0x01;
export const STX = 0x02;
export const ETX = 0x03;
export const EOT = 0x04;
export const ACK = 0x06;
export const NAK = 0x15;
const CR = 0x0d;
const LF = 0x0a;

export type BccAlgorithm = "xor" | "sum7";

/** BCC over `bytes` (the caller passes the bytes after the first SOH/STX up to and including ETX/EOT). */
export function computeBcc(bytes: Uint8Array, algorithm: BccAlgorithm): number {
  let value = 0;
  if (algorithm === "xor") for (const byte of bytes) value ^= byte;
  else {
    for (const byte of bytes) value += byte;
    value &= 0x7f;
  }
  return value;
}

const ascii = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

/** `/?<address>!\r\n`. The address (up to 32 characters) may be empty on a single-meter bus. */
export function encodeRequest(address = ""): Uint8Array {
  if (address.length > 32 || /[/?!\r\n]/.test(address))
    throw new DecodeError(`Invalid IEC 62056-21 device address "${address}"`);
  return ascii(`/?${address}!\r\n`);
}

/** Baud characters of mode C. */
export const BAUD_CHARACTERS: Record<string, number> = {
  "0": 300,
  "1": 600,
  "2": 1200,
  "3": 2400,
  "4": 4800,
  "5": 9600,
  "6": 19200,
};

export function baudCharacter(baudRate: number): string {
  const entry = Object.entries(BAUD_CHARACTERS).find(([, rate]) => rate === baudRate);
  if (!entry) throw new DecodeError(`Baud rate ${baudRate} has no IEC 62056-21 mode C character`);
  return entry[0];
}

/** `<ACK> V Z Y \r\n`: protocol control, baud character, mode (`0` readout, `1` programming). */
export function encodeOptionSelect(baudRate: number, mode: "0" | "1", protocolControl = "0"): Uint8Array {
  return new Uint8Array([ACK, ...ascii(`${protocolControl}${baudCharacter(baudRate)}${mode}\r\n`)]);
}

/** `<SOH> cmd <STX> data <ETX> <BCC>`, e.g. command `R1` with data `ET0PE()`. */
export function encodeCommand(
  command: string,
  data: string | undefined,
  algorithm: BccAlgorithm,
): Uint8Array {
  const body = data === undefined ? ascii(`${command}\x03`) : ascii(`${command}\x02${data}\x03`);
  return new Uint8Array([SOH, ...body, computeBcc(body, algorithm)]);
}

/** The break message `<SOH>B0<ETX><BCC>` that ends a session. */
export function encodeBreak(algorithm: BccAlgorithm): Uint8Array {
  return encodeCommand("B0", undefined, algorithm);
}

/** `/XXXZ<ident>\r\n`: manufacturer, baud character and identification. */
export type Identification = {
  manufacturer: string;
  baudCharacter: string;
  identification: string;
  raw: string;
};

export function decodeIdentification(line: string): Identification {
  const match = /^\/([A-Za-z]{3})(\d)(.*)$/.exec(line);
  if (!match) throw new DecodeError(`Not an IEC 62056-21 identification message: ${JSON.stringify(line)}`);
  return {
    manufacturer: match[1]!,
    baudCharacter: match[2]!,
    identification: match[3]!.replace(/^\\\d/, ""),
    raw: line,
  };
}

/** One message from the meter. */
export type IecMessage =
  | { kind: "identification"; line: string }
  | { kind: "ack" }
  | { kind: "nak" }
  /** A block `[SOH cmd] STX data ETX|EOT BCC`; `command` is set for `<SOH>P0<STX>…` prompts. */
  | { kind: "block"; command: string | undefined; data: string; last: boolean };

/**
 * Meter-side messages parser (reader side). Skips garbage before `/`, ACK, NAK, SOH or STX;
 * checks the BCC of blocks and drops blocks whose BCC does not match.
 */
export class IecParser implements FrameParser<IecMessage> {
  private readonly buffer = new ByteBuffer();
  constructor(private readonly algorithm: BccAlgorithm) {}

  get pending(): number {
    return this.buffer.length;
  }
  reset(): void {
    this.buffer.clear();
  }

  push(chunk: Uint8Array): ParseResult<IecMessage> {
    // 7E1 lines deliver 7 data bits; a port opened as 8N1 by mistake would show the parity bit.
    const masked = chunk.map((byte) => byte & 0x7f);
    this.buffer.append(masked);
    const frames: IecMessage[] = [];
    const discarded: string[] = [];
    let garbage = 0;
    for (;;) {
      const view = this.buffer.view();
      if (view.length === 0) break;
      const first = view[0]!;
      if (first === ACK || first === NAK) {
        this.buffer.consume(1);
        frames.push({ kind: first === ACK ? "ack" : "nak" });
        continue;
      }
      if (first === 0x2f /* '/' */) {
        const end = indexOfCrLf(view);
        if (end < 0) {
          if (view.length > 128) {
            this.buffer.consume(1);
            garbage++;
            continue;
          }
          break;
        }
        frames.push({ kind: "identification", line: text(view.subarray(0, end)) });
        this.buffer.consume(end + 2);
        continue;
      }
      if (first === SOH || first === STX) {
        const endIndex = view.findIndex((byte, index) => index > 0 && (byte === ETX || byte === EOT));
        if (endIndex < 0 || view.length < endIndex + 2) {
          if (view.length > 4096) {
            this.buffer.consume(1);
            garbage++;
            continue;
          }
          break;
        }
        const covered = view.subarray(1, endIndex + 1);
        const bcc = view[endIndex + 1]!;
        if (computeBcc(covered, this.algorithm) !== bcc) {
          discarded.push(`BCC mismatch in ${JSON.stringify(text(view.subarray(0, endIndex + 2)))}`);
          // Drop the whole block with its BCC: a one-byte resync would read the block's text (or
          // its corrupted BCC) as new messages, and a 1-byte check cannot tell those apart.
          this.buffer.consume(endIndex + 2);
          continue;
        }
        const block = text(covered.subarray(0, covered.length - 1));
        this.buffer.consume(endIndex + 2);
        if (first === SOH) {
          const stx = block.indexOf("\x02");
          frames.push({
            kind: "block",
            command: stx < 0 ? block : block.slice(0, stx),
            data: stx < 0 ? "" : block.slice(stx + 1),
            last: view[endIndex] === ETX,
          });
        } else frames.push({ kind: "block", command: undefined, data: block, last: view[endIndex] === ETX });
        continue;
      }
      this.buffer.consume(1);
      garbage++;
    }
    if (garbage) discarded.push(`${garbage} byte(s) of garbage skipped`);
    return { frames, discarded };
  }
}

function indexOfCrLf(view: Uint8Array): number {
  for (let index = 0; index + 1 < view.length; index++)
    if (view[index] === CR && view[index + 1] === LF) return index;
  return -1;
}

/** A data set `NAME(v1)(v2)…`; names may repeat (`VOLTA(..)VOLTA(..)`). */
export type DataSet = { name: string; values: string[] };

/**
 * Parses the data of a reply block into data sets. A value list that continues on the next line
 * without a name (`ET0PE(1)\r\n(2)\r\n`) belongs to the previous name.
 */
export function parseDataSets(data: string): DataSet[] {
  const sets: DataSet[] = [];
  const pattern = /([^()\r\n]*)\(([^()]*)\)/g;
  for (const match of data.matchAll(pattern)) {
    const name = match[1]!.trim();
    const value = match[2]!;
    if (name === "" && sets.length > 0) sets.at(-1)!.values.push(value);
    else sets.push({ name, values: [value] });
  }
  return sets;
}

/** Throws {@link DeviceRefusedError} when a reply is an error `(ERRxx)`. */
export function expectNoError(data: string, what: string): void {
  const match = /\((ERR\d*|E\d+)\)/.exec(data);
  if (match) {
    throw new DeviceRefusedError(`Meter refused ${what}: ${match[1]}`, {
      code: "IEC_ERROR",
      details: match[1] === "ERR12" || match[1] === "E12" ? "unsupported parameter" : undefined,
    });
  }
}

/** Encodes a reply block (simulator/tests). */
export function encodeDataBlock(data: string, algorithm: BccAlgorithm): Uint8Array {
  const body = ascii(`${data}\x03`);
  return new Uint8Array([STX, ...body, computeBcc(body, algorithm)]);
}
