/**
 * CRC-16/MODBUS: reflected polynomial 0xA001, init 0xFFFF, no final XOR; sent low byte first.
 * Shared by Modbus RTU and the Mercury protocol. Check value: "123456789" → 0x4B37.
 */
const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
    table[n] = crc;
  }
  return table;
})();

export function crc16Modbus(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let index = start; index < end; index++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[index]!) & 0xff]!;
  return crc;
}

/** Returns `body` followed by its CRC, low byte first. */
export function appendCrc16(body: Uint8Array | readonly number[]): Uint8Array {
  const frame = new Uint8Array(body.length + 2);
  frame.set(body);
  const crc = crc16Modbus(frame, 0, body.length);
  frame[body.length] = crc & 0xff;
  frame[body.length + 1] = crc >>> 8;
  return frame;
}

/** True when the last two bytes of `frame[start, start+length)` are the CRC of the bytes before them. */
export function hasValidCrc16(frame: Uint8Array, start = 0, length = frame.length - start): boolean {
  if (length < 3) return false;
  const crc = crc16Modbus(frame, start, start + length - 2);
  return frame[start + length - 2] === (crc & 0xff) && frame[start + length - 1] === crc >>> 8;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString("hex")
    .replace(/(..)(?!$)/g, "$1 ");
}

export function fromHexString(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ""), "hex"));
}
