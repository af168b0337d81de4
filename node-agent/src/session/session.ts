import {
  AgentError,
  ChecksumError,
  describeError,
  RetryableError,
  TimeoutError,
  TransportError,
} from "../errors.js";
import type { Logger } from "../logger.js";
import type { ParseResult } from "../protocol/parser.js";
import type { Channel } from "../transport/transport.js";

/** Turns incoming messages (bytes or CAN frames) into decoded frames; see {@link FrameParser}. */
export interface MessageDecoder<M, F> {
  push(message: M): ParseResult<F>;
}

/**
 * One request and the answer it waits for.
 *
 * @example
 * const registers = await session.transact({
 *   describe: "FC04 slave 1 0x0048+4",
 *   request: encodeReadRequest(request),
 *   decoder: () => new ModbusRtuParser({ address: 1, function: 4 }),
 *   accept: (response) => expectRegisters(response, request),
 * });
 */
export type Exchange<M, F, T> = {
  /** Says what was asked, for errors and logs. */
  describe: string;
  /** Messages written in order; empty to only wait (e.g. for a prompt). */
  request: M | readonly M[];
  /** A fresh decoder per attempt. */
  decoder: () => MessageDecoder<M, F>;
  /** Maps a decoded frame to the result; `undefined` means "not the answer, keep waiting"; throwing fails the exchange. */
  accept: (frame: F) => T | undefined;
  /** Default: the session's `timeoutMs`. */
  timeoutMs?: number;
  /** Default: the session's `retries`. Retries only happen on {@link RetryableError}. */
  retries?: number;
  /** Runs after the request is written and before the answer is due (e.g. an IEC 62056-21 baud switch). */
  afterWrite?: () => Promise<void>;
};

export type SessionOptions = {
  /** Response timeout. Default: 1000 ms. */
  timeoutMs?: number;
  /** Retries after a timeout or checksum error. Default: 2. */
  retries?: number;
  /** Silence kept between the end of one exchange and the next request (≥ t3.5 for Modbus). Default: 5 ms. */
  turnaroundMs?: number;
  /** Pause before a retry. Default: 50 ms. */
  retryDelayMs?: number;
};

export type SessionStats = {
  requests: number;
  timeouts: number;
  checksumErrors: number;
  refusals: number;
  transportErrors: number;
};

/** The exchange API available inside {@link BusSession.exclusive}. */
export interface Bus<M> {
  transact<F, T>(exchange: Exchange<M, F, T>): Promise<T>;
  /** Writes without waiting for an answer (IEC break, slcan commands). */
  send(message: M): Promise<void>;
  sleep(ms: number): Promise<void>;
  /** The underlying channel, for line-setting changes (IEC baud switch). */
  readonly channel: Channel<M>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The session layer of one bus: one request in flight (an RS-485 bus has one master), timeouts,
 * retries by error class and request/response matching. Opens the channel lazily and reopens it
 * after a transport error, so an unplugged converter costs the readings of that moment and no more.
 */
export class BusSession<M> {
  readonly stats: SessionStats = {
    requests: 0,
    timeouts: 0,
    checksumErrors: 0,
    refusals: 0,
    transportErrors: 0,
  };
  private tail: Promise<unknown> = Promise.resolve();
  private lastActivity = 0;
  private broken = false;
  private readonly options: Required<SessionOptions>;

  constructor(
    readonly channel: Channel<M>,
    options: SessionOptions = {},
    private readonly logger?: Logger,
  ) {
    this.options = { timeoutMs: 1000, retries: 2, turnaroundMs: 5, retryDelayMs: 50, ...options };
    channel.onError((error) => {
      this.broken = true;
      this.logger?.warn("bus transport error", { bus: channel.description, reason: describeError(error) });
    });
  }

  /** Runs `fn` with the bus to itself (a multi-message session such as IEC or Mercury login). */
  exclusive<T>(fn: (bus: Bus<M>) => Promise<T>): Promise<T> {
    const run = this.tail.then(() =>
      fn({
        transact: (exchange) => this.transactUnlocked(exchange),
        send: (message) => this.sendUnlocked(message),
        sleep,
        channel: this.channel,
      }),
    );
    this.tail = run.catch(() => undefined);
    return run;
  }

  transact<F, T>(exchange: Exchange<M, F, T>): Promise<T> {
    return this.exclusive((bus) => bus.transact(exchange));
  }

  async close(): Promise<void> {
    await this.tail;
    await this.channel.close();
  }

  private async ensureOpen(): Promise<void> {
    if (this.broken && this.channel.isOpen) await this.channel.close().catch(() => undefined);
    this.broken = false;
    if (!this.channel.isOpen) await this.channel.open();
  }

  private async sendUnlocked(message: M): Promise<void> {
    await this.ensureOpen();
    await this.turnaround();
    await this.channel.write(message);
    this.lastActivity = Date.now();
  }

  private async turnaround(): Promise<void> {
    const wait = this.lastActivity + this.options.turnaroundMs - Date.now();
    if (wait > 0) await sleep(wait);
  }

  private async transactUnlocked<F, T>(exchange: Exchange<M, F, T>): Promise<T> {
    const retries = exchange.retries ?? this.options.retries;
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(this.options.retryDelayMs * attempt);
      try {
        this.stats.requests++;
        return await this.attempt(exchange);
      } catch (error) {
        lastError = error;
        if (error instanceof TimeoutError) this.stats.timeouts++;
        else if (error instanceof ChecksumError) this.stats.checksumErrors++;
        else if (error instanceof TransportError) {
          this.stats.transportErrors++;
          this.broken = true;
        } else if (error instanceof AgentError && !(error instanceof RetryableError)) this.stats.refusals++;
        if (!(error instanceof RetryableError)) throw error;
        this.logger?.debug("exchange failed, retrying", {
          bus: this.channel.description,
          what: exchange.describe,
          attempt,
          reason: describeError(error),
        });
      }
    }
    throw lastError;
  }

  private async attempt<F, T>(exchange: Exchange<M, F, T>): Promise<T> {
    await this.ensureOpen();
    await this.turnaround();
    const decoder = exchange.decoder();
    const timeoutMs = exchange.timeoutMs ?? this.options.timeoutMs;
    const discarded: string[] = [];
    try {
      return await new Promise<T>((resolve, reject) => {
        let done = false;
        const finish = (error: unknown, value?: T) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          offData();
          offError();
          if (error) reject(error);
          else resolve(value as T);
        };
        const timer = setTimeout(() => {
          const badChecksum = discarded.some((reason) => /CRC|BCC/.test(reason));
          const ErrorClass = badChecksum ? ChecksumError : TimeoutError;
          finish(
            new ErrorClass(
              `${badChecksum ? "Checksum error" : "No answer"} from ${exchange.describe} within ${timeoutMs} ms`,
              {
                details: discarded.length ? discarded.slice(-5).join("; ") : "nothing received",
                metaMessages: [`bus: ${this.channel.description}`],
              },
            ),
          );
        }, timeoutMs);
        const offData = this.channel.onData((message) => {
          if (done) return;
          const result = decoder.push(message);
          discarded.push(...result.discarded);
          for (const frame of result.frames) {
            try {
              const value = exchange.accept(frame);
              if (value !== undefined) return finish(undefined, value);
            } catch (error) {
              return finish(error);
            }
          }
        });
        const offError = this.channel.onError((error) => finish(error));
        const requests = (Array.isArray(exchange.request) ? exchange.request : [exchange.request]) as M[];
        (async () => {
          for (const message of requests) await this.channel.write(message);
          await exchange.afterWrite?.();
        })().catch((error) =>
          finish(
            error instanceof AgentError
              ? error
              : new TransportError(`Write to ${this.channel.description} failed`, {
                  cause: error,
                  details: describeError(error),
                }),
          ),
        );
      });
    } finally {
      this.lastActivity = Date.now();
      if (discarded.length)
        this.logger?.debug("bytes discarded", {
          bus: this.channel.description,
          what: exchange.describe,
          discarded,
        });
    }
  }
}
