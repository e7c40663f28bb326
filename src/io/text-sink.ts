import { createWriteStream, mkdirSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';

/**
 * Buffered text output that respects back-pressure, written to a temporary file beside the
 * target and renamed into place only when the writer finishes: an interrupted write never leaves
 * a file that looks complete. Names ending in .gz are gzip-compressed.
 */
export class TextSink {
  private parts: string[] = [];
  private pending = 0;
  private readonly file: WriteStream;
  private readonly out: WriteStream | Gzip;
  private readonly tmp: string;
  private failed: Error | undefined;

  private closed = false;

  /** Opens the temporary file; the target's folder is created if it does not exist. */
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
    this.file = createWriteStream(this.tmp);
    this.file.on('error', (e) => {
      this.failed = e;
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
    if (!this.out.write(text)) await new Promise<void>((res) => this.out.once('drain', () => res()));
  }

  /** Finish: flush, close, rename the temporary file onto the target. */
  async commit(): Promise<void> {
    await this.flush(true);
    if (!this.closed)
      await new Promise<void>((res) => {
        this.file.once('close', () => res());
        this.out.end();
      });
    if (this.failed) {
      rmSync(this.tmp, { force: true });
      throw this.failed;
    }
    renameSync(this.tmp, this.path);
  }

  /** Give up: close and delete the temporary file. */
  async abort(): Promise<void> {
    if (!this.closed)
      await new Promise<void>((res) => {
        this.file.once('close', () => res());
        this.out.destroy();
        this.file.destroy();
      });
    rmSync(this.tmp, { force: true });
  }
}
