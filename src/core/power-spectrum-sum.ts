import { C3, C51, C52, fftPlan, type MixedRadixFft, S3, S51, S52 } from './mixed-radix-fft.js';
import { POWER_SPECTRUM_WASM_BASE64 } from './power-spectrum-wasm-bytes.js';
import { align16, lazyWasmModule } from './wasm-module.js';

/**
 * The sum over real series x_j of their power spectra |X_j(f)|^2, X_j the FFT of x_j zero-padded
 * to `size` points: what an FFT autocorrelation summed over particles needs (the MSD, msd.ts).
 *
 * Two real series share one complex transform, z = x_a + i x_b: |Z(f)|^2 = |X_a(f)|^2 +
 * |X_b(f)|^2 + 2 Im(X_a(f) X_b*(f)), and the last term is odd in f for real series, so it only
 * reaches the imaginary part of the autocorrelation's inverse transform; summed that way the
 * spectrum gives the sum of the two autocorrelations at half the transforms.
 *
 * With WebAssembly SIMD (wasm/power-spectrum.ts) two such transforms run at once in the two lanes
 * of each instruction (four series per call), about twice as fast as MixedRadixFft; the lanes' sums
 * are added in series order, so the result equals the JavaScript path (MixedRadixFft, one pair at a
 * time, used where the runtime lacks SIMD) bit for bit.
 */
/** Series per transform call of the WebAssembly kernel (two complex transforms of two series each). */
export const SPECTRUM_BATCH = 4;

export class PowerSpectrumSum {
  readonly size: number;
  /** Series added so far. */
  count = 0;
  /** Series waiting in the current batch, and the sum they go to. */
  private pending = 0;
  private pendingSum = 0;
  private readonly impl: WasmSpectra | JsSpectra;

  /**
   * Series of up to `size` points, transformed at `size` points (2-3-5-smooth), into `sums`
   * separate sums of spectra (default 1; e.g. one per Cartesian axis): one kernel and one set of
   * work buffers for all of them, so that a thread's working set stays small.
   */
  constructor(size: number, options: { javascript?: boolean; sums?: number } = {}) {
    this.size = size;
    const sums = options.sums ?? 1;
    if (!(Number.isInteger(sums) && sums >= 1))
      throw new RangeError(`sums must be a whole number >= 1, got ${sums}`);
    const module = options.javascript ? undefined : spectrumModule();
    this.impl = module ? new WasmSpectra(module, fftPlan(size), sums) : new JsSpectra(fftPlan(size), sums);
  }

  /** Which implementation runs: 'wasm' (SIMD) or 'javascript'. */
  get engine(): 'wasm' | 'javascript' {
    return this.impl instanceof WasmSpectra ? 'wasm' : 'javascript';
  }

  /**
   * Adds the series x[0..length) (the rest of the `size` points are zero) to sum `sum`. A batch
   * holds the series of one sum: adding to another sum transforms the batch so far first.
   */
  add(x: ArrayLike<number>, length = x.length, sum = 0): void {
    if (length > this.size)
      throw new RangeError(`a series of ${length} points for a transform of ${this.size}`);
    this.checkSum(sum);
    if (this.pending > 0 && sum !== this.pendingSum) this.flush();
    this.pendingSum = sum;
    this.impl.put(x, length, this.pending);
    this.count++;
    this.pending++;
    if (this.pending === this.impl.batch) this.flush();
  }

  private checkSum(sum: number): void {
    if (!(Number.isInteger(sum) && sum >= 0 && sum < this.impl.sums))
      throw new RangeError(`sum ${sum} of ${this.impl.sums} (numbered from 0)`);
  }

  private flush(): void {
    this.impl.flush(this.pending, this.pendingSum);
    this.pending = 0;
  }

  /** The summed |X(f)|^2 of sum `sum`, f = 0..size-1 (series still pending are transformed first; adding may go on). */
  power(sum = 0): Float64Array {
    this.checkSum(sum);
    // The rest of a part-filled batch is zero: a zero partner adds exactly nothing.
    if (this.pending > 0) this.flush();
    return this.impl.total(sum);
  }

  /**
   * The real part of the inverse transform of each real series p (of `size` points): for a power
   * spectrum, the autocorrelation (Wiener-Khinchin). The same numbers, bit for bit, as
   * MixedRadixFft.inverseTransform of p with a zero imaginary part, by either implementation.
   */
  realInverse(p: Float64Array[]): Float64Array[] {
    if (this.pending > 0) this.flush();
    for (const x of p)
      if (x.length !== this.size)
        throw new RangeError(`a series of ${x.length} points for a transform of ${this.size}`);
    return this.impl.realInverse(p);
  }
}

/**
 * Makes ahead what a PowerSpectrumSum of `size` points needs in this thread (the FFT plan and
 * the compiled kernel, both kept per thread), on a thread that has nothing else to do yet.
 */
export const preparePowerSpectrumSum = (size: number): void => {
  fftPlan(size);
  spectrumModule();
};

/** One pair per complex transform (MixedRadixFft). */
class JsSpectra {
  readonly batch = 2;
  private readonly packed: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly totals: Float64Array[];
  private used = 0;

  constructor(
    private readonly fft: MixedRadixFft,
    readonly sums: number,
  ) {
    this.packed = new Float64Array(2 * fft.size);
    this.spectrum = new Float64Array(2 * fft.size);
    this.totals = Array.from({ length: sums }, () => new Float64Array(fft.size));
  }

  put(x: ArrayLike<number>, length: number, slot: number): void {
    const z = this.packed;
    for (let k = 0; k < length; k++) z[2 * k + slot] = x[k];
    this.used = Math.max(this.used, length);
  }

  flush(_filled: number, sum: number): void {
    this.fft.transform(this.spectrum, this.packed);
    const s = this.spectrum;
    const p = this.totals[sum];
    for (let f = 0; f < p.length; f++) p[f] += s[2 * f] * s[2 * f] + s[2 * f + 1] * s[2 * f + 1];
    this.packed.fill(0, 0, 2 * this.used);
    this.used = 0;
  }

  total(sum: number): Float64Array {
    return this.totals[sum].slice();
  }

  realInverse(p: Float64Array[]): Float64Array[] {
    const n = this.fft.size;
    const full = new Float64Array(2 * n);
    const out = new Float64Array(2 * n);
    return p.map((x) => {
      for (let k = 0; k < n; k++) full[2 * k] = x[k];
      this.fft.inverseTransform(out, full);
      return Float64Array.from({ length: n }, (_, k) => out[2 * k]);
    });
  }
}

/** Lane A's and lane B's real parts of the kernel's input (point k at 4k, 4k + 1) set to a and b (zero where absent). */
const putLanes = (
  z: Float64Array,
  a: Float64Array | undefined,
  b: Float64Array | undefined,
  n: number,
): void => {
  for (let k = 0; k < n; k++) {
    z[4 * k] = a ? a[k] : 0;
    z[4 * k + 1] = b ? b[k] : 0;
  }
};

/** A lane's real parts of the kernel's output, times `scale`. */
const takeLane = (y: Float64Array, lane: number, scale: number, n: number): Float64Array => {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = y[4 * k + lane] * scale;
  return out;
};

interface SpectrumExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  setLayout(
    input: number,
    work: number,
    out: number,
    power: number,
    stages: number,
    count: number,
    n: number,
    c3: number,
    s3: number,
    c51: number,
    c52: number,
    s51: number,
    s52: number,
  ): void;
  transformAndAccumulate(lanes: number, clear: number): void;
  transform(): void;
  setPower(power: number): void;
}

/** The compiled kernel (once per thread), or undefined where the runtime lacks WebAssembly SIMD. */
const spectrumModule = lazyWasmModule(POWER_SPECTRUM_WASM_BASE64);

/** Two pairs per call, in the lanes of the WebAssembly kernel. */
class WasmSpectra {
  readonly batch = SPECTRUM_BATCH;
  private readonly k: SpectrumExports;
  /** The input buffer: point k is [re A, re B, im A, im B]; the output buffer, the same. */
  private readonly input: Float64Array;
  private readonly output: Float64Array;
  /** Each sum's address and array. */
  private readonly powerAt: number[];
  private readonly totals: Float64Array[];
  private used = 0;

  constructor(
    module: WebAssembly.Module,
    fft: MixedRadixFft,
    readonly sums: number,
  ) {
    const k = new WebAssembly.Instance(module, {}).exports as unknown as SpectrumExports;
    this.k = k;
    const n = fft.size;
    let at = align16(k.heapBase());
    const take = (bytes: number) => {
      const a = at;
      at = align16(at + bytes);
      return a;
    };
    const pIn = take(32 * n);
    const pWork = take(32 * n);
    const pOut = take(32 * n);
    this.powerAt = Array.from({ length: sums }, () => take(8 * n));
    const pStages = take(16 * fft.stages.length);
    const twiddles = fft.stages.map((st) => take(8 * st.tw.length));
    const pages = Math.ceil(at / 65536) - k.memory.buffer.byteLength / 65536;
    if (pages > 0) k.memory.grow(pages);
    const buffer = k.memory.buffer;
    const table = new Int32Array(buffer, pStages, 4 * fft.stages.length);
    fft.stages.forEach((st, j) => {
      table.set([st.p, st.m, st.s, twiddles[j]], 4 * j);
      new Float64Array(buffer, twiddles[j], st.tw.length).set(st.tw);
    });
    // Fresh linear memory is zero: the input's padding and the power sums start at 0.
    k.setLayout(pIn, pWork, pOut, this.powerAt[0], pStages, fft.stages.length, n, C3, S3, C51, C52, S51, S52);
    this.input = new Float64Array(buffer, pIn, 4 * n);
    this.output = new Float64Array(buffer, pOut, 4 * n);
    this.totals = this.powerAt.map((p) => new Float64Array(buffer, p, n));
  }

  put(x: ArrayLike<number>, length: number, slot: number): void {
    // Series 0 and 1 are lane A's real and imaginary parts, 2 and 3 lane B's. (The bookkeeping
    // before the loop: code after a long loop has no type feedback when the loop is first
    // optimised, and the optimised code was thrown away there, call after call.)
    this.used = Math.max(this.used, length);
    const z = this.input;
    const o = 2 * (slot & 1) + (slot >> 1);
    for (let k = 0; k < length; k++) z[4 * k + o] = x[k];
  }

  flush(filled: number, sum: number): void {
    this.k.setPower(this.powerAt[sum]);
    this.k.transformAndAccumulate(filled > 2 ? 2 : 1, this.used);
    this.used = 0;
  }

  total(sum: number): Float64Array {
    return this.totals[sum].slice();
  }

  realInverse(p: Float64Array[]): Float64Array[] {
    // inverse(x) = conj(transform(conj(x))) / n; for a real x, the real part is transform(x) / n:
    // two series a call, one in each lane's real part (the imaginary parts zero, as cleared).
    const n = this.input.length / 4;
    const z = this.input;
    const y = this.output;
    const inv = 1 / n;
    const out: Float64Array[] = [];
    for (let j = 0; j < p.length; j += 2) {
      const b = j + 1 < p.length ? p[j + 1] : undefined;
      // (Loops in functions of their own: this runs once a run, and a loop inline here would
      // run unoptimised until replaced on the stack, for each of them.)
      putLanes(z, p[j], b, n);
      this.k.transform();
      out.push(takeLane(y, 0, inv, n));
      if (b) out.push(takeLane(y, 1, inv, n));
    }
    putLanes(z, undefined, undefined, n);
    return out;
  }
}
