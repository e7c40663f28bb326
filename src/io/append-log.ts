import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { OptionError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import type { Format, WriteOptions } from './format.js';
import type { TextSink } from './text-sink.js';
import { checkWriteFrame } from './value-limits.js';

/**
 * An output file written while a long run goes on (thermo rows, trajectory frames): each record
 * is one write() of its whole text, so a killed process loses at most the record being written,
 * and the readers report such a torn last record instead of failing. `bytes` is the length of the
 * complete records; a checkpoint stores it and a resumed run cuts the file back to it.
 */
export class AppendLog {
  private fd: number;
  bytes: number;

  /** Opens `path` fresh (truncated), or with `resumeAt` cut back to that many bytes to continue. */
  constructor(
    readonly path: string,
    resumeAt?: number,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    if (resumeAt === undefined) {
      this.fd = openSync(path, 'w');
      this.bytes = 0;
    } else {
      if (!existsSync(path)) throw new OptionError(`${path}: cannot resume, the file is missing`);
      const size = statSync(path).size;
      if (size < resumeAt)
        throw new OptionError(
          `${path}: cannot resume, the file holds ${size} bytes, the checkpoint expects ${resumeAt}`,
        );
      this.fd = openSync(path, 'r+');
      ftruncateSync(this.fd, resumeAt);
      this.bytes = resumeAt;
    }
  }

  /** Append one whole record. */
  append(text: string): void {
    const b = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off, this.bytes + off);
    this.bytes += b.length;
  }

  /** Make what was written durable (before a checkpoint refers to it). */
  sync(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * The text a format's writer gives for one frame (for AppendLog records); `file` names the file
 * the record goes to in an error (a frame with a number no file can hold faithfully).
 */
export const frameText = async (
  format: Format,
  frame: Structure,
  options: WriteOptions,
  file = `a ${format.name} record`,
): Promise<string> => {
  checkWriteFrame(frame, file, 1);
  const parts: string[] = [];
  const sink = {
    path: file,
    write: (s: string) => {
      parts.push(s);
    },
    flush: async () => {},
  } as unknown as TextSink;
  async function* one() {
    yield frame;
  }
  await format.write!(sink, one(), options);
  return parts.join('');
};
