import FFT from 'fft.js';
import { OptionError } from '../../core/errors.js';

/**
 * Fourier tools shared by the dynamics analyses: a DFT of any length (Bluestein's chirp-z
 * algorithm over fft.js's power-of-two transforms), a low-pass filter with mirror padding, and
 * sums of autocorrelations over many series by the Wiener-Khinchin theorem.
 */

/** The smallest power of two >= n (and >= 2, fft.js's smallest size). */
export const nextPowerOfTwo = (n: number): number => {
  let p = 2;
  while (p < n) p *= 2;
  return p;
};

/**
 * Discrete Fourier transform of any length L, X_k = sum_n x_n exp(-2 pi i n k / L), by Bluestein's
 * algorithm (L. Bluestein, IEEE Trans. Audio Electroacoust. 18, 451 (1970)): with
 * n k = (n^2 + k^2 - (k - n)^2) / 2 the transform is a convolution with the chirp
 * w_m = exp(i pi m^2 / L), done by power-of-two FFTs of size >= 2L - 1. The chirp's phase uses
 * m^2 mod 2L, exact in doubles up to L ~ 6e7, so the accuracy is that of the FFTs (~1e-15 x |x|).
 * Built once per length; `forward` and `inverse` may be called many times.
 */
export class Dft {
  readonly length: number;
  private readonly fft?: FFT;
  private readonly size: number;
  /** The chirp w_m, m = 0..L-1 (re, im interleaved). */
  private readonly chirp: Float64Array;
  /** FFT of the convolution kernel b (b_m = w_|m|, wrapped). */
  private readonly kernel: Float64Array;
  private readonly a: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly product: Float64Array;
  /** A direct power-of-two transform when L is one. */
  private readonly direct?: FFT;

  constructor(length: number) {
    if (!(Number.isInteger(length) && length >= 1))
      throw new RangeError(`a DFT needs a length >= 1, got ${length}`);
    this.length = length;
    const L = length;
    this.chirp = new Float64Array(2 * L);
    for (let m = 0; m < L; m++) {
      // m^2 mod 2L without overflow of the exact integer range.
      const q = Number((BigInt(m) * BigInt(m)) % BigInt(2 * L));
      const phase = (Math.PI * q) / L;
      this.chirp[2 * m] = Math.cos(phase);
      this.chirp[2 * m + 1] = Math.sin(phase);
    }
    if (L >= 2 && (L & (L - 1)) === 0) {
      this.direct = new FFT(L);
      this.size = L;
      this.kernel = new Float64Array(0);
      this.a = new Float64Array(2 * L);
      this.spectrum = new Float64Array(2 * L);
      this.product = new Float64Array(0);
      return;
    }
    const M = nextPowerOfTwo(2 * L - 1);
    this.size = M;
    this.fft = new FFT(M);
    const b = new Float64Array(2 * M);
    for (let m = 0; m < L; m++) {
      b[2 * m] = this.chirp[2 * m];
      b[2 * m + 1] = this.chirp[2 * m + 1];
      if (m > 0) {
        b[2 * (M - m)] = this.chirp[2 * m];
        b[2 * (M - m) + 1] = this.chirp[2 * m + 1];
      }
    }
    this.kernel = new Float64Array(2 * M);
    this.fft.transform(this.kernel, b);
    this.a = new Float64Array(2 * M);
    this.spectrum = new Float64Array(2 * M);
    this.product = new Float64Array(2 * M);
  }

  /** X = DFT(x) for complex x (re, im interleaved, length 2L); `out` may not alias `x`. */
  forward(x: Float64Array, out: Float64Array = new Float64Array(2 * this.length)): Float64Array {
    const L = this.length;
    if (x.length !== 2 * L) throw new RangeError(`DFT input has ${x.length / 2} points, expected ${L}`);
    if (L === 1) {
      out[0] = x[0];
      out[1] = x[1];
      return out;
    }
    if (this.direct) {
      this.a.set(x);
      this.direct.transform(out, this.a);
      return out;
    }
    const a = this.a;
    const w = this.chirp;
    a.fill(0);
    for (let n = 0; n < L; n++) {
      // a_n = x_n conj(w_n)
      const xr = x[2 * n];
      const xi = x[2 * n + 1];
      const wr = w[2 * n];
      const wi = w[2 * n + 1];
      a[2 * n] = xr * wr + xi * wi;
      a[2 * n + 1] = xi * wr - xr * wi;
    }
    const fft = this.fft!;
    fft.transform(this.spectrum, a);
    const s = this.spectrum;
    const k = this.kernel;
    const p = this.product;
    for (let j = 0; j < this.size; j++) {
      const sr = s[2 * j];
      const si = s[2 * j + 1];
      const kr = k[2 * j];
      const ki = k[2 * j + 1];
      p[2 * j] = sr * kr - si * ki;
      p[2 * j + 1] = sr * ki + si * kr;
    }
    fft.inverseTransform(a, p);
    for (let m = 0; m < L; m++) {
      // X_m = conj(w_m) (a * b)_m
      const cr = a[2 * m];
      const ci = a[2 * m + 1];
      const wr = w[2 * m];
      const wi = w[2 * m + 1];
      out[2 * m] = cr * wr + ci * wi;
      out[2 * m + 1] = ci * wr - cr * wi;
    }
    return out;
  }

  /** x = DFT^-1(X) = conj(DFT(conj(X))) / L. */
  inverse(X: Float64Array, out: Float64Array = new Float64Array(2 * this.length)): Float64Array {
    const L = this.length;
    const c = Float64Array.from(X);
    for (let j = 1; j < c.length; j += 2) c[j] = -c[j];
    this.forward(c, out);
    for (let j = 0; j < out.length; j += 2) {
      out[j] /= L;
      out[j + 1] = -out[j + 1] / L;
    }
    return out;
  }
}

/**
 * An ideal (brick-wall) FFT low-pass filter for real series of one length T sampled every
 * `intervalFs`: every Fourier component above `cutoffTHz` is removed.
 *
 * Ends: the series is mirror-padded (whole-sample symmetric extension x_0 .. x_{T-1} x_{T-2} .. x_1,
 * length 2T - 2, as a DCT-I), so that its periodic continuation has no jump where the end meets
 * the start; a plain FFT would see such a jump and ring (Gibbs) across the whole series. With the
 * mirror the filtered series keeps the level of each end and has zero slope there, the ringing of a
 * trend is confined to about one cut-off period at each end. The padded length is rarely a power
 * of two, so the transform is Bluestein's (exact for any length).
 */
export class LowPassFilter {
  readonly frames: number;
  readonly cutoffTHz: number;
  readonly intervalFs: number;
  private readonly dft?: Dft;
  private readonly buffer: Float64Array;
  private readonly spectrum: Float64Array;
  /** Highest kept frequency bin (inclusive) of the padded length. */
  private readonly keep: number;

  constructor(frames: number, intervalFs: number, cutoffTHz: number) {
    if (!(cutoffTHz > 0))
      throw new OptionError(`\`cutoffTHz\` must be positive, got ${cutoffTHz}`, { option: 'cutoffTHz' });
    if (!(intervalFs > 0))
      throw new RangeError(`a filter needs a positive sampling interval, got ${intervalFs} fs`);
    this.frames = frames;
    this.cutoffTHz = cutoffTHz;
    this.intervalFs = intervalFs;
    const L = Math.max(1, 2 * frames - 2);
    // Bin j of the padded series is at j / (L dt): keep j <= cutoff L dt (dt in ps).
    this.keep = Math.floor(cutoffTHz * L * intervalFs * 1e-3 + 1e-9);
    this.buffer = new Float64Array(2 * L);
    this.spectrum = new Float64Array(2 * L);
    if (frames > 2) this.dft = new Dft(L);
  }

  /** The frequency resolution of the padded transform (THz): 1 / ((2T - 2) dt). */
  get resolutionTHz(): number {
    return 1 / (Math.max(1, 2 * this.frames - 2) * this.intervalFs * 1e-3);
  }

  /** Filter `x` (length T) into `out`. */
  apply(x: ArrayLike<number>, out: Float64Array = new Float64Array(this.frames)): Float64Array {
    return this.applyPair(x, undefined, out)[0];
  }

  /**
   * Filter two series at once (x in the real part of one transform, y in the imaginary part: the
   * mask is real and symmetric in frequency, so the two never mix); y may be undefined.
   */
  applyPair(
    x: ArrayLike<number>,
    y: ArrayLike<number> | undefined,
    outX: Float64Array = new Float64Array(this.frames),
    outY: Float64Array = new Float64Array(this.frames),
  ): [Float64Array, Float64Array] {
    const T = this.frames;
    if (x.length !== T || (y && y.length !== T))
      throw new RangeError(`the filter was built for ${T} frames, got ${x.length}`);
    if (!this.dft) {
      if (y) this.applyPair(y, undefined, outY);
      // One or two samples: only the mean survives any cut-off below the Nyquist frequency.
      let mean = 0;
      for (let k = 0; k < T; k++) mean += x[k];
      mean /= Math.max(1, T);
      for (let k = 0; k < T; k++) outX[k] = this.keep >= 1 && T === 2 ? x[k] : mean;
      return [outX, outY];
    }
    const L = this.dft.length;
    const b = this.buffer;
    b.fill(0);
    for (let k = 0; k < T; k++) b[2 * k] = x[k];
    for (let k = T; k < L; k++) b[2 * k] = x[L - k];
    if (y) {
      for (let k = 0; k < T; k++) b[2 * k + 1] = y[k];
      for (let k = T; k < L; k++) b[2 * k + 1] = y[L - k];
    }
    const s = this.dft.forward(b, this.spectrum);
    for (let j = 0; j < L; j++) {
      const f = Math.min(j, L - j);
      if (f > this.keep) {
        s[2 * j] = 0;
        s[2 * j + 1] = 0;
      }
    }
    this.dft.inverse(s, b);
    for (let k = 0; k < T; k++) outX[k] = b[2 * k];
    if (y) for (let k = 0; k < T; k++) outY[k] = b[2 * k + 1];
    return [outX, outY];
  }
}

/**
 * Sum over many real series of length T of their acyclic autocorrelations
 * c(m) = sum_{k=0}^{T-1-m} x(k) x(k + m), m = 0..maxLag (default T - 1), by the Wiener-Khinchin
 * theorem: each series zero-padded to a power of two >= T + maxLag + 1 (so the circular
 * correlation equals the acyclic one up to maxLag), the
 * power spectra summed, one inverse transform at the end. Two series share one complex transform
 * (z = x_a + i x_b; the cross term of |Z|^2 is odd in frequency and only reaches the imaginary
 * part of the inverse transform), as in msd.ts.
 */
export class AutocorrelationSum {
  readonly frames: number;
  private readonly fft: FFT;
  private readonly packed: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly power: Float64Array;
  private pending = false;
  series = 0;

  readonly maxLag: number;

  constructor(frames: number, maxLag = frames - 1) {
    if (!(Number.isInteger(frames) && frames >= 1)) throw new RangeError(`series of ${frames} frames`);
    if (!(Number.isInteger(maxLag) && maxLag >= 0 && maxLag < frames))
      throw new RangeError(`a longest lag of ${maxLag} frames in series of ${frames}`);
    this.frames = frames;
    this.maxLag = maxLag;
    this.fft = new FFT(nextPowerOfTwo(frames + maxLag + 1));
    this.packed = new Float64Array(2 * this.fft.size);
    this.spectrum = new Float64Array(2 * this.fft.size);
    this.power = new Float64Array(this.fft.size);
  }

  /** Add one series (length T); `scale` multiplies its contribution (a weight, e.g. a mass). */
  add(x: ArrayLike<number>, scale = 1): void {
    const T = this.frames;
    if (x.length !== T) throw new RangeError(`series of ${x.length} frames, expected ${T}`);
    if (scale !== 1) {
      // Weighted series are transformed alone: sqrt(scale) x keeps the packing exact for scale >= 0.
      if (this.pending) this.flush();
      const r = Math.sqrt(scale);
      for (let k = 0; k < T; k++) this.packed[2 * k] = r * x[k];
      this.transform();
      this.series++;
      return;
    }
    const part = this.pending ? 1 : 0;
    for (let k = 0; k < T; k++) this.packed[2 * k + part] = x[k];
    if (this.pending) this.transform();
    this.pending = !this.pending;
    this.series++;
  }

  private flush(): void {
    for (let k = 0; k < this.frames; k++) this.packed[2 * k + 1] = 0;
    this.transform();
    this.pending = false;
  }

  private transform(): void {
    this.fft.transform(this.spectrum, this.packed);
    const s = this.spectrum;
    const p = this.power;
    for (let f = 0; f < p.length; f++) p[f] += s[2 * f] * s[2 * f] + s[2 * f + 1] * s[2 * f + 1];
    this.packed.fill(0, 0, 2 * this.frames);
  }

  /** sum over the series of c(m), m = 0..maxLag. */
  result(): Float64Array {
    if (this.pending) this.flush();
    const N = this.fft.size;
    const full = new Float64Array(2 * N);
    for (let k = 0; k < N; k++) full[2 * k] = this.power[k];
    const ac = new Float64Array(2 * N);
    this.fft.inverseTransform(ac, full);
    const out = new Float64Array(this.maxLag + 1);
    for (let m = 0; m <= this.maxLag; m++) out[m] = ac[2 * m];
    return out;
  }
}
