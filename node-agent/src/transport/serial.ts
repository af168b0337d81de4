import { SerialPort } from "serialport";
import { TransportError } from "../errors.js";
import { type ByteTransport, Listeners, type SerialSettings, type Unsubscribe } from "./transport.js";

export type SerialTransportParameters = SerialSettings & { path: string };

/**
 * A serial port through npm `serialport` (USB RS-485 converters: CH340, FT232, CP2102). Direction
 * control is left to the converter (automatic direction); RTS toggling is not used because a pty
 * and many converters refuse modem-control ioctls.
 */
export class SerialTransport implements ByteTransport {
  readonly description: string;
  private port: SerialPort | undefined;
  private readonly data = new Listeners<Uint8Array>();
  private readonly errors = new Listeners<Error>();
  private settings: SerialTransportParameters;

  constructor(parameters: SerialTransportParameters) {
    this.settings = { ...parameters };
    this.description = `serial:${parameters.path}@${parameters.baudRate}`;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    const { path, baudRate, dataBits = 8, parity = "none", stopBits = 1 } = this.settings;
    const port = new SerialPort({ path, baudRate, dataBits, parity, stopBits, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      port.open((error) =>
        error
          ? reject(
              new TransportError(`Cannot open serial port ${path}`, { cause: error, details: error.message }),
            )
          : resolve(),
      ),
    );
    port.on("data", (chunk: Buffer) => this.data.emit(new Uint8Array(chunk)));
    port.on("error", (error: Error) =>
      this.errors.emit(
        new TransportError(`Serial port ${path} failed`, { cause: error, details: error.message }),
      ),
    );
    port.on("close", (error?: Error | null) => {
      // `close` with an error means the device went away (unplugged converter).
      if (error)
        this.errors.emit(
          new TransportError(`Serial port ${path} closed`, { cause: error, details: error.message }),
        );
    });
    this.port = port;
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (!port?.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  async write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) throw new TransportError(`Serial port ${this.settings.path} is not open`);
    await new Promise<void>((resolve, reject) =>
      port.write(Buffer.from(bytes), (error) =>
        error
          ? reject(new TransportError("Serial write failed", { cause: error, details: error.message }))
          : resolve(),
      ),
    );
    await new Promise<void>((resolve, reject) =>
      port.drain((error) =>
        error ? reject(new TransportError("Serial drain failed", { cause: error })) : resolve(),
      ),
    );
  }

  async update(settings: Partial<SerialSettings>): Promise<void> {
    this.settings = { ...this.settings, ...settings };
    const port = this.port;
    if (port?.isOpen && settings.baudRate) {
      await new Promise<void>((resolve, reject) =>
        port.update({ baudRate: settings.baudRate! }, (error) =>
          error ? reject(new TransportError("Baud change failed", { cause: error })) : resolve(),
        ),
      );
    }
  }

  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    return this.data.add(listener);
  }
  onError(listener: (error: Error) => void): Unsubscribe {
    return this.errors.add(listener);
  }
}
