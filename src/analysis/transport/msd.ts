import { OptionError } from '../../core/errors.js';
import { fastFftSize } from '../../core/mixed-radix-fft.js';
import { PowerSpectrumSum, preparePowerSpectrumSum, SPECTRUM_BATCH } from '../../core/power-spectrum-sum.js';
import type { SparseDisplacements } from './displacements.js';

/**
 * Mean squared displacements over all time origins, and their sampling statistics.
 *
 * The MSD at every lag m uses the FFT algorithm (Kneller et al., Comput. Phys. Commun. 91, 191
 * (1995); as MDAnalysis EinsteinMSD and tidynamics): for one coordinate x(0..T-1),
 *   MSD(m) = [sum_{k=0}^{T-m-1} (x(k)^2 + x(k+m)^2) - 2 sum_k x(k) x(k+m)] / (T - m),
 * the autocorrelation sum_k x(k) x(k+m) from the power spectrum of x zero-padded to >= 2T. The
 * spectra of all atoms are summed before one inverse transform per axis, so the cost is half a
 * complex FFT per atom and axis (two series share one transform; PowerSpectrumSum runs two such
 * transforms at once in WebAssembly SIMD). Everything is double precision.
 *
 * The statistics (kinisi's estimator, McCluskey et al., J. Chem. Theory Comput. 2024) are taken at
 * a smaller grid of "statistics lags": at lag m the squared displacements s = |r(t+m) - r(t)|^2
 * of every atom and time origin are pooled; their mean, sample variance (ddof = 1) and the number
 * of independent windows n_o(m) = atoms x m_max / m give the variance of the MSD, var(s) / n_o.
 * The fourth moment needed there cannot come from one FFT, so these lags are summed directly.
 */

/** Cartesian axes the total MSD is summed over: [0,1,2] for 3D, [0,1] for the xy plane, ... */
export type Axes = readonly number[];

export interface MsdOptions {
  /** Axes summed in the total (default [0, 1, 2]); per-axis curves are always computed. */
  axes?: Axes;
  /** Charge of each selected atom (e) for the collective (charge) MSD; default all +1. */
  charges?: ArrayLike<number>;
  /** Lags (frames, ascending, >= 1) at which to collect statistics; default statisticsLags(T). */
  statisticsLags?: ArrayLike<number>;
  /**
   * Time origins used for the statistics: 'all' (every origin, exact), or 'auto' (default): every
   * origin while atoms x sum_m (T - m) <= 5e7 window evaluations, else origins spaced
   * max(1, floor(m / 8)) apart at lag m. Windows that start less than m/8 apart overlap by more
   * than 7/8 and add almost no information to a variance estimate.
   */
  origins?: 'all' | 'auto';
  /** Called with (atoms done, atoms) as the computation goes on. */
  onProgress?: (done: number, total: number) => void;
}

/** MSD curves at every lag 0..T-1 (A^2). */
export interface MsdCurves {
  /** Per Cartesian axis. */
  axis: [Float64Array, Float64Array, Float64Array];
  /** Sum over the chosen axes. */
  total: Float64Array;
}

/** Pooled statistics of squared displacements at the statistics lags. */
export interface LagStatistics {
  /** Lags, frames. */
  lags: Int32Array;
  /** Mean of s (the MSD), per axis and total (A^2). */
  mean: { axis: [Float64Array, Float64Array, Float64Array]; total: Float64Array };
  /** Sample variance of s (ddof = 1), per axis and total (A^4). */
  variance: { axis: [Float64Array, Float64Array, Float64Array]; total: Float64Array };
  /** Number of s values pooled at each lag. */
  samples: Float64Array;
  /** Independent windows n_o(m) = particles x m_max / m (kinisi). */
  independent: Float64Array;
  /** Non-Gaussian parameter alpha_2 = d <r^4> / ((d + 2) <r^2>^2) - 1 over the chosen axes. */
  nonGaussian: Float64Array;
}

export interface MsdResult {
  frames: number;
  axes: Axes;
  /** Tracer MSD averaged over the selected atoms. */
  tracer: MsdCurves;
  /** Collective MSD per ion: < |sum_i q_i dr_i(m)|^2 > / N (A^2 e^2). */
  collective: MsdCurves;
  tracerStats: LagStatistics;
  collectiveStats: LagStatistics;
  /** True when the statistics used every time origin. */
  allOrigins: boolean;
}

/** kinisi's default lag grid: 100 lags spaced linearly from 1 frame to T - 1 frames (duplicates removed). */
export const statisticsLags = (frames: number, count = 100): Int32Array => {
  if (frames < 2) throw new OptionError(`at least 2 frames are needed for an MSD, got ${frames}`);
  const max = frames - 1;
  const out = new Set<number>();
  for (let j = 0; j < count; j++)
    out.add(Math.max(1, Math.round(1 + ((max - 1) * j) / Math.max(1, count - 1))));
  return Int32Array.from([...out].sort((a, b) => a - b));
};

/**
 * sq[k] += x[k]^2 for k < T. A function of its own, so that the loop's optimised (on-stack
 * replacement) code ends at the loop: inline in FftMsdAccumulators.add, that code met the call
 * after the loop without type feedback and was thrown away at the end of every call, about a
 * thousand times a run (node --trace-deopt).
 */
const addSquares = (sq: Float64Array, x: Float64Array, T: number): void => {
  for (let k = 0; k < T; k++) sq[k] += x[k] * x[k];
};

/**
 * c[t] += q x[t] for t < T: the collective displacement. A function of its own for the same reason
 * as addSquares, and more: inline in accumulateMsdRange, whose one long call per thread is optimised
 * only by on-stack replacement, this loop ran unoptimised for its first atoms (15-30 ms a thread).
 */
const addScaled = (c: Float64Array, x: Float64Array, q: number, T: number): void => {
  for (let t = 0; t < T; t++) c[t] += q * x[t];
};

/**
 * Power-spectrum accumulators for the FFT MSD, summed over particles, one per "sum" (an axis, or
 * an element's axis): the spectra by one PowerSpectrumSum (two series per complex transform, two
 * transforms at once in WebAssembly SIMD), with the sums of squares x(t)^2 that Kneller's formula
 * also needs. One kernel for every sum keeps a thread's working set to one set of FFT buffers
 * (about 2 MB at 10,000 frames) instead of one per axis.
 */
class FftMsdAccumulators {
  private readonly spectra: PowerSpectrumSum;
  /** Per sum: sum over particles of x(t)^2, by frame t. */
  private readonly squared: Float64Array[];
  private readonly particles: number[];

  constructor(
    size: number,
    private readonly frames: number,
    sums: number,
  ) {
    this.spectra = new PowerSpectrumSum(size, { sums });
    this.squared = Array.from({ length: sums }, () => new Float64Array(frames));
    this.particles = new Array<number>(sums).fill(0);
  }

  /** Adds a particle's series to sum `sum`; the spectra take four series of one sum per call (group them). */
  add(sum: number, x: Float64Array): void {
    addSquares(this.squared[sum], x, this.frames);
    this.spectra.add(x, this.frames, sum);
    this.particles[sum]++;
  }

  /** The summed power spectrum and squares of sum `sum` so far. */
  partial(sum: number): SpectrumSums {
    return { power: this.spectra.power(sum), squared: this.squared[sum], particles: this.particles[sum] };
  }

  /** MSD(m), m = 0..T-1, of each sum given (their spectra and squares), with this kernel's inverse transforms. */
  msds(sums: SpectrumSums[]): Float64Array[] {
    const ac = this.spectra.realInverse(sums.map((s) => s.power));
    return sums.map((s, j) => msdFromAutocorrelation(ac[j], s, this.frames));
  }
}

/** Power spectrum and squares of one axis summed over a set of particles: sums of sets add. */
export interface SpectrumSums {
  power: Float64Array;
  /** sum over particles of x(t)^2, by frame t. */
  squared: Float64Array;
  particles: number;
}

/** Kneller's MSD(m), m = 0..T-1, from the autocorrelation sum (the inverse transform of the summed power spectrum). */
const msdFromAutocorrelation = (ac: Float64Array, sums: SpectrumSums, T: number): Float64Array => {
  // sum_{k<T-m} x(k)^2 + sum_{k>=m} x(k)^2 from prefix sums of the summed squares.
  const pre = new Float64Array(T + 1);
  for (let k = 0; k < T; k++) pre[k + 1] = pre[k] + sums.squared[k];
  const out = new Float64Array(T);
  for (let m = 0; m < T; m++)
    out[m] = (pre[T - m] + (pre[T] - pre[m]) - 2 * ac[m]) / ((T - m) * sums.particles);
  out[0] = 0;
  return out;
};

/** Adds the sums of b into a, element by element (a's arrays are changed). */
const addInto = (a: Float64Array, b: ArrayLike<number>) => {
  for (let k = 0; k < a.length; k++) a[k] += b[k];
};

/** Sums of s and s^2 at the statistics lags, per axis and over the chosen axes, and their counts. */
export interface LagSums {
  sum: Float64Array[];
  sumSq: Float64Array[];
  sumTotal: Float64Array;
  sumTotalSq: Float64Array;
  samples: Float64Array;
}

/** Direct accumulation of s and s^2 at the statistics lags (per axis and over the chosen axes). */
class LagMomentAccumulator {
  readonly sum: Float64Array[];
  readonly sumSq: Float64Array[];
  readonly sumTotal: Float64Array;
  readonly sumTotalSq: Float64Array;
  readonly samples: Float64Array;

  constructor(
    private readonly lags: Int32Array,
    private readonly axes: Axes,
    /** Every time origin (true), or origins max(1, floor(m / 8)) apart at lag m. */
    private readonly allOrigins: boolean,
  ) {
    const L = lags.length;
    this.sum = [0, 1, 2].map(() => new Float64Array(L));
    this.sumSq = [0, 1, 2].map(() => new Float64Array(L));
    this.sumTotal = new Float64Array(L);
    this.sumTotalSq = new Float64Array(L);
    this.samples = new Float64Array(L);
  }

  /** The raw sums, to be merged with another accumulator's over other atoms. */
  sums(): LagSums {
    return {
      sum: this.sum,
      sumSq: this.sumSq,
      sumTotal: this.sumTotal,
      sumTotalSq: this.sumTotalSq,
      samples: this.samples,
    };
  }

  /** Adds the sums of the same lags over other atoms (from sums()). */
  merge(o: LagSums): void {
    for (let a = 0; a < 3; a++) {
      addInto(this.sum[a], o.sum[a]);
      addInto(this.sumSq[a], o.sumSq[a]);
    }
    addInto(this.sumTotal, o.sumTotal);
    addInto(this.sumTotalSq, o.sumTotalSq);
    addInto(this.samples, o.samples);
  }

  add(x: Float64Array, y: Float64Array, z: Float64Array): void {
    const T = x.length;
    const wx = this.axes.includes(0) ? 1 : 0;
    const wy = this.axes.includes(1) ? 1 : 0;
    const wz = this.axes.includes(2) ? 1 : 0;
    for (let j = 0; j < this.lags.length; j++) {
      const m = this.lags[j];
      // (A flag, not a function per stride: the tracer's sums and the collective's then run the
      // same optimised code, where a second function made it start over.)
      const step = this.allOrigins ? 1 : Math.max(1, Math.floor(m / 8));
      let a = 0;
      let a2 = 0;
      let b = 0;
      let b2 = 0;
      let c = 0;
      let c2 = 0;
      let s1 = 0;
      let s2 = 0;
      let n = 0;
      for (let k = 0; k + m < T; k += step) {
        const dx = x[k + m] - x[k];
        const dy = y[k + m] - y[k];
        const dz = z[k + m] - z[k];
        const qx = dx * dx;
        const qy = dy * dy;
        const qz = dz * dz;
        a += qx;
        a2 += qx * qx;
        b += qy;
        b2 += qy * qy;
        c += qz;
        c2 += qz * qz;
        const s = wx * qx + wy * qy + wz * qz;
        s1 += s;
        s2 += s * s;
        n++;
      }
      this.sum[0][j] += a;
      this.sumSq[0][j] += a2;
      this.sum[1][j] += b;
      this.sumSq[1][j] += b2;
      this.sum[2][j] += c;
      this.sumSq[2][j] += c2;
      this.sumTotal[j] += s1;
      this.sumTotalSq[j] += s2;
      this.samples[j] += n;
    }
  }

  result(particles: number, scale = 1): LagStatistics {
    const L = this.lags.length;
    const mMax = this.lags[L - 1];
    const meanOf = (s: Float64Array) => Float64Array.from(s, (v, j) => (v / this.samples[j]) * scale);
    // Sample variance (ddof = 1) from the sums: (sum s^2 - (sum s)^2 / n) / (n - 1).
    const varOf = (s: Float64Array, s2: Float64Array) =>
      Float64Array.from(s, (v, j) => {
        const n = this.samples[j];
        return n > 1 ? (Math.max(0, s2[j] - (v * v) / n) / (n - 1)) * scale * scale : Number.NaN;
      });
    const d = this.axes.length;
    const nonGaussian = Float64Array.from(this.sumTotal, (v, j) => {
      const n = this.samples[j];
      const r2 = v / n;
      const r4 = this.sumTotalSq[j] / n;
      return (d * r4) / ((d + 2) * r2 * r2) - 1;
    });
    return {
      lags: this.lags,
      mean: {
        axis: [meanOf(this.sum[0]), meanOf(this.sum[1]), meanOf(this.sum[2])],
        total: meanOf(this.sumTotal),
      },
      variance: {
        axis: [
          varOf(this.sum[0], this.sumSq[0]),
          varOf(this.sum[1], this.sumSq[1]),
          varOf(this.sum[2], this.sumSq[2]),
        ],
        total: varOf(this.sumTotal, this.sumTotalSq),
      },
      samples: this.samples,
      independent: Float64Array.from(this.lags, (m) => (particles * mMax) / m),
      nonGaussian,
    };
  }
}

const WINDOW_BUDGET = 5e7;

/** What computeMsd needs of the displacements: drift-corrected series, one atom and axis at a time. */
export interface SeriesSource {
  readonly atoms: number;
  readonly frames: number;
  series(atom: number, axis: number, out?: Float64Array): Float64Array;
}

/** The settings of one MSD computation, checked once and shared by every range of atoms. */
export interface MsdPlan {
  frames: number;
  atoms: number;
  axes: number[];
  lags: Int32Array;
  allOrigins: boolean;
  /** Charge of each atom (e); undefined: all +1. */
  charges?: Float64Array;
}

/** The sums over one range of atoms; the sums of consecutive ranges add (in range order). */
export interface MsdPartial {
  tracer: SpectrumSums[];
  moments: LagSums;
  /** sum_i q_i dr_i(t) per axis. */
  collective: Float64Array[];
}

/** Checks the options and fixes the plan (statistics lags, which origins) of computeMsd. */
export const planMsd = (d: SeriesSource, options: MsdOptions = {}): MsdPlan => {
  const T = d.frames;
  const N = d.atoms;
  const axes = [...(options.axes ?? [0, 1, 2])];
  if (
    axes.length === 0 ||
    axes.some((a) => a !== 0 && a !== 1 && a !== 2) ||
    new Set(axes).size !== axes.length
  )
    throw new OptionError(`axes must be distinct values of 0, 1, 2; got [${axes.join(', ')}]`);
  const lags = Int32Array.from(options.statisticsLags ?? statisticsLags(T));
  if (lags.length === 0) throw new OptionError('no statistics lags');
  for (let j = 0; j < lags.length; j++)
    if (!(lags[j] >= 1 && lags[j] < T) || (j > 0 && lags[j] <= lags[j - 1]))
      throw new OptionError(`statistics lags must be ascending whole numbers in 1..${T - 1}`);
  const charges = options.charges;
  if (charges && charges.length !== N) throw new OptionError(`${charges.length} charges for ${N} atoms`);
  let work = 0;
  for (const m of lags) work += T - m;
  const allOrigins = options.origins === 'all' || N * work <= WINDOW_BUDGET;
  return { frames: T, atoms: N, axes, lags, allOrigins, charges: charges && Float64Array.from(charges) };
};

/**
 * FFT size for series of T frames: a length >= 2T with no prime factor beyond 5, the fastest by
 * fastFftSize (the zero padding of Kneller's method; the next power of two can be almost twice as
 * long: 32,768 for T = 10,000, where 20,480 = 4^6 x 5 is used).
 */
const fftSize = (T: number) => fastFftSize(Math.max(4, 2 * T));

/**
 * Makes ahead, in this thread, what the MSD sums of a run of `frames` frames start with (the FFT
 * length, its plan and the spectra's kernel): for a worker that waits for the last frame.
 */
export const prepareMsd = (frames: number): void => {
  if (Number.isInteger(frames) && frames >= 2) preparePowerSpectrumSum(fftSize(frames));
};

/**
 * The spectra, lag moments and collective displacement of atoms [from, to): the part of the MSD
 * that is a sum over atoms, so that ranges can be computed apart (worker threads) and added.
 */
export const accumulateMsdRange = (
  d: SeriesSource,
  plan: MsdPlan,
  from: number,
  to: number,
  onAtom?: (done: number) => void,
): MsdPartial => {
  const T = plan.frames;
  const size = fftSize(T);
  const tracerAcc = new FftMsdAccumulators(size, T, 3);
  const moments = new LagMomentAccumulator(plan.lags, plan.axes, plan.allOrigins);
  // Atoms in groups of the kernel's batch (four series of one axis per call): each axis's series
  // reach the spectra in atom order and in the same batches as one accumulator per axis gave.
  const series = Array.from({ length: 3 * SPECTRUM_BATCH }, () => new Float64Array(T));
  const collective = [new Float64Array(T), new Float64Array(T), new Float64Array(T)];
  for (let i0 = from; i0 < to; i0 += SPECTRUM_BATCH) {
    const i1 = Math.min(to, i0 + SPECTRUM_BATCH);
    for (let i = i0; i < i1; i++) {
      const g = 3 * (i - i0);
      const q = plan.charges ? plan.charges[i] : 1;
      for (let a = 0; a < 3; a++) addScaled(collective[a], d.series(i, a, series[g + a]), q, T);
      moments.add(series[g], series[g + 1], series[g + 2]);
    }
    for (let a = 0; a < 3; a++) for (let i = i0; i < i1; i++) tracerAcc.add(a, series[3 * (i - i0) + a]);
    for (let i = i0; i < i1; i++) onAtom?.(i + 1 - from);
  }
  return { tracer: [0, 1, 2].map((a) => tracerAcc.partial(a)), moments: moments.sums(), collective };
};

/** The MSD result from the partial sums of consecutive atom ranges (added in the order given). */
export const finishMsd = (plan: MsdPlan, parts: MsdPartial[]): MsdResult => {
  const T = plan.frames;
  const N = plan.atoms;
  const size = fftSize(T);
  const [first, ...rest] = parts;
  for (const part of rest)
    for (let a = 0; a < 3; a++) {
      addInto(first.tracer[a].power, part.tracer[a].power);
      addInto(first.tracer[a].squared, part.tracer[a].squared);
      first.tracer[a].particles += part.tracer[a].particles;
      addInto(first.collective[a], part.collective[a]);
    }
  const moments = new LagMomentAccumulator(plan.lags, plan.axes, plan.allOrigins);
  for (const part of parts) moments.merge(part.moments);
  const curves = (axis: Float64Array[]): MsdCurves => {
    const total = new Float64Array(T);
    for (const a of plan.axes) for (let m = 0; m < T; m++) total[m] += axis[a][m];
    return { axis: axis as [Float64Array, Float64Array, Float64Array], total };
  };
  // The collective displacement is one particle; per ion: divide its MSD by N. Its spectra and
  // all six inverse transforms on one kernel.
  const collectiveAcc = new FftMsdAccumulators(size, T, 3);
  for (let a = 0; a < 3; a++) collectiveAcc.add(a, first.collective[a]);
  const curvesOf = collectiveAcc.msds([...first.tracer, ...[0, 1, 2].map((a) => collectiveAcc.partial(a))]);
  const tracer = curves(curvesOf.slice(0, 3));
  const collectiveCurves = curvesOf.slice(3).map((c) => c.map((v) => v * (1 / N)));
  const collectiveMoments = new LagMomentAccumulator(plan.lags, plan.axes, true);
  collectiveMoments.add(first.collective[0], first.collective[1], first.collective[2]);
  return {
    frames: T,
    axes: plan.axes,
    tracer,
    collective: curves(collectiveCurves),
    tracerStats: moments.result(N),
    collectiveStats: collectiveMoments.result(1, 1 / N),
    allOrigins: plan.allOrigins,
  };
};

/** Tracer and collective MSDs of the selected atoms, at every lag and with statistics (this thread). */
export const computeMsd = (d: SeriesSource, options: MsdOptions = {}): MsdResult => {
  const plan = planMsd(d, options);
  const part = accumulateMsdRange(d, plan, 0, plan.atoms, (k) => options.onProgress?.(k, plan.atoms));
  return finishMsd(plan, [part]);
};

/** MSD of one element from sparsely stored frames. */
export interface ElementMsd {
  element: string;
  atoms: number;
  /** Lags (frames of the run): multiples of the storage stride. */
  lagsFrames: Int32Array;
  curves: MsdCurves;
}

/**
 * Atoms read per pass over the sparsely stored frames: 192 values, 24 whole cache lines a frame,
 * and 16 batches of the spectra per axis. The store is frame by frame, so each pass reads one
 * short run of every stored frame; with 8 atoms a pass, those reads were most of the framework
 * check's time (its series stay well within the core's cache: 1.5 MB at 1,024 frames).
 */
const GATHER = 64;
// A whole number of the spectra's batches: each sum's series then reach them in the same batches
// whatever GATHER is (the numbers do not depend on it).
if (GATHER % SPECTRUM_BATCH !== 0) throw new Error('GATHER must be a multiple of SPECTRUM_BATCH');

/**
 * Tracer MSD (FFT, all stored origins) of every element among the sparsely stored atoms, with the
 * run's drift removed: a diagnostic of the framework (does it stay put, does it melt?).
 */
export const elementMsds = (
  sparse: SparseDisplacements,
  symbolOf: (atom: number) => string,
  axes: Axes = [0, 1, 2],
): ElementMsd[] => {
  const T = sparse.frames;
  if (T < 2) return [];
  const size = fftSize(T);
  const groups = new Map<string, number[]>();
  sparse.atoms.forEach((atom, slot) => {
    const e = symbolOf(atom);
    const list = groups.get(e) ?? [];
    list.push(slot);
    groups.set(e, list);
  });
  // One kernel for every element and axis (sum 3 e + a), each axis's series in atom order.
  const acc = new FftMsdAccumulators(size, T, 3 * groups.size);
  // (No more buffers than the largest element needs: then every element is one pass.)
  const gather = Math.min(GATHER, Math.max(...[...groups.values()].map((slots) => slots.length)));
  const series = Array.from({ length: 3 * gather }, () => new Float64Array(T));
  [...groups.values()].forEach((slots, e) => {
    for (let g0 = 0; g0 < slots.length; g0 += gather) {
      const some = slots.slice(g0, g0 + gather);
      sparse.gatherSlots(some, series);
      for (let a = 0; a < 3; a++) for (let g = 0; g < some.length; g++) acc.add(3 * e + a, series[3 * g + a]);
    }
  });
  const curves = acc.msds(Array.from({ length: 3 * groups.size }, (_, j) => acc.partial(j)));
  const out: ElementMsd[] = [];
  [...groups].forEach(([element, slots], e) => {
    const axis = curves.slice(3 * e, 3 * e + 3) as [Float64Array, Float64Array, Float64Array];
    const total = new Float64Array(T);
    for (const a of axes) for (let m = 0; m < T; m++) total[m] += axis[a][m];
    out.push({
      element,
      atoms: slots.length,
      lagsFrames: Int32Array.from({ length: T }, (_, m) => m * sparse.stride),
      curves: { axis, total },
    });
  });
  return out;
};
