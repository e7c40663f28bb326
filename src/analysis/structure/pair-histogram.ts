import type { Lattice } from '../../core/lattice.js';

/**
 * The hot loop of g(r): one frame's pair distances histogrammed into every curve at once, each
 * unordered pair once per periodic image. The cell-list search of neighbours.ts, specialised for
 * speed:
 * - atoms sorted by cell into contiguous coordinate arrays (cells are parallelepipeds in
 *   fractional coordinates, at least rMax / SUB wide perpendicular to their faces);
 * - the stencil walked as rows along the third cell axis, so that each row is one or a few
 *   contiguous runs of atoms (split only where the row crosses the periodic boundary, as often as
 *   it does: a cell narrower than rMax meets its own images);
 * - offsets o whose two cells cannot hold a pair within rMax are skipped (the exact minimum
 *   distance between the two parallelepipeds, per offset, once per frame);
 * - of the offsets o and -o only the lexicographically positive one is walked; within o = 0 only
 *   q > p;
 * - the bin as numpy.histogram computes it, and one histogram per pair of atom classes (the
 *   caller folds them into its curves), so that a pair within range costs one increment.
 */

/** Cells per rMax along each axis (cells at least rMax / SUB wide). */
const SUB = 2;

/** Per-frame buffers, kept between frames. */
export class PairScratch {
  x = new Float64Array(0);
  y = new Float64Array(0);
  z = new Float64Array(0);
  cls = new Int32Array(0);
  idx = new Int32Array(0);
  bin = new Int32Array(0);
  wx = new Float64Array(0);
  wy = new Float64Array(0);
  wz = new Float64Array(0);
  /** Fractional coordinate along c of each atom, in cell order (sorted within each cell). */
  f = new Float64Array(0);
  wf = new Float64Array(0);
  /** The stencil rows of the last frame's grid, reused while the cell and grid are the same. */
  rows: Int32Array = new Int32Array(0);
  /** Per row, the window (tlo, thi) of the fractional c difference of a pair within rMax. */
  windows: Float64Array = new Float64Array(0);
  rowsKey = '';
  /** This frame's counts (32-bit: half the cache footprint of the run's float64 totals). */
  frameCounts = new Uint32Array(0);
  ensure(m: number): void {
    if (this.x.length >= m) return;
    this.x = new Float64Array(m);
    this.y = new Float64Array(m);
    this.z = new Float64Array(m);
    this.cls = new Int32Array(m);
    this.idx = new Int32Array(m);
    this.bin = new Int32Array(m);
    this.wx = new Float64Array(m);
    this.wy = new Float64Array(m);
    this.wz = new Float64Array(m);
    this.f = new Float64Array(m);
    this.wf = new Float64Array(m);
  }
}

/** Is the visited pair (vector d from i to this image of j) to be left out? */
export type PairExclusion = (i: number, j: number, r2: number, dx: number, dy: number, dz: number) => boolean;

export interface PairHistogramInput {
  positions: Float64Array;
  lattice: Lattice;
  /** Atoms taking part (0-based), or undefined for all. */
  atoms: Int32Array | undefined;
  /** Class of every atom taking part (0 .. classCount - 1). */
  classOf: Int32Array;
  classCount: number;
  rMax: number;
  /** numpy.linspace(0, rMax, bins + 1). */
  edges: Float64Array;
  /**
   * Pair counts per class pair: the pairs visited as (atom of class ci, atom of class cj) at
   * [(ci classCount + cj) bins, + bins); each unordered pair is added once, to either orientation.
   */
  pairCounts: Float64Array;
  excluded?: PairExclusion;
  scratch: PairScratch;
}

/**
 * The smallest |v B|^2 over v in the box [o - 1, o + 1]^3, B the rows of one cell's edge vectors
 * (G = B B^T): the squared minimum distance between a point of cell 0 and a point of cell o.
 * Convex, so the minimum is the best feasible stationary point over the 27 patterns of each
 * coordinate at its lower bound, at its upper bound or free.
 */
const minDistance2 = (G: Float64Array, o: number[]): number => {
  let best = Number.POSITIVE_INFINITY;
  const v = [0, 0, 0];
  for (let pattern = 0; pattern < 27; pattern++) {
    const st = [pattern % 3, Math.floor(pattern / 3) % 3, Math.floor(pattern / 9)];
    const free: number[] = [];
    for (let k = 0; k < 3; k++) {
      if (st[k] === 2) free.push(k);
      else v[k] = st[k] === 0 ? o[k] - 1 : o[k] + 1;
    }
    if (free.length > 0) {
      // Solve G_FF v_F = -G_FB v_B.
      const nf = free.length;
      const A: number[][] = free.map((r) => free.map((c) => G[3 * r + c]));
      const b = free.map((r) => {
        let s = 0;
        for (let c = 0; c < 3; c++) if (st[c] !== 2) s -= G[3 * r + c] * v[c];
        return s;
      });
      const x = solveSmall(A, b, nf);
      if (!x) continue;
      let feasible = true;
      free.forEach((k, t) => {
        v[k] = x[t];
        if (x[t] < o[k] - 1 - 1e-12 || x[t] > o[k] + 1 + 1e-12) feasible = false;
      });
      if (!feasible) continue;
    }
    let f = 0;
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) f += v[r] * G[3 * r + c] * v[c];
    if (f < best) best = f;
  }
  return Math.max(0, best);
};

/** Gaussian elimination with partial pivoting for n <= 3; undefined when singular. */
const solveSmall = (A: number[][], b: number[], n: number): number[] | undefined => {
  const M = A.map((row, r) => [...row, b[r]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    if (Math.abs(M[piv][c]) < 1e-300) return undefined;
    [M[c], M[piv]] = [M[piv], M[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row, r) => row[n] / row[r]);
};

/** Histogram one frame's pairs into `counts` (see the module comment). */
export const histogramPairs = (inp: PairHistogramInput): void => {
  const { positions, lattice, atoms, classOf, rMax, edges, pairCounts, excluded, scratch: sc } = inp;
  const nc = inp.classCount;
  const M = lattice.matrix;
  const V = lattice.inverse;
  const widths = lattice.perpendicularWidths;
  const m = atoms ? atoms.length : positions.length / 3;
  if (m === 0) return;
  const slack = 1 + 1e-9;
  const nb = [1, 1, 1];
  for (let x = 0; x < 3; x++) nb[x] = Math.max(1, Math.floor((SUB * widths[x]) / (rMax * slack)));
  while (nb[0] * nb[1] * nb[2] > Math.max(27, 2 * m)) {
    const x = nb[0] >= nb[1] && nb[0] >= nb[2] ? 0 : nb[1] >= nb[2] ? 1 : 2;
    nb[x] = Math.max(1, Math.floor(nb[x] / 2));
  }
  const [na, nbb, ncc] = nb;
  const reach = [0, 1, 2].map((x) => Math.max(1, Math.ceil((rMax * slack * nb[x]) / widths[x])));
  const ncells = na * nbb * ncc;

  // Wrap (whole lattice vectors only: exact for positions and cells on a binary grid) and bin.
  sc.ensure(m);
  const { bin, wx, wy, wz, wf } = sc;
  const cellStart = new Int32Array(ncells + 1);
  for (let k = 0; k < m; k++) {
    const i = atoms ? atoms[k] : k;
    const px = positions[3 * i];
    const py = positions[3 * i + 1];
    const pz = positions[3 * i + 2];
    if (!Number.isFinite(px + py + pz)) throw new RangeError(`atom ${i + 1}: position is not finite`);
    const fa = px * V[0] + py * V[3] + pz * V[6];
    const fb = px * V[1] + py * V[4] + pz * V[7];
    const fc = px * V[2] + py * V[5] + pz * V[8];
    const sa = Math.floor(fa);
    const sb = Math.floor(fb);
    const sc3 = Math.floor(fc);
    wx[k] = px - (sa * M[0] + sb * M[3] + sc3 * M[6]);
    wy[k] = py - (sa * M[1] + sb * M[4] + sc3 * M[7]);
    wz[k] = pz - (sa * M[2] + sb * M[5] + sc3 * M[8]);
    const ba = Math.min(na - 1, Math.floor((fa - sa) * na));
    const bb = Math.min(nbb - 1, Math.floor((fb - sb) * nbb));
    wf[k] = fc - sc3;
    const bc = Math.min(ncc - 1, Math.floor(wf[k] * ncc));
    const cell = (ba * nbb + bb) * ncc + bc;
    bin[k] = cell;
    cellStart[cell + 1]++;
  }
  for (let c = 0; c < ncells; c++) cellStart[c + 1] += cellStart[c];
  const fill = cellStart.slice(0, ncells);
  const { x: X, y: Y, z: Z, cls: C, idx: I, f: F } = sc;
  const bins = edges.length - 1;
  for (let k = 0; k < m; k++) {
    const p = fill[bin[k]]++;
    const i = atoms ? atoms[k] : k;
    X[p] = wx[k];
    Y[p] = wy[k];
    Z[p] = wz[k];
    F[p] = wf[k];
    C[p] = classOf[i] * bins;
    I[p] = i;
  }
  // Each cell sorted along c (insertion sort: a few atoms each), so that a run of cells along c
  // is sorted and the atoms within reach of one atom are a window found by sliding pointers.
  for (let cell = 0; cell < ncells; cell++)
    for (let p = cellStart[cell] + 1; p < cellStart[cell + 1]; p++) {
      const f = F[p];
      if (F[p - 1] <= f) continue;
      const x = X[p];
      const y = Y[p];
      const z = Z[p];
      const cl = C[p];
      const id = I[p];
      let q = p - 1;
      while (q >= cellStart[cell] && F[q] > f) {
        F[q + 1] = F[q];
        X[q + 1] = X[q];
        Y[q + 1] = Y[q];
        Z[q + 1] = Z[q];
        C[q + 1] = C[q];
        I[q + 1] = I[q];
        q--;
      }
      F[q + 1] = f;
      X[q + 1] = x;
      Y[q + 1] = y;
      Z[q + 1] = z;
      C[q + 1] = cl;
      I[q + 1] = id;
    }

  // Rows of the half stencil: (oa, ob) and the range lo..hi of oc whose cells can hold a pair
  // within rMax. Row (0, 0) starts at oc = 0 (the cell itself, q > p). Computed once per cell
  // shape (an NVT run: once).
  const c2 = rMax * rMax;
  const [ra, rb, rc] = reach;
  const key = `${Array.from(M).join(',')};${rMax};${nb.join(',')}`;
  if (key !== sc.rowsKey) {
    const B = new Float64Array(9);
    for (let k = 0; k < 3; k++) for (let x = 0; x < 3; x++) B[3 * k + x] = M[3 * k + x] / nb[k];
    const G = new Float64Array(9);
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 3; c++)
        G[3 * r + c] = B[3 * r] * B[3 * c] + B[3 * r + 1] * B[3 * c + 1] + B[3 * r + 2] * B[3 * c + 2];
    const reachable = (o: number[]) => minDistance2(G, o) <= c2 * slack;
    const list: number[] = [];
    const windows: number[] = [];
    for (let oa = 0; oa <= ra; oa++)
      for (let ob = oa === 0 ? 0 : -rb; ob <= rb; ob++) {
        let lo = oa === 0 && ob === 0 ? 0 : -rc;
        let hi = rc;
        while (lo <= hi && !reachable([oa, ob, lo])) lo++;
        while (hi >= lo && !reachable([oa, ob, hi])) hi--;
        if (lo > hi) continue;
        const [tlo, thi] = rowWindow(M, nb, oa, ob, rMax);
        if (tlo > thi) continue;
        list.push(oa, ob, lo, hi);
        windows.push(oa === 0 && ob === 0 ? Math.max(tlo, -1e-9) : tlo, thi);
      }
    sc.rows = Int32Array.from(list);
    sc.windows = Float64Array.from(windows);
    sc.rowsKey = key;
  }
  const rows = sc.rows;
  const windows = sc.windows;

  if (sc.frameCounts.length !== pairCounts.length) sc.frameCounts = new Uint32Array(pairCounts.length);
  const counts = sc.frameCounts;
  counts.fill(0);
  countPairs(X, Y, Z, F, C, I, cellStart, rows, windows, na, nbb, ncc, M, rMax, edges, nc, counts, excluded);
  for (let k = 0; k < counts.length; k++) pairCounts[k] += counts[k];
};

/**
 * The pair loop, apart so that V8 optimises it as a whole function (a loop at the end of a long
 * function is entered through on-stack replacement and deoptimised again and again).
 */
const countPairs = (
  X: Float64Array,
  Y: Float64Array,
  Z: Float64Array,
  F: Float64Array,
  C: Int32Array,
  I: Int32Array,
  cellStart: Int32Array,
  rows: Int32Array,
  windows: Float64Array,
  na: number,
  nbb: number,
  ncc: number,
  M: Float64Array,
  rMax: number,
  edges: Float64Array,
  nc: number,
  counts: Uint32Array,
  excluded: PairExclusion | undefined,
): void => {
  let c2 = rMax * rMax;
  while (Math.sqrt(c2) > rMax) c2 = nextDown(c2);
  const bins = edges.length - 1;
  const last = bins - 1;
  const norm = bins / rMax;
  for (let a = 0; a < na; a++)
    for (let b = 0; b < nbb; b++)
      for (let c = 0; c < ncc; c++) {
        const cellA = (a * nbb + b) * ncc + c;
        const a0 = cellStart[cellA];
        const a1 = cellStart[cellA + 1];
        if (a0 === a1) continue;
        for (let s = 0; s < rows.length; s += 4) {
          let ta = a + rows[s];
          let tb = b + rows[s + 1];
          const sa = Math.floor(ta / na);
          const sb = Math.floor(tb / nbb);
          ta -= sa * na;
          tb -= sb * nbb;
          const rowBase = (ta * nbb + tb) * ncc;
          const origin = rows[s] === 0 && rows[s + 1] === 0;
          const tlo = windows[s >> 1];
          const thi = windows[(s >> 1) + 1];
          // Walk oc = lo..hi in runs of constant periodic shift sc.
          let t = c + rows[s + 2];
          const tEnd = c + rows[s + 3];
          while (t <= tEnd) {
            const sc3 = Math.floor(t / ncc);
            const first = t - sc3 * ncc;
            const runEnd = Math.min(tEnd, (sc3 + 1) * ncc - 1);
            const lastCell = runEnd - sc3 * ncc;
            const sameCell = origin && t === c;
            t = runEnd + 1;
            const b0 = cellStart[rowBase + first];
            const b1 = cellStart[rowBase + lastCell + 1];
            if (b0 === b1) continue;
            const shx = sa * M[0] + sb * M[3] + sc3 * M[6];
            const shy = sa * M[1] + sb * M[4] + sc3 * M[7];
            const shz = sa * M[2] + sb * M[5] + sc3 * M[8];
            // Atoms of the run within the window: F[q] + sc - F[p] in [tlo, thi], both ends
            // moving up with F[p] (the cell and the run are sorted along c).
            let lp = b0;
            let up = b0;
            for (let p = a0; p < a1; p++) {
              const lowF = F[p] - sc3 + tlo;
              const highF = F[p] - sc3 + thi;
              while (lp < b1 && F[lp] < lowF) lp++;
              if (up < lp) up = lp;
              while (up < b1 && F[up] <= highF) up++;
              // In the run that starts at the cell itself (same image), only q > p.
              const q0 = sameCell && lp <= p ? p + 1 : lp;
              if (q0 >= up) continue;
              // d = (x_q + shift) - x_p
              const xi = X[p] - shx;
              const yi = Y[p] - shy;
              const zi = Z[p] - shz;
              const row = C[p] * nc;
              for (let q = q0; q < up; q++) {
                const dx = X[q] - xi;
                const dy = Y[q] - yi;
                const dz = Z[q] - zi;
                const r2 = dx * dx + dy * dy + dz * dz;
                // c2: the largest r^2 whose square root is <= rMax (so r <= rMax follows).
                if (r2 > c2) continue;
                const r = Math.sqrt(r2);
                if (excluded?.(I[p], I[q], r2, dx, dy, dz)) continue;
                let k = Math.trunc(r * norm);
                if (k > last) k = last;
                if (r < edges[k]) k--;
                else if (k !== last && r >= edges[k + 1]) k++;
                counts[row + C[q] + k]++;
              }
            }
          }
        }
      }
};

/**
 * The range [tlo, thi] of the fractional c difference t of two points within rMax, the first in a
 * cell and the second in the cell (oa, ob, *) from it (in-plane differences u_a in [oa - 1, oa + 1]
 * cells, u_b likewise): with v = u_a a/n_a + u_b b/n_b and c^ the unit vector along c,
 * |v + t c|^2 = |P v|^2 + (c^ . v + t |c|)^2 (P: the projection off c), so within rMax
 * t |c| lies in [-max c^.v - s, -min c^.v + s], s = sqrt(rMax^2 - min |P v|^2). Exact for an
 * orthorhombic cell; a superset otherwise. An empty range (tlo > thi) when min |P v| > rMax.
 */
const rowWindow = (M: Float64Array, nb: number[], oa: number, ob: number, rMax: number): [number, number] => {
  const a = [M[0] / nb[0], M[1] / nb[0], M[2] / nb[0]];
  const b = [M[3] / nb[1], M[4] / nb[1], M[5] / nb[1]];
  const cl = Math.hypot(M[6], M[7], M[8]);
  const ch = [M[6] / cl, M[7] / cl, M[8] / cl];
  const dot = (x: number[], y: number[]) => x[0] * y[0] + x[1] * y[1] + x[2] * y[2];
  const ca = dot(a, ch);
  const cb = dot(b, ch);
  const pa = a.map((x, k) => x - ca * ch[k]);
  const pb = b.map((x, k) => x - cb * ch[k]);
  const gaa = dot(pa, pa);
  const gbb = dot(pb, pb);
  const gab = dot(pa, pb);
  const [alo, ahi, blo, bhi] = [oa - 1, oa + 1, ob - 1, ob + 1];
  let cmin = Number.POSITIVE_INFINITY;
  let cmax = Number.NEGATIVE_INFINITY;
  for (const ua of [alo, ahi])
    for (const ub of [blo, bhi]) {
      const v = ua * ca + ub * cb;
      cmin = Math.min(cmin, v);
      cmax = Math.max(cmax, v);
    }
  // min over the box of q(u) = gaa ua^2 + 2 gab ua ub + gbb ub^2 (convex): the corners, the edges'
  // stationary points, and 0 when the box holds the origin.
  const q = (ua: number, ub: number) => gaa * ua * ua + 2 * gab * ua * ub + gbb * ub * ub;
  let pmin = Number.POSITIVE_INFINITY;
  if (alo <= 0 && ahi >= 0 && blo <= 0 && bhi >= 0) pmin = 0;
  for (const ua of [alo, ahi]) {
    pmin = Math.min(pmin, q(ua, blo), q(ua, bhi));
    if (gbb > 0) {
      const ub = (-gab * ua) / gbb;
      if (ub > blo && ub < bhi) pmin = Math.min(pmin, q(ua, ub));
    }
  }
  for (const ub of [blo, bhi])
    if (gaa > 0) {
      const ua = (-gab * ub) / gaa;
      if (ua > alo && ua < ahi) pmin = Math.min(pmin, q(ua, ub));
    }
  const room = rMax * rMax * (1 + 1e-9) - pmin;
  if (room < 0) return [1, 0];
  const s = Math.sqrt(room);
  const eps = 1e-9;
  return [(-cmax - s) / cl - eps, (-cmin + s) / cl + eps];
};

const bits = new Float64Array(1);
const bitsInt = new BigInt64Array(bits.buffer);
/** The largest double below x (x > 0, finite). */
const nextDown = (x: number): number => {
  bits[0] = x;
  bitsInt[0] -= 1n;
  return bits[0];
};
