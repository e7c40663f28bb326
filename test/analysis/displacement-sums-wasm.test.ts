/**
 * The drift's WebAssembly kernel (analysis/transport/displacement-sums-wasm.ts,
 * wasm/displacement-sums.ts): FrameworkMotion with frames that lie in the kernel's memory gives
 * the drift it gives in JavaScript, bit for bit; frames elsewhere fall back to JavaScript; the
 * committed module is what `npm run build:wasm` makes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  displacementSumsBytes,
  WasmDisplacementSums,
} from '../../src/analysis/transport/displacement-sums-wasm.js';
import { FrameworkMotion } from '../../src/analysis/transport/displacements.js';
import type { FrameJobMemory } from '../../src/io/read-ahead.js';
import { seededGaussian } from '../helpers.js';

const natoms = 41;
const selected = [0, 5, 6, 20];
/** A shared memory with the kernel's area first and room for one frame after it. */
const memoryFor = () => {
  const bytes = displacementSumsBytes(natoms, natoms - selected.length);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const area: FrameJobMemory = { memory, offset: 64, bytes };
  const frame = new Float64Array(memory.buffer, 64 + Math.ceil(bytes / 16) * 16, 3 * natoms);
  return { area, frame };
};

describe('the drift kernel', () => {
  it('gives the drift of JavaScript bit for bit, frames in its memory or not', () => {
    const gauss = seededGaussian(3);
    const { area, frame } = memoryFor();
    const options = { selected, unwrapped: true as const };
    const js = new FrameworkMotion(natoms, options);
    const wasm = new FrameworkMotion(natoms, { ...options, memory: area });
    const p = Float64Array.from({ length: 3 * natoms }, () => 20 * gauss());
    for (let t = 0; t < 300; t++) {
      for (let j = 0; j < p.length; j++) p[j] += 0.3 * gauss();
      js.push({ positions: p.slice() });
      // Every fifth frame outside the kernel's memory: JavaScript then, the same sums.
      if (t % 5 === 3) wasm.push({ positions: p.slice() });
      else {
        frame.set(p);
        wasm.push({ positions: frame });
      }
    }
    const a = js.result();
    const b = wasm.result();
    expect(b.drift).toEqual(a.drift);
    expect(a.drift!.some((v) => v !== 0)).toBe(true);
    // The kernel summed the last frame (in its memory): its sums, the area's last 32 bytes, are
    // that frame's drift times the framework's 37 atoms.
    const sums = new Float64Array(area.memory.buffer, area.offset + area.bytes - 32, 3);
    for (let k = 0; k < 3; k++) expect(sums[k] / 37).toBe(b.drift![3 * 299 + k]);
  });

  it('is not made where the area is too small', () => {
    const { area } = memoryFor();
    expect(WasmDisplacementSums.create(area, natoms, new Uint32Array(37))).toBeDefined();
    expect(
      WasmDisplacementSums.create({ ...area, bytes: area.bytes - 16 }, natoms, new Uint32Array(37)),
    ).toBe(undefined);
  });

  it('the committed module is what npm run build:wasm makes of wasm/displacement-sums.ts', () => {
    const built = execFileSync(
      process.execPath,
      ['wasm/build.mjs', '--stdout', 'wasm/displacement-sums.ts'],
      {
        encoding: 'utf8',
      },
    );
    expect(built).toBe(readFileSync('src/analysis/transport/displacement-sums-wasm-bytes.ts', 'utf8'));
  }, 60_000);
});
