import { OptionError } from '../../core/errors.js';
import type { Lattice } from '../../core/lattice.js';

/**
 * Periodic neighbour search with cell lists, for structure analyses (RDF, angles, environments,
 * bonded topology).
 *
 * Every cell shape and every cutoff: the atoms are binned on a grid of parallelepipeds in
 * fractional coordinates, each at least `cutoff / k` wide perpendicular to its faces, and the
 * search walks k (or more) bins out in each direction, through the periodic boundaries as often as
 * needed. So a cutoff larger than half the cell (or than the whole cell) finds every periodic
 * image of a pair within range, each one visited: in a cell narrower than the cutoff an atom also
 * sees its own images.
 */
export interface NeighbourQuery {
  /** Cartesian positions, 3N interleaved (A); need not be wrapped into the cell. */
  positions: Float64Array;
  /** The periodic cell; absent (undefined) for a non-periodic structure: plain distances. */
  lattice?: Lattice;
  /** Largest distance visited (A), > 0; the pair at exactly `cutoff` is visited. */
  cutoff: number;
  /** Atoms i (0-based indices); default: every atom. */
  centres?: Int32Array | number[];
  /** Atoms j (0-based indices); default: every atom. */
  others?: Int32Array | number[];
  /**
   * Visit each unordered pair once per image instead of twice (default false). Only when centres
   * and others are the same set (both omitted, or the same array object): then (i, j, image n)
   * and (j, i, image -n) are the same pair, and exactly one of them is visited.
   */
  half?: boolean;
}

/**
 * Called once per (centre i, other j, periodic image of j) with 0 < |r| <= cutoff, where
 * r = (dx, dy, dz) (A) points from i to that image of j and r2 = |r|^2 (A^2). An atom is never
 * paired with itself in the same image (i == j appears only with a non-zero lattice translation,
 * i.e. when the cutoff reaches across the cell); two distinct atoms at the same place (r = 0) are
 * visited. Without `half`, ordered pairs are visited: a pair of atoms that are both centres and
 * others is visited as (i, j) and as (j, i). Visit order is unspecified.
 */
export type NeighbourVisitor = (i: number, j: number, r2: number, dx: number, dy: number, dz: number) => void;

/** Bins further than this per atom are not worth their memory. */
const MAX_BINS_PER_ATOM = 4;

const checkQuery = (q: NeighbourQuery, natoms: number) => {
  if (!(q.cutoff > 0) || !Number.isFinite(q.cutoff))
    throw new OptionError(`cutoff: ${q.cutoff} A must be a positive finite distance`, { option: 'cutoff' });
  if (q.positions.length % 3 !== 0)
    throw new RangeError(`positions: length ${q.positions.length} is not a multiple of 3`);
  for (const [name, list] of [
    ['centres', q.centres],
    ['others', q.others],
  ] as const) {
    if (!list) continue;
    for (let k = 0; k < list.length; k++) {
      const a = list[k];
      if (!Number.isInteger(a) || a < 0 || a >= natoms)
        throw new RangeError(`${name}[${k}] = ${a} is not an atom index (0..${natoms - 1})`);
    }
  }
  if (q.half && q.centres !== q.others)
    throw new OptionError(
      'half: needs centres and others to be the same set (the same array, or both omitted)',
      {
        option: 'half',
      },
    );
};

const allAtoms = (n: number) => {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
};

/**
 * Visit every neighbour pair of `q` (see NeighbourVisitor for exactly which). Cost: about
 * (number of centres) x (atoms in (2k+1)^3 bins); memory O(N), nothing kept between calls.
 */
export const forEachNeighbour = (q: NeighbourQuery, visit: NeighbourVisitor): void => {
  const pos = q.positions;
  const n = pos.length / 3;
  checkQuery(q, n);
  const centres = q.centres ?? allAtoms(n);
  const others = q.others ?? (q.centres ? allAtoms(n) : centres);
  if (centres.length === 0 || others.length === 0) return;
  const cutoff = q.cutoff;
  const c2 = cutoff * cutoff;
  const half = q.half === true;

  // The cell the grid lives in: the lattice, or for a non-periodic structure a box around the
  // atoms (no images).
  const periodic = q.lattice !== undefined;
  let M: Float64Array;
  let Minv: Float64Array;
  let widths: [number, number, number];
  const origin = [0, 0, 0];
  if (q.lattice) {
    M = q.lattice.matrix;
    Minv = q.lattice.inverse;
    widths = q.lattice.perpendicularWidths;
  } else {
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (const list of [centres, others])
      for (let k = 0; k < list.length; k++)
        for (let x = 0; x < 3; x++) {
          const v = pos[3 * list[k] + x];
          if (!Number.isFinite(v)) throw new RangeError(`atom ${list[k] + 1}: position is not finite`);
          if (v < lo[x]) lo[x] = v;
          if (v > hi[x]) hi[x] = v;
        }
    // A little margin so that every atom falls strictly inside.
    const ext = [0, 1, 2].map((x) => Math.max(hi[x] - lo[x], 0) * (1 + 1e-9) + 1e-6);
    for (let x = 0; x < 3; x++) origin[x] = lo[x] - 0.5e-6;
    M = new Float64Array([ext[0], 0, 0, 0, ext[1], 0, 0, 0, ext[2]]);
    Minv = new Float64Array([1 / ext[0], 0, 0, 0, 1 / ext[1], 0, 0, 0, 1 / ext[2]]);
    widths = [ext[0], ext[1], ext[2]];
  }

  // Bins per axis: a bin is at least cutoff / sub wide, so a pair in range is at most
  // reach = ceil(cutoff nb / width) bins apart along that axis. sub = 2 halves the volume searched
  // (125 half-width bins instead of 27 full-width ones) when the bins still hold atoms.
  const nAtomsBinned = others.length;
  const nb = [1, 1, 1];
  const sub = nAtomsBinned >= 512 ? 2 : 1;
  for (let x = 0; x < 3; x++) nb[x] = Math.max(1, Math.floor((widths[x] * sub) / (cutoff * (1 + 1e-9))));
  const maxBins = Math.max(27, MAX_BINS_PER_ATOM * nAtomsBinned);
  while (nb[0] * nb[1] * nb[2] > maxBins) {
    const x = nb[0] >= nb[1] && nb[0] >= nb[2] ? 0 : nb[1] >= nb[2] ? 1 : 2;
    nb[x] = Math.max(1, Math.floor(nb[x] / 2));
  }
  const reach = [0, 1, 2].map((x) => Math.max(1, Math.ceil((cutoff * (1 + 1e-9) * nb[x]) / widths[x])));
  const [na, nbb, nc] = nb;
  const nbins = na * nbb * nc;

  // Wrapped Cartesian positions of every atom involved, and its bin.
  const wrapped = new Float64Array(3 * n);
  const binOf = new Int32Array(n).fill(-1);
  const place = (list: Int32Array | number[]) => {
    for (let k = 0; k < list.length; k++) {
      const i = list[k];
      if (binOf[i] >= 0) continue;
      const x = pos[3 * i] - origin[0];
      const y = pos[3 * i + 1] - origin[1];
      const z = pos[3 * i + 2] - origin[2];
      if (!Number.isFinite(x + y + z)) throw new RangeError(`atom ${i + 1}: position is not finite`);
      let fa = x * Minv[0] + y * Minv[3] + z * Minv[6];
      let fb = x * Minv[1] + y * Minv[4] + z * Minv[7];
      let fc = x * Minv[2] + y * Minv[5] + z * Minv[8];
      const sa = Math.floor(fa);
      const sb = Math.floor(fb);
      const sc = Math.floor(fc);
      fa -= sa;
      fb -= sb;
      fc -= sc;
      // Subtract whole lattice vectors only (exact for positions and cells on a binary grid).
      wrapped[3 * i] = pos[3 * i] - (sa * M[0] + sb * M[3] + sc * M[6]);
      wrapped[3 * i + 1] = pos[3 * i + 1] - (sa * M[1] + sb * M[4] + sc * M[7]);
      wrapped[3 * i + 2] = pos[3 * i + 2] - (sa * M[2] + sb * M[5] + sc * M[8]);
      const ba = Math.min(na - 1, Math.floor(fa * na));
      const bb = Math.min(nbb - 1, Math.floor(fb * nbb));
      const bc = Math.min(nc - 1, Math.floor(fc * nc));
      binOf[i] = (ba * nbb + bb) * nc + bc;
    }
  };
  place(others);
  place(centres);

  // Cell list of the others, CSR: binStart[b] .. binStart[b + 1] in `members`.
  const binStart = new Int32Array(nbins + 1);
  for (let k = 0; k < others.length; k++) binStart[binOf[others[k]] + 1]++;
  for (let b = 0; b < nbins; b++) binStart[b + 1] += binStart[b];
  const fill = binStart.slice(0, nbins);
  const members = new Int32Array(others.length);
  for (let k = 0; k < others.length; k++) {
    const j = others[k];
    members[fill[binOf[j]]++] = j;
  }

  const [ra, rb, rc] = reach;
  for (let k = 0; k < centres.length; k++) {
    const i = centres[k];
    const bi = binOf[i];
    const ai = Math.floor(bi / (nbb * nc));
    const bj = Math.floor(bi / nc) % nbb;
    const ci = bi % nc;
    const xi = wrapped[3 * i];
    const yi = wrapped[3 * i + 1];
    const zi = wrapped[3 * i + 2];
    for (let oa = -ra; oa <= ra; oa++) {
      let ta = ai + oa;
      if (!periodic && (ta < 0 || ta >= na)) continue;
      const sa = Math.floor(ta / na);
      ta -= sa * na;
      for (let ob = -rb; ob <= rb; ob++) {
        let tb = bj + ob;
        if (!periodic && (tb < 0 || tb >= nbb)) continue;
        const sb = Math.floor(tb / nbb);
        tb -= sb * nbb;
        for (let oc = -rc; oc <= rc; oc++) {
          // Half: (i, j, offset o) and (j, i, -o) are the same pair; keep o > 0 lexicographically,
          // and within o = 0 (same bin, same image) keep j > i.
          const sign = oa !== 0 ? oa : ob !== 0 ? ob : oc;
          if (half && sign < 0) continue;
          let tc = ci + oc;
          if (!periodic && (tc < 0 || tc >= nc)) continue;
          const sc = Math.floor(tc / nc);
          tc -= sc * nc;
          const shx = sa * M[0] + sb * M[3] + sc * M[6] - xi;
          const shy = sa * M[1] + sb * M[4] + sc * M[7] - yi;
          const shz = sa * M[2] + sb * M[5] + sc * M[8] - zi;
          const self = sa === 0 && sb === 0 && sc === 0;
          const b = (ta * nbb + tb) * nc + tc;
          const end = binStart[b + 1];
          for (let m = binStart[b]; m < end; m++) {
            const j = members[m];
            if (self && (half && sign === 0 ? j <= i : j === i)) continue;
            const dx = wrapped[3 * j] + shx;
            const dy = wrapped[3 * j + 1] + shy;
            const dz = wrapped[3 * j + 2] + shz;
            const r2 = dx * dx + dy * dy + dz * dz;
            if (r2 <= c2) visit(i, j, r2, dx, dy, dz);
          }
        }
      }
    }
  }
};

/**
 * The same visits as forEachNeighbour by brute force: every centre against every other, over
 * every lattice translation that can bring them within the cutoff (|n_k| <= ceil(cutoff /
 * width_k) + 1). O(N^2 x images); the reference the tests compare the cell lists with. The
 * vectors are (x_j + n M) - x_i from the positions as given.
 */
export const forEachNeighbourBruteForce = (q: NeighbourQuery, visit: NeighbourVisitor): void => {
  const pos = q.positions;
  const n = pos.length / 3;
  checkQuery(q, n);
  const centres = q.centres ?? allAtoms(n);
  const others = q.others ?? (q.centres ? allAtoms(n) : centres);
  const c2 = q.cutoff * q.cutoff;
  const shifts: number[][] = [];
  if (q.lattice) {
    const M = q.lattice.matrix;
    const w = q.lattice.perpendicularWidths;
    // Positions as given may lie outside the cell: allow for the spread of their fractional
    // coordinates too.
    const frac = q.lattice.toFractional(pos);
    const spread = [0, 1, 2].map((x) => {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        lo = Math.min(lo, frac[3 * i + x]);
        hi = Math.max(hi, frac[3 * i + x]);
      }
      return n > 0 ? Math.ceil(hi - lo) : 0;
    });
    const lim = [0, 1, 2].map((x) => Math.ceil(q.cutoff / w[x]) + 1 + spread[x]);
    for (let a = -lim[0]; a <= lim[0]; a++)
      for (let b = -lim[1]; b <= lim[1]; b++)
        for (let c = -lim[2]; c <= lim[2]; c++)
          shifts.push([
            a * M[0] + b * M[3] + c * M[6],
            a * M[1] + b * M[4] + c * M[7],
            a * M[2] + b * M[5] + c * M[8],
            a === 0 && b === 0 && c === 0 ? 1 : 0,
            a !== 0 ? a : b !== 0 ? b : c,
          ]);
  } else shifts.push([0, 0, 0, 1, 0]);
  const half = q.half === true;
  for (let k = 0; k < centres.length; k++) {
    const i = centres[k];
    for (let m = 0; m < others.length; m++) {
      const j = others[m];
      for (const [sx, sy, sz, zero, sign] of shifts) {
        if (zero && j === i) continue;
        if (half && (zero ? j < i : i === j ? sign < 0 : j < i)) continue;
        const dx = pos[3 * j] + sx - pos[3 * i];
        const dy = pos[3 * j + 1] + sy - pos[3 * i + 1];
        const dz = pos[3 * j + 2] + sz - pos[3 * i + 2];
        const r2 = dx * dx + dy * dy + dz * dz;
        if (r2 <= c2) visit(i, j, r2, dx, dy, dz);
      }
    }
  }
};
