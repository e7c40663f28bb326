import { OptionError } from '../../core/errors.js';
import { Z95 } from '../../core/statistics.js';
import { A2_PER_FS_IN_CM2_PER_S } from '../../core/units.js';
import {
  choleskyFlat,
  type FlatMatrix,
  glsLineFactored,
  type LineFit,
  olsLine,
  reconditionFlat,
} from './line-fit.js';
import type { LagStatistics, MsdResult } from './msd.js';
import { randomWalkMsdCovarianceFlat } from './random-walk-covariance.js';

/** An estimate with its standard deviation and 95 % interval (same unit as the value). */
export interface Estimate {
  value: number;
  std: number;
  low95: number;
  high95: number;
}

/**
 * value +- Z95 std (Z95 = 1.96), both ends floored at `floor` (a diffusivity cannot be negative: a
 * negative estimate keeps its value, so the noise stays visible, but its interval is cut to [0, ...]).
 */
export const estimate = (value: number, std: number, floor = Number.NEGATIVE_INFINITY): Estimate => ({
  value,
  std,
  low95: Math.max(floor, value - Z95 * std),
  high95: Math.max(floor, value + Z95 * std),
});

export interface DiffusivityOptions {
  /** Time between stored frames, fs. */
  frameIntervalFs: number;
  /** Start of the fit window, ps. Default: 10 % of the run's duration (`fitStartDefaulted` says so). */
  fitStartPs?: number;
  /** End of the fit window, ps. Default: the longest lag with atoms x (T - 1) / lag >= 30. */
  fitEndPs?: number;
  /** The covariance of the MSD across lags (default 'random-walk'; see CovarianceModel). */
  covariance?: CovarianceModel;
}

export interface DiffusivityResult {
  /** Dimensionality d of D = slope / (2 d). */
  dimensions: number;
  fitStartPs: number;
  fitEndPs: number;
  /** True when the fit start was not given and the default (10 % of the run) was used. */
  fitStartDefaulted: boolean;
  /** Ordinary least squares on the MSD at every lag in the window (cm^2/s); no meaningful error bar. */
  olsCm2PerS: number;
  /** Generalised least squares with the kinisi covariance (cm^2/s). */
  glsCm2PerS: Estimate;
  /** The GLS intercept of the MSD line (A^2): the ballistic / vibrational offset. */
  interceptA2: Estimate;
  /** Number of statistics lags in the window. */
  glsPoints: number;
  /**
   * OLS over the GLS fit's own lags minus the GLS D, and the standard deviation that difference has
   * for a straight MSD under the fit's covariance (cm^2/s; see olsGap). Beyond 2 std a note says the
   * MSD is not straight in the window.
   */
  olsGapCm2PerS: { value: number; std: number };
  /** Per Cartesian axis, GLS, d = 1 (cm^2/s). */
  axisCm2PerS: [Estimate, Estimate, Estimate];
  /** From the collective MSD per ion (cm^2/s); charges included. */
  collectiveCm2PerS: Estimate;
  /** True when any covariance had to be reconditioned to be positive definite. */
  covarianceAdjusted: boolean;
  /**
   * GLS D of the first and second halves of the window's lags (cm^2/s; absent below six lags). A
   * second half slower by more than 3 combined standard deviations means the motion is still
   * sub-diffusive (caged, ageing): D is then an upper bound (a note says so).
   */
  halvesCm2PerS?: [Estimate, Estimate];
  notes: string[];
}

/**
 * The covariance of the MSD across the lags of the fit window.
 * - 'random-walk' (default): the exact covariance of the all-origins MSD of a Gaussian random
 *   walk with vibrational noise over this run's length (randomWalkMsdCovariance; the step and
 *   vibration variances from the fitted slope and intercept, iterated), scaled by
 *   the observed excess of var(s) over its Gaussian value 2 mean(s)^2 / d (hopping, non-Gaussian
 *   motion has larger fluctuations), divided by the number of atoms. Calibrated: random walks give
 *   intervals that contain the true D at their nominal rate (test/analysis/transport-calibration).
 * - 'kinisi': kinisi's model (McCluskey et al., J. Chem. Theory Comput. 2024, eqs 6-7; kinisi
 *   >= 0.6): Var_i = a t_i^2 / n_o(i) with n_o = atoms x m_max / m and a fitted to the sampled
 *   var(s_i) / n_o(i), and Sigma_ij = Var_i n_o(i) / n_o(j) for lag_i <= lag_j. It treats
 *   neighbouring lags as less correlated than they are and overstates the uncertainty of the slope
 *   (several-fold on the random walks of the calibration test; kinisi's authors call the
 *   overestimate deliberate); kept to reproduce kinisi-style numbers.
 */
export type CovarianceModel = 'random-walk' | 'kinisi';

interface GlsInput {
  lagsFrames: Int32Array;
  frameIntervalFs: number;
  frames: number;
  mean: Float64Array;
  variance: Float64Array;
  /** Independent particles (atoms; 1 for the collective MSD). */
  particles: number;
  independent: Float64Array;
  /** Axes summed in this MSD. */
  dims: number;
}

/**
 * The OLS slope over the GLS fit's own lags and the standard deviation of its gap from the GLS slope
 * under the covariance S of the fit. With the design X = [t 1], V = (X' S^-1 X)^-1 the covariance
 * of the GLS estimate, A = (X'X)^-1 X' and G = V X' S^-1 (OLS and GLS, both linear in the MSD y):
 *   Var(A y - G y) = A S A' + V - 2 A S G' = A S A' - V,
 * since A S G' = (X'X)^-1 X' S S^-1 X V = V (the GLS estimate is uncorrelated with its difference
 * from any other linear unbiased estimate; Gauss-Markov). For the slope, the first row of A is
 * a_i = (t_i - tbar) / sum_j (t_j - tbar)^2, so Var(gap) = a' S a - var(GLS slope). The OLS slope
 * scatters several times more than the GLS one (the MSD at neighbouring lags is strongly
 * correlated): comparing the gap with the GLS standard deviation alone flags straight MSDs. The
 * identity holds for a fixed S; the random-walk model's S depends weakly on the fitted line, and the
 * test on random walks shows the rate stays nominal.
 */
const olsGap = (x: number[], y: number[], S: FlatMatrix, glsSlopeVariance: number) => {
  const n = x.length;
  const tbar = x.reduce((sum, t) => sum + t, 0) / n;
  let sxx = 0;
  for (const t of x) sxx += (t - tbar) ** 2;
  const a = x.map((t) => (t - tbar) / sxx);
  let olsVariance = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) row += S[i * n + j] * a[j];
    olsVariance += a[i] * row;
  }
  const slope = a.reduce((sum, w, i) => sum + w * y[i], 0);
  // Equal up to rounding when OLS is already the best linear estimate (S proportional to I).
  const variance = olsVariance - glsSlopeVariance;
  return { slope, std: variance > 1e-12 * olsVariance ? Math.sqrt(variance) : 0 };
};

interface GlsOutcome {
  fit: LineFit;
  adjusted: boolean;
  note?: string;
  /** OLS slope over the same lags, and the standard deviation of OLS - GLS under the fit's covariance. */
  gap: { olsSlope: number; std: number };
}

/** Fit MSD = m t + c over the statistics lags in a window by generalised least squares. */
const glsFit = (g: GlsInput, window: number[], model: CovarianceModel): GlsOutcome => {
  // A lag with fewer than two windows (the collective MSD near the end of the run) has no variance.
  const indices = window.filter((j) => Number.isFinite(g.variance[j]) && g.variance[j] > 0 && g.mean[j] > 0);
  if (indices.length < 3)
    throw new OptionError('fewer than 3 lags in the fit window have a variance; widen the window');
  const x = indices.map((j) => g.lagsFrames[j] * g.frameIntervalFs);
  const y = indices.map((j) => g.mean[j]);
  if (model === 'random-walk') {
    const lags = indices.map((j) => g.lagsFrames[j]);
    // Step variance per axis per frame (slope = d sigma^2 / dt) and vibration variance per axis
    // (intercept = 2 d v^2); when the slope is not positive, sigma^2 from the level of the MSD.
    let note: string | undefined;
    const variances = (line: LineFit) => {
      let sigma2 = (line.slope * g.frameIntervalFs) / g.dims;
      if (!(sigma2 > 0)) {
        sigma2 = indices.reduce((sum, j) => sum + g.mean[j] / (g.dims * g.lagsFrames[j]), 0) / indices.length;
        note = 'the slope is not positive; its uncertainty is scaled from the level of the MSD';
      }
      return { sigma2, v2: Math.max(0, line.intercept) / (2 * g.dims) };
    };
    // The slope does not depend on the overall scale of the covariance, only on the ratio v^2 /
    // sigma^2, which the fit itself estimates: iterate from the OLS line (a few rounds converge).
    let line = olsLine(x, y);
    let fit = line;
    let S: FlatMatrix = new Float64Array(0);
    for (let round = 0; round < 4; round++) {
      note = undefined;
      const { sigma2, v2 } = variances(line);
      const r = reconditionFlat(randomWalkMsdCovarianceFlat(g.frames, lags, v2 / sigma2), x.length);
      S = r.matrix;
      fit = glsLineFactored(x, y, factorOf(r, x.length));
      const converged = Math.abs(fit.slope - line.slope) <= 1e-6 * Math.abs(fit.slope);
      line = fit;
      if (converged) break;
    }
    const { sigma2 } = variances(fit);
    let excess = 0;
    for (const j of indices) excess += g.variance[j] / (g.mean[j] * g.mean[j]);
    excess = Math.max(1, excess / indices.length / (2 / g.dims));
    const scale = (g.dims * sigma2 * sigma2 * excess) / g.particles;
    const gap = olsGap(x, y, S, fit.slopeStd ** 2);
    return {
      fit: {
        ...fit,
        slopeStd: fit.slopeStd * Math.sqrt(scale),
        interceptStd: fit.interceptStd * Math.sqrt(scale),
        covariance: fit.covariance * scale,
      },
      adjusted: false,
      note,
      gap: { olsSlope: gap.slope, std: gap.std * Math.sqrt(scale) },
    };
  }
  // kinisi (>= 0.6): the variance of the MSD modelled as Var_i = a t_i^2 / n_o(i), with a fitted by
  // least squares to the sampled var(s_i) / n_o(i) over the window, then
  // Sigma_ij = Var_i n_o(i) / n_o(j) = a t_i^2 / n_o(j) for lag_i <= lag_j.
  let num = 0;
  let den = 0;
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    const gi = (x[i] * x[i]) / g.independent[j];
    num += (g.variance[j] / g.independent[j]) * gi;
    den += gi * gi;
  }
  const a = num / den;
  const v = x.map((t) => a * t * t);
  const n = v.length;
  const S: FlatMatrix = new Float64Array(n * n);
  for (let a = 0; a < n; a++)
    for (let b = a; b < n; b++) {
      const c = v[a] / g.independent[indices[b]];
      S[a * n + b] = c;
      S[b * n + a] = c;
    }
  const r = reconditionFlat(S, n);
  const fit = glsLineFactored(x, y, factorOf(r, n));
  const gap = olsGap(x, y, r.matrix, fit.slopeStd ** 2);
  return { fit, adjusted: r.adjusted, gap: { olsSlope: gap.slope, std: gap.std } };
};

/** The Cholesky factor of a reconditioned covariance (from its fast path, else computed). */
const factorOf = (r: { matrix: FlatMatrix; factor?: FlatMatrix }, n: number): FlatMatrix => {
  if (r.factor) return r.factor;
  const chol = choleskyFlat(r.matrix, n);
  if (!chol.positiveDefinite) throw new OptionError('GLS: the covariance is not positive definite');
  return chol.L;
};

const formatD = (v: number) => `${v.toExponential(2)} cm2/s`;

/** A time in ps for a message: 10 significant digits, so 0.1 * 0.003 prints 0.0003, not 0.00030000000000000003. */
const ps = (v: number): string => String(Number(v.toPrecision(10)));

/** D from the MSDs: OLS over every lag of the window, GLS with the chosen covariance (random-walk or kinisi), per axis and collective. */
export const fitDiffusivity = (msd: MsdResult, options: DiffusivityOptions): DiffusivityResult => {
  const dtFs = options.frameIntervalFs;
  if (!(dtFs > 0)) throw new OptionError(`the time between frames must be positive, got ${dtFs} fs`);
  const T = msd.frames;
  const notes: string[] = [];
  const runPs = ((T - 1) * dtFs) / 1000;
  const stats = msd.tracerStats;
  const lagsFs = Float64Array.from(stats.lags, (m) => m * dtFs);
  const fitStartDefaulted = options.fitStartPs === undefined;
  const fitStartPs = options.fitStartPs ?? 0.1 * runPs;
  // Default end: the longest lag at which at least 30 independent displacements remain,
  // atoms x (T - 1) / lag >= 30 (pymatgen's min_obs rule); beyond it an MSD rests on a handful of
  // windows and its noise is no longer well described by any model.
  const particles = stats.independent[stats.independent.length - 1];
  const endFrames = Math.min(T - 1, Math.floor((particles * (T - 1)) / 30));
  let fitEndPs = options.fitEndPs ?? (endFrames * dtFs) / 1000;
  // An end beyond the run is clipped to its last lag (and said), so that the window reported is
  // the one the fits used.
  if (fitEndPs > runPs && fitStartPs < runPs) {
    notes.push(
      `the fit end ${ps(fitEndPs)} ps is beyond the run (${ps(runPs)} ps): the fit ends at the run's last lag, ${ps(runPs)} ps`,
    );
    fitEndPs = runPs;
  }
  if (!(fitStartPs >= 0))
    throw new OptionError(`\`fitStartPs\` must be >= 0 ps, got ${fitStartPs}`, { option: 'fitStartPs' });
  if (!(fitEndPs > fitStartPs))
    throw new OptionError(
      `the fit window ${ps(fitStartPs)}..${ps(fitEndPs)} ps is empty (the run is ${ps(runPs)} ps)`,
    );
  if (fitStartPs >= runPs)
    throw new OptionError(`\`fitStartPs\` ${ps(fitStartPs)} ps is beyond the run (${ps(runPs)} ps)`, {
      option: 'fitStartPs',
    });
  if (fitStartDefaulted)
    notes.push(
      `fit start not given: used 10 % of the run (${fitStartPs.toPrecision(4)} ps); check the MSD is linear from there`,
    );

  const indices: number[] = [];
  for (let j = 0; j < lagsFs.length; j++) {
    const ps = lagsFs[j] / 1000;
    if (ps >= fitStartPs - 1e-12 && ps <= fitEndPs + 1e-12) indices.push(j);
  }
  if (indices.length < 3)
    throw new OptionError(
      `only ${indices.length} statistics lag(s) fall in the fit window ${ps(fitStartPs)}..${ps(fitEndPs)} ps; widen it or use more lags`,
    );

  // OLS on the FFT MSD at every lag in the window.
  const x: number[] = [];
  const y: number[] = [];
  for (let m = 1; m < T; m++) {
    const ps = (m * dtFs) / 1000;
    if (ps >= fitStartPs - 1e-12 && ps <= fitEndPs + 1e-12) {
      x.push(m * dtFs);
      y.push(msd.tracer.total[m]);
    }
  }
  const d = msd.axes.length;
  const toD = (slopeA2PerFs: number, dims: number) => (slopeA2PerFs / (2 * dims)) * A2_PER_FS_IN_CM2_PER_S;
  const ols = olsLine(x, y);

  let adjusted = false;
  const model = options.covariance ?? 'random-walk';
  // label: the prefix of the fit's notes; undefined for the half-window check, an auxiliary fit
  // that adds no notes and does not count as a reconditioned covariance of the reported D.
  const gls = (
    label: string | undefined,
    mean: Float64Array,
    variance: Float64Array,
    st: LagStatistics,
    particles: number,
    dims: number,
    lags = indices,
  ) => {
    const r = glsFit(
      {
        lagsFrames: st.lags,
        frameIntervalFs: dtFs,
        frames: T,
        mean,
        variance,
        particles,
        independent: st.independent,
        dims,
      },
      lags,
      model,
    );
    if (label) {
      adjusted ||= r.adjusted;
      if (r.note) notes.push(`${label}: ${r.note}`);
    }
    return r;
  };
  const totalOutcome = gls('D', stats.mean.total, stats.variance.total, stats, particles, d);
  const total = totalOutcome.fit;
  const asEstimate = (fit: LineFit, dims: number) =>
    estimate(toD(fit.slope, dims), toD(fit.slopeStd, dims), 0);
  const axis = [0, 1, 2].map((a) =>
    asEstimate(gls(`D_${'xyz'[a]}`, stats.mean.axis[a], stats.variance.axis[a], stats, particles, 1).fit, 1),
  ) as [Estimate, Estimate, Estimate];
  const cs = msd.collectiveStats;
  const collective = asEstimate(
    gls('D_sigma (charge MSD)', cs.mean.total, cs.variance.total, cs, 1, d).fit,
    d,
  );
  if (total.slope < 0)
    notes.push('the fitted MSD slope is negative: no diffusion is resolved in this window');
  // Under a straight-line MSD the OLS and GLS slopes over the same lags target the same value and
  // their difference has the standard deviation of olsGap (Var = a' S a - var(GLS slope)); beyond
  // 2 of those the MSD bends inside the window (sub-diffusive start, poor statistics). On random
  // walks it fires at the nominal 4.6 % (test/analysis/transport-straightness.test.ts). The OLS
  // here is over the GLS fit's lags, not olsCm2PerS over every lag: the formula needs one design.
  const gap = totalOutcome.gap;
  if (gap.std > 0 && Math.abs(gap.olsSlope - total.slope) > 2 * gap.std)
    notes.push(
      'OLS and GLS slopes differ by more than 2 standard deviations of their difference: the MSD is not straight in the fit window; start the fit later',
    );
  // Sub-diffusion: a straight MSD has the same slope over both halves of the window; one that still
  // bends (a glass below its relaxation time: caged ions, rare escapes) is slower in the second.
  let halves: [Estimate, Estimate] | undefined;
  if (indices.length >= 6) {
    const mid = indices.length >> 1;
    const [a, b] = [indices.slice(0, mid), indices.slice(mid)].map(
      (lags) => gls(undefined, stats.mean.total, stats.variance.total, stats, particles, d, lags).fit,
    );
    halves = [asEstimate(a, d), asEstimate(b, d)];
    const z = (a.slope - b.slope) / Math.hypot(a.slopeStd, b.slopeStd);
    if (z > 3)
      notes.push(
        `sub-diffusive: the MSD slope falls across the fit window (D ${formatD(halves[0].value)} in its first half, ${formatD(halves[1].value)} in its second): D is an upper bound; run longer and fit later`,
      );
  }
  if (adjusted) notes.push('a covariance matrix was not positive definite and was reconditioned');
  return {
    dimensions: d,
    fitStartPs,
    fitEndPs,
    fitStartDefaulted,
    olsCm2PerS: toD(ols.slope, d),
    glsCm2PerS: asEstimate(total, d),
    interceptA2: estimate(total.intercept, total.interceptStd),
    glsPoints: indices.length,
    olsGapCm2PerS: { value: toD(gap.olsSlope - total.slope, d), std: toD(gap.std, d) },
    axisCm2PerS: axis,
    collectiveCm2PerS: collective,
    covarianceAdjusted: adjusted,
    halvesCm2PerS: halves,
    notes,
  };
};
