import { OptionError } from '../../core/errors.js';
import type { Structure } from '../../core/frame.js';
import type { PdfData } from '../../io/gr.js';
import { type PdfFitResult, refinePdf } from './pdf-fit.js';
import { crystalPairSum } from './pdf-model.js';
import {
  averageAtomicMass,
  averageScatteringFactor,
  type CrystalPhase,
  type Fraction,
  type PdfPhase,
  type ProfilePhase,
  phaseAtomCount,
  phaseFromFrame,
  type Radiation,
} from './pdf-phase.js';

// The study's two-phase fit (SCIENCE.md section 4): the measured G(r) of the glass as a model's
// G(r) (an MD model's frames averaged, a fixed profile with a scale) plus crystalline LiCl. First
// the LiCl lattice and scale are refined at long range (10-30 A by default), where the glass's
// correlations have died out and the model's scale is held; then, with the lattice fixed, both
// scales over the short range (1.0-4.7 A). The LiCl content follows from the scale ratio
// (pdf-phase.ts phaseFractions, PDFfit2's formulas) as atom, molar (formula-unit) and mass
// fractions with standard errors propagated from the scales' covariance. By default the whole
// data grid feeds the Qmax termination ('full' cut): with PDFgui's cut at the fit start, the
// termination of a 1.0-4.7 A slice sees an edge at 1 A that the measured data do not have, which
// biased the recovered fraction of synthetic data by about 1 % (pdf-two-phase.test.ts).

export interface TwoPhaseOptions {
  data: PdfData;
  radiation: Radiation;
  /** Qmax of the data (1/A), Qdamp (1/A). */
  qmax: number;
  qdamp: number;
  model: ProfilePhase;
  crystal: CrystalPhase;
  /** Long range for the crystal's lattice and scale (A); default [10, 30]. */
  longRangeA?: [number, number];
  /** Short range for both scales (A); default [1.0, 4.7]. */
  shortRangeA?: [number, number];
  /** How the data are cut for each range (FitDataSpec.cut); default 'full'. */
  cut?: 'pdfgui' | 'full';
}

/** A fraction with its standard error and the 95 % interval value +- 1.96 sigma (normal errors). */
export interface FractionInterval extends Fraction {
  interval95: [number, number];
}

export interface TwoPhaseFractions {
  /** Crystal's fraction of atoms, formula units, mass (value, standard error, 95 % interval). */
  atom: FractionInterval;
  molar: FractionInterval;
  mass: FractionInterval;
  /** Refined crystal lattice parameter a (A) and its error from the long-range fit. */
  latticeA: { value: number; sigma: number };
  longRange: PdfFitResult;
  shortRange: PdfFitResult;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Atoms per formula unit: the phase's element counts divided by their greatest common divisor. */
export const atomsPerFormula = (p: PdfPhase): number => {
  const counts = new Map<string, number>();
  if (p.kind === 'crystal')
    for (const a of p.atoms) counts.set(a.element, (counts.get(a.element) ?? 0) + a.occupancy);
  else for (const [e, n] of Object.entries(p.composition)) counts.set(e, (counts.get(e) ?? 0) + n);
  const ints = [...counts.values()].map((v) => Math.round(v * 1000));
  const g = ints.reduce((a, b) => gcd(a, b));
  return ints.reduce((a, b) => a + b, 0) / g;
};

/**
 * The crystal's fraction with its standard error from x_p = pscale_p k_p (k = factor / <f>^2) and the
 * 2x2 covariance of the two scales: f = x_c / (x_m + x_c), propagated with both variances and the
 * covariance.
 */
const fraction = (ps: [number, number], cov: number[][], k: [number, number]): FractionInterval => {
  const xm = ps[0] * k[0];
  const xc = ps[1] * k[1];
  const t = xm + xc;
  const f = xc / t;
  // df/dpm = -xc k_m / t^2, df/dpc = xm k_c / t^2
  const g = [(-xc * k[0]) / (t * t), (xm * k[1]) / (t * t)];
  const v = g[0] * g[0] * cov[0][0] + 2 * g[0] * g[1] * cov[0][1] + g[1] * g[1] * cov[1][1];
  const sigma = Math.sqrt(Math.max(0, v));
  return { value: f, sigma, interval95: [f - 1.96 * sigma, f + 1.96 * sigma] };
};

/** Two-phase fit of a model G(r) plus a crystal (see the file comment). */
export const fitCrystalFraction = (o: TwoPhaseOptions): TwoPhaseFractions => {
  const long = o.longRangeA ?? [10, 30];
  const short = o.shortRangeA ?? [1.0, 4.7];
  if (o.crystal.atoms.length === 0) throw new OptionError(`phase ${o.crystal.name} has no atoms`);
  const dataset = (range: [number, number]) => ({
    name: o.data.file,
    data: o.data,
    radiation: o.radiation,
    qmax: o.qmax,
    qdamp: o.qdamp,
    qbroad: 0,
    dscale: 1,
    rmin: range[0],
    rmax: range[1],
    constraints: {},
    cut: o.cut ?? ('full' as const),
  });
  // Step 1: the crystal's lattice (its space group ties b, c to a) and scale at long range.
  const longRange = refinePdf({
    phases: [
      { phase: o.model, constraints: { pscale: '@1' } },
      { phase: o.crystal, constraints: { 'lat(1)': '@3', pscale: '@2' } },
    ],
    datasets: [dataset(long)],
    parameters: [
      { id: 1, value: o.model.pscale, fixed: true },
      { id: 2, value: o.crystal.pscale },
      { id: 3, value: o.crystal.cell.a },
    ],
  });
  const crystal = longRange.phases[1] as CrystalPhase;
  const a = longRange.parameters.find((p) => p.id === 3)!;
  // Step 2: both scales at short range, the lattice fixed.
  const shortRange = refinePdf({
    phases: [
      { phase: o.model, constraints: { pscale: '@1' } },
      { phase: crystal, constraints: { pscale: '@2' } },
    ],
    datasets: [dataset(short)],
    parameters: [
      { id: 1, value: o.model.pscale },
      { id: 2, value: longRange.parameters.find((p) => p.id === 2)!.value },
    ],
  });
  const ps: [number, number] = [shortRange.parameters[0].value, shortRange.parameters[1].value];
  // Covariance of the scales from the correlation matrix and the standard errors.
  const s = [shortRange.parameters[0].sigma, shortRange.parameters[1].sigma];
  const cov = [0, 1].map((i) => [0, 1].map((j) => shortRange.correlations[i][j] * s[i] * s[j]));
  const phases: [PdfPhase, PdfPhase] = [o.model, crystal];
  const f2 = phases.map((p) => averageScatteringFactor(p, o.radiation) ** 2);
  const k = (factor: (p: PdfPhase) => number): [number, number] => [
    factor(phases[0]) / f2[0],
    factor(phases[1]) / f2[1],
  ];
  return {
    atom: fraction(
      ps,
      cov,
      k(() => 1),
    ),
    molar: fraction(
      ps,
      cov,
      k((p) => (atomsPerFormula(p) === 0 ? 0 : 1 / atomsPerFormula(p))),
    ),
    mass: fraction(
      ps,
      cov,
      k((p) => averageAtomicMass(p)),
    ),
    latticeA: { value: a.value, sigma: a.sigma },
    longRange,
    shortRange,
  };
};

/** Number of atoms of a phase per formula unit and in total (for reports). */
export const phaseCounts = (p: PdfPhase) => ({ atoms: phaseAtomCount(p), perFormula: atomsPerFormula(p) });

/**
 * An MD model's G(r) as a profile phase: each frame taken as a P1 crystal (every periodic image
 * within range, the isotropic U `uiso` on every atom: PDFfit2's model, no termination or damping;
 * those come from the data set in the fit), averaged over the frames. The composition (for <f>,
 * formula units and mass) is the first frame's.
 */
export const modelProfileFromFrames = (
  frames: readonly Structure[],
  o: { uiso: number; radiation: Radiation; rminA: number; rmaxA: number; rstepA: number; name?: string },
): ProfilePhase => {
  if (frames.length === 0) throw new OptionError('no frames for the model G(r)');
  const n = Math.round((o.rmaxA - o.rminA) / o.rstepA);
  const g = new Float64Array(n + 1);
  for (const [k, s] of frames.entries()) {
    const ph = phaseFromFrame(s, o.uiso, `${o.name ?? 'model'} frame ${k + 1}`);
    const sum = crystalPairSum(ph, o.radiation, 0, o.rminA, o.rstepA, 0, n);
    for (let i = 0; i <= n; i++) g[i] += sum[i] / frames.length;
  }
  const composition: Record<string, number> = {};
  const t = frames[0].topology;
  for (let i = 0; i < t.natoms; i++) composition[t.symbol(i)] = (composition[t.symbol(i)] ?? 0) + 1;
  return {
    kind: 'profile',
    name: o.name ?? 'model',
    r: Float64Array.from({ length: n + 1 }, (_, i) => o.rminA + i * o.rstepA),
    g,
    composition,
    pscale: 1,
    spdiameter: 0,
  };
};
