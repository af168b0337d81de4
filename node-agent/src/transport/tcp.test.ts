import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ModbusMeterDriver } from "../drivers/modbus.js";
import { BUILTIN_REGISTER_MAPS } from "../drivers/registerMaps.js";
import { TransportError } from "../errors.js";
import { BusSession } from "../session/session.js";
import { ModbusSlaveSimulator } from "../simulator/modbusSlave.js";
import { TcpTransport } from "./tcp.js";

// A transparent RS-485-to-Ethernet bridge: raw RTU bytes over TCP, answered by a simulated meter.
let server: Server | undefined;
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

async function startBridge(): Promise<number> {
  const simulator = new ModbusSlaveSimulator();
  simulator.add({
    address: 1,
    map: BUILTIN_REGISTER_MAPS.sdm120!,
    energy: { baseWh: 42_000, powerW: 0 },
    now: () => 1_700_000_000_000,
  });
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on("data", (bytes) => {
      const reply = simulator.respond(new Uint8Array(bytes));
      if (!reply) return;
      // Deliver in two TCP segments, as bridges often do.
      socket.write(reply.subarray(0, 3));
      setTimeout(() => socket.write(reply.subarray(3)), 2);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server!.address() as AddressInfo).port;
}

describe("TcpTransport", () => {
  it("reads a meter behind a bridge, and reconnects after the bridge drops the connection", async () => {
    const port = await startBridge();
    const session = new BusSession(new TcpTransport({ host: "127.0.0.1", port }), {
      timeoutMs: 200,
      retries: 1,
    });
    const driver = new ModbusMeterDriver({
      model: "sdm120",
      session,
      address: 1,
      map: BUILTIN_REGISTER_MAPS.sdm120!,
    });
    expect((await driver.read()).registers.importTotalWh).toBe(42_000n);
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await driver.read()).registers.importTotalWh).toBe(42_000n);
    await session.close();
  });

  it("fails with a TransportError when nothing listens", async () => {
    const transport = new TcpTransport({ host: "127.0.0.1", port: 9, connectTimeoutMs: 500 });
    await expect(transport.open()).rejects.toThrow(TransportError);
  });
});
