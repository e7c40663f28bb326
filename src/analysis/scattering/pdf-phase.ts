import { OptionError } from '../../core/errors.js';
import type { Structure } from '../../core/frame.js';
import type { CellParameters } from '../../core/lattice.js';
import { type CrystalModel, isotropicU } from '../../io/stru.js';
import { PDFFIT2_ELEMENTS } from './pdffit2-elements.js';

// A phase of PDFfit2's model (libpdffit2 Phase): a unit cell with its atoms and the phase's
// peak-shape and scale parameters. Plain data: the refinement copies and changes it.

/** Radiation: X-ray (weights Z) or neutron (weights b). */
export type Radiation = 'X' | 'N';

export interface PdfAtom {
  element: string;
  /** Fractional coordinates. */
  xyz: [number, number, number];
  occupancy: number;
  /** U11 U22 U33 U12 U13 U23 (A^2), PDFfit2's convention (CrystalSite.u). */
  u: [number, number, number, number, number, number];
}

export interface CrystalPhase {
  kind: 'crystal';
  name: string;
  cell: CellParameters;
  atoms: PdfAtom[];
  /** Space-group symbol from the file, for the lattice constraints of a refinement. */
  spaceGroup?: string;
  /** Linear (A) and quadratic (A^2) correlated-motion sharpening. */
  delta1: number;
  delta2: number;
  /** Peak-width factor below rcut (A). */
  sratio: number;
  rcut: number;
  /** Spherical particle diameter (A); 0 = off. */
  spdiameter: number;
  /** Empirical step cut of the PDF (A); 0 = off. */
  stepcut: number;
  pscale: number;
}

/**
 * A phase whose G(r) is given (an MD model's frame-averaged PDF): it enters the total with its
 * pscale and the data set's envelopes, like a crystal phase; its composition gives <f> for the
 * phase fractions.
 */
export interface ProfilePhase {
  kind: 'profile';
  name: string;
  r: Float64Array;
  g: Float64Array;
  /** Atoms per formula or per model (element -> count), for <f>, atom counts and masses. */
  composition: Record<string, number>;
  pscale: number;
  spdiameter: number;
}

export type PdfPhase = CrystalPhase | ProfilePhase;

/** A crystal phase from a .stru/CIF model (its pdffit values when it has them). */
export const crystalPhase = (model: CrystalModel, name = model.title || model.file): CrystalPhase => {
  if (model.sites.length === 0) throw new OptionError(`${model.file}: the phase has no atoms`);
  const p = model.pdffit ?? {};
  return {
    kind: 'crystal',
    name,
    cell: { ...model.cell },
    atoms: model.sites.map((s) => ({
      element: s.element,
      xyz: [...s.xyz] as [number, number, number],
      occupancy: s.occupancy,
      u: [...s.u] as PdfAtom['u'],
    })),
    spaceGroup: model.spaceGroup,
    delta1: p.delta1 ?? 0,
    delta2: p.delta2 ?? 0,
    sratio: p.sratio ?? 1,
    rcut: p.rcut ?? 0,
    spdiameter: p.spdiameter ?? 0,
    stepcut: p.stepcut ?? 0,
    pscale: p.scale ?? 1,
  };
};

const element = (symbol: string) => {
  const e = PDFFIT2_ELEMENTS[symbol];
  if (!e) throw new OptionError(`element ${symbol} is not in PDFfit2's table`);
  return e;
};

/**
 * Scattering weight of an element as PDFfit2 takes it: X-ray, the atomic number (no Q dependence,
 * no charge); neutron, the coherent scattering length b (fm; Sears 1992 via PDFfit2's table).
 */
export const scatteringFactor = (symbol: string, radiation: Radiation): number => {
  const e = element(symbol);
  if (radiation === 'X') return e[2];
  if (e[3] === null) throw new OptionError(`no neutron scattering length for ${symbol} in PDFfit2's table`);
  return e[3];
};

/** Atomic mass (u) of an element as PDFfit2 takes it (for mass fractions). */
export const atomicMassPdffit2 = (symbol: string): number => element(symbol)[1];

/** (element, amount) of a phase: occupancies of a crystal's cell, or a profile's composition. */
const amounts = (p: PdfPhase): [string, number][] =>
  p.kind === 'crystal' ? p.atoms.map((a) => [a.element, a.occupancy]) : Object.entries(p.composition);

/** Number of atoms (sum of occupancies) of a crystal's cell, or of a profile's composition. */
export const phaseAtomCount = (p: PdfPhase): number => amounts(p).reduce((s, [, o]) => s + o, 0);

/** <f> = sum o_i f_i / N of a phase (PDFfit2 Phase::averageScatteringFactor). */
export const averageScatteringFactor = (p: PdfPhase, radiation: Radiation): number => {
  const n = phaseAtomCount(p);
  if (!(n > 0)) throw new OptionError(`phase ${p.name} has no atoms (total occupancy 0)`);
  return amounts(p).reduce((s, [e, o]) => s + o * scatteringFactor(e, radiation), 0) / n;
};

/** Mean atomic mass (u) of a phase (PDFfit2 Phase::averageAtomicMass). */
export const averageAtomicMass = (p: PdfPhase): number =>
  amounts(p).reduce((s, [e, o]) => s + o * atomicMassPdffit2(e), 0) / phaseAtomCount(p);

/** A phase fraction with its standard uncertainty. */
export interface Fraction {
  value: number;
  sigma: number;
}

/** Phase fractions of a mixture from the refined pscales (with their standard errors). */
export interface PhaseFractions {
  /** Fraction of atoms. */
  atom: Fraction[];
  /** Fraction of unit cells (crystals) or formula units (profiles: one per composition). */
  cell: Fraction[];
  /** Fraction of mass. */
  mass: Fraction[];
}

/**
 * Phase fractions as PDFfit2 computes them (pdf.cc getAtomPhaseFractions, ...): x_p = pscale_p /
 * <f>_p^2 for atoms, divided by the atoms per cell for cells, times the mean atomic mass for mass;
 * each normalised, with PDFfit2's propagation of the pscale errors (correlations ignored, as
 * there).
 */
export const phaseFractions = (
  phases: readonly PdfPhase[],
  radiation: Radiation,
  pscaleSigma: readonly number[] = phases.map(() => 0),
): PhaseFractions => {
  const kind = (factor: (p: PdfPhase) => number): Fraction[] => {
    const x = phases.map((p) => (p.pscale * factor(p)) / averageScatteringFactor(p, radiation) ** 2);
    const dx = phases.map(
      (p, i) => (pscaleSigma[i] * factor(p)) / averageScatteringFactor(p, radiation) ** 2,
    );
    const tot = x.reduce((a, b) => a + b, 0);
    const dx2 = dx.reduce((a, b) => a + b * b, 0);
    return x.map((xi, i) => {
      if (!(tot > 0)) return { value: 0, sigma: 0 };
      const v = (dx[i] * dx[i] * (tot * tot - 2 * tot * xi) + xi * xi * dx2) / tot ** 4;
      return { value: xi / tot, sigma: Math.sqrt(Math.max(0, v)) };
    });
  };
  return {
    atom: kind(() => 1),
    cell: kind((p) => 1 / phaseAtomCount(p)),
    mass: kind((p) => averageAtomicMass(p)),
  };
};

/**
 * A periodic frame (an MD cell, any structure file) as a P1 crystal phase: every atom with
 * occupancy 1 and the isotropic U `uiso` (A^2) made a tensor for the cell (isotropicU), since
 * PDFfit2's model draws no peak for a pair without displacement.
 */
export const phaseFromFrame = (s: Structure, uiso: number, name: string): CrystalPhase => {
  const lattice = s.frame.lattice;
  if (!lattice)
    throw new OptionError(`${name}: the structure has no periodic cell; a PDF of a crystal phase needs one`);
  if (!(uiso > 0))
    throw new OptionError(`${name}: give an isotropic U > 0 (A^2) for its atoms`, { option: 'uiso' });
  const cell = lattice.parameters;
  const frac = lattice.toFractional(s.frame.positions);
  const u = isotropicU(uiso, cell);
  return {
    kind: 'crystal',
    name,
    cell,
    atoms: Array.from({ length: s.topology.natoms }, (_, i) => ({
      element: s.topology.symbol(i),
      xyz: [frac[3 * i], frac[3 * i + 1], frac[3 * i + 2]] as [number, number, number],
      occupancy: 1,
      u: [...u] as PdfAtom['u'],
    })),
    delta1: 0,
    delta2: 0,
    sratio: 1,
    rcut: 0,
    spdiameter: 0,
    stepcut: 0,
    pscale: 1,
  };
};
