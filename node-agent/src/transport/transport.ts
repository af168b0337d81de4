/**
 * Transports move bytes (or CAN frames) and nothing else: no framing, no timers beyond the OS's.
 * They are constructed from configuration by {@link ../transport/index.ts createTransport} and
 * injected into a session; a driver never constructs one.
 */
export type Unsubscribe = () => void;

/** A duplex channel of messages of type `M`: bytes for serial/TCP, frames for CAN. */
export interface Channel<M> {
  /** Human-readable name for logs, e.g. `serial:/dev/ttyUSB0@9600`. */
  readonly description: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  close(): Promise<void>;
  write(message: M): Promise<void>;
  /** Subscribes to incoming messages. */
  onData(listener: (message: M) => void): Unsubscribe;
  /** Subscribes to an unexpected close or a device error (unplugged converter, dropped socket). */
  onError(listener: (error: Error) => void): Unsubscribe;
}

export type SerialSettings = {
  baudRate: number;
  /** Default: 8. IEC 62056-21 uses 7. */
  dataBits?: 7 | 8;
  /** Default: `"none"`. */
  parity?: "none" | "even" | "odd";
  /** Default: 1. */
  stopBits?: 1 | 2;
};

/** A byte channel (serial port, TCP bridge, mock). */
export interface ByteTransport extends Channel<Uint8Array> {
  /** Changes line settings (IEC 62056-21 baud switch). A TCP bridge ignores it. */
  update?(settings: Partial<SerialSettings>): Promise<void>;
}

/** One classic CAN frame. */
export type CanFrame = {
  /** 11-bit (standard) or 29-bit (extended) identifier. */
  id: number;
  extended?: boolean;
  data: Uint8Array;
};

/** A CAN channel (slcan adapter, SocketCAN). */
export type CanTransport = Channel<CanFrame>;

/** Listener bookkeeping shared by the implementations. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();
  add(listener: (value: T) => void): Unsubscribe {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }
  emit(value: T): void {
    for (const listener of [...this.set]) listener(value);
  }
  get size(): number {
    return this.set.size;
  }
}
