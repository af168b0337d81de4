import { UnavailableError } from "../errors.js";
import type { CanFrame, CanTransport, Unsubscribe } from "./transport.js";

/**
 * SocketCAN (`can0` through the kernel). Not available in this build: the maintained npm binding
 * (`socketcan` ≥ 4.2) needs Node 22, the last Node 20 release (4.0.7) must be compiled on the Pi,
 * and our CI kernel has no CAN support to test it against. Use an slcan adapter
 * (`transport.type: "slcan"`), which works without kernel CAN. The class exists so that a config
 * naming SocketCAN fails with one clear line instead of an import error.
 */
export class SocketCanTransport implements CanTransport {
  readonly description: string;
  readonly isOpen = false;
  constructor(readonly interfaceName: string) {
    this.description = `socketcan:${interfaceName}`;
  }
  async open(): Promise<void> {
    throw new UnavailableError(`SocketCAN (${this.interfaceName}) is not supported by this agent build`, {
      details:
        'use an slcan adapter: transport { "type": "slcan", "path": "/dev/ttyACM0" } (see docs/agent.md, CAN)',
    });
  }
  async close(): Promise<void> {}
  async write(_frame: CanFrame): Promise<void> {
    await this.open();
  }
  onData(): Unsubscribe {
    return () => undefined;
  }
  onError(): Unsubscribe {
    return () => undefined;
  }
}
