import { align16, lazyWasmModule } from '../../core/wasm-module.js';
import type { FrameJobMemory } from '../../io/read-ahead.js';
import { DISPLACEMENT_SUMS_WASM_BASE64 } from './displacement-sums-wasm-bytes.js';

/**
 * The framework's summed displacement from the first frame as WebAssembly
 * (wasm/displacement-sums.ts), over frames that lie in a shared WebAssembly memory: the ring of
 * the DCD reading thread (read-ahead.ts), where FrameworkMotion runs as a frame job. The kernel
 * keeps the first frame and the atoms' indices in an area of that memory set aside for it;
 * where the runtime cannot run it there is none, and FrameworkMotion sums in JavaScript
 * (sumDisplacementsUnwrapped): the same sums bit for bit.
 */

/** Bytes the kernel needs for `natoms` atoms of which `count` are summed. */
export const displacementSumsBytes = (natoms: number, count: number): number =>
  align16(24 * natoms) + align16(4 * count) + 32;

/** The compiled kernel (once per thread), or undefined where the runtime cannot run it. */
const kernelModule = lazyWasmModule(DISPLACEMENT_SUMS_WASM_BASE64);

export class WasmDisplacementSums {
  /** The first frame's positions (all atoms, interleaved), in the area: the caller writes them. */
  readonly first: Float64Array;
  private readonly heap: ArrayBufferLike;
  private readonly out: Float64Array;
  private readonly at: { first: number; atoms: number; out: number };

  private constructor(
    area: FrameJobMemory,
    natoms: number,
    private readonly count: number,
    atoms: Uint32Array,
    private readonly sumDisplacements: (
      p: number,
      q: number,
      atoms: number,
      count: number,
      out: number,
    ) => void,
  ) {
    this.heap = area.memory.buffer;
    const first = area.offset;
    const at = first + align16(24 * natoms);
    const out = at + align16(4 * atoms.length);
    this.at = { first, atoms: at, out };
    this.first = new Float64Array(this.heap, first, 3 * natoms);
    new Uint32Array(this.heap, at, atoms.length).set(atoms);
    this.out = new Float64Array(this.heap, out, 3);
  }

  /**
   * The kernel over `area` for `natoms` atoms, summing `atoms`; undefined where the runtime cannot
   * run it or the area is too small.
   */
  static create(area: FrameJobMemory, natoms: number, atoms: Uint32Array): WasmDisplacementSums | undefined {
    const module = kernelModule();
    if (!module || area.bytes < displacementSumsBytes(natoms, atoms.length) || area.offset % 16 !== 0)
      return undefined;
    const { sumDisplacements } = new WebAssembly.Instance(module, { env: { memory: area.memory } })
      .exports as {
      sumDisplacements(p: number, q: number, atoms: number, count: number, out: number): void;
    };
    return new WasmDisplacementSums(area, natoms, atoms.length, atoms, sumDisplacements);
  }

  /**
   * out[a] = sum over the atoms of (p - first) along a, as sumDisplacementsUnwrapped sums it;
   * false (out untouched) when p is not in the kernel's memory.
   */
  sum(p: Float64Array, out: Float64Array): boolean {
    if (p.buffer !== this.heap || p.length !== this.first.length) return false;
    this.sumDisplacements(p.byteOffset, this.at.first, this.at.atoms, this.count, this.at.out);
    out[0] = this.out[0];
    out[1] = this.out[1];
    out[2] = this.out[2];
    return true;
  }
}
