/**
 * Complex FFT of any length whose only prime factors are 2, 3 and 5, in double precision.
 *
 * Why not only powers of two (fft.js): a correlation of T samples needs a transform of at least
 * 2T - 1 points, and the next power of two can be almost twice that (T = 10,000: 32,768 points,
 * where 20,000 = 2^5 5^4 suffice); the work of the transforms that dominate an MSD falls with it.
 *
 * The algorithm is Stockham's autosort FFT (decimation in frequency; see C. Van Loan,
 * Computational Frameworks for the Fast Fourier Transform, SIAM 1992, ch. 1.7): each stage of
 * radix p reads x[q + s(k + r m)] (r < p) and writes y[q + s(p k + u)] = w_n^{k u} sum_r
 * x[q + s(k + r m)] e^{-2 pi i r u / p}, with n the current length, m = n / p and s the stride,
 * then works on y with n / p and s p; the output comes out in natural order, with no bit
 * reversal. Stages of radix 4 first (the cheapest per point), then 2, 3 and 5. Twiddles are
 * computed directly with cos and sin (no recurrence), once per plan.
 *
 * Arrays are interleaved complex: re at 2k, im at 2k + 1.
 */

/**
 * The even lengths whose only prime factors are 2, 3 and 5, above `min` and up to `max`, in
 * ascending order: made as 2^a 3^b 5^c (a few hundred at most) rather than by testing every even
 * number in the range (thousands, at the start of every MSD thread, before that code is compiled).
 */
const smoothLengthsAbove = (min: number, max: number): number[] => {
  const out: number[] = [];
  for (let p5 = 1; 2 * p5 <= max; p5 *= 5)
    for (let p35 = p5; 2 * p35 <= max; p35 *= 3)
      for (let n = 2 * p35; n <= max; n *= 2) if (n > min) out.push(n);
  return out.sort((a, b) => a - b);
};

/** The smallest n >= min whose only prime factors are 2, 3 and 5 (and that has a factor 2). */
export const smoothFftSize = (min: number): number => {
  // The next power of two is one such length: the answer is at most that.
  let pow2 = 2;
  while (pow2 < min) pow2 *= 2;
  return smoothLengthsAbove(min - 1, pow2)[0];
};

/**
 * Rough cost per point of one stage of each radix (real operations, plus the load and store of
 * every point at every stage): radix 4 does two bits of a power of two for less than two radix-2
 * stages, and radix 5 costs the most per point.
 */
const STAGE_COST: Record<number, number> = { 2: 11, 3: 15.3, 4: 14.5, 5: 20.4 };

/** Estimated cost of a transform of length n (2-3-5-smooth), in the units of STAGE_COST. */
export const fftCost = (n: number): number => n * factorize(n).reduce((c, p) => c + STAGE_COST[p], 0);

/**
 * The 2-3-5-smooth length >= min (and even) that transforms fastest by fftCost: the smallest one
 * can be made of many radix-5 stages and cost more than one a little longer (T = 10,000:
 * 20,000 = 2^5 5^4 takes about 1.1x the time of 20,480 = 4^6 5).
 */
export const fastFftSize = (min: number): number => {
  const known = fastSizes.get(min);
  if (known !== undefined) return known;
  const best = searchFastFftSize(min);
  fastSizes.set(min, best);
  return best;
};
const fastSizes = new Map<number, number>();

const searchFastFftSize = (min: number): number => {
  let best = smoothFftSize(min);
  let bestCost = fftCost(best);
  // Every even length from best + 2 on, while shorter than 2 best and cheaper at radix 2 alone
  // than the best so far (both bounds move with the best); only the smooth ones are candidates.
  for (const n of smoothLengthsAbove(best, Math.ceil(bestCost / STAGE_COST[2]))) {
    if (!(n < 2 * best)) break;
    if (n * STAGE_COST[2] > bestCost) break;
    const c = fftCost(n);
    if (c < bestCost) {
      best = n;
      bestCost = c;
    }
  }
  return best;
};

/** Factors of n into 4, 2, 3, 5 (in that order); throws for other primes. */
const factorize = (n: number): number[] => {
  const out: number[] = [];
  let r = n;
  while (r % 4 === 0) {
    out.push(4);
    r /= 4;
  }
  while (r % 2 === 0) {
    out.push(2);
    r /= 2;
  }
  while (r % 3 === 0) {
    out.push(3);
    r /= 3;
  }
  while (r % 5 === 0) {
    out.push(5);
    r /= 5;
  }
  if (r !== 1) throw new RangeError(`FFT length ${n} has a prime factor other than 2, 3, 5`);
  return out;
};

/** One Stockham stage of a plan. */
export interface FftStage {
  p: number;
  /** Length of the sub-transforms at this stage and the number of butterflies per stride. */
  n: number;
  m: number;
  s: number;
  /** w_n^{k u} for k < m, u = 1..p-1: (re, im) at 2 ((p - 1) k + u - 1). */
  tw: Float64Array;
}

/** The butterflies' constants (exported for the WebAssembly twin, power-spectrum-sum.ts). */
export const C3 = -0.5; // cos(2 pi / 3)
export const S3 = Math.sqrt(3) / 2; // sin(2 pi / 3)
export const C51 = Math.cos((2 * Math.PI) / 5);
export const C52 = Math.cos((4 * Math.PI) / 5);
export const S51 = Math.sin((2 * Math.PI) / 5);
export const S52 = Math.sin((4 * Math.PI) / 5);

export class MixedRadixFft {
  readonly size: number;
  /** The stages in order (radix 4 first, then 2, 3, 5), with their twiddles. */
  readonly stages: readonly FftStage[];
  private readonly work: Float64Array;

  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`FFT length ${size}`);
    this.size = size;
    const stages: FftStage[] = [];
    let n = size;
    let s = 1;
    for (const p of factorize(size)) {
      const m = n / p;
      const tw = new Float64Array(2 * (p - 1) * m);
      for (let k = 0; k < m; k++)
        for (let u = 1; u < p; u++) {
          const a = (-2 * Math.PI * ((k * u) % n)) / n;
          const o = 2 * ((p - 1) * k + u - 1);
          tw[o] = Math.cos(a);
          tw[o + 1] = Math.sin(a);
        }
      stages.push({ p, n, m, s, tw });
      n = m;
      s *= p;
    }
    this.stages = stages;
    this.work = new Float64Array(2 * size);
  }

  /**
   * Forward transform X(f) = sum_t x(t) e^{-2 pi i f t / n} of `input` into `out` (both 2 x size
   * doubles, distinct; `input` is not changed).
   */
  transform(out: Float64Array, input: Float64Array): void {
    if (out === input) throw new RangeError('FFT input and output must be different arrays');
    const stages = this.stages;
    if (stages.length === 0) {
      out.set(input.subarray(0, 2 * this.size));
      return;
    }
    // Ping-pong between `out` and the work array so that the last stage writes `out`.
    let x: Float64Array = input;
    let y: Float64Array = stages.length % 2 === 1 ? out : this.work;
    for (const st of stages) {
      switch (st.p) {
        case 4:
          radix4(st, x, y);
          break;
        case 2:
          radix2(st, x, y);
          break;
        case 3:
          radix3(st, x, y);
          break;
        default:
          radix5(st, x, y);
      }
      x = y;
      y = y === out ? this.work : out;
    }
  }

  /** Inverse transform (1/n) sum_f X(f) e^{+2 pi i f t / n}, by conjugating in and out. */
  inverseTransform(out: Float64Array, input: Float64Array): void {
    const n = this.size;
    const c = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      c[2 * k] = input[2 * k];
      c[2 * k + 1] = -input[2 * k + 1];
    }
    this.transform(out, c);
    const inv = 1 / n;
    for (let k = 0; k < n; k++) {
      out[2 * k] *= inv;
      out[2 * k + 1] *= -inv;
    }
  }
}

const radix2 = ({ m, s, tw }: FftStage, x: Float64Array, y: Float64Array) => {
  const sm = s * m;
  for (let k = 0; k < m; k++) {
    const wr = tw[2 * k];
    const wi = tw[2 * k + 1];
    for (let q = 0; q < s; q++) {
      const i0 = 2 * (q + s * k);
      const i1 = i0 + 2 * sm;
      const ar = x[i0];
      const ai = x[i0 + 1];
      const br = x[i1];
      const bi = x[i1 + 1];
      const o0 = 2 * (q + s * 2 * k);
      const o1 = o0 + 2 * s;
      y[o0] = ar + br;
      y[o0 + 1] = ai + bi;
      const dr = ar - br;
      const di = ai - bi;
      y[o1] = dr * wr - di * wi;
      y[o1 + 1] = dr * wi + di * wr;
    }
  }
};

const radix4 = ({ m, s, tw }: FftStage, x: Float64Array, y: Float64Array) => {
  const d = 2 * s * m;
  const e = 2 * s;
  for (let k = 0; k < m; k++) {
    const t = 6 * k;
    const w1r = tw[t];
    const w1i = tw[t + 1];
    const w2r = tw[t + 2];
    const w2i = tw[t + 3];
    const w3r = tw[t + 4];
    const w3i = tw[t + 5];
    for (let q = 0; q < s; q++) {
      const i0 = 2 * (q + s * k);
      const a0r = x[i0];
      const a0i = x[i0 + 1];
      const a1r = x[i0 + d];
      const a1i = x[i0 + d + 1];
      const a2r = x[i0 + 2 * d];
      const a2i = x[i0 + 2 * d + 1];
      const a3r = x[i0 + 3 * d];
      const a3i = x[i0 + 3 * d + 1];
      const t0r = a0r + a2r;
      const t0i = a0i + a2i;
      const t1r = a0r - a2r;
      const t1i = a0i - a2i;
      const t2r = a1r + a3r;
      const t2i = a1i + a3i;
      // (a1 - a3) times -i
      const t3r = a1i - a3i;
      const t3i = a3r - a1r;
      const o0 = 2 * (q + 4 * s * k);
      y[o0] = t0r + t2r;
      y[o0 + 1] = t0i + t2i;
      const b1r = t1r + t3r;
      const b1i = t1i + t3i;
      const b2r = t0r - t2r;
      const b2i = t0i - t2i;
      const b3r = t1r - t3r;
      const b3i = t1i - t3i;
      y[o0 + e] = b1r * w1r - b1i * w1i;
      y[o0 + e + 1] = b1r * w1i + b1i * w1r;
      y[o0 + 2 * e] = b2r * w2r - b2i * w2i;
      y[o0 + 2 * e + 1] = b2r * w2i + b2i * w2r;
      y[o0 + 3 * e] = b3r * w3r - b3i * w3i;
      y[o0 + 3 * e + 1] = b3r * w3i + b3i * w3r;
    }
  }
};

const radix3 = ({ m, s, tw }: FftStage, x: Float64Array, y: Float64Array) => {
  const d = 2 * s * m;
  const e = 2 * s;
  for (let k = 0; k < m; k++) {
    const t = 4 * k;
    const w1r = tw[t];
    const w1i = tw[t + 1];
    const w2r = tw[t + 2];
    const w2i = tw[t + 3];
    for (let q = 0; q < s; q++) {
      const i0 = 2 * (q + s * k);
      const a0r = x[i0];
      const a0i = x[i0 + 1];
      const a1r = x[i0 + d];
      const a1i = x[i0 + d + 1];
      const a2r = x[i0 + 2 * d];
      const a2i = x[i0 + 2 * d + 1];
      const sr = a1r + a2r;
      const si = a1i + a2i;
      const mr = a0r + C3 * sr;
      const mi = a0i + C3 * si;
      // -i sin(2 pi / 3) (a1 - a2)
      const nr = S3 * (a1i - a2i);
      const ni = -S3 * (a1r - a2r);
      const o0 = 2 * (q + 3 * s * k);
      y[o0] = a0r + sr;
      y[o0 + 1] = a0i + si;
      const b1r = mr + nr;
      const b1i = mi + ni;
      const b2r = mr - nr;
      const b2i = mi - ni;
      y[o0 + e] = b1r * w1r - b1i * w1i;
      y[o0 + e + 1] = b1r * w1i + b1i * w1r;
      y[o0 + 2 * e] = b2r * w2r - b2i * w2i;
      y[o0 + 2 * e + 1] = b2r * w2i + b2i * w2r;
    }
  }
};

const radix5 = ({ m, s, tw }: FftStage, x: Float64Array, y: Float64Array) => {
  const d = 2 * s * m;
  const e = 2 * s;
  for (let k = 0; k < m; k++) {
    const t = 8 * k;
    const w1r = tw[t];
    const w1i = tw[t + 1];
    const w2r = tw[t + 2];
    const w2i = tw[t + 3];
    const w3r = tw[t + 4];
    const w3i = tw[t + 5];
    const w4r = tw[t + 6];
    const w4i = tw[t + 7];
    for (let q = 0; q < s; q++) {
      const i0 = 2 * (q + s * k);
      const a0r = x[i0];
      const a0i = x[i0 + 1];
      const a1r = x[i0 + d];
      const a1i = x[i0 + d + 1];
      const a2r = x[i0 + 2 * d];
      const a2i = x[i0 + 2 * d + 1];
      const a3r = x[i0 + 3 * d];
      const a3i = x[i0 + 3 * d + 1];
      const a4r = x[i0 + 4 * d];
      const a4i = x[i0 + 4 * d + 1];
      const s1r = a1r + a4r;
      const s1i = a1i + a4i;
      const s2r = a2r + a3r;
      const s2i = a2i + a3i;
      const d1r = a1r - a4r;
      const d1i = a1i - a4i;
      const d2r = a2r - a3r;
      const d2i = a2i - a3i;
      const m1r = a0r + C51 * s1r + C52 * s2r;
      const m1i = a0i + C51 * s1i + C52 * s2i;
      const m2r = a0r + C52 * s1r + C51 * s2r;
      const m2i = a0i + C52 * s1i + C51 * s2i;
      // -i (S51 d1 + S52 d2) and -i (S52 d1 - S51 d2)
      const n1r = S51 * d1i + S52 * d2i;
      const n1i = -(S51 * d1r + S52 * d2r);
      const n2r = S52 * d1i - S51 * d2i;
      const n2i = -(S52 * d1r - S51 * d2r);
      const o0 = 2 * (q + 5 * s * k);
      y[o0] = a0r + s1r + s2r;
      y[o0 + 1] = a0i + s1i + s2i;
      const b1r = m1r + n1r;
      const b1i = m1i + n1i;
      const b2r = m2r + n2r;
      const b2i = m2i + n2i;
      const b3r = m2r - n2r;
      const b3i = m2i - n2i;
      const b4r = m1r - n1r;
      const b4i = m1i - n1i;
      y[o0 + e] = b1r * w1r - b1i * w1i;
      y[o0 + e + 1] = b1r * w1i + b1i * w1r;
      y[o0 + 2 * e] = b2r * w2r - b2i * w2i;
      y[o0 + 2 * e + 1] = b2r * w2i + b2i * w2r;
      y[o0 + 3 * e] = b3r * w3r - b3i * w3i;
      y[o0 + 3 * e + 1] = b3r * w3i + b3i * w3r;
      y[o0 + 4 * e] = b4r * w4r - b4i * w4i;
      y[o0 + 4 * e + 1] = b4r * w4i + b4i * w4r;
    }
  }
};

const plans = new Map<number, MixedRadixFft>();
/**
 * The plan for transforms of `size` points, made once per thread (its twiddles cost more than a
 * transform). Callers in one thread may share it: a transform uses the plan's work array only
 * while it runs.
 */
export const fftPlan = (size: number): MixedRadixFft => {
  let plan = plans.get(size);
  if (!plan) {
    plan = new MixedRadixFft(size);
    plans.set(size, plan);
  }
  return plan;
};
