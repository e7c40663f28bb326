import { ParseError } from '../../core/errors.js';
import { appendToWindow, type ByteStream } from '../byte-source.js';
import { MAX_COORDINATE_A } from '../value-limits.js';
import { decodeLatin1, parseFloatBytes, parseIntBytes } from './parse-number.js';

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/**
 * Pulls lines out of a byte stream without decoding them to strings, and splits a line into
 * whitespace-separated fields (offsets into the buffer). The hot-loop pattern is
 *
 *   if (!r.tryNext() && !(await r.refill())) -> end of file
 *
 * so that the await happens once a chunk, not once a line. All parse helpers throw a ParseError
 * naming the file, the 1-based line and the column of the field.
 */
export class LineReader {
  /** Buffer that holds the current line between `start` and `end` (newline and CR excluded). */
  buf: Uint8Array = new Uint8Array(1 << 21);
  start = 0;
  end = 0;
  /** 1-based number of the current line (0 before the first). */
  lineNo = 0;
  /** Field offsets of the current line after split(). */
  fieldStart = new Int32Array(64);
  fieldEnd = new Int32Array(64);
  nfields = 0;
  /** True once the last line of the file was read and it had no newline (a torn last write). */
  unterminated = false;
  private replay = false;
  private pos = 0;
  private len = 0;
  private done = false;
  private readonly it: AsyncIterator<Uint8Array>;

  constructor(
    stream: ByteStream | AsyncIterable<Uint8Array>,
    /** The file name used in error messages. */
    readonly file: string,
  ) {
    this.it = stream[Symbol.asyncIterator]();
  }

  /** Advance to the next line if a complete one is buffered; no I/O. */
  tryNext(): boolean {
    if (this.replay) {
      this.replay = false;
      this.nfields = -1;
      return true;
    }
    const k = this.buf.indexOf(NL, this.pos);
    if (k < 0 || k >= this.len) return false;
    this.start = this.pos;
    this.end = k > this.pos && this.buf[k - 1] === CR ? k - 1 : k;
    this.pos = k + 1;
    this.lineNo++;
    this.nfields = -1;
    return true;
  }

  /** Read more data and advance to the next line; false at end of file. */
  async refill(): Promise<boolean> {
    for (;;) {
      if (this.tryNext()) return true;
      if (this.done) {
        if (this.pos < this.len) {
          // Last line without a trailing newline.
          this.unterminated = true;
          this.start = this.pos;
          this.end = this.len > this.pos && this.buf[this.len - 1] === CR ? this.len - 1 : this.len;
          this.pos = this.len;
          this.lineNo++;
          this.nfields = -1;
          return true;
        }
        return false;
      }
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        continue;
      }
      this.append(r.value);
    }
  }

  /** Next line, or false at end of file (convenience for code outside hot loops). */
  async next(): Promise<boolean> {
    return this.tryNext() || (await this.refill());
  }

  /** Next line; throws a ParseError "expected <what>, found end of file" when there is none. */
  async need(what: string): Promise<void> {
    if (!(this.tryNext() || (await this.refill())))
      throw new ParseError({ file: this.file, line: this.lineNo + 1, expected: what, found: 'end of file' });
  }

  private append(chunk: Uint8Array): void {
    this.buf = appendToWindow(this.buf, this.pos, this.len, chunk);
    this.len = this.len - this.pos + chunk.length;
    this.pos = 0;
  }

  /** Make the next tryNext()/next() return the current line again (one line of look-back). */
  unread(): void {
    this.replay = true;
  }

  /** Release the underlying stream early (a reader that stops before the end). */
  async close(): Promise<void> {
    await this.it.return?.();
  }

  /** Split the current line on spaces and tabs; returns the number of fields. */
  split(): number {
    const b = this.buf;
    let n = 0;
    let i = this.start;
    const e = this.end;
    for (;;) {
      while (i < e && (b[i] === SPACE || b[i] === TAB)) i++;
      if (i >= e) break;
      if (n === this.fieldStart.length) {
        const fs = new Int32Array(n * 2);
        fs.set(this.fieldStart);
        this.fieldStart = fs;
        const fe = new Int32Array(n * 2);
        fe.set(this.fieldEnd);
        this.fieldEnd = fe;
      }
      this.fieldStart[n] = i;
      while (i < e && b[i] !== SPACE && b[i] !== TAB) i++;
      this.fieldEnd[n++] = i;
    }
    this.nfields = n;
    return n;
  }

  /** The current line as text. */
  text(): string {
    return decodeLatin1(this.buf, this.start, this.end);
  }

  /** Field k of the current line as text (split() first). */
  field(k: number): string {
    return decodeLatin1(this.buf, this.fieldStart[k], this.fieldEnd[k]);
  }

  /** True when the current line is empty or only whitespace. */
  isBlank(): boolean {
    for (let i = this.start; i < this.end; i++)
      if (this.buf[i] !== SPACE && this.buf[i] !== TAB) return false;
    return true;
  }

  /** True when the current line, after leading whitespace, starts with `prefix` (ASCII). */
  startsWith(prefix: string, ignoreCase = false): boolean {
    let i = this.start;
    while (i < this.end && (this.buf[i] === SPACE || this.buf[i] === TAB)) i++;
    if (this.end - i < prefix.length) return false;
    for (let k = 0; k < prefix.length; k++) {
      let c = this.buf[i + k];
      let p = prefix.charCodeAt(k);
      if (ignoreCase) {
        if (c >= 97 && c <= 122) c -= 32;
        if (p >= 97 && p <= 122) p -= 32;
      }
      if (c !== p) return false;
    }
    return true;
  }

  /**
   * Field k as a float; a ParseError naming `what` if it is missing, not a number, or a number
   * beyond the doubles ("1e400" would be Infinity).
   */
  float(k: number, what: string): number {
    if (k >= this.nfields) throw this.error(what, k);
    const v = parseFloatBytes(this.buf, this.fieldStart[k], this.fieldEnd[k]);
    if (!Number.isFinite(v)) throw this.error(what, k);
    return v;
  }

  /**
   * Field k as a coordinate: a float within +-`limit` (default MAX_COORDINATE_A; give
   * MAX_FRACTIONAL for fractional coordinates), else a ParseError that says so.
   */
  coordinate(k: number, what: string, limit = MAX_COORDINATE_A): number {
    const v = this.float(k, what);
    if (!(Math.abs(v) <= limit)) throw this.error(`${what} within +-${limit}`, k);
    return v;
  }

  /** Field k as an integer; a ParseError naming `what` otherwise (or beyond 2^53, where doubles skip integers). */
  int(k: number, what: string): number {
    if (k >= this.nfields) throw this.error(what, k);
    const v = parseIntBytes(this.buf, this.fieldStart[k], this.fieldEnd[k]);
    if (!Number.isSafeInteger(v)) throw this.error(what, k);
    return v;
  }

  /** Require at least `n` fields on the current line. */
  requireFields(n: number, what: string): void {
    if (this.nfields < 0) this.split();
    if (this.nfields < n) throw this.error(what, this.nfields);
  }

  /**
   * A ParseError at the current line: at field k's column (found = that field), or, past the last
   * field, at the end of the line (found = the whole line).
   */
  error(expected: string, k?: number): ParseError {
    if (k !== undefined && this.nfields < 0) this.split();
    if (k !== undefined && k < this.nfields)
      return new ParseError({
        file: this.file,
        line: this.lineNo,
        column: this.fieldStart[k] - this.start + 1,
        expected,
        found: this.field(k),
      });
    return new ParseError({
      file: this.file,
      line: this.lineNo,
      column: k !== undefined ? this.end - this.start + 1 : undefined,
      expected,
      found: this.text() || '(empty line)',
    });
  }
}
