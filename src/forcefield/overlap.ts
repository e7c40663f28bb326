import { PhysicsError } from '../core/errors.js';
import type { Lattice } from '../core/lattice.js';

/**
 * Overlapping atoms: two atoms closer than OVERLAP_DISTANCE_A make every energy, force and MD step
 * meaningless (at distance 0 the pair terms are 0/0, so NaN; at 0.1 A the Lennard-Jones wall of a
 * Cl-Cl pair is ~1e16 kcal/mol), so the force-field layer refuses them before computing anything.
 *
 * The threshold, 0.5 A: no two atoms of a real structure are that close (the shortest bond in
 * nature, H-H, is 0.74 A; in the chlorides and oxides these force fields describe the shortest is
 * Al-O at about 1.7 A, and non-bonded contacts are above 1.8 A), while at 0.5 A every unlike LJ
 * pair of laoc-v1..v4 other than a bonded one is already beyond 1e5 kcal/mol per atom. A smaller
 * threshold (0.1 A) would let through structures whose energy is a meaningless 1e10 kcal/mol.
 */
export const OVERLAP_DISTANCE_A = 0.5;

export interface Overlap {
  /** 0-based indices, i < j. */
  i: number;
  j: number;
  /** Their distance (A; the minimum image in a periodic cell). */
  distanceA: number;
}

/**
 * The closest pair of atoms closer than `minDistanceA` (minimum image when a lattice is given), or
 * undefined. Linear time: atoms are binned into cells at least `minDistanceA` wide, so a close
 * pair is in the same or adjacent bins.
 */
export const findOverlap = (
  positions: Float64Array,
  lattice: Lattice | undefined,
  minDistanceA = OVERLAP_DISTANCE_A,
): Overlap | undefined => {
  const n = positions.length / 3;
  if (n < 2) return undefined;
  // Fractional coordinates in [0, 1) along each axis (periodic), or over the bounding box.
  const frac = new Float64Array(3 * n);
  const widths = [0, 0, 0];
  if (lattice) {
    lattice.toFractional(positions, frac);
    for (let k = 0; k < frac.length; k++) frac[k] -= Math.floor(frac[k]);
    const w = lattice.perpendicularWidths;
    for (let a = 0; a < 3; a++) widths[a] = w[a];
  } else {
    for (let a = 0; a < 3; a++) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        lo = Math.min(lo, positions[3 * i + a]);
        hi = Math.max(hi, positions[3 * i + a]);
      }
      // One bin's margin, so that the top atom stays below 1.
      widths[a] = hi - lo + minDistanceA;
      for (let i = 0; i < n; i++) frac[3 * i + a] = (positions[3 * i + a] - lo) / widths[a];
    }
  }
  // Positions that are not numbers are not overlaps (their own checks report them).
  for (let k = 0; k < frac.length; k++) if (!(frac[k] >= 0 && frac[k] < 1)) frac[k] = 0;
  // Bins at least minDistanceA wide, at most about 2 per atom along each axis (memory).
  const cap = Math.max(1, 2 * Math.ceil(Math.cbrt(n)));
  const bins = widths.map((w) => Math.max(1, Math.min(cap, Math.floor(w / minDistanceA) || 1)));
  const head = new Int32Array(bins[0] * bins[1] * bins[2]).fill(-1);
  const next = new Int32Array(n);
  const binOf = new Int32Array(3 * n);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 3; a++)
      binOf[3 * i + a] = Math.min(bins[a] - 1, Math.floor(frac[3 * i + a] * bins[a]));
    const k = (binOf[3 * i] * bins[1] + binOf[3 * i + 1]) * bins[2] + binOf[3 * i + 2];
    next[i] = head[k];
    head[k] = i;
  }
  // The neighbouring bins along each axis, each once (with two or one bins the wrap repeats them).
  const offsets = bins.map((b) => (b === 1 ? [0] : b === 2 ? [0, 1] : [-1, 0, 1]));
  const wrap = (v: number, b: number) => (v + b) % b;
  const d = new Float64Array(3);
  const min2 = minDistanceA * minDistanceA;
  let best: Overlap | undefined;
  for (let i = 0; i < n; i++)
    for (const oa of offsets[0])
      for (const ob of offsets[1])
        for (const oc of offsets[2]) {
          const ba = binOf[3 * i] + oa;
          const bb = binOf[3 * i + 1] + ob;
          const bc = binOf[3 * i + 2] + oc;
          // Without a cell, bins past the box edge are empty.
          if (!lattice && (ba < 0 || ba >= bins[0] || bb < 0 || bb >= bins[1] || bc < 0 || bc >= bins[2]))
            continue;
          const k = (wrap(ba, bins[0]) * bins[1] + wrap(bb, bins[1])) * bins[2] + wrap(bc, bins[2]);
          for (let j = head[k]; j >= 0; j = next[j]) {
            if (j >= i) continue;
            for (let c = 0; c < 3; c++) d[c] = positions[3 * i + c] - positions[3 * j + c];
            const r2 = lattice ? lattice.minimumImage(d) : d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if (r2 < min2 && (!best || r2 < best.distanceA ** 2))
              best = { i: j, j: i, distanceA: Math.sqrt(r2) };
          }
        }
  return best;
};

/**
 * Refuse overlapping atoms (closer than OVERLAP_DISTANCE_A) with a PhysicsError naming both,
 * numbered from 1 in file order, with `label(i)` (their element or type).
 */
export const checkOverlap = (
  positions: Float64Array,
  lattice: Lattice | undefined,
  label: (i: number) => string,
): void => {
  const o = findOverlap(positions, lattice);
  if (o)
    throw new PhysicsError(
      `atoms ${o.i + 1} (${label(o.i)}) and ${o.j + 1} (${label(o.j)}) overlap: ${o.distanceA.toFixed(3)} A apart, closer than ${OVERLAP_DISTANCE_A} A (atoms numbered from 1 in file order)`,
    );
};
