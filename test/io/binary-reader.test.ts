/**
 * BinaryReader (io/binary/binary-reader.ts) with a window given (ReadOptions.readWindow): reads
 * into it from a pull source, and past it when a record does not fit, with the same values.
 */
import { describe, expect, it } from 'vitest';
import { BinaryReader } from '../../src/io/binary/binary-reader.js';
import type { PullSource } from '../../src/io/byte-source.js';

/** A pull source over `bytes`, handing out at most `most` bytes a read. */
const pullOf = (bytes: Uint8Array, most: number): PullSource => {
  let at = 0;
  return {
    rawBytes: () => at,
    read: async (into, offset, length) => {
      const got = Math.min(length, most, bytes.length - at);
      into.set(bytes.subarray(at, at + got), offset);
      at += got;
      return got;
    },
    close: async () => {},
  };
};

describe('BinaryReader with a window given', () => {
  const values = Float64Array.from({ length: 40 }, (_, k) => k * 1.25 - 7);
  const bytes = new Uint8Array(values.buffer.slice(0));

  it('reads through the window given (a view into a larger buffer), then past it for a large record', async () => {
    const backing = new Uint8Array(new SharedArrayBuffer(64 + 24));
    const window = backing.subarray(24, 88);
    const r = new BinaryReader(pullOf(bytes, 1000), 'x.bin', window);
    // Records of 2 values fit the 64-byte window: read there.
    for (let k = 0; k < 10; k += 2) {
      expect(await r.ensure(16)).toBe(true);
      if (k === 0) expect(window.subarray(0, 64)).toEqual(bytes.subarray(0, 64));
      expect([r.float64(), r.float64()]).toEqual([values[k], values[k + 1]]);
    }
    expect(backing.subarray(0, 24).every((b) => b === 0)).toBe(true);
    // A record of 30 values (240 bytes) does not fit: a larger window, the same values.
    expect(await r.ensure(240)).toBe(true);
    expect(Array.from({ length: 30 }, () => r.float64())).toEqual(Array.from(values.subarray(10, 40)));
    expect(await r.atEnd()).toBe(true);
  });
});
