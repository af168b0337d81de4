import { DecodeError } from "../../errors.js";

export type RegisterValueType = "uint16" | "int16" | "uint32" | "int32" | "uint64" | "int64" | "float32";
export type WordOrder = "big" | "little";

/** Number of 16-bit registers a value occupies. */
export function registersFor(type: RegisterValueType): number {
  switch (type) {
    case "uint16":
    case "int16":
      return 1;
    case "uint32":
    case "int32":
    case "float32":
      return 2;
    case "uint64":
    case "int64":
      return 4;
  }
}

/**
 * Reads one value from registers. Integers come back as bigint (exact), floats as number.
 * `wordOrder: "little"` means the least significant 16-bit word comes first (WB-MAP u64).
 */
export function readRegisterValue(
  registers: Uint16Array,
  offset: number,
  type: RegisterValueType,
  wordOrder: WordOrder = "big",
): bigint | number {
  const count = registersFor(type);
  if (offset < 0 || offset + count > registers.length) {
    throw new DecodeError(
      `Register offset ${offset} (${type}) is outside the ${registers.length} registers read`,
    );
  }
  const words = Array.from(registers.subarray(offset, offset + count));
  if (wordOrder === "little") words.reverse();
  if (type === "float32") {
    const view = new DataView(new ArrayBuffer(4));
    view.setUint16(0, words[0]!);
    view.setUint16(2, words[1]!);
    return view.getFloat32(0);
  }
  let value = 0n;
  for (const word of words) value = (value << 16n) | BigInt(word);
  if (type.startsWith("int")) {
    const bits = BigInt(count * 16);
    if (value >= 1n << (bits - 1n)) value -= 1n << bits;
  }
  return value;
}

/** Splits a value into registers (simulator/tests): the inverse of {@link readRegisterValue}. */
export function writeRegisterValue(
  value: bigint | number,
  type: RegisterValueType,
  wordOrder: WordOrder = "big",
): number[] {
  const count = registersFor(type);
  let words: number[];
  if (type === "float32") {
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, Number(value));
    words = [view.getUint16(0), view.getUint16(2)];
  } else {
    let v = BigInt(value);
    if (v < 0n) v += 1n << BigInt(count * 16);
    words = [];
    for (let index = count - 1; index >= 0; index--) words.push(Number((v >> BigInt(index * 16)) & 0xffffn));
  }
  if (wordOrder === "little") words.reverse();
  return words;
}
