import { atomicNumber } from '../../core/elements.js';
import { OligolyteError, OptionError, PhysicsError } from '../../core/errors.js';
import type { Structure } from '../../core/frame.js';
import type { Lattice } from '../../core/lattice.js';
import { pymatgenFormFactor, scatteringCoefficients } from './atomic-form-factors.js';

/**
 * Powder X-ray diffraction of a crystal, computed by the rules of pymatgen's XRDCalculator
 * (pymatgen 2022.11.7, analysis/diffraction/xrd.py and core.py; formalism of De Graef & McHenry,
 * Structure of Materials, ch. 11-12), so that peak positions, scaled intensities, hkl families and
 * multiplicities are pymatgen's:
 *
 * - every reciprocal-lattice point g = h a* + k b* + l c* (crystallographic, no 2 pi) with
 *   2 sin(theta_min) / lambda <= |g| <= 2 sin(theta_max) / lambda is a reflection of its own:
 *   symmetry equivalents and Friedel mates are not reduced, they are summed where they coincide;
 * - theta = asin(lambda |g| / 2), s = |g| / 2, F = sum_j o_j f_j(s) exp(-B_j s^2) exp(2 pi i h.x_j)
 *   (f of atomic-form-factors.ts; B the Debye-Waller factor of the element, 0 unless given),
 *   I = |F|^2 (1 + cos^2 2theta) / (sin^2 theta cos theta) (Lorentz-polarisation);
 * - points are taken in order of |g|, then -h, -k, -l; a point whose 2theta lies within 1e-5 deg
 *   of a peak already made joins the earliest such peak (its 2theta and d stay the first point's);
 * - peaks whose intensity is at most 1e-3 on the scale where the strongest is 100 (1e-5 of it) are
 *   dropped (SCATTERING.md section 2 says "1e-3 of the strongest": pymatgen's source compares the
 *   scaled value with 1e-3, and the source wins);
 * - the hkl of a peak are grouped into families, indices equal up to sign and order; a family is
 *   named by its largest member (tuple order) and its multiplicity is its member count;
 * - a lattice that pymatgen calls hexagonal (two angles within 5 deg of 90, one within 5 deg of 60
 *   or 120, the two lengths beside the right angles within 0.01 A) gets Miller-Bravais indices
 *   (h, k, -h-k, l).
 */

/** A crystal as the XRD calculation needs it: the cell, and each site's element, fractional position and occupancy. */
export interface XrdCrystal {
  lattice: Lattice;
  symbols: readonly string[];
  /** Fractional coordinates, interleaved (3N). */
  fractional: ArrayLike<number>;
  /** Site occupancies (default 1 each). */
  occupancies?: ArrayLike<number>;
}

export interface XrdOptions {
  /** Wavelength, A (see wavelengthA for names such as CuKa). */
  wavelengthA: number;
  /** 2theta range, degrees: 0 <= min < max < 180 (default [0, 90], as pymatgen). */
  twoThetaRangeDeg?: readonly [number, number];
  /** Debye-Waller B per element (A^2), default 0: the amplitude is damped by exp(-B s^2). */
  debyeWallerB?: Readonly<Record<string, number>>;
}

export interface HklFamily {
  /** Miller indices (h, k, l), or Miller-Bravais (h, k, i, l) in a hexagonal cell. */
  hkl: number[];
  /** Reflections of the family that coincide in this peak. */
  multiplicity: number;
}

export interface XrdPeak {
  twoThetaDeg: number;
  /** Intensity scaled so that the strongest peak is 100. */
  intensity: number;
  /** |F|^2 times the Lorentz-polarisation factor, in electrons^2 (unscaled). */
  intensityAbsolute: number;
  /** Interplanar spacing d = 1 / |g|, A. */
  dSpacingA: number;
  families: HklFamily[];
}

export interface XrdPattern {
  wavelengthA: number;
  twoThetaRangeDeg: [number, number];
  /** True when the hkl are Miller-Bravais (h, k, i, l): a hexagonal cell. */
  millerBravais: boolean;
  peaks: XrdPeak[];
}

/** pymatgen's merging tolerance on 2theta (deg) and its floor on the scaled intensity. */
export const XRD_TWO_THETA_TOL_DEG = 1e-5;
export const XRD_SCALED_INTENSITY_TOL = 1e-3;
/** pymatgen's points-in-sphere search keeps |g| <= r + 1e-8. */
const SPHERE_TOL = 1e-8;

const DEG = Math.PI / 180;

/** The crystal of a read structure (positions to fractional coordinates); it needs a cell. */
export const crystalFromStructure = (s: Structure, file?: string): XrdCrystal => {
  const lattice = s.frame.lattice;
  if (!lattice)
    throw new OligolyteError(`${file ?? 'the structure'} has no periodic cell: a crystal is needed for XRD`);
  const symbols = Array.from({ length: s.topology.natoms }, (_, i) => s.topology.symbol(i));
  return { lattice, symbols, fractional: lattice.toFractional(s.frame.positions) };
};

/** pymatgen's Lattice.is_hexagonal (angle tolerance 5 deg, length tolerance 0.01 A). */
export const isHexagonalLattice = (lattice: Lattice): boolean => {
  const p = lattice.parameters;
  const lengths = [p.a, p.b, p.c];
  const angles = [p.alpha, p.beta, p.gamma];
  const right = [0, 1, 2].filter((i) => Math.abs(angles[i] - 90) < 5);
  const hex = [0, 1, 2].filter((i) => Math.abs(angles[i] - 60) < 5 || Math.abs(angles[i] - 120) < 5);
  return right.length === 2 && hex.length === 1 && Math.abs(lengths[right[0]] - lengths[right[1]]) < 0.01;
};

/** Tuple order (Python's): the first differing index decides, a shorter prefix is smaller. */
const compareTuples = (a: readonly number[], b: readonly number[]): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
};

/** The family key of indices: absolute values, sorted (two indices are one family when these agree). */
const familyKey = (hkl: readonly number[]): string =>
  hkl
    .map(Math.abs)
    .sort((x, y) => x - y)
    .join(',');

/** Group a peak's indices into families (in order of first appearance), as pymatgen's get_unique_families. */
export const uniqueFamilies = (hkls: readonly (readonly number[])[]): HklFamily[] => {
  const groups = new Map<string, number[][]>();
  for (const hkl of hkls) {
    const k = familyKey(hkl);
    const g = groups.get(k);
    if (g) g.push([...hkl]);
    else groups.set(k, [[...hkl]]);
  }
  return [...groups.values()].map((members) => ({
    hkl: members.reduce((best, m) => (compareTuples(m, best) > 0 ? m : best)),
    multiplicity: members.length,
  }));
};

const checkOptions = (crystal: XrdCrystal, o: XrdOptions): [number, number] => {
  if (!(Number.isFinite(o.wavelengthA) && o.wavelengthA > 0))
    throw new OptionError(`wavelength ${o.wavelengthA} A: must be positive`, { option: 'wavelength' });
  const range: [number, number] = o.twoThetaRangeDeg
    ? [o.twoThetaRangeDeg[0], o.twoThetaRangeDeg[1]]
    : [0, 90];
  if (!(range[0] >= 0 && range[1] > range[0] && range[1] < 180))
    throw new OptionError(`2theta range ${range[0]},${range[1]} deg: needs 0 <= min < max < 180`, {
      option: 'twoThetaRangeDeg',
    });
  const n = crystal.symbols.length;
  if (n === 0) throw new OptionError('the crystal has no atoms');
  if (crystal.fractional.length !== 3 * n)
    throw new RangeError(`${n} sites need ${3 * n} fractional coordinates, got ${crystal.fractional.length}`);
  if (crystal.occupancies && crystal.occupancies.length !== n)
    throw new RangeError(`${n} sites need ${n} occupancies, got ${crystal.occupancies.length}`);
  for (const [el, b] of Object.entries(o.debyeWallerB ?? {})) {
    if (atomicNumber(el) < 0)
      throw new OptionError(`Debye-Waller B for "${el}": not an element`, { option: 'debyeWallerB' });
    if (!Number.isFinite(b))
      throw new OptionError(`Debye-Waller B for ${el}: ${b} is not a number of A^2`, {
        option: 'debyeWallerB',
      });
  }
  for (const el of new Set(crystal.symbols)) scatteringCoefficients(el);
  return range;
};

/** The powder pattern (see the module comment for every rule). */
export const xrdPattern = (crystal: XrdCrystal, options: XrdOptions): XrdPattern => {
  const range = checkOptions(crystal, options);
  const lambda = options.wavelengthA;
  const minG = (2 * Math.sin((range[0] / 2) * DEG)) / lambda;
  const maxG = (2 * Math.sin((range[1] / 2) * DEG)) / lambda;
  const { lattice } = crystal;
  const inv = lattice.inverse;
  const [la, lb, lc] = lattice.lengths;
  // h_j = g . a_j, so |h_j| <= |g| |a_j|.
  const hMax = [la, lb, lc].map((l) => Math.ceil((maxG + SPHERE_TOL) * l));
  const points: { hkl: [number, number, number]; g: number }[] = [];
  for (let h = -hMax[0]; h <= hMax[0]; h++)
    for (let k = -hMax[1]; k <= hMax[1]; k++)
      for (let l = -hMax[2]; l <= hMax[2]; l++) {
        if (h === 0 && k === 0 && l === 0) continue;
        // g (Cartesian) = M^-1 (h, k, l)^T: the columns of M^-1 are a*, b*, c*.
        const gx = inv[0] * h + inv[1] * k + inv[2] * l;
        const gy = inv[3] * h + inv[4] * k + inv[5] * l;
        const gz = inv[6] * h + inv[7] * k + inv[8] * l;
        const g = Math.sqrt(gx * gx + gy * gy + gz * gz);
        if (g <= maxG + SPHERE_TOL && g >= minG) points.push({ hkl: [h, k, l], g });
      }
  points.sort((p, q) => p.g - q.g || q.hkl[0] - p.hkl[0] || q.hkl[1] - p.hkl[1] || q.hkl[2] - p.hkl[2]);

  const n = crystal.symbols.length;
  const elements = [...new Set(crystal.symbols)];
  const species = Uint16Array.from(crystal.symbols, (s) => elements.indexOf(s));
  const dwB = elements.map((e) => options.debyeWallerB?.[e] ?? 0);
  const occ = Float64Array.from({ length: n }, (_, i) => crystal.occupancies?.[i] ?? 1);
  const x = crystal.fractional;
  const hexagonal = isHexagonalLattice(lattice);
  const fOfEl = new Float64Array(elements.length);

  interface Building {
    twoThetaDeg: number;
    intensity: number;
    hkls: number[][];
    dSpacingA: number;
  }
  const peaks: Building[] = [];
  for (const { hkl, g } of points) {
    const sinTheta = (lambda * g) / 2;
    if (sinTheta > 1) continue; // beyond the limiting sphere (only within SPHERE_TOL of 2theta = 180)
    const theta = Math.asin(sinTheta);
    const s2 = (g / 2) ** 2;
    for (let e = 0; e < elements.length; e++)
      fOfEl[e] = pymatgenFormFactor(elements[e], g / 2) * Math.exp(-dwB[e] * s2);
    let re = 0;
    let im = 0;
    for (let j = 0; j < n; j++) {
      const phase = 2 * Math.PI * (hkl[0] * x[3 * j] + hkl[1] * x[3 * j + 1] + hkl[2] * x[3 * j + 2]);
      const a = fOfEl[species[j]] * occ[j];
      re += a * Math.cos(phase);
      im += a * Math.sin(phase);
    }
    const cos2t = Math.cos(2 * theta);
    const lorentz = (1 + cos2t * cos2t) / (Math.sin(theta) ** 2 * Math.cos(theta));
    const intensity = (re * re + im * im) * lorentz;
    const twoThetaDeg = (2 * theta) / DEG;
    const indices = hexagonal ? [hkl[0], hkl[1], -hkl[0] - hkl[1], hkl[2]] : [...hkl];
    // Points come in rising 2theta, so the peaks within the tolerance are the last few; the
    // earliest of them takes the point, as pymatgen's first match.
    let match = -1;
    for (
      let p = peaks.length - 1;
      p >= 0 && peaks[p].twoThetaDeg > twoThetaDeg - 2 * XRD_TWO_THETA_TOL_DEG;
      p--
    )
      if (Math.abs(peaks[p].twoThetaDeg - twoThetaDeg) < XRD_TWO_THETA_TOL_DEG) match = p;
    if (match >= 0) {
      peaks[match].intensity += intensity;
      peaks[match].hkls.push(indices);
    } else peaks.push({ twoThetaDeg, intensity, hkls: [indices], dSpacingA: 1 / g });
  }
  if (peaks.length === 0)
    throw new PhysicsError(
      `no reflection between 2theta = ${range[0]} and ${range[1]} deg at lambda = ${lambda} A (the cell is too small for this range)`,
    );
  const max = Math.max(...peaks.map((p) => p.intensity));
  if (!(max > 0)) throw new PhysicsError('every reflection has zero intensity (no scattering atoms?)');
  const kept = peaks
    .filter((p) => (p.intensity / max) * 100 > XRD_SCALED_INTENSITY_TOL)
    .sort((p, q) => p.twoThetaDeg - q.twoThetaDeg);
  return {
    wavelengthA: lambda,
    twoThetaRangeDeg: range,
    millerBravais: hexagonal,
    peaks: kept.map((p) => ({
      twoThetaDeg: p.twoThetaDeg,
      intensity: (p.intensity / max) * 100,
      intensityAbsolute: p.intensity,
      dSpacingA: p.dSpacingA,
      families: uniqueFamilies(p.hkls),
    })),
  };
};
