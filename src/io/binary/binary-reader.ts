import { ParseError } from '../../core/errors.js';
import { appendToWindow, type ByteStream, type PullSource } from '../byte-source.js';

/**
 * Bytes read at a time from a pull source (the window grows when a record is larger), unless the
 * caller gives the window (then as much as fits in it).
 */
const PULL_BYTES = 4 << 20;

/** A DataView of exactly the bytes of `b` (which may be a view into a larger buffer). */
const viewOf = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/**
 * Sequential reader over a byte stream for binary formats: `ensure(n)` (async, once a record)
 * makes n bytes available, then the typed getters read them synchronously. Errors name the byte
 * offset in the (decompressed) stream.
 */
export class BinaryReader {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  private len = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  private done = false;
  private readonly it?: AsyncIterator<Uint8Array>;
  private readonly pull?: PullSource;
  private readonly given: boolean;
  littleEndian = true;

  /**
   * Over a stream of chunks (each copied into the window), or a pull source read into it directly.
   * `window`: the window to start with (ReadOptions.readWindow; a pull source then reads as much
   * as fits at a time); a larger one is allocated when a record does not fit.
   */
  constructor(
    stream: ByteStream | AsyncIterable<Uint8Array> | PullSource,
    readonly file: string,
    window?: Uint8Array,
  ) {
    if ('read' in stream) this.pull = stream;
    else this.it = stream[Symbol.asyncIterator]();
    this.buf = window ?? new Uint8Array(1 << 20);
    this.given = window !== undefined;
    this.view = viewOf(this.buf);
  }

  /** Offset of the next byte in the stream. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Make n bytes available; false if the stream ends first (then `available` tells how many). */
  async ensure(n: number): Promise<boolean> {
    if (this.pull) return this.pullAtLeast(n, this.pull);
    while (this.len - this.pos < n) {
      if (this.done) return false;
      const r = await this.it!.next();
      if (r.done) {
        this.done = true;
        return this.len - this.pos >= n;
      }
      this.append(r.value);
    }
    return true;
  }

  /** ensure(n) or a ParseError "expected <what>, found end of file". */
  async need(n: number, what: string): Promise<void> {
    if (!(await this.ensure(n)))
      throw new ParseError({
        file: this.file,
        byteOffset: this.offset,
        expected: what,
        found: `end of file after ${this.len - this.pos} more bytes`,
      });
  }

  get available(): number {
    return this.len - this.pos;
  }

  /** True at the end of the stream (no byte left). */
  async atEnd(): Promise<boolean> {
    return !(await this.ensure(1));
  }

  /** ensure(n) from a pull source: the unread bytes moved to the front, the rest of the window filled. */
  private async pullAtLeast(n: number, pull: PullSource): Promise<boolean> {
    while (this.len - this.pos < n) {
      if (this.done) return false;
      const keep = this.len - this.pos;
      if (this.pos > 0) {
        this.buf.copyWithin(0, this.pos, this.len);
        this.base += this.pos;
        this.pos = 0;
        this.len = keep;
      }
      // A window given is read into as it is, unless it cannot hold 1.5 times the bytes asked for.
      const size = this.given ? n + (n >> 1) : Math.max(PULL_BYTES, n + (n >> 1));
      if (this.buf.length < size) {
        const grown = new Uint8Array(Math.max(PULL_BYTES, size));
        grown.set(this.buf.subarray(0, keep));
        this.buf = grown;
        this.view = viewOf(grown);
      }
      const got = await pull.read(this.buf, this.len, this.buf.length - this.len);
      if (got === 0) {
        this.done = true;
        return this.len - this.pos >= n;
      }
      this.len += got;
    }
    return true;
  }

  private append(chunk: Uint8Array): void {
    const next = appendToWindow(this.buf, this.pos, this.len, chunk);
    if (next !== this.buf) {
      this.buf = next;
      this.view = viewOf(next);
    }
    this.base += this.pos;
    this.len = this.len - this.pos + chunk.length;
    this.pos = 0;
  }

  /** Peek at bytes without consuming them. */
  peekBytes(n: number): Uint8Array {
    return this.buf.subarray(this.pos, this.pos + n);
  }

  int32(): number {
    const v = this.view.getInt32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  uint32(): number {
    const v = this.view.getUint32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  int64(): number {
    const v = Number(this.view.getBigInt64(this.pos, this.littleEndian));
    this.pos += 8;
    return v;
  }

  float32(): number {
    const v = this.view.getFloat32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  float64(): number {
    const v = this.view.getFloat64(this.pos, this.littleEndian);
    this.pos += 8;
    return v;
  }

  /** n bytes (a view into the buffer, valid until the next ensure()). */
  bytes(n: number): Uint8Array {
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  skip(n: number): void {
    this.pos += n;
  }

  error(expected: string, found?: string, at = this.offset): ParseError {
    return new ParseError({ file: this.file, byteOffset: at, expected, found });
  }

  async close(): Promise<void> {
    if (this.pull) await this.pull.close();
    else await this.it!.return?.();
  }
}
