import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { OligolyteError, ParseError } from '../core/errors.js';

/** A file to read: its path and how it is named in error messages. */
export interface InputFile {
  path: string;
  /** Size of the file on disk (compressed size for .gz), bytes. */
  size: number;
  /** True when the content is gzip-compressed (detected from the magic bytes, not the name). */
  gzip: boolean;
  /** Told how many bytes of the file on disk have been read so far (for progress bars). */
  onRawBytes?: (bytes: number) => void;
  /**
   * Read with blocking calls (a pull source: openPullSource): for a thread that does nothing but
   * read (read-ahead-worker.ts), where an asynchronous read only adds a hand-off to libuv's
   * thread pool and back per read. Never on a thread that serves other work.
   */
  blockingReads?: boolean;
}

const CHUNK = 1 << 20;

/** Describe a file: size and whether it is gzip (magic bytes 1f 8b). */
export const inspectInput = async (path: string): Promise<InputFile> => {
  try {
    const stat = statSync(path);
    // Opening a directory succeeds on Linux; only its first read fails, with an EISDIR that
    // names no path (issue 25 item 14).
    if (stat.isDirectory()) throw new OligolyteError(`${path}: is a directory, not a file`);
    const fh = await open(path, 'r');
    try {
      const head = new Uint8Array(2);
      const { bytesRead } = await fh.read(head, 0, 2, 0);
      return { path, size: stat.size, gzip: bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b };
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw inputError(path, e, 0);
  }
};

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a folder on the path is a file',
  ELOOP: 'too many symbolic links',
};

/**
 * An error met while reading `path`, as an OligolyteError that names the file: a gzip stream that
 * does not decompress (corrupt or truncated; zlib's own message names neither the file nor the
 * place) becomes a ParseError at the decompressed bytes handed on before it (the fault is in the
 * next chunk of up to CHUNK bytes, or at the end where the checksum is compared); an
 * operating-system error gets the path and a plain description. Our own errors pass unchanged.
 */
export const inputError = (path: string, e: unknown, decompressedOffset: number): unknown => {
  if (e instanceof OligolyteError) return e;
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code === 'string' && err.code.startsWith('Z_'))
    return new ParseError({
      file: path,
      byteOffset: decompressedOffset,
      expected: 'gzip data that decompresses (the file is corrupt or truncated)',
      found: err.message,
    });
  if (typeof err?.code === 'string' && typeof err.syscall === 'string')
    return new OligolyteError(`${path}: ${ERRNO_TEXT[err.code] ?? err.message}`);
  return e;
};

/**
 * The file's (decompressed) bytes as a stream of chunks. `rawBytes()` reports how much of the file
 * on disk has been consumed, for progress bars.
 */
export interface ByteStream extends AsyncIterable<Uint8Array> {
  rawBytes(): number;
}

export const openByteStream = (input: InputFile): ByteStream => {
  const raw = createReadStream(input.path, { highWaterMark: CHUNK });
  let consumed = 0;
  const report = input.onRawBytes;
  raw.on('data', (c) => {
    consumed += c.length;
    report?.(consumed);
  });
  const stream = input.gzip ? raw.pipe(createGunzip({ chunkSize: CHUNK })) : raw;
  if (input.gzip) raw.on('error', (e) => stream.destroy(e));
  return {
    rawBytes: () => consumed,
    [Symbol.asyncIterator]: (): AsyncIterator<Uint8Array> => {
      const it = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
      let delivered = 0;
      return {
        next: async () => {
          try {
            const r = await it.next();
            if (!r.done) delivered += r.value.length;
            return r;
          } catch (e) {
            throw inputError(input.path, e, delivered);
          }
        },
        return: async (value?: unknown) => (await it.return?.(value)) ?? { done: true, value: undefined },
      };
    },
  };
};

/**
 * A plain (not compressed) file read straight into the caller's buffer: no chunk is allocated per
 * read, so a binary reader streams a large trajectory at memory speed and with nothing to collect.
 */
export interface PullSource {
  /** Reads up to `length` bytes into `into` at `offset`; the count read, 0 at the end. */
  read(into: Uint8Array, offset: number, length: number): Promise<number>;
  rawBytes(): number;
  close(): Promise<void>;
}

/** A pull source for a plain file; a gzip file has none (read it with openByteStream). */
export const openPullSource = (input: InputFile): PullSource | undefined => {
  if (input.gzip) return undefined;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let fd: number | undefined;
  let closed = false;
  let position = 0;
  const report = input.onRawBytes;
  return {
    rawBytes: () => position,
    read: async (into, offset, length) => {
      if (closed) return 0;
      try {
        let bytesRead: number;
        if (input.blockingReads) {
          fd ??= openSync(input.path, 'r');
          bytesRead = readSync(fd, into, offset, length, position);
        } else {
          handle ??= await open(input.path, 'r');
          ({ bytesRead } = await handle.read(into, offset, length, position));
        }
        position += bytesRead;
        if (bytesRead > 0) report?.(position);
        return bytesRead;
      } catch (e) {
        throw inputError(input.path, e, position);
      }
    },
    close: async () => {
      closed = true;
      const h = handle;
      handle = undefined;
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      await h?.close();
    },
  };
};

/** The first `n` decompressed bytes of a file (fewer if it is shorter), for content sniffing. */
export const readHead = async (input: InputFile, n = 4096): Promise<Uint8Array> => {
  if (!input.gzip) {
    const fh = await open(input.path, 'r');
    try {
      const buf = new Uint8Array(n);
      const { bytesRead } = await fh.read(buf, 0, n, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }
  const parts: Uint8Array[] = [];
  let have = 0;
  const raw = createReadStream(input.path, { highWaterMark: 65536 });
  const gunzip = raw.pipe(createGunzip());
  try {
    for await (const c of gunzip as AsyncIterable<Uint8Array>) {
      parts.push(c);
      have += c.length;
      if (have >= n) break;
    }
  } catch {
    // A truncated gzip still gives its first bytes for sniffing; the reader reports the error.
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
  const out = new Uint8Array(Math.min(n, have));
  let o = 0;
  for (const p of parts) {
    const take = Math.min(p.length, out.length - o);
    out.set(p.subarray(0, take), o);
    o += take;
    if (o >= out.length) break;
  }
  return out;
};

/**
 * Append `chunk` to the unread bytes buf[pos, len): moves them to the front (or into a buffer
 * twice as large when they do not fit) and returns the buffer that now holds them from index 0;
 * the caller's new length is (len - pos) + chunk.length. Shared by LineReader and BinaryReader.
 */
export const appendToWindow = (buf: Uint8Array, pos: number, len: number, chunk: Uint8Array): Uint8Array => {
  const keep = len - pos;
  let out = buf;
  if (keep + chunk.length > buf.length) {
    out = new Uint8Array(Math.max(buf.length * 2, keep + chunk.length));
    out.set(buf.subarray(pos, len), 0);
  } else if (pos > 0) buf.copyWithin(0, pos, len);
  out.set(chunk, keep);
  return out;
};
