import { TransportError } from "../errors.js";
import {
  encodeBitrate,
  encodeSlcanFrame,
  SLCAN_CLOSE,
  SLCAN_OPEN,
  SlcanParser,
} from "../protocol/slcan/frame.js";
import {
  type ByteTransport,
  type CanFrame,
  type CanTransport,
  Listeners,
  type Unsubscribe,
} from "./transport.js";

export type SlcanTransportParameters = {
  /** The serial (or mock) byte transport the adapter sits on. */
  serial: ByteTransport;
  /** CAN bitrate. Default: 125000. */
  bitrate?: number;
};

/**
 * CAN over an slcan (Lawicell) adapter: works on the Pi without kernel CAN and in CI over a pty.
 * Opening sends `C` (close, in case it was left open), `Sn` and `O`.
 */
export class SlcanTransport implements CanTransport {
  readonly description: string;
  private readonly parser = new SlcanParser();
  private readonly frames = new Listeners<CanFrame>();
  private readonly errors = new Listeners<Error>();
  private unsubscribe: Unsubscribe[] = [];

  constructor(private readonly parameters: SlcanTransportParameters) {
    this.description = `slcan:${parameters.serial.description}`;
  }

  get isOpen(): boolean {
    return this.parameters.serial.isOpen;
  }

  async open(): Promise<void> {
    const serial = this.parameters.serial;
    await serial.open();
    this.unsubscribe.push(
      serial.onData((bytes) => {
        for (const event of this.parser.push(bytes).frames) {
          if (event.kind === "frame") this.frames.emit(event.frame);
        }
      }),
      serial.onError((error) => this.errors.emit(error)),
    );
    await serial.write(SLCAN_CLOSE);
    await serial.write(encodeBitrate(this.parameters.bitrate ?? 125_000));
    await serial.write(SLCAN_OPEN);
  }

  async close(): Promise<void> {
    const serial = this.parameters.serial;
    if (serial.isOpen) await serial.write(SLCAN_CLOSE).catch(() => undefined);
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    await serial.close();
  }

  async write(frame: CanFrame): Promise<void> {
    if (!this.isOpen) throw new TransportError(`${this.description} is not open`);
    await this.parameters.serial.write(encodeSlcanFrame(frame));
  }

  onData(listener: (frame: CanFrame) => void): Unsubscribe {
    return this.frames.add(listener);
  }
  onError(listener: (error: Error) => void): Unsubscribe {
    return this.errors.add(listener);
  }
}
