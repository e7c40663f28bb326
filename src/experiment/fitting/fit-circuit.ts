import { InsufficientDataError, OligolyteError, OptionError } from '../../core/errors.js';
import { SeededRandom } from '../../core/random.js';
import {
  type Circuit,
  circuitImpedanceAndJacobian,
  circuit as parseCircuitText,
} from '../circuits/circuit.js';
import { circuitElements } from '../circuits/parse-circuit.js';
import type { Spectrum } from '../readers/spectrum.js';
import { levenbergMarquardt } from './levenberg-marquardt.js';
import { inverseSpd } from './small-linalg.js';

/**
 * How each residual is scaled: 'unit' (none; impedance.py's default), 'modulus' (Re and Im both by
 * |Z_i|; impedance.py's weight_by_modulus) or 'proportional' (Re by |Re Z_i|, Im by |Im Z_i|,
 * Boukamp's proportional weighting; every measured component must be non-zero).
 */
/** The largest change of ln p in one step of the log-scale stage (a factor e^2 = 7.4). */
const LOG_STEP = 2;

export type Weighting = 'unit' | 'modulus' | 'proportional';
export const WEIGHTINGS: readonly Weighting[] = ['unit', 'modulus', 'proportional'];

export interface FitOptions {
  /** Starting parameters (positive, in the circuit's order); by default a guess from the data. */
  initialGuess?: readonly number[];
  /** Bounds per parameter (default: 0 and infinity, exponents at most 1, as impedance.py). */
  lower?: readonly number[];
  upper?: readonly number[];
  weighting?: Weighting;
  /**
   * Number of starts (default 8): the initial guess, the guess from the data when a guess is given,
   * and log-normal scatters around the initial guess.
   */
  starts?: number;
  /** Seed of the scattered starts (same seed, same fit). */
  seed?: number;
  /** Iterations per start (default 2000). */
  maxIterations?: number;
}

export interface FitStart {
  start: number[];
  parameters: number[];
  sumOfSquares: number;
  iterations: number;
  converged: boolean;
}

export interface CircuitFit {
  circuit: string;
  parameterNames: string[];
  parameterUnits: string[];
  parameters: number[];
  /**
   * One standard error per parameter, from s^2 (J^T J)^-1 (curve_fit's) over the parameters off
   * their bounds; NaN at a bound or when not determined.
   */
  stdErrors: number[];
  /** Correlation matrix of the parameters (NaN rows for undetermined ones). */
  correlation: number[][];
  /** True where the parameter ended on its lower or upper bound. */
  atBound: boolean[];
  weighting: Weighting;
  points: number;
  /** Degrees of freedom 2N - P. */
  dof: number;
  /** Weighted sum of squares sum r_i^2 over Re and Im (impedance.py's definition): the chi^2. */
  sumOfSquares: number;
  reducedChiSquare: number;
  frequencyHz: number[];
  fitReOhm: number[];
  fitImOhm: number[];
  /** Data minus fit (ohm), unweighted. */
  residualReOhm: number[];
  residualImOhm: number[];
  /** Each start and where it ended, best first is chosen. */
  starts: FitStart[];
  bestStart: number;
}

const INITIAL: Record<string, (s: { r: number; tau: number }) => number[]> = {
  R: ({ r }) => [r],
  C: ({ r, tau }) => [tau / r],
  L: ({ r, tau }) => [(r * tau) / 1000],
  CPE: ({ r, tau }) => [tau / r, 0.9],
  La: ({ r, tau }) => [(r * tau) / 1000, 0.9],
  W: ({ r, tau }) => [r / Math.sqrt(tau)],
  Wo: ({ r, tau }) => [r, tau],
  Ws: ({ r, tau }) => [r, tau],
  G: ({ r, tau }) => [r, tau],
  Gs: ({ r, tau }) => [r, tau, 1],
  K: ({ r, tau }) => [r, tau],
  Zarc: ({ r, tau }) => [r, tau, 0.9],
};

/**
 * A start from the data alone: every resistance the spread of Re Z shared among the resistive
 * elements, every time constant 1 / omega at the geometric mean frequency; the scattered starts
 * then explore around it.
 */
export const initialGuess = (c: Circuit, spectrum: Spectrum): number[] => {
  const re = Array.from(spectrum.reOhm);
  const f = Array.from(spectrum.frequencyHz);
  const els = circuitElements(c.root);
  const nR = Math.max(
    1,
    els.filter((e) => e.type.symbol !== 'C' && e.type.symbol !== 'L' && e.type.symbol !== 'CPE').length,
  );
  const spread = Math.max(...re) - Math.min(...re);
  const scale = Math.max(spread, Math.max(...re.map(Math.abs)) * 1e-3, 1e-12);
  const logMean = f.reduce((s, v) => s + Math.log(v), 0) / f.length;
  const tau = 1 / (2 * Math.PI * Math.exp(logMean));
  return els.flatMap((e) => INITIAL[e.type.symbol]({ r: scale / nR, tau }));
};

const checkBounds = (
  c: Circuit,
  lower: readonly number[],
  upper: readonly number[],
  guess: readonly number[],
) => {
  const P = c.parameterNames.length;
  for (const [what, v] of [
    ['lower', lower],
    ['upper', upper],
    ['initialGuess', guess],
  ] as const)
    if (v.length !== P)
      throw new OptionError(
        `\`${what}\`: ${c.text} has ${P} parameters (${c.parameterNames.join(', ')}), got ${v.length} values`,
        {
          option: `fitCircuit.${what}`,
        },
      );
  for (let k = 0; k < P; k++) {
    const name = c.parameterNames[k];
    if (!(lower[k] >= 0) || !(upper[k] > lower[k]))
      throw new OptionError(
        `bounds of ${name}: need 0 <= \`lower\` < \`upper\`, got ${lower[k]} and ${upper[k]} (parameters are fitted on a log scale)`,
        {
          option: 'fitCircuit.lower',
        },
      );
    if (!(guess[k] > 0) || guess[k] < lower[k] || guess[k] > upper[k])
      throw new OptionError(
        `initial ${name} = ${guess[k]} (\`initialGuess\`) is not positive and within [${lower[k]}, ${upper[k]}]`,
        {
          option: 'fitCircuit.initialGuess',
        },
      );
  }
};

const weightsOf = (spectrum: Spectrum, weighting: Weighting): { wr: Float64Array; wi: Float64Array } => {
  const n = spectrum.frequencyHz.length;
  const wr = new Float64Array(n).fill(1);
  const wi = new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    const re = spectrum.reOhm[i];
    const im = spectrum.imOhm[i];
    if (weighting === 'modulus') {
      const m = Math.hypot(re, im);
      if (!(m > 0))
        throw new OptionError(
          `point ${i + 1} (line ${spectrum.lines[i]}) has |Z| = 0: no modulus weighting`,
          { option: 'weighting' },
        );
      wr[i] = 1 / m;
      wi[i] = 1 / m;
    } else if (weighting === 'proportional') {
      if (re === 0 || im === 0)
        throw new OptionError(
          `point ${i + 1} (line ${spectrum.lines[i]}) has Re Z or Im Z = 0: no proportional weighting (use modulus)`,
          { option: 'weighting' },
        );
      wr[i] = 1 / Math.abs(re);
      wi[i] = 1 / Math.abs(im);
    }
  }
  return { wr, wi };
};

/**
 * Fit an equivalent circuit to a spectrum by weighted least squares over the stacked real and
 * imaginary residuals, the problem impedance.py's CustomCircuit.fit solves, with the parameters on
 * a log scale (x = ln p: positive by construction, well scaled across decades) inside bounds,
 * by Levenberg-Marquardt with analytic derivatives from several deterministic starts; the lowest
 * sum of squares wins. Standard errors: s^2 (J^T J)^-1 with s^2 = S / (2N - P), as curve_fit.
 */
export const fitCircuit = (
  spectrum: Spectrum,
  circuitText: string | Circuit,
  options: FitOptions = {},
): CircuitFit => {
  const c = typeof circuitText === 'string' ? parseCircuitText(circuitText) : circuitText;
  const P = c.parameterNames.length;
  const N = spectrum.frequencyHz.length;
  const m = 2 * N;
  if (P >= m)
    throw new InsufficientDataError(
      `${c.text} has ${P} parameters but ${spectrum.file} gives only ${m} values (${N} frequencies, Re and Im): a fit needs more values than parameters`,
    );
  const weighting = options.weighting ?? 'unit';
  if (!WEIGHTINGS.includes(weighting))
    throw new OptionError(`weighting "${weighting}" is not one of ${WEIGHTINGS.join(', ')}`, {
      option: 'weighting',
    });
  const lower = options.lower ?? new Array(P).fill(0);
  const upper = options.upper ?? c.defaultUpper;
  const automatic = initialGuess(c, spectrum).map((v, k) => Math.min(Math.max(v, lower[k]), upper[k]));
  const guess = options.initialGuess ?? automatic;
  const dataGuess = options.initialGuess && automatic.every((v) => v > 0) ? automatic : undefined;
  checkBounds(c, lower, upper, guess);
  const nStarts = options.starts ?? 8;
  if (!(Number.isInteger(nStarts) && nStarts >= 1))
    throw new OptionError(`starts must be a whole number >= 1, got ${nStarts}`, { option: 'starts' });
  const f = spectrum.frequencyHz;

  /**
   * The least-squares problem for one set of weights: residuals and Jacobian in the parameters
   * themselves ('linear') or in their logarithms ('log', dr/d ln p = p dr/dp).
   */
  const problemsFor = ({ wr, wi }: { wr: Float64Array; wi: Float64Array }) => {
    const residualsAt = (p: readonly number[]) => {
      if (p.some((v) => !(v >= 0) || !Number.isFinite(v))) return undefined;
      const { re, im } = circuitImpedanceAndJacobian(c, p, f, false);
      const r = new Float64Array(m);
      for (let i = 0; i < N; i++) {
        r[i] = (re[i] - spectrum.reOhm[i]) * wr[i];
        r[N + i] = (im[i] - spectrum.imOhm[i]) * wi[i];
      }
      return r;
    };
    const jacobianAt = (p: readonly number[], log: boolean) => {
      const { jacRe, jacIm } = circuitImpedanceAndJacobian(c, p, f, true);
      return p.map((pk, k) => {
        const col = new Float64Array(m);
        const s = log ? pk : 1;
        for (let i = 0; i < N; i++) {
          col[i] = jacRe[k][i] * s * wr[i];
          col[N + i] = jacIm[k][i] * s * wi[i];
        }
        return col;
      });
    };
    // A sum of squares at 1e-28 of the weighted data's (residuals at 1e-14 of the data): exact to
    // the precision of the model's arithmetic; noise-free data reach it and stop there.
    let data = 0;
    for (let i = 0; i < N; i++) data += (spectrum.reOhm[i] * wr[i]) ** 2 + (spectrum.imOhm[i] * wi[i]) ** 2;
    const floor = 1e-28 * data;
    return {
      jacobianAt,
      floor,
      log: {
        residuals: (x: Float64Array) => residualsAt(Array.from(x, Math.exp)),
        jacobian: (x: Float64Array) => jacobianAt(Array.from(x, Math.exp), true),
        lower: Float64Array.from(lower, (v) => (v > 0 ? Math.log(v) : Number.NEGATIVE_INFINITY)),
        upper: Float64Array.from(upper, (v) => Math.log(v)),
      },
      linear: {
        residuals: (x: Float64Array) => residualsAt(Array.from(x)),
        jacobian: (x: Float64Array) => jacobianAt(Array.from(x), false),
        lower: Float64Array.from(lower),
        upper: Float64Array.from(upper),
      },
    };
  };
  const problem = problemsFor(weightsOf(spectrum, weighting));
  // Spectra span decades of |Z|: unweighted, the low-frequency points swamp the rest and a start
  // far from the optimum can stall in a flat region (an arc shorted by its CPE). The modulus-
  // weighted problem sees every decade; its optimum is a second way in to the one asked for.
  let modulus: ReturnType<typeof problemsFor> | undefined;
  if (weighting !== 'modulus')
    try {
      modulus = problemsFor(weightsOf(spectrum, 'modulus'));
    } catch {
      modulus = undefined; // a point with |Z| = 0: no modulus path
    }
  const logProblem = problem.log;
  const lo = logProblem.lower;
  const hi = logProblem.upper;
  const maxIterations = options.maxIterations ?? 2000;
  /**
   * One start: Levenberg-Marquardt on ln p (scale-free across decades, p > 0), then polished on p
   * itself: on the log scale a parameter drifting towards 0 loses its gradient (p dZ/dp -> 0) and
   * cannot come back, on the linear scale it can. For unit and proportional weighting the same
   * from the modulus-weighted optimum reached from this start, and the better of the two. A path
   * is converged when its last stage converged.
   */
  const runStart = (x0: Float64Array) => {
    const polish = (from: Float64Array) => {
      const a = levenbergMarquardt(logProblem, from, {
        maxIterations,
        maxStep: LOG_STEP,
        floor: problem.floor,
      });
      const b = levenbergMarquardt(problem.linear, a.x.map(Math.exp), {
        maxIterations,
        floor: problem.floor,
      });
      return { b, iterations: a.iterations + b.iterations, converged: a.converged && b.converged };
    };
    let best = polish(x0);
    let iterations = best.iterations;
    if (modulus) {
      const viaModulus = levenbergMarquardt(modulus.log, x0, {
        maxIterations,
        maxStep: LOG_STEP,
        floor: modulus.floor,
      });
      const other = polish(viaModulus.x);
      iterations += viaModulus.iterations + other.iterations;
      if (other.converged && (!best.converged || other.b.sumOfSquares < best.b.sumOfSquares)) best = other;
    }
    return {
      p: Array.from(best.b.x),
      r: best.b.residuals,
      s: best.b.sumOfSquares,
      iterations,
      converged: best.converged,
    };
  };

  const rng = new SeededRandom(options.seed ?? 1);
  const starts: FitStart[] = [];
  let best: { p: number[]; r: Float64Array; s: number; index: number } | undefined;
  for (let s = 0; s < nStarts; s++) {
    // Start 0 is the guess; with a guess given, start 1 is the guess from the data; the others
    // scatter the guess by a factor exp(N(0, 1.5)) (about x4.5 at 1 sd).
    const fromData = s === 1 && dataGuess !== undefined;
    const x0 = Float64Array.from(guess, (v, k) => {
      const t = fromData ? Math.log(dataGuess[k]) : Math.log(v) + (s === 0 ? 0 : 1.5 * rng.gaussian());
      const cap = Number.isFinite(hi[k]) ? hi[k] - 1e-9 : t;
      return Math.max(lo[k], Math.min(cap, t));
    });
    if (!logProblem.residuals(x0)?.every(Number.isFinite)) {
      starts.push({
        start: Array.from(x0, Math.exp),
        parameters: [],
        sumOfSquares: Number.NaN,
        iterations: 0,
        converged: false,
      });
      continue;
    }
    const res = runStart(x0);
    starts.push({
      start: Array.from(x0, Math.exp),
      parameters: res.p,
      sumOfSquares: res.s,
      iterations: res.iterations,
      converged: res.converged,
    });
    if (res.converged && (!best || res.s < best.s)) best = { p: res.p, r: res.r, s: res.s, index: s };
  }
  if (!best) {
    const tried = starts.filter((s) => Number.isFinite(s.sumOfSquares));
    throw new OligolyteError(
      tried.length === 0
        ? `${c.text} is not finite at any of the ${nStarts} starts on ${spectrum.file}: give an initial guess`
        : `the fit of ${c.text} to ${spectrum.file} did not converge from any of ${nStarts} starts within ${maxIterations} iterations (lowest sum of squares ${Math.min(...tried.map((t) => t.sumOfSquares)).toPrecision(4)}): give a closer initial guess, more starts or more iterations`,
    );
  }
  const p = best.p;
  const dof = m - P;
  const s2 = best.s / dof;
  // Covariance on the log scale, s^2 (J^T J)^-1, then sd(p) = p sd(ln p), over the parameters off
  // their bounds: a parameter at a bound (at 0 its log-scale column is zero and J^T J singular)
  // has no interval of this kind, and is held fixed for the others' (as a fixed parameter would be).
  const atBound = p.map((v, k) => v <= lower[k] || v >= upper[k]);
  const free = p.flatMap((_, k) => (atBound[k] ? [] : [k]));
  const F = free.length;
  const jac = problem.jacobianAt(p, true);
  const jtj = new Float64Array(F * F);
  for (let a = 0; a < F; a++)
    for (let b = 0; b < F; b++) {
      let t = 0;
      for (let i = 0; i < m; i++) t += jac[free[a]][i] * jac[free[b]][i];
      jtj[a * F + b] = t;
    }
  const covFree = F > 0 ? inverseSpd(jtj, F) : undefined;
  const slot = p.map((_, k) => free.indexOf(k));
  const cov = (a: number, b: number) =>
    covFree && slot[a] >= 0 && slot[b] >= 0 ? covFree[slot[a] * F + slot[b]] : Number.NaN;
  const stdErrors = p.map((v, k) => v * Math.sqrt(s2 * cov(k, k)));
  const correlation = p.map((_, a) => p.map((__, b) => cov(a, b) / Math.sqrt(cov(a, a) * cov(b, b))));
  const { re, im } = circuitImpedanceAndJacobian(c, p, f, false);
  return {
    circuit: c.text,
    parameterNames: c.parameterNames,
    parameterUnits: c.parameterUnits,
    parameters: p,
    stdErrors,
    correlation,
    atBound,
    weighting,
    points: N,
    dof,
    sumOfSquares: best.s,
    reducedChiSquare: s2,
    frequencyHz: Array.from(f),
    fitReOhm: Array.from(re),
    fitImOhm: Array.from(im),
    residualReOhm: Array.from(re, (v, i) => spectrum.reOhm[i] - v),
    residualImOhm: Array.from(im, (v, i) => spectrum.imOhm[i] - v),
    starts,
    bestStart: best.index,
  };
};
