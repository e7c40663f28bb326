/**
 * The DCD frame kernel (io/binary/dcd-frame-wasm.ts, wasm/dcd-frame.ts): the positions it writes
 * into its ring equal interleaveChecked's (the JavaScript loop of io/formats/dcd.ts) bit for bit,
 * it refuses the values that loop refuses wherever they stand, it writes nothing outside the
 * frame's place in the ring, and the committed module is what `npm run build:wasm` makes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dcdFrameMemory, ringOf, wasmInterleaver, windowOf } from '../../src/io/binary/dcd-frame-wasm.js';
import { interleaveChecked } from '../../src/io/formats/dcd.js';
import { MAX_COORDINATE_A } from '../../src/io/value-limits.js';

let seed = 5;
const next = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
  return (seed >>> 0) / 4294967296;
};
/** Coordinates of every kind a file can hold within the limit: ordinary, tiny, huge, -0, 0. */
const randomRecord = (n: number): Float32Array =>
  Float32Array.from({ length: n }, () => {
    const u = next();
    if (u < 0.05) return -0;
    if (u < 0.1) return 1e-40 * (next() - 0.5); // subnormal
    if (u < 0.15) return (next() < 0.5 ? -1 : 1) * MAX_COORDINATE_A;
    if (u < 0.2) return (next() - 0.5) * 1e9;
    return (next() - 0.5) * 60;
  });

/**
 * Records as a DCD's read buffer holds them: views at 4 or 0 mod 8 into one buffer, as the
 * records stand in the file (between 4-byte markers).
 */
const recordsIn = (n: number, shift: number): Float32Array[] => {
  const buf = new ArrayBuffer(8 + 3 * (4 * n + 8));
  return [0, 1, 2].map((d) => new Float32Array(buf, shift + d * (4 * n + 8), n));
};

describe('the DCD frame kernel', () => {
  it('runs on this runtime', () => {
    expect(dcdFrameMemory(10, 1024)).toBeDefined();
  });

  it('writes the positions interleaveChecked writes, bit for bit, and only there', () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 63, 2000]) {
      const slots = 3;
      const m = dcdFrameMemory(n, 8 * 3 * n * slots)!;
      const ring = ringOf(m);
      const interleave = wasmInterleaver(m);
      const heap = new Uint8Array(m.memory.buffer);
      for (const shift of [0, 4]) {
        const [x, y, z] = recordsIn(n, shift).map((r) => {
          r.set(randomRecord(n));
          return r;
        });
        const expected = new Float64Array(3 * n);
        expect(interleaveChecked(x, y, z, expected)).toBe(true);
        heap.fill(0xa5, m.ringOffset);
        const slot = ring.subarray(3 * n, 6 * n);
        expect(interleave(x, y, z, slot)).toBe(true);
        expect(new Uint8Array(slot.buffer, slot.byteOffset, slot.byteLength)).toEqual(
          new Uint8Array(expected.buffer),
        );
        // The rest of the ring untouched.
        const before = heap.subarray(m.ringOffset, slot.byteOffset);
        const after = heap.subarray(slot.byteOffset + slot.byteLength, m.ringOffset + m.ringBytes);
        expect(before.every((b) => b === 0xa5)).toBe(true);
        expect(after.every((b) => b === 0xa5)).toBe(true);
      }
    }
  });

  it('reads records in its window where they stand: the same positions', () => {
    const n = 37;
    const m = dcdFrameMemory(n, 8 * 3 * n, 4096)!;
    const window = windowOf(m);
    expect(window.byteLength).toBe(4096);
    const interleave = wasmInterleaver(m);
    for (const shift of [4, 8, 12]) {
      // Three records as a DCD frame lays them out in the window, between 4-byte markers.
      const records = [0, 1, 2].map(
        (d) => new Float32Array(window.buffer, window.byteOffset + shift + d * (4 * n + 8), n),
      );
      for (const r of records) r.set(randomRecord(n));
      const expected = new Float64Array(3 * n);
      expect(interleaveChecked(records[0], records[1], records[2], expected)).toBe(true);
      const ring = ringOf(m);
      // Read where they stand: the scratch area (between the kernel's page and the window) untouched.
      const scratch = new Uint8Array(m.memory.buffer, 65536, m.windowOffset - 65536);
      scratch.fill(0x5a);
      expect(interleave(records[0], records[1], records[2], ring)).toBe(true);
      expect(ring).toEqual(expected);
      expect(scratch.every((b) => b === 0x5a)).toBe(true);
    }
  });

  it('refuses NaN, infinities and values beyond the limit wherever they stand', () => {
    const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2e10, -1.0000001e10];
    for (const n of [1, 4, 6, 9]) {
      const m = dcdFrameMemory(n, 8 * 3 * n)!;
      const ring = ringOf(m);
      const interleave = wasmInterleaver(m);
      for (let d = 0; d < 3; d++)
        for (let i = 0; i < n; i++)
          for (const v of bad) {
            const records = recordsIn(n, 4);
            for (const r of records) r.set(randomRecord(n));
            records[d][i] = v;
            expect(interleaveChecked(records[0], records[1], records[2], new Float64Array(3 * n))).toBe(
              false,
            );
            expect(interleave(records[0], records[1], records[2], ring)).toBe(false);
          }
    }
  });

  it('writes only into its ring', () => {
    const m = dcdFrameMemory(4, 8 * 12)!;
    const interleave = wasmInterleaver(m);
    const x = new Float32Array(4);
    expect(() => interleave(x, x, x, new Float64Array(12))).toThrow(/only into its ring/);
  });

  it('the committed module is what npm run build:wasm makes of wasm/dcd-frame.ts', () => {
    const built = execFileSync(process.execPath, ['wasm/build.mjs', '--stdout', 'wasm/dcd-frame.ts'], {
      encoding: 'utf8',
    });
    expect(built).toBe(readFileSync('src/io/binary/dcd-frame-wasm-bytes.ts', 'utf8'));
  }, 60_000);
});
