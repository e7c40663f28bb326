import { lazyWasmModule } from '../core/wasm-module.js';
import { ERFC_GAUSSIAN_TABLE, ERFC_TABLE_MAX, ERFC_TABLE_STEP, type PairParams } from './pair-forces.js';
import { PAIR_KERNEL_WASM_BASE64 } from './pair-kernel-wasm-bytes.js';
import type { PairList } from './pair-list.js';

/**
 * Host of the WebAssembly pair kernel (wasm/md-pair-kernel.ts, 128-bit SIMD): the pairs of a
 * PairList, as ordinaryPairForces and specialPairForces (pair-forces.ts) compute them (the ordinary ones about 2.5 x faster (two
 * pairs per instruction, no bounds checks; docs/speed.md "MD engine"; the special ones one by one). The kernel works in its own
 * linear memory: the per-atom parameters and the erfc table are copied in once, the list at each
 * build (setList), the positions and image shifts at each evaluation; the forces are copied out.
 * Sums run in a fixed order, so results are bitwise reproducible; they differ from
 * ordinaryPairForces by rounding only (the per-atom and energy sums run in two lanes).
 */

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  setLayout(
    x: number,
    f: number,
    shift: number,
    q: number,
    type: number,
    lj: number,
    born: number,
    table: number,
    start: number,
    nbr: number,
    img: number,
    acc: number,
    ntypes: number,
    buf: number,
    cap: number,
  ): void;
  specials(
    count: number,
    i: number,
    j: number,
    image: number,
    ljFactor: number,
    coulombFactor: number,
    weight: number,
    rc2: number,
    alpha: number,
    eShift: number,
    fShift: number,
    twoAlphaOverSqrtPi: number,
  ): void;
  ordinary(
    from: number,
    to: number,
    rc2: number,
    alpha: number,
    eShift: number,
    fShift: number,
    twoAlphaOverSqrtPi: number,
  ): void;
}

/** The compiled kernel (compiled once per thread), or undefined when this runtime lacks WebAssembly SIMD. */
const kernelModule = lazyWasmModule(PAIR_KERNEL_WASM_BASE64);

/**
 * Whether the WebAssembly kernel can evaluate these pairs: the runtime has WebAssembly SIMD, and
 * alpha r stays inside the erfc table for every r within the cutoff (the kernel has no exact
 * erfc beyond it; ordinaryPairForces does).
 */
export const wasmPairKernelFits = (P: PairParams): boolean =>
  P.alpha * Math.sqrt(P.cutoff2) < ERFC_TABLE_MAX - 2 * ERFC_TABLE_STEP && kernelModule() !== undefined;

const align = (bytes: number) => Math.ceil(bytes / 16) * 16;

export class WasmPairKernel {
  private readonly exports: KernelExports;
  private readonly natoms: number;
  private readonly params: PairParams;
  /** Fixed part: positions, forces, sums; the list's part starts at listBase. */
  private readonly xAt: number;
  private readonly fAt: number;
  private readonly accAt: number;
  private readonly fixed: { q: number; type: number; lj: number; born: number; table: number };
  private readonly listBase: number;
  /** Capacities of the list's part (images, pairs, scratch pairs) as last laid out. */
  private cap = { images: -1, pairs: -1, scratch: -1, specials: -1 };
  private shiftAt = 0;
  private startAt = 0;
  private nbrAt = 0;
  private imgAt = 0;
  /** The special pairs: i, j, image (i32), LJ factor, Coulomb factor, weight (f64). */
  private special = { i: 0, j: 0, image: 0, lj: 0, coul: 0, weight: 0, count: 0 };
  private from = 0;
  private to = 0;
  /** Views on the memory, remade when it grows (a grown memory detaches the old buffer). */
  private buffer?: ArrayBuffer;
  private f64 = new Float64Array(0);

  constructor(natoms: number, params: PairParams) {
    const mod = kernelModule();
    if (!mod || !wasmPairKernelFits(params)) throw new Error('the WebAssembly pair kernel cannot run here');
    this.exports = new WebAssembly.Instance(mod, {}).exports as unknown as KernelExports;
    this.natoms = natoms;
    this.params = params;
    const nt2 = params.nt * params.nt;
    // The host's arrays start after the module's static data (the tables of its exp).
    let at = align(this.exports.heapBase());
    const take = (bytes: number) => {
      const a = at;
      at += align(bytes);
      return a;
    };
    this.xAt = take(24 * natoms);
    this.fAt = take(24 * natoms);
    this.accAt = take(64);
    this.fixed = {
      q: take(8 * natoms),
      type: take(4 * natoms),
      lj: take(32 * nt2),
      born: take(48 * nt2),
      table: take(8 * ERFC_GAUSSIAN_TABLE.length),
    };
    this.listBase = at;
    this.ensure(at);
    const mem = this.exports.memory.buffer;
    new Float64Array(mem, this.fixed.q, natoms).set(params.scaledCharge);
    new Int32Array(mem, this.fixed.type, natoms).set(params.type);
    const lj = new Float64Array(mem, this.fixed.lj, 4 * nt2);
    const born = new Float64Array(mem, this.fixed.born, 6 * nt2);
    const B = params.born;
    for (let t = 0; t < nt2; t++) {
      lj[4 * t] = params.lj1[t];
      lj[4 * t + 1] = params.lj2[t];
      lj[4 * t + 2] = params.offset[t];
      lj[4 * t + 3] = B.on[t];
      born[6 * t] = B.a[t];
      born[6 * t + 1] = B.rhoInverse[t];
      born[6 * t + 2] = B.c[t];
      born[6 * t + 3] = B.d[t];
      born[6 * t + 4] = B.offset[t];
    }
    new Float64Array(mem, this.fixed.table, ERFC_GAUSSIAN_TABLE.length).set(ERFC_GAUSSIAN_TABLE);
  }

  /** Grow the memory to hold `bytes`. */
  private ensure(bytes: number): void {
    const mem = this.exports.memory;
    if (bytes > mem.buffer.byteLength) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
  }

  private view(): Float64Array {
    const buffer = this.exports.memory.buffer;
    if (this.buffer !== buffer) {
      this.buffer = buffer;
      this.f64 = new Float64Array(buffer);
    }
    return this.f64;
  }

  /** Take the pairs of atoms from..to-1 of a freshly built list (its ordinary and special pairs). */
  setList(list: PairList, from: number, to: number): void {
    const { start, nbr, img } = list;
    const first = start[from];
    const pairs = start[to] - first;
    let most = 0;
    for (let i = from; i < to; i++) most = Math.max(most, start[i + 1] - start[i]);
    const cap = this.cap;
    const nSpecial = list.specialCount;
    if (
      list.imageCount > cap.images ||
      pairs > cap.pairs ||
      most + 2 > cap.scratch ||
      nSpecial > cap.specials
    ) {
      // Lay the list's part out anew, with room to grow by half.
      cap.images = Math.max(cap.images, Math.ceil(1.5 * list.imageCount));
      cap.pairs = Math.max(cap.pairs, Math.ceil(1.5 * pairs));
      cap.scratch = Math.max(cap.scratch, Math.ceil(1.5 * (most + 2)));
      cap.specials = Math.max(cap.specials, Math.ceil(1.5 * nSpecial));
      let at = this.listBase;
      const take = (bytes: number) => {
        const a = at;
        at += align(bytes);
        return a;
      };
      this.shiftAt = take(24 * cap.images);
      this.startAt = take(4 * (this.natoms + 1));
      this.nbrAt = take(4 * cap.pairs);
      this.imgAt = take(2 * cap.pairs);
      const scratchAt = take(40 * cap.scratch);
      const sp = this.special;
      sp.i = take(4 * cap.specials);
      sp.j = take(4 * cap.specials);
      sp.image = take(4 * cap.specials);
      sp.lj = take(8 * cap.specials);
      sp.coul = take(8 * cap.specials);
      sp.weight = take(8 * cap.specials);
      this.ensure(at);
      const f = this.fixed;
      this.exports.setLayout(
        this.xAt,
        this.fAt,
        this.shiftAt,
        f.q,
        f.type,
        f.lj,
        f.born,
        f.table,
        this.startAt,
        this.nbrAt,
        this.imgAt,
        this.accAt,
        this.params.nt,
        scratchAt,
        cap.scratch,
      );
    }
    const mem = this.exports.memory.buffer;
    // Pair indices relative to the range's first pair (the kernel's nbr and img start there).
    const s = new Int32Array(mem, this.startAt, this.natoms + 1);
    for (let i = from; i <= to; i++) s[i] = start[i] - first;
    new Int32Array(mem, this.nbrAt, pairs).set(nbr.subarray(first, first + pairs));
    new Uint16Array(mem, this.imgAt, pairs).set(img.subarray(first, first + pairs));
    const sp = this.special;
    new Int32Array(mem, sp.i, nSpecial).set(list.specialI.subarray(0, nSpecial));
    new Int32Array(mem, sp.j, nSpecial).set(list.specialJ.subarray(0, nSpecial));
    new Int32Array(mem, sp.image, nSpecial).set(list.specialImg.subarray(0, nSpecial));
    new Float64Array(mem, sp.lj, nSpecial).set(list.specialLj.subarray(0, nSpecial));
    new Float64Array(mem, sp.coul, nSpecial).set(list.specialCoul.subarray(0, nSpecial));
    new Float64Array(mem, sp.weight, nSpecial).set(list.specialWeight.subarray(0, nSpecial));
    sp.count = nSpecial;
    this.from = from;
    this.to = to;
  }

  /**
   * The forces of the ordinary and special pairs (as ordinaryPairForces then specialPairForces)
   * into `forces` (overwritten, all atoms) and the LJ and Coulomb
   * energies and virial into acc[0..7] (overwritten), at positions `x` with image shifts `shifts`
   * (3 per image of the list given to setList).
   */
  compute(
    x: Float64Array,
    shifts: Float64Array,
    imageCount: number,
    forces: Float64Array,
    acc: Float64Array,
  ): void {
    const n3 = 3 * this.natoms;
    let m = this.view();
    m.set(x.subarray(0, n3), this.xAt / 8);
    m.set(shifts.subarray(0, 3 * imageCount), this.shiftAt / 8);
    m.fill(0, this.fAt / 8, this.fAt / 8 + n3);
    const P = this.params;
    const twoAlphaOverSqrtPi = (2 / Math.sqrt(Math.PI)) * P.alpha;
    const k = this.exports;
    k.ordinary(this.from, this.to, P.cutoff2, P.alpha, P.eShift, P.fShift, twoAlphaOverSqrtPi);
    const sp = this.special;
    k.specials(
      sp.count,
      sp.i,
      sp.j,
      sp.image,
      sp.lj,
      sp.coul,
      sp.weight,
      P.cutoff2,
      P.alpha,
      P.eShift,
      P.fShift,
      twoAlphaOverSqrtPi,
    );
    m = this.view();
    forces.set(m.subarray(this.fAt / 8, this.fAt / 8 + n3));
    for (let k = 0; k < 8; k++) acc[k] = m[this.accAt / 8 + k];
  }
}
