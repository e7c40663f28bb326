import { OptionError } from '../../core/errors.js';
import type { Displacements } from './displacements.js';

/**
 * pymatgen-analysis-diffusion's DiffusionAnalyzer (2025.11.15), reproduced number for number so old
 * results can be checked. Everything here follows that code, quirks included:
 * - smoothed 'max': lags from int(1000 fs / frame interval) (the first ps skipped) to
 *   min(ions x frames // min_obs, frames), step max(int((max - min) / 200), 1), every time origin;
 *   the line MSD = m dt + c fitted with each row weighted by sqrt(1 / dt).
 * - smoothed 'constant': lags 0 .. frames - avg_nsteps - 1, origins 0 .. avg_nsteps - 1; OLS.
 * - smoothed false: one origin (frame 0), lags 0 .. frames - 1; OLS.
 * - D = max(m, 1e-15) / 60 (A^2/fs to cm^2/s, 2d = 6); "std dev" =
 *   sqrt(n SSR / ((n sum x^2 - (sum x)^2)(n - 2))) / 60 / 1000, x = dt / 1000, which ignores the
 *   correlation between lags and is far too small; reported only in this mode.
 * - components: 3 x the D fitted to each Cartesian MSD; charge MSD <|sum_i dr_i|^2> / n_ions.
 */
export type PymatgenSmoothing = 'max' | 'constant' | false;

export interface PymatgenOptions {
  smoothed?: PymatgenSmoothing;
  /** 'max': minimum observations (default 30). */
  minObs?: number;
  /** 'constant': number of origins (default 1000, pymatgen's default). */
  avgNsteps?: number;
  /** Time between frames (fs) = pymatgen's time_step x step_skip. */
  frameIntervalFs: number;
}

export interface PymatgenResult {
  smoothed: PymatgenSmoothing;
  /** Lags used, frames, and their times dt (fs). */
  lagsFrames: Int32Array;
  dtFs: Float64Array;
  msd: Float64Array;
  mscd: Float64Array;
  msdComponents: [Float64Array, Float64Array, Float64Array];
  diffusivity: number;
  diffusivityStd: number;
  chargeDiffusivity: number;
  chargeDiffusivityStd: number;
  components: [number, number, number];
  componentsStd: [number, number, number];
}

/** pymatgen's get_diffusivity_from_msd: (D, std) in cm^2/s. */
export const pymatgenDiffusivityFromMsd = (
  msd: ArrayLike<number>,
  dt: ArrayLike<number>,
  smoothed: PymatgenSmoothing,
): [number, number] => {
  const n = dt.length;
  // Weighted (for 'max') least squares of msd = m dt + c; solved by the 2x2 normal equations.
  let sww = 0;
  let swx = 0;
  let swxx = 0;
  let swy = 0;
  let swxy = 0;
  for (let i = 0; i < n; i++) {
    const w = smoothed === 'max' ? 1 / dt[i] : 1;
    sww += w;
    swx += w * dt[i];
    swxx += w * dt[i] * dt[i];
    swy += w * msd[i];
    swxy += w * dt[i] * msd[i];
  }
  const det = sww * swxx - swx * swx;
  const m0 = (sww * swxy - swx * swy) / det;
  const c = (swxx * swy - swx * swxy) / det;
  // numpy's residual: sum of squared weighted residuals (of the unfloored fit).
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    const w = smoothed === 'max' ? 1 / dt[i] : 1;
    ssr += w * (msd[i] - m0 * dt[i] - c) ** 2;
  }
  const m = Math.max(m0, 1e-15);
  let sx = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const x = dt[i] / 1000;
    sx += x;
    sxx += x * x;
  }
  const denom = (n * sxx - sx * sx) * (n - 2);
  return [m / 60, Math.sqrt((n * ssr) / denom) / 60 / 1000];
};

/** DiffusionAnalyzer's numbers from drift-corrected displacements of the diffusing ions. */
export const pymatgenDiffusionAnalysis = (d: Displacements, options: PymatgenOptions): PymatgenResult => {
  const smoothed = options.smoothed ?? 'max';
  const T = d.frames;
  const N = d.atoms;
  const step = options.frameIntervalFs;
  if (!(step > 0)) throw new OptionError(`the time between frames must be positive, got ${step} fs`);
  let lags: number[];
  let origins: (lag: number) => [number, number];
  if (smoothed === false) {
    lags = Array.from({ length: T }, (_, i) => i);
    origins = () => [0, 1];
  } else if (smoothed === 'constant') {
    const avg = options.avgNsteps ?? 1000;
    if (T <= avg)
      throw new OptionError(`smoothed "constant" needs more than avg_nsteps = ${avg} frames, got ${T}`);
    lags = Array.from({ length: T - avg }, (_, i) => i);
    origins = () => [0, avg];
  } else {
    const minObs = options.minObs ?? 30;
    const minDt = Math.trunc(1000 / step);
    const maxDt = Math.min(Math.floor((N * T) / minObs), T);
    if (minDt >= maxDt)
      throw new OptionError(
        `not enough data for smoothed "max": lags would run from ${minDt} to ${maxDt} frames (pymatgen raises here too)`,
      );
    const inc = Math.max(Math.trunc((maxDt - minDt) / 200), 1);
    lags = [];
    for (let m = minDt; m < maxDt; m += inc) lags.push(m);
    origins = (m) => [0, T - m];
  }
  const L = lags.length;
  const msd = new Float64Array(L);
  const comp = [new Float64Array(L), new Float64Array(L), new Float64Array(L)] as [
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const mscd = new Float64Array(L);
  const series = Array.from({ length: N }, (_, i) => [0, 1, 2].map((a) => d.series(i, a)));
  const sum = [new Float64Array(T), new Float64Array(T), new Float64Array(T)];
  for (let i = 0; i < N; i++)
    for (let a = 0; a < 3; a++) for (let t = 0; t < T; t++) sum[a][t] += series[i][a][t];
  lags.forEach((m, j) => {
    const [o0, o1] = origins(m);
    const count = o1 - o0;
    // Non-smoothed: dx = dc[:, i:i+1] (the displacement from frame 0 at frame m, no subtraction).
    const from = (x: Float64Array, t: number) => (smoothed === false ? 0 : x[t]);
    for (let a = 0; a < 3; a++) {
      let s = 0;
      for (let i = 0; i < N; i++) {
        const x = series[i][a];
        for (let t = o0; t < o1; t++) {
          const dx = x[t + m] - from(x, t);
          s += dx * dx;
        }
      }
      comp[a][j] = s / (N * count);
      msd[j] += comp[a][j];
      let c = 0;
      const y = sum[a];
      for (let t = o0; t < o1; t++) {
        const dy = y[t + m] - from(y, t);
        c += dy * dy;
      }
      mscd[j] += c / count / N;
    }
  });
  const dtFs = Float64Array.from(lags, (m) => m * step);
  const [D, Dstd] = pymatgenDiffusivityFromMsd(msd, dtFs, smoothed);
  const [Dc, Dcstd] = pymatgenDiffusivityFromMsd(mscd, dtFs, smoothed);
  const components = [0, 1, 2].map((a) => pymatgenDiffusivityFromMsd(comp[a], dtFs, smoothed));
  return {
    smoothed,
    lagsFrames: Int32Array.from(lags),
    dtFs,
    msd,
    mscd,
    msdComponents: comp,
    diffusivity: D,
    diffusivityStd: Dstd,
    chargeDiffusivity: Dc,
    chargeDiffusivityStd: Dcstd,
    components: components.map((c) => 3 * c[0]) as [number, number, number],
    componentsStd: components.map((c) => 3 * c[1]) as [number, number, number],
  };
};
