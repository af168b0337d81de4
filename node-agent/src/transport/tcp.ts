import { Socket } from "node:net";
import { TransportError } from "../errors.js";
import { type ByteTransport, Listeners, type Unsubscribe } from "./transport.js";

export type TcpTransportParameters = {
  host: string;
  port: number;
  /** Default: 5000 ms. */
  connectTimeoutMs?: number;
};

/**
 * A transparent RS-485-to-Ethernet bridge (USR-TCP232, Moxa NPort in "TCP server" mode): raw RTU
 * bytes over a TCP socket, not Modbus TCP. Line settings live in the bridge, so `update` is a no-op.
 */
export class TcpTransport implements ByteTransport {
  readonly description: string;
  private socket: Socket | undefined;
  private readonly data = new Listeners<Uint8Array>();
  private readonly errors = new Listeners<Error>();

  constructor(private readonly parameters: TcpTransportParameters) {
    this.description = `tcp:${parameters.host}:${parameters.port}`;
  }

  get isOpen(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    const { host, port, connectTimeoutMs = 5000 } = this.parameters;
    const socket = new Socket();
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new TransportError(`Connecting to ${host}:${port} timed out`));
      }, connectTimeoutMs);
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(
          new TransportError(`Cannot connect to ${host}:${port}`, { cause: error, details: error.message }),
        );
      });
      socket.connect(port, host, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    socket.on("data", (chunk: Buffer) => this.data.emit(new Uint8Array(chunk)));
    socket.on("error", (error) =>
      this.errors.emit(
        new TransportError(`Bridge ${host}:${port} failed`, { cause: error, details: error.message }),
      ),
    );
    socket.on("close", () => {
      if (this.socket === socket) {
        this.socket = undefined;
        this.errors.emit(new TransportError(`Bridge ${host}:${port} closed the connection`));
      }
    });
    this.socket = socket;
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    await new Promise<void>((resolve) => socket.end(() => resolve()));
    socket.destroy();
  }

  async write(bytes: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (!socket) throw new TransportError(`${this.description} is not connected`);
    await new Promise<void>((resolve, reject) =>
      socket.write(bytes, (error) =>
        error ? reject(new TransportError("TCP write failed", { cause: error })) : resolve(),
      ),
    );
  }

  async update(): Promise<void> {}

  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    return this.data.add(listener);
  }
  onError(listener: (error: Error) => void): Unsubscribe {
    return this.errors.add(listener);
  }
}
