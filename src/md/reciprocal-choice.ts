import { OptionError } from '../core/errors.js';
import type { Lattice } from '../core/lattice.js';
import { ReciprocalEwald } from './reciprocal-ewald.js';
import { type PmeGrid, ReciprocalPme } from './reciprocal-pme.js';

/**
 * Which algorithm evaluates the Ewald reciprocal sum, and the particle-mesh grid for an accuracy.
 *
 * The k-vector sum costs N x k-vectors, and the k-vectors within the cutoff grow with the volume,
 * so O(N^2) at a fixed pair cutoff (O(N^1.5) with the splitting re-balanced); PME costs N p^3 +
 * M log M for M grid points. Below PME_MIN_ATOMS the exact sum is the cheaper (and needs no grid);
 * docs/speed.md gives the measured times.
 */
export const PME_MIN_ATOMS = 1000;

/** B-spline order of the PME grid (LAMMPS pppm's default order is 5 too). */
export const PME_ORDER = 5;

/**
 * Relative RMS error of the PME reciprocal forces, measured against the exact k-vector sum
 * (test/md/reciprocal-pme.test.ts), is about C (alpha h)^p for grid spacing h and order p; with
 * order 5, C = 0.05 fits the measurements and PME_ERROR_C = 0.1 keeps a factor of two in hand.
 */
const PME_ERROR_C = 0.1;

/** The PME grid that meets `accuracy` (relative RMS reciprocal force error) at splitting `alpha`. */
export const pmeGridFor = (lattice: Lattice, alpha: number, accuracy: number, order = PME_ORDER): PmeGrid => {
  const spacing = (accuracy / PME_ERROR_C) ** (1 / order) / alpha;
  const m = lattice.matrix;
  const size = [0, 1, 2].map((a) => {
    const length = Math.hypot(m[3 * a], m[3 * a + 1], m[3 * a + 2]);
    // The smallest power of two (fft.js) >= the points the spacing needs, and >= the order.
    let k = 4;
    while (k < length / spacing || k < order) k *= 2;
    return k;
  }) as [number, number, number];
  return { size, order };
};

export type Reciprocal = ReciprocalEwald | ReciprocalPme;

/** The reciprocal-sum evaluator for `kspace` (default: by the number of atoms). */
export const makeReciprocal = (
  lattice: Lattice,
  charges: Float64Array,
  alpha: number,
  accuracy: number,
  kspace?: 'ewald' | 'pme',
): Reciprocal => {
  const choice = kspace ?? (charges.length >= PME_MIN_ATOMS ? 'pme' : 'ewald');
  if (choice === 'ewald') return new ReciprocalEwald(lattice, charges, alpha, -Math.log(accuracy));
  if (choice !== 'pme') throw new OptionError(`kspace: "${choice}" is not "ewald" or "pme"`);
  return new ReciprocalPme(lattice, charges, alpha, pmeGridFor(lattice, alpha, accuracy));
};
