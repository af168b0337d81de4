/**
 * The contract of every pure frame parser: bytes in, frames out, no timers and no I/O. A parser
 * keeps a buffer across `push` calls (frames split over chunks), returns every complete frame it
 * finds (merged frames), skips bytes that cannot start a frame (garbage) and reports why it dropped
 * them, so that the session can turn a timeout into a precise error.
 */
export type ParseResult<F> = {
  frames: F[];
  /** Reasons for dropped bytes or frames, e.g. `"CRC mismatch in 01 03 02 …"`. */
  discarded: string[];
};

export interface FrameParser<F> {
  push(chunk: Uint8Array): ParseResult<F>;
  /** Bytes buffered and not yet parsed. */
  readonly pending: number;
  reset(): void;
}

/** A growable byte buffer with cheap consumption from the front. */
export class ByteBuffer {
  private bytes = new Uint8Array(64);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }
  append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.bytes.length) {
      const size = Math.max(this.bytes.length * 2, this.length + chunk.length);
      const next = new Uint8Array(size);
      next.set(this.bytes.subarray(this.start, this.end));
      this.end -= this.start;
      this.start = 0;
      this.bytes = next;
    }
    this.bytes.set(chunk, this.end);
    this.end += chunk.length;
  }
  at(index: number): number | undefined {
    return index < this.length ? this.bytes[this.start + index] : undefined;
  }
  view(): Uint8Array {
    return this.bytes.subarray(this.start, this.end);
  }
  /** Removes and returns the first `count` bytes (a copy). */
  take(count: number): Uint8Array {
    const out = this.bytes.slice(this.start, this.start + count);
    this.consume(count);
    return out;
  }
  consume(count: number): void {
    this.start += Math.min(count, this.length);
    if (this.start === this.end) this.start = this.end = 0;
  }
  clear(): void {
    this.start = this.end = 0;
  }
}
