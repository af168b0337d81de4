import type { BusConfig } from "../config/config.js";
import { ModbusSlaveSimulator } from "../simulator/modbusSlave.js";
import { MtrCanSimulator } from "../simulator/mtrCan.js";
import { MockChannel } from "./mock.js";
import { SerialTransport } from "./serial.js";
import { SlcanTransport } from "./slcan.js";
import { SocketCanTransport } from "./socketcan.js";
import { TcpTransport } from "./tcp.js";
import type { ByteTransport, CanFrame, CanTransport } from "./transport.js";

export type CreatedBus =
  | { kind: "bytes"; channel: ByteTransport; simulator?: ModbusSlaveSimulator }
  | { kind: "can"; channel: CanTransport; simulator?: MtrCanSimulator };

/** Builds the transport a bus config names. Nothing is opened here. */
export function createBusTransport(
  bus: BusConfig,
  options: { simulatorKind?: "bytes" | "can" } = {},
): CreatedBus {
  const t = bus.transport;
  switch (t.type) {
    case "serial":
      return {
        kind: "bytes",
        channel: new SerialTransport({
          path: t.path,
          baudRate: t.baudRate,
          dataBits: t.dataBits,
          parity: t.parity,
          stopBits: t.stopBits,
        }),
      };
    case "tcp":
      return { kind: "bytes", channel: new TcpTransport({ host: t.host, port: t.port }) };
    case "slcan":
      return {
        kind: "can",
        channel: new SlcanTransport({
          serial: new SerialTransport({ path: t.path, baudRate: t.baudRate }),
          bitrate: t.bitrate,
        }),
      };
    case "socketcan":
      return { kind: "can", channel: new SocketCanTransport(t.interface) };
    case "simulator": {
      if (options.simulatorKind === "can") {
        const simulator = new MtrCanSimulator();
        const channel = new MockChannel<CanFrame>({
          description: `simulator:${bus.name}`,
          respond: (frame) => simulator.respond(frame),
          responseDelayMs: 1,
        });
        return { kind: "can", channel, simulator };
      }
      const simulator = new ModbusSlaveSimulator();
      const channel = new MockChannel<Uint8Array>({
        description: `simulator:${bus.name}`,
        respond: (request) => simulator.respond(request),
        responseDelayMs: 1,
      });
      return { kind: "bytes", channel, simulator };
    }
  }
}
