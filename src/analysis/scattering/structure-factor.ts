import { OptionError } from '../../core/errors.js';
import { type FormFactorModel, formFactorOfQ } from './atomic-form-factors.js';
import type { MdPdfResult } from './md-pdf.js';
import { scatteringFactor } from './pdf-phase.js';

/**
 * Total scattering and the Fourier pair that joins it to the PDF (Egami & Billinge, Underneath the
 * Bragg Peaks, ch. 3; Keen, J. Appl. Cryst. 34, 172 (2001)):
 *
 *   F(Q) = Q [S(Q) - 1] = int_0^rmax G(r) sin(Q r) dr,
 *   G(r) = 4 pi r rho0 [g(r) - 1] = (2 / pi) int_0^Qmax F(Q) sin(Q r) dQ,
 *
 * both as trapezoid sums on even grids. On the grids of a discrete sine transform (r_n = n dr,
 * n = 0..N, Q_k = k pi / (N dr)) the two sums are exact inverses (DST-I), which the tests check.
 * A Lorch window (sin(x)/x, x = pi r / rmax, or pi Q / Qmax) may damp the truncation ripples.
 */

export type TransformWindow = 'none' | 'lorch';

/** Even grid check: spacing (first step) and whether every step equals it. */
const evenStep = (x: ArrayLike<number>, what: string): number => {
  if (x.length < 2) throw new OptionError(`${what}: needs at least two points`);
  const h = x[1] - x[0];
  if (!(h > 0)) throw new OptionError(`${what}: must rise`);
  for (let i = 2; i < x.length; i++)
    if (Math.abs(x[i] - x[i - 1] - h) > 1e-6 * h)
      throw new OptionError(`${what}: steps must be equal (${h} then ${x[i] - x[i - 1]} at point ${i + 1})`);
  return h;
};

const lorch = (x: number, xmax: number): number => {
  const a = (Math.PI * x) / xmax;
  return a === 0 ? 1 : Math.sin(a) / a;
};

/** int y(x) sin(k x) dx by the trapezoid rule on an even grid, for every k. */
const sineSums = (
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  k: ArrayLike<number>,
  window: TransformWindow,
): Float64Array => {
  const h = evenStep(x, 'the grid');
  const n = x.length;
  const xmax = x[n - 1];
  const yw = Float64Array.from(
    y,
    (v, i) => v * (window === 'lorch' ? lorch(x[i], xmax) : 1) * (i === 0 || i === n - 1 ? 0.5 : 1),
  );
  const out = new Float64Array(k.length);
  for (let j = 0; j < k.length; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += yw[i] * Math.sin(k[j] * x[i]);
    out[j] = s * h;
  }
  return out;
};

/** F(Q) = int G(r) sin(Qr) dr over the r grid (even steps), at each Q. */
export const fqFromGr = (
  rA: ArrayLike<number>,
  g: ArrayLike<number>,
  qInvA: ArrayLike<number>,
  window: TransformWindow = 'none',
): Float64Array => {
  if (rA.length !== g.length) throw new RangeError(`${rA.length} r values for ${g.length} G values`);
  return sineSums(rA, g, qInvA, window);
};

/** G(r) = (2/pi) int F(Q) sin(Qr) dQ over the Q grid (even steps), at each r. */
export const grFromFq = (
  qInvA: ArrayLike<number>,
  f: ArrayLike<number>,
  rA: ArrayLike<number>,
  window: TransformWindow = 'none',
): Float64Array => {
  if (qInvA.length !== f.length) throw new RangeError(`${qInvA.length} Q values for ${f.length} F values`);
  const out = sineSums(qInvA, f, rA, window);
  for (let i = 0; i < out.length; i++) out[i] *= 2 / Math.PI;
  return out;
};

/** Scattering weights of S(Q): X-ray with f(Q) (pymatgen's f(s), or Z) or neutron lengths b. */
export type SqWeighting = { radiation: 'X'; formFactor: FormFactorModel } | { radiation: 'N' };

export interface TotalScattering {
  qInvA: Float64Array;
  /** Faber-Ziman S(Q) (-> 1 at high Q) and F(Q) = Q [S(Q) - 1] (1/A). */
  s: Float64Array;
  f: Float64Array;
  /** Partial Faber-Ziman S_ab(Q) of each element pair (unweighted). */
  partials: { name: string; a: string; b: string; s: Float64Array }[];
  weighting: string;
  window: TransformWindow;
  rMaxA: number;
}

/**
 * S(Q) of an MD model from its partial PDFs (md-pdf.ts, best with U = 0 and no Qmax or Qdamp):
 * each weighted partial is turned back into the plain G_ab(r) = 4 pi r rho0 [g_ab(r) - 1] by its
 * weight m_ab c_a c_b w_a w_b, transformed to F_ab(Q) = Q [S_ab(Q) - 1], and the partials combined
 * with the Faber-Ziman weights at each Q (Faber & Ziman, Phil. Mag. 11, 153 (1965)):
 *   F(Q) = sum_{a <= b} m_ab c_a c_b f_a(Q) f_b(Q) F_ab(Q) / <f(Q)>^2,   S(Q) = 1 + F(Q) / Q.
 * With Q-independent weights equal to the PDF's (Z or b) this is the transform of the total G(r).
 * Below Q ~ 2 pi / rmax the finite range shows (the first ripples); a Lorch window in r (default)
 * damps the truncation ripples at the cost of resolution.
 */
export const totalScatteringFromPdf = (
  pdf: MdPdfResult,
  qInvA: ArrayLike<number>,
  weighting: SqWeighting,
  window: TransformWindow = 'lorch',
): TotalScattering => {
  const q = Float64Array.from(qInvA);
  if (q.length === 0) throw new OptionError('an empty Q grid', { option: 'qInvA' });
  for (const v of q)
    if (!(v > 0)) throw new OptionError(`Q = ${v} 1/A: S(Q) needs Q > 0`, { option: 'qInvA' });
  const n = pdf.atoms;
  const elements = Object.keys(pdf.composition);
  const c = Object.fromEntries(elements.map((e) => [e, pdf.composition[e] / n]));
  const w = Object.fromEntries(elements.map((e) => [e, pdf.scatteringFactors[e] / pdf.meanScatteringFactor]));
  const partialF = pdf.partials.map((p) => {
    const m = p.a === p.b ? 1 : 2;
    const weight = m * c[p.a] * c[p.b] * w[p.a] * w[p.b];
    if (weight === 0)
      throw new OptionError(
        `the ${p.name} partial has zero weight in the PDF (b = 0?): S(Q) cannot be rebuilt from it`,
      );
    const plain = pdf.g.map((_, k) => p.g[k] / weight);
    return { p, m, f: fqFromGr(pdf.rA, plain, q, window) };
  });
  const f = new Float64Array(q.length);
  const forms =
    weighting.radiation === 'X'
      ? Object.fromEntries(elements.map((e) => [e, formFactorOfQ(e, weighting.formFactor)]))
      : Object.fromEntries(
          elements.map((e) => {
            const b = scatteringFactor(e, 'N');
            return [e, () => b];
          }),
        );
  const fq: Record<string, number> = {};
  for (let k = 0; k < q.length; k++) {
    let mean = 0;
    for (const e of elements) {
      fq[e] = forms[e](q[k]);
      mean += c[e] * fq[e];
    }
    let sum = 0;
    for (const { p, m, f: fab } of partialF) sum += m * c[p.a] * c[p.b] * fq[p.a] * fq[p.b] * fab[k];
    f[k] = sum / (mean * mean);
  }
  return {
    qInvA: q,
    s: f.map((v, k) => 1 + v / q[k]),
    f,
    partials: partialF.map(({ p, f: fab }) => ({
      name: p.name,
      a: p.a,
      b: p.b,
      s: fab.map((v, k) => 1 + v / q[k]),
    })),
    weighting:
      weighting.radiation === 'N'
        ? 'neutron, coherent lengths b (PDFfit2 table)'
        : weighting.formFactor === 'z'
          ? 'X-ray, f = Z'
          : "X-ray, f(Q) = pymatgen's f(s)",
    window,
    rMaxA: pdf.rA[pdf.rA.length - 1],
  };
};
