import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { InsufficientDataError, OptionError } from '../../core/errors.js';
import type { Spectrum } from '../readers/spectrum.js';

/** Which part of the data the RC resistances are fitted to (impedance.py's fit_type). */
export type LinKKFitType = 'real' | 'imag' | 'complex';
export const LINKK_FIT_TYPES: readonly LinKKFitType[] = ['real', 'imag', 'complex'];

export interface LinKKOptions {
  /** The mu cut-off: the smallest M with mu <= c is taken (Schoenleber's 0.85). */
  c?: number;
  /** The largest number of RC elements tried (default 50). */
  maxM?: number;
  /** Fixed M instead of the mu criterion. */
  m?: number;
  fitType?: LinKKFitType;
}

export interface LinKKResult {
  /** Number of RC elements. */
  m: number;
  /** mu = 1 - sum|R_k<0| / sum|R_k>=0| at that M. */
  mu: number;
  c: number | null;
  fitType: LinKKFitType;
  /** Series resistance (ohm) and inductance (H). */
  r0Ohm: number;
  inductanceH: number;
  /** R_k (ohm) and tau_k (s) of the RC elements. */
  rOhm: number[];
  tauS: number[];
  frequencyHz: number[];
  fitReOhm: number[];
  fitImOhm: number[];
  /** (Z - Z_fit) / |Z| per frequency, real and imaginary parts (fractions, not %). */
  residualRe: number[];
  residualIm: number[];
  /** Largest |residual| over both parts. */
  maxAbsResidual: number;
}

/**
 * Time constants tau_1 = 1/omega_max ... tau_M = 1/omega_min, equally spaced in log (Schoenleber et
 * al., Electrochim. Acta 131, 20 (2014), eq. 9). For M = 1 the one element gets tau = 1/omega_min,
 * as in impedance.py.
 */
export const linKKTimeConstants = (frequencyHz: ArrayLike<number>, m: number): number[] => {
  let fMin = Number.POSITIVE_INFINITY;
  let fMax = 0;
  for (let i = 0; i < frequencyHz.length; i++) {
    fMin = Math.min(fMin, frequencyHz[i]);
    fMax = Math.max(fMax, frequencyHz[i]);
  }
  const tMin = 1 / (2 * Math.PI * fMax);
  const tMax = 1 / (2 * Math.PI * fMin);
  if (m === 1) return [tMax];
  return Array.from({ length: m }, (_, k) =>
    k === 0 ? tMin : k === m - 1 ? tMax : 10 ** (Math.log10(tMin) + (k / (m - 1)) * Math.log10(tMax / tMin)),
  );
};

/** Least squares A x = b through the SVD (numpy's pinv solution for a full-rank A). */
const lstsq = (a: number[][], b: number[]): number[] => {
  const svd = new SingularValueDecomposition(new Matrix(a), { autoTranspose: true });
  return svd.solve(Matrix.columnVector(b)).to1DArray();
};

/** The Lin-KK model R0 + sum R_k / (1 + j omega tau_k) + j omega L. */
const evaluate = (f: ArrayLike<number>, r0: number, l: number, rk: number[], tau: number[]) => {
  const re = new Float64Array(f.length);
  const im = new Float64Array(f.length);
  for (let i = 0; i < f.length; i++) {
    const w = 2 * Math.PI * f[i];
    let zr = r0;
    let zi = w * l;
    for (let k = 0; k < rk.length; k++) {
      const wt = w * tau[k];
      const d = 1 + wt * wt;
      zr += rk[k] / d;
      zi -= (rk[k] * wt) / d;
    }
    re[i] = zr;
    im[i] = zi;
  }
  return { re, im };
};

const muOf = (rk: number[]) => {
  let neg = 0;
  let pos = 0;
  for (const r of rk) {
    if (r < 0) neg -= r;
    else pos += r;
  }
  return 1 - neg / pos;
};

/**
 * One Lin-KK fit at M elements: the resistances are linear parameters, fitted by least squares to
 * the data normalised by |Z| (Schoenleber's weighting). 'real': R0 and R_k to Re Z / |Z|, then L to
 * what remains of Im Z; 'imag': R_k and L to Im Z, then R0 as the 1/|Z|^2-weighted mean of what
 * remains of Re Z; 'complex': everything to both parts together (eq. 14).
 */
const fitAt = (s: Spectrum, m: number, fitType: LinKKFitType) => {
  const f = s.frequencyHz;
  const n = f.length;
  const tau = linKKTimeConstants(f, m);
  const mod = Array.from(f, (_, i) => Math.hypot(s.reOhm[i], s.imOhm[i]));
  // Columns of the real and imaginary design matrices: [R0, R_1..R_M, L].
  const aRe: number[][] = [];
  const aIm: number[][] = [];
  for (let i = 0; i < n; i++) {
    const w = 2 * Math.PI * f[i];
    const rowRe = [1 / mod[i]];
    const rowIm = [0];
    for (const t of tau) {
      const wt = w * t;
      rowRe.push(1 / (1 + wt * wt) / mod[i]);
      rowIm.push(-wt / (1 + wt * wt) / mod[i]);
    }
    rowRe.push(0);
    rowIm.push(w / mod[i]);
    aRe.push(rowRe);
    aIm.push(rowIm);
  }
  const bRe = Array.from(f, (_, i) => s.reOhm[i] / mod[i]);
  const bIm = Array.from(f, (_, i) => s.imOhm[i] / mod[i]);
  let r0: number;
  let l: number;
  let rk: number[];
  if (fitType === 'real') {
    const x = lstsq(
      aRe.map((r) => r.slice(0, m + 1)),
      bRe,
    );
    r0 = x[0];
    rk = x.slice(1);
    const part = evaluate(f, r0, 0, rk, tau);
    const col = aIm.map((r) => [r[m + 1]]);
    l = lstsq(
      col,
      Array.from(f, (_, i) => (s.imOhm[i] - part.im[i]) / mod[i]),
    )[0];
  } else if (fitType === 'imag') {
    const x = lstsq(
      aIm.map((r) => r.slice(1)),
      bIm,
    );
    rk = x.slice(0, m);
    l = x[m];
    const part = evaluate(f, 0, l, rk, tau);
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      const ws = 1 / (mod[i] * mod[i]);
      num += ws * (s.reOhm[i] - part.re[i]);
      den += ws;
    }
    r0 = num / den;
  } else {
    const x = lstsq([...aRe, ...aIm], [...bRe, ...bIm]);
    r0 = x[0];
    rk = x.slice(1, m + 1);
    l = x[m + 1];
  }
  return { r0, l, rk, tau, mu: muOf(rk) };
};

/**
 * The Lin-KK validity test (Schoenleber et al. 2014): fit a Kramers-Kronig compliant chain of M RC
 * elements with fixed log-spaced time constants, choosing M as the first from 1 up with mu <= c
 * (impedance.py's validation.linKK, whose defaults these are: c = 0.85, up to 50, fit to the real
 * part); residuals of a few tenths of a percent or less mark valid data, a trend marks drift or
 * non-linearity.
 */
export const linKK = (s: Spectrum, options: LinKKOptions = {}): LinKKResult => {
  const fitType = options.fitType ?? 'real';
  if (!LINKK_FIT_TYPES.includes(fitType))
    throw new OptionError(`Lin-KK fit type "${fitType}" is not real, imag or complex`, { option: 'fitType' });
  const c = options.m !== undefined ? null : (options.c ?? 0.85);
  const maxM = options.m ?? options.maxM ?? 50;
  if (!(Number.isInteger(maxM) && maxM >= 1))
    throw new OptionError(`the number of RC elements must be a whole number >= 1, got ${maxM}`, {
      option: options.m !== undefined ? 'm' : 'maxM',
    });
  if (c !== null && !(c > 0 && c <= 1))
    throw new OptionError(`the mu cut-off must be in (0, 1], got ${c}`, { option: 'c' });
  const n = s.frequencyHz.length;
  if (n < 3)
    throw new InsufficientDataError(`${s.file}: the Lin-KK test needs at least 3 frequencies, got ${n}`);
  let m = c === null ? maxM : 0;
  let fit = c === null ? fitAt(s, m, fitType) : undefined;
  if (c !== null) {
    let mu = 1;
    while (mu > c && m < maxM) {
      m++;
      fit = fitAt(s, m, fitType);
      mu = fit.mu;
    }
  }
  const { r0, l, rk, tau, mu } = fit!;
  const { re, im } = evaluate(s.frequencyHz, r0, l, rk, tau);
  const residualRe: number[] = [];
  const residualIm: number[] = [];
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    const mod = Math.hypot(s.reOhm[i], s.imOhm[i]);
    residualRe.push((s.reOhm[i] - re[i]) / mod);
    residualIm.push((s.imOhm[i] - im[i]) / mod);
    maxAbs = Math.max(maxAbs, Math.abs(residualRe[i]), Math.abs(residualIm[i]));
  }
  return {
    m,
    mu,
    c,
    fitType,
    r0Ohm: r0,
    inductanceH: l,
    rOhm: rk,
    tauS: tau,
    frequencyHz: Array.from(s.frequencyHz),
    fitReOhm: Array.from(re),
    fitImOhm: Array.from(im),
    residualRe,
    residualIm,
    maxAbsResidual: maxAbs,
  };
};
