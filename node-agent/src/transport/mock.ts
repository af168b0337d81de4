import { TransportError } from "../errors.js";
import { type Channel, Listeners, type Unsubscribe } from "./transport.js";

/**
 * An in-memory channel modelled on serialport's `MockBinding`: records every write, lets a test
 * (or a simulator) push incoming data, and can answer writes through a responder.
 *
 * @example
 * const port = new MockChannel<Uint8Array>({ respond: (request) => simulator.handle(request) });
 */
export type MockChannelParameters<M> = {
  description?: string;
  /** Answers a write; returned messages are delivered asynchronously, in order. */
  respond?: (message: M) => M[] | M | undefined;
  /** Delay before delivering a response. Default: 0 (next macrotask). */
  responseDelayMs?: number;
};

export class MockChannel<M> implements Channel<M> {
  readonly description: string;
  readonly recording: M[] = [];
  isOpen = false;
  private readonly data = new Listeners<M>();
  private readonly errors = new Listeners<Error>();
  respond: ((message: M) => M[] | M | undefined) | undefined;
  responseDelayMs: number;

  constructor(parameters: MockChannelParameters<M> = {}) {
    this.description = parameters.description ?? "mock";
    this.respond = parameters.respond;
    this.responseDelayMs = parameters.responseDelayMs ?? 0;
  }

  get lastWrite(): M | undefined {
    return this.recording.at(-1);
  }

  async open(): Promise<void> {
    this.isOpen = true;
  }
  async close(): Promise<void> {
    this.isOpen = false;
  }

  async write(message: M): Promise<void> {
    if (!this.isOpen) throw new TransportError(`${this.description} is not open`);
    this.recording.push(message);
    const reply = this.respond?.(message);
    if (reply === undefined) return;
    const replies = Array.isArray(reply) ? reply : [reply];
    setTimeout(() => {
      for (const item of replies) this.emitData(item);
    }, this.responseDelayMs);
  }

  /** Simulates incoming data. */
  emitData(message: M): void {
    this.data.emit(message);
  }
  /** Simulates a device failure. */
  emitError(error: Error): void {
    this.errors.emit(error);
  }

  onData(listener: (message: M) => void): Unsubscribe {
    return this.data.add(listener);
  }
  onError(listener: (error: Error) => void): Unsubscribe {
    return this.errors.add(listener);
  }
}
