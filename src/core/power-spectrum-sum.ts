import { C3, C51, C52, fftPlan, type MixedRadixFft, S3, S51, S52 } from './mixed-radix-fft.js';
import { POWER_SPECTRUM_WASM_BASE64 } from './power-spectrum-wasm-bytes.js';

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
export class PowerSpectrumSum {
  readonly size: number;
  /** Series added so far. */
  count = 0;
  /** Series waiting in the current batch. */
  private pending = 0;
  private readonly impl: WasmSpectra | JsSpectra;

  /** Series of up to `size` points, transformed at `size` points (2-3-5-smooth). */
  constructor(size: number, options: { javascript?: boolean } = {}) {
    this.size = size;
    const module = options.javascript ? undefined : spectrumModule();
    this.impl = module ? new WasmSpectra(module, fftPlan(size)) : new JsSpectra(fftPlan(size));
  }

  /** Which implementation runs: 'wasm' (SIMD) or 'javascript'. */
  get engine(): 'wasm' | 'javascript' {
    return this.impl instanceof WasmSpectra ? 'wasm' : 'javascript';
  }

  /** Adds the series x[0..length) (the rest of the `size` points are zero). */
  add(x: ArrayLike<number>, length = x.length): void {
    if (length > this.size)
      throw new RangeError(`a series of ${length} points for a transform of ${this.size}`);
    this.impl.put(x, length, this.pending);
    this.count++;
    this.pending++;
    if (this.pending === this.impl.batch) this.flush();
  }

  private flush(): void {
    this.impl.flush(this.pending);
    this.pending = 0;
  }

  /** The summed |X(f)|^2, f = 0..size-1 (series still pending are transformed first; adding may go on). */
  power(): Float64Array {
    // The rest of a part-filled batch is zero: a zero partner adds exactly nothing.
    if (this.pending > 0) this.flush();
    return this.impl.sums();
  }
}

/** One pair per complex transform (MixedRadixFft). */
class JsSpectra {
  readonly batch = 2;
  private readonly packed: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly total: Float64Array;
  private used = 0;

  constructor(private readonly fft: MixedRadixFft) {
    this.packed = new Float64Array(2 * fft.size);
    this.spectrum = new Float64Array(2 * fft.size);
    this.total = new Float64Array(fft.size);
  }

  put(x: ArrayLike<number>, length: number, slot: number): void {
    const z = this.packed;
    for (let k = 0; k < length; k++) z[2 * k + slot] = x[k];
    this.used = Math.max(this.used, length);
  }

  flush(_filled: number): void {
    this.fft.transform(this.spectrum, this.packed);
    const s = this.spectrum;
    const p = this.total;
    for (let f = 0; f < p.length; f++) p[f] += s[2 * f] * s[2 * f] + s[2 * f + 1] * s[2 * f + 1];
    this.packed.fill(0, 0, 2 * this.used);
    this.used = 0;
  }

  sums(): Float64Array {
    return this.total.slice();
  }
}

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
}

let compiled: WebAssembly.Module | null | undefined;
/** The compiled kernel (once per thread), or undefined where the runtime lacks WebAssembly SIMD. */
const spectrumModule = (): WebAssembly.Module | undefined => {
  if (compiled === undefined) {
    const bytes = Buffer.from(POWER_SPECTRUM_WASM_BASE64, 'base64');
    compiled =
      typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes)
        ? new WebAssembly.Module(bytes)
        : null;
  }
  return compiled ?? undefined;
};

const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** Two pairs per call, in the lanes of the WebAssembly kernel. */
class WasmSpectra {
  readonly batch = 4;
  private readonly k: SpectrumExports;
  /** The input buffer: point k is [re A, re B, im A, im B]. */
  private readonly input: Float64Array;
  private readonly total: Float64Array;
  private used = 0;

  constructor(module: WebAssembly.Module, fft: MixedRadixFft) {
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
    const pPower = take(8 * n);
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
    k.setLayout(pIn, pWork, pOut, pPower, pStages, fft.stages.length, n, C3, S3, C51, C52, S51, S52);
    this.input = new Float64Array(buffer, pIn, 4 * n);
    this.total = new Float64Array(buffer, pPower, n);
  }

  put(x: ArrayLike<number>, length: number, slot: number): void {
    // Series 0 and 1 are lane A's real and imaginary parts, 2 and 3 lane B's.
    const z = this.input;
    const o = 2 * (slot & 1) + (slot >> 1);
    for (let k = 0; k < length; k++) z[4 * k + o] = x[k];
    this.used = Math.max(this.used, length);
  }

  flush(filled: number): void {
    this.k.transformAndAccumulate(filled > 2 ? 2 : 1, this.used);
    this.used = 0;
  }

  sums(): Float64Array {
    return this.total.slice();
  }
}
