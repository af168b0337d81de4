import {
  ACK,
  type BccAlgorithm,
  encodeCommand,
  encodeDataBlock,
  IecParser,
} from "../protocol/iec62056-21/frame.js";

export type SimulatedEnergomera = {
  deviceAddress: string;
  /** kWh decimal strings: total, T1, T2, … */
  et0pe: () => string[];
  et0pi?: () => string | null;
  now: () => number;
  password?: string;
  bcc?: BccAlgorithm;
  utcOffsetMinutes?: number;
};

/** An Energomera CE301/CE303 in IEC 62056-21 mode C (programming mode, 7-bit-sum BCC). */
export class EnergomeraSimulator {
  private state: "idle" | "identified" | "prompted" | "open" = "idle";
  constructor(readonly meter: SimulatedEnergomera) {}

  respond(bytes: Uint8Array): Uint8Array | undefined {
    const m = this.meter;
    const bcc = m.bcc ?? "sum7";
    const text = Buffer.from(bytes).toString("latin1");
    if (text.startsWith("/?")) {
      const address = text.slice(2, text.indexOf("!"));
      if (address !== "" && address !== m.deviceAddress) return undefined;
      this.state = "identified";
      return new Uint8Array(Buffer.from("/EKT5CE301v12\r\n", "latin1"));
    }
    if (bytes[0] === ACK && this.state === "identified") {
      this.state = "prompted";
      return promptBlock(m.deviceAddress, bcc);
    }
    const [message] = new IecParser(bcc).push(bytes).frames;
    if (message?.kind !== "block") return undefined;
    if (message.command === "P1") {
      if (message.data !== `(${m.password ?? "777777"})`) return new Uint8Array([0x15]);
      this.state = "open";
      return new Uint8Array([ACK]);
    }
    if (message.command === "B0") {
      this.state = "idle";
      return undefined;
    }
    // A meter without a password accepts commands right after the prompt.
    const open = this.state === "open" || (this.state === "prompted" && m.password === "");
    if (message.command === "R1" && open) {
      const local = new Date(m.now() + (m.utcOffsetMinutes ?? 180) * 60_000);
      const two = (n: number) => String(n).padStart(2, "0");
      const name = message.data.replace("()", "");
      const data: Record<string, () => string> = {
        ET0PE: () =>
          `ET0PE${m
            .et0pe()
            .map((v) => `(${v})`)
            .join("")}`,
        ET0PI: () => {
          const value = m.et0pi?.();
          return value === null || value === undefined ? "(ERR12)" : `ET0PI(${value})`;
        },
        DATE_: () =>
          `DATE_(0${local.getUTCDay()}.${two(local.getUTCDate())}.${two(local.getUTCMonth() + 1)}.${two(local.getUTCFullYear() % 100)})`,
        TIME_: () =>
          `TIME_(${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())})`,
        SNUMB: () => `SNUMB(${m.deviceAddress || "009123456"})`,
      };
      return encodeDataBlock(data[name]?.() ?? "(ERR12)", bcc);
    }
    return undefined;
  }
}

function promptBlock(seed: string, bcc: BccAlgorithm): Uint8Array {
  return encodeCommand("P0", `(${seed || "0"})`, bcc);
}
