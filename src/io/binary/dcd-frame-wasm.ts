import { align16, lazyWasmModule } from '../../core/wasm-module.js';
import type { InterleaveCoordinates } from '../format.js';
import { MAX_COORDINATE_A } from '../value-limits.js';
import { DCD_FRAME_WASM_BASE64 } from './dcd-frame-wasm-bytes.js';

/**
 * The SIMD kernel that checks and interleaves a DCD frame's coordinate records (wasm/dcd-frame.ts)
 * and the shared memory it works in: a page left to the kernel, a scratch area for one frame's
 * three records, the read window the file is read into, a part set aside for a frame job (the
 * transport drift's kernel), then the host's ring of frames (read-ahead.ts), which the kernel
 * writes straight into and another thread reads. Where the runtime lacks WebAssembly SIMD or
 * shared memory there is none, and the reading uses interleaveChecked's JavaScript loop
 * (src/io/formats/dcd.ts): the same numbers, bit for bit.
 */

const PAGE = 65536;
/** The memory's first page is the kernel's (it keeps nothing there today; a later one may). */
const KERNEL_BYTES = PAGE;

export interface DcdFrameMemory {
  memory: WebAssembly.Memory;
  natoms: number;
  /** Byte offset and size of the read window (windowOf). */
  windowOffset: number;
  windowBytes: number;
  /** Byte offset and size of the part set aside for a frame job (read-ahead.ts, FrameJob.memoryBytes). */
  jobOffset: number;
  jobBytes: number;
  /** Byte offset of the host's ring (16-byte aligned). */
  ringOffset: number;
  ringBytes: number;
}

/** The compiled kernel (once per thread), or undefined where the runtime cannot run it. */
const kernelModule = lazyWasmModule(DCD_FRAME_WASM_BASE64);

/**
 * Shared memory for frames of `natoms` atoms, a read window of `windowBytes`, `jobBytes` for a
 * frame job and a ring of `ringBytes`, or undefined where the kernel cannot run (then the caller
 * keeps its ring in a SharedArrayBuffer of its own).
 */
export const dcdFrameMemory = (
  natoms: number,
  ringBytes: number,
  windowBytes = 0,
  jobBytes = 0,
): DcdFrameMemory | undefined => {
  if (!kernelModule()) return undefined;
  const windowOffset = KERNEL_BYTES + 3 * align16(4 * natoms + 4);
  const jobOffset = windowOffset + align16(windowBytes);
  const ringOffset = jobOffset + align16(jobBytes);
  const pages = Math.ceil((ringOffset + ringBytes) / PAGE);
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return undefined;
  }
  return { memory, natoms, windowOffset, windowBytes, jobOffset, jobBytes, ringOffset, ringBytes };
};

/**
 * This thread's interleaver over `m`: the kernel reads records in m's memory where they stand
 * (read into its window: windowOf), others once copied into its scratch area (a memcpy), and
 * writes the positions, which must be a view of m's memory (the ring).
 */
export const wasmInterleaver = (m: DcdFrameMemory): InterleaveCoordinates => {
  const module = kernelModule();
  if (!module) throw new Error('the DCD frame kernel cannot run here');
  const { interleaveChecked } = new WebAssembly.Instance(module, { env: { memory: m.memory } }).exports as {
    interleaveChecked(x: number, y: number, z: number, out: number, n: number, limit: number): number;
  };
  const heap = m.memory.buffer;
  const n = m.natoms;
  const record = align16(4 * n + 4);
  // A copy into shared memory is a plain memcpy only when source and destination are equally
  // aligned to 8 bytes (V8 copies byte by byte otherwise: 6x slower here); a record, a
  // Float32Array, is at 0 or 4 mod 8 in the read buffer, so each has a place of either kind.
  const scratch = [0, 4].map((shift) =>
    [0, 1, 2].map((d) => new Float32Array(heap, KERNEL_BYTES + d * record + shift, n)),
  );
  const [s0, s4] = scratch;
  // The kernel compares float32 magnitudes with the limit as a float32: the same test as the
  // JavaScript loop's only when the limit is one.
  if (Math.fround(MAX_COORDINATE_A) !== MAX_COORDINATE_A)
    throw new Error('MAX_COORDINATE_A is not a float32');
  const place = (v: Float32Array, d: number) => {
    if (v.buffer === heap) return v.byteOffset;
    const to = (v.byteOffset & 7) === 0 ? s0[d] : s4[d];
    to.set(v);
    return to.byteOffset;
  };
  return (x, y, z, positions) => {
    if (
      positions.buffer !== heap ||
      positions.byteOffset < m.ringOffset ||
      positions.byteOffset + 24 * n > m.ringOffset + m.ringBytes ||
      positions.length !== 3 * n
    )
      throw new Error('the DCD frame kernel writes only into its ring');
    return (
      interleaveChecked(place(x, 0), place(y, 1), place(z, 2), positions.byteOffset, n, MAX_COORDINATE_A) ===
      1
    );
  };
};

/** The read window of `m`, on this thread (ReadOptions.readWindow). */
export const windowOf = (m: DcdFrameMemory): Uint8Array =>
  new Uint8Array(m.memory.buffer, m.windowOffset, m.windowBytes);

/** The ring of `m` as doubles, on this thread. */
export const ringOf = (m: DcdFrameMemory): Float64Array =>
  new Float64Array(m.memory.buffer, m.ringOffset, m.ringBytes / 8);
