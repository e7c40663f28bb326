import { closeSync, createWriteStream, openSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';
import { cannotWrite, makeFolders } from './output-errors.js';

/** Sinks whose temporary file exists (opened, neither committed nor aborted). */
const open = new Set<TextSink>();

/**
 * Buffered text output that respects back-pressure, written to a temporary file beside the
 * target and renamed into place only when the writer finishes: an interrupted write never leaves
 * a file that looks complete. Names ending in .gz are gzip-compressed.
 *
 * The temporary file is opened at once, so an output that cannot be written (a read-only
 * folder, a parent that is a file) fails in the constructor, before any work, with an
 * OutputError naming the target; a failure while writing rejects flush() or commit() with one.
 * A process stopped by a signal removes the temporary files of its open sinks with
 * discardOpenTextSinks() (the CLI does, on SIGINT and SIGTERM).
 */
export class TextSink {
  private parts: string[] = [];
  private pending = 0;
  private readonly file: WriteStream;
  private readonly out: WriteStream | Gzip;
  readonly tmp: string;
  private failed: Error | undefined;

  private closed = false;

  /** Opens the temporary file; the target's folder is created if it does not exist. */
  constructor(readonly path: string) {
    const dir = dirname(path);
    this.tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
    let fd: number;
    try {
      makeFolders(dir);
      fd = openSync(this.tmp, 'wx');
    } catch (e) {
      throw cannotWrite(path, e);
    }
    try {
      this.file = createWriteStream(this.tmp, { fd });
    } catch (e) {
      closeSync(fd);
      rmSync(this.tmp, { force: true });
      throw cannotWrite(path, e);
    }
    open.add(this);
    this.file.on('error', (e) => {
      this.failed = cannotWrite(path, e);
    });
    this.file.on('close', () => {
      this.closed = true;
    });
    if (path.toLowerCase().endsWith('.gz')) {
      const gz = createGzip();
      gz.pipe(this.file);
      this.out = gz;
    } else this.out = this.file;
  }

  /** Queue text; call flush() now and then (writers do it once a frame). */
  write(s: string): void {
    this.parts.push(s);
    this.pending += s.length;
  }

  /** Hand queued text to the stream once enough has built up, waiting if the stream is full. */
  async flush(force = false): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.pending === 0 || (!force && this.pending < 1 << 20)) return;
    const text = this.parts.join('');
    this.parts = [];
    this.pending = 0;
    // A stream that fails never drains: its error (or close) ends the wait too.
    if (!this.out.write(text))
      await new Promise<void>((res) => {
        const done = () => {
          this.out.off('drain', done);
          this.file.off('error', done);
          this.file.off('close', done);
          res();
        };
        this.out.once('drain', done);
        this.file.once('error', done);
        this.file.once('close', done);
      });
    if (this.failed) throw this.failed;
  }

  /** Finish: flush, close, rename the temporary file onto the target (on failure, delete it). */
  async commit(): Promise<void> {
    try {
      await this.flush(true);
      if (!this.closed)
        await new Promise<void>((res) => {
          this.file.once('close', () => res());
          this.out.end();
        });
      if (this.failed) throw this.failed;
      renameSync(this.tmp, this.path);
    } catch (e) {
      if (!this.closed) {
        this.out.destroy();
        this.file.destroy();
      }
      this.discard();
      throw cannotWrite(this.path, e);
    }
    open.delete(this);
  }

  /** Give up: close and delete the temporary file. */
  async abort(): Promise<void> {
    if (!this.closed)
      await new Promise<void>((res) => {
        this.file.once('close', () => res());
        this.out.destroy();
        this.file.destroy();
      });
    this.discard();
  }

  /** Delete the temporary file now (synchronously: also from a signal handler). */
  private discard(): void {
    rmSync(this.tmp, { force: true });
    open.delete(this);
  }

  /**
   * Delete the temporary file of every sink still open and return their targets (which were not
   * written): the last act of a process stopped by a signal.
   */
  static discardOpen(): string[] {
    const targets: string[] = [];
    for (const sink of [...open]) {
      targets.push(sink.path);
      sink.discard();
    }
    return targets;
  }
}

/** TextSink.discardOpen: remove every open sink's temporary file; returns their targets. */
export const discardOpenTextSinks = (): string[] => TextSink.discardOpen();
