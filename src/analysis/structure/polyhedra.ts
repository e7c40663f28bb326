/**
 * Shape of a coordination polyhedron by its continuous symmetry measure (CSM) against ideal
 * polyhedra (Zabrodsky, Peleg & Avnir, J. Am. Chem. Soc. 114, 7843 (1992); Pinsky & Avnir, Inorg.
 * Chem. 37, 5575 (1998), eq. 1):
 *
 *   S(Q, P) = min over vertex orderings, rotations R and scale s of
 *             100 sum_k |q_k - s R p_k|^2 / sum_k |q_k - q_0|^2,
 *
 * Q the polyhedron's vertices, P the ideal shape's, both centred. 0 is the ideal shape, 100 the
 * upper bound (all vertices at one point). Since the ideal shapes here are achiral, minimising
 * over proper rotations and all orderings equals minimising over rotations and reflections.
 *
 * Centring (say which; they differ when the central atom is off the vertices' centroid):
 * - 'vertices' (default): the vertices alone, centred on their own centroid q_0 (Pinsky and
 *   Avnir's definition for a polyhedron of ligands; pymatgen ChemEnv's csm_wocs_ctwocc);
 * - 'with-centre': the central atom is one more point, always matched to the ideal shape's centre,
 *   and everything is centred on the centroid of all n + 1 points (SHAPE's convention for centred
 *   polyhedra, ML_n; pymatgen ChemEnv's default csm, csm_wcs_ctwcc).
 * The normalisation is the distorted structure's own spread, sum_k |q_k - q_0|^2 over the points
 * used. (ChemEnv divides by the ideal shape's spread after scaling the distorted one onto it; with
 * the optimal scale both give the same number, 1 - lambda^2 / (|P|^2 |Q|^2).)
 *
 * Ideal shapes: pymatgen ChemEnv's reference coordinates (pymatgen 2022.11.7,
 * analysis/chemenv/coordination_environments/coordination_geometries_files, T#4 ... T#6.json),
 * all vertices at unit distance from the centre: the square pyramid has its base through the centre,
 * the trigonal bipyramid equal axial and equatorial distances, the trigonal prism equal edges.
 *
 * Method: the orderings that a proper rotation of the ideal shape maps onto each other give the
 * same S, so only one ordering per coset of the shape's rotation group is tried (octahedron 30 of
 * 720, trigonal prism 120 of 720). For each ordering the optimal rotation is the largest eigenvalue
 * lambda of Horn's quaternion matrix (Horn, J. Opt. Soc. Am. A 4, 629 (1987)), found by Newton's
 * method on its characteristic polynomial from above (Theobald, Acta Cryst. A 61, 478 (2005)); with
 * unit-normalised P and Q, S = 100 (1 - lambda^2). The best ordering is then redone with the
 * explicit rotation (Jacobi eigenvector) and the residual summed directly, so that S of a nearly
 * ideal shape is exact to rounding (Newton loses half the digits at a double root, which planar
 * shapes have).
 */

export const POLYHEDRON_SHAPES = [
  'tetrahedron',
  'square-plane',
  'trigonal-bipyramid',
  'square-pyramid',
  'octahedron',
  'trigonal-prism',
] as const;
export type PolyhedronShape = (typeof POLYHEDRON_SHAPES)[number];

export type CsmCentring = 'vertices' | 'with-centre';

export interface IdealPolyhedron {
  shape: PolyhedronShape;
  vertices: number;
  /** pymatgen ChemEnv's symbol of the same shape. */
  chemenv: string;
  /** SHAPE's (Llunell, Casanova, Alvarez et al.) label of the same shape. */
  shapeLabel: string;
  /** Vertex coordinates around the centre at the origin, 3n interleaved (unit distance from the centre). */
  points: readonly number[];
}

const A = 0.5773502691896257; // 1 / sqrt(3)
const H = 0.8660254037844386; // sqrt(3) / 2
const TP = 0.6546536707079771; // sqrt(3 / 7)
const TY = 0.37796447300922725; // 1 / sqrt(7)

/** The ideal shapes (ChemEnv's coordinates, see the file header). */
export const IDEAL_POLYHEDRA: Readonly<Record<PolyhedronShape, IdealPolyhedron>> = {
  tetrahedron: {
    shape: 'tetrahedron',
    vertices: 4,
    chemenv: 'T:4',
    shapeLabel: 'T-4',
    points: [A, -A, -A, -A, A, -A, -A, -A, A, A, A, A],
  },
  'square-plane': {
    shape: 'square-plane',
    vertices: 4,
    chemenv: 'S:4',
    shapeLabel: 'SP-4',
    points: [1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0],
  },
  'trigonal-bipyramid': {
    shape: 'trigonal-bipyramid',
    vertices: 5,
    chemenv: 'T:5',
    shapeLabel: 'TBPY-5',
    points: [0, 1, 0, H, -0.5, 0, -H, -0.5, 0, 0, 0, 1, 0, 0, -1],
  },
  'square-pyramid': {
    shape: 'square-pyramid',
    vertices: 5,
    chemenv: 'S:5',
    shapeLabel: 'SPY-5 (base through the centre)',
    points: [1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1],
  },
  octahedron: {
    shape: 'octahedron',
    vertices: 6,
    chemenv: 'O:6',
    shapeLabel: 'OC-6',
    points: [0, 0, 1, 0, 0, -1, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0],
  },
  'trigonal-prism': {
    shape: 'trigonal-prism',
    vertices: 6,
    chemenv: 'T:6',
    shapeLabel: 'TPR-6',
    points: [-TP, -TY, TP, TP, -TY, TP, 0, 2 * TY, TP, -TP, -TY, -TP, TP, -TY, -TP, 0, 2 * TY, -TP],
  },
};

/** The ideal shapes with this many vertices (4: tetrahedron, square plane; 5: ...; 6: ...), else none. */
export const shapesForCoordination = (cn: number): PolyhedronShape[] =>
  POLYHEDRON_SHAPES.filter((s) => IDEAL_POLYHEDRA[s].vertices === cn);

export interface CsmResult {
  shape: PolyhedronShape;
  centring: CsmCentring;
  /** S, 0 (ideal) .. 100; NaN when the vertices coincide (no spread). */
  csm: number;
  /** ordering[k] = index of the input vertex matched to the ideal shape's vertex k. */
  ordering: number[];
}

/** A prepared ideal shape: centred, unit-normalised points and one ordering per coset. */
interface Reference {
  /** m = n (+ 1 with the centre, last) points, 3m, centred and scaled to sum |p|^2 = 1. */
  p: Float64Array;
  n: number;
  /** Coset representatives, n entries each. */
  orderings: Uint8Array;
  count: number;
}

const references = new Map<string, Reference>();

/** Centre (on the centroid) and normalise 3m coordinates in place; returns the spread before scaling. */
const centreAndNormalise = (x: Float64Array): number => {
  const m = x.length / 3;
  const c = [0, 0, 0];
  for (let k = 0; k < m; k++) for (let a = 0; a < 3; a++) c[a] += x[3 * k + a] / m;
  let s = 0;
  for (let k = 0; k < m; k++)
    for (let a = 0; a < 3; a++) {
      x[3 * k + a] -= c[a];
      s += x[3 * k + a] ** 2;
    }
  if (s > 0) {
    const f = 1 / Math.sqrt(s);
    for (let i = 0; i < x.length; i++) x[i] *= f;
  }
  return s;
};

/** The points used for the measure: the n vertices (+ the centre at the origin, last). */
const pointSet = (vertices: ArrayLike<number>, n: number, centring: CsmCentring): Float64Array => {
  const m = centring === 'with-centre' ? n + 1 : n;
  const x = new Float64Array(3 * m);
  for (let i = 0; i < 3 * n; i++) x[i] = vertices[i];
  return x;
};

/**
 * Horn's correlation matrix S_ab = sum_k p_k,a q_o(k),b for the ordering `ord` (offset `o` in it);
 * the centre (the last point, with-centre) is paired with the centre.
 */
const correlation = (
  p: Float64Array,
  q: Float64Array,
  n: number,
  m: number,
  ord: ArrayLike<number>,
  o: number,
  S: Float64Array,
) => {
  S.fill(0);
  for (let k = 0; k < m; k++) {
    const j = k < n ? ord[o + k] : k;
    const px = p[3 * k];
    const py = p[3 * k + 1];
    const pz = p[3 * k + 2];
    const qx = q[3 * j];
    const qy = q[3 * j + 1];
    const qz = q[3 * j + 2];
    S[0] += px * qx;
    S[1] += px * qy;
    S[2] += px * qz;
    S[3] += py * qx;
    S[4] += py * qy;
    S[5] += py * qz;
    S[6] += pz * qx;
    S[7] += pz * qy;
    S[8] += pz * qz;
  }
};

/** Horn's symmetric 4x4 matrix N (row-major) of S. */
const hornMatrix = (S: Float64Array, N: Float64Array) => {
  const xx = S[0];
  const xy = S[1];
  const xz = S[2];
  const yx = S[3];
  const yy = S[4];
  const yz = S[5];
  const zx = S[6];
  const zy = S[7];
  const zz = S[8];
  N[0] = xx + yy + zz;
  N[1] = N[4] = yz - zy;
  N[2] = N[8] = zx - xz;
  N[3] = N[12] = xy - yx;
  N[5] = xx - yy - zz;
  N[6] = N[9] = xy + yx;
  N[7] = N[13] = zx + xz;
  N[10] = -xx + yy - zz;
  N[11] = N[14] = yz + zy;
  N[15] = -xx - yy + zz;
};

const det4 = (N: Float64Array): number => {
  const a = N[0];
  const b = N[1];
  const c = N[2];
  const d = N[3];
  const e = N[4];
  const f = N[5];
  const g = N[6];
  const h = N[7];
  const i = N[8];
  const j = N[9];
  const k = N[10];
  const l = N[11];
  const m = N[12];
  const n = N[13];
  const o = N[14];
  const p = N[15];
  const kp = k * p - l * o;
  const jp = j * p - l * n;
  const jo = j * o - k * n;
  const ip = i * p - l * m;
  const io = i * o - k * m;
  const in_ = i * n - j * m;
  return (
    a * (f * kp - g * jp + h * jo) -
    b * (e * kp - g * ip + h * io) +
    c * (e * jp - f * ip + h * in_) -
    d * (e * jo - f * io + g * in_)
  );
};

/**
 * Largest eigenvalue of N (traceless) by Newton's method on det(N - x) = x^4 + c2 x^2 + c1 x + c0
 * from x0 = 1, an upper bound for unit-normalised P and Q (lambda <= sum |p||q| <= 1); on the right
 * of the largest root the polynomial is increasing and convex, so the iterates fall monotonically.
 */
const largestEigenvalue = (S: Float64Array, N: Float64Array): number => {
  let sumSq = 0;
  for (let i = 0; i < 9; i++) sumSq += S[i] * S[i];
  const c2 = -2 * sumSq;
  const detS =
    S[0] * (S[4] * S[8] - S[5] * S[7]) -
    S[1] * (S[3] * S[8] - S[5] * S[6]) +
    S[2] * (S[3] * S[7] - S[4] * S[6]);
  const c1 = -8 * detS;
  const c0 = det4(N);
  let x = 1;
  for (let it = 0; it < 60; it++) {
    const x2 = x * x;
    const f = (x2 + c2) * x2 + c1 * x + c0;
    const df = 4 * x2 * x + 2 * c2 * x + c1;
    if (!(df > 1e-300)) break;
    const step = f / df;
    x -= step;
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
};

/** Eigenvector of the largest eigenvalue of a symmetric 4x4 matrix (cyclic Jacobi). */
const largestEigenvector = (N: Float64Array): Float64Array => {
  const a = Float64Array.from(N);
  const v = new Float64Array(16);
  for (let i = 0; i < 4; i++) v[5 * i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < 4; p++) for (let q = p + 1; q < 4; q++) off += a[4 * p + q] ** 2;
    if (off < 1e-32) break;
    for (let p = 0; p < 4; p++)
      for (let q = p + 1; q < 4; q++) {
        const apq = a[4 * p + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[4 * q + q] - a[4 * p + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < 4; k++) {
          const akp = a[4 * k + p];
          const akq = a[4 * k + q];
          a[4 * k + p] = c * akp - s * akq;
          a[4 * k + q] = s * akp + c * akq;
        }
        for (let k = 0; k < 4; k++) {
          const apk = a[4 * p + k];
          const aqk = a[4 * q + k];
          a[4 * p + k] = c * apk - s * aqk;
          a[4 * q + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < 4; k++) {
          const vkp = v[4 * k + p];
          const vkq = v[4 * k + q];
          v[4 * k + p] = c * vkp - s * vkq;
          v[4 * k + q] = s * vkp + c * vkq;
        }
      }
  }
  let best = 0;
  for (let i = 1; i < 4; i++) if (a[5 * i] > a[5 * best]) best = i;
  return Float64Array.from([v[best], v[4 + best], v[8 + best], v[12 + best]]);
};

/**
 * S for one ordering, exactly: the optimal rotation from Horn's quaternion, the optimal scale, and
 * the residual summed point by point (no cancellation near 0).
 */
const exactMeasure = (
  p: Float64Array,
  q: Float64Array,
  n: number,
  m: number,
  ord: ArrayLike<number>,
  o: number,
) => {
  const S = new Float64Array(9);
  const N = new Float64Array(16);
  correlation(p, q, n, m, ord, o, S);
  hornMatrix(S, N);
  const [q0, qx, qy, qz] = largestEigenvector(N);
  const R = [
    q0 * q0 + qx * qx - qy * qy - qz * qz,
    2 * (qx * qy - q0 * qz),
    2 * (qx * qz + q0 * qy),
    2 * (qy * qx + q0 * qz),
    q0 * q0 - qx * qx + qy * qy - qz * qz,
    2 * (qy * qz - q0 * qx),
    2 * (qz * qx - q0 * qy),
    2 * (qz * qy + q0 * qx),
    q0 * q0 - qx * qx - qy * qy + qz * qz,
  ];
  const rotated = new Float64Array(3 * m);
  let overlap = 0;
  for (let k = 0; k < m; k++) {
    const j = k < n ? ord[o + k] : k;
    for (let a = 0; a < 3; a++) {
      const r = R[3 * a] * p[3 * k] + R[3 * a + 1] * p[3 * k + 1] + R[3 * a + 2] * p[3 * k + 2];
      rotated[3 * k + a] = r;
      overlap += r * q[3 * j + a];
    }
  }
  // |P| = 1, so the optimal scale is the overlap itself.
  const s = Math.max(0, overlap);
  let residual = 0;
  for (let k = 0; k < m; k++) {
    const j = k < n ? ord[o + k] : k;
    for (let a = 0; a < 3; a++) residual += (q[3 * j + a] - s * rotated[3 * k + a]) ** 2;
  }
  return 100 * residual;
};

/** Every permutation of 0..n-1, n entries each (lexicographic order). */
const permutations = (n: number): Uint8Array => {
  const out: number[] = [];
  const a = Array.from({ length: n }, (_, i) => i);
  const rec = (k: number) => {
    if (k === n) {
      out.push(...a);
      return;
    }
    for (let i = k; i < n; i++) {
      [a[k], a[i]] = [a[i], a[k]];
      rec(k + 1);
      [a[k], a[i]] = [a[i], a[k]];
    }
  };
  rec(0);
  return Uint8Array.from(out);
};

const reference = (shape: PolyhedronShape, centring: CsmCentring): Reference => {
  const key = `${shape}/${centring}`;
  const cached = references.get(key);
  if (cached) return cached;
  const ideal = IDEAL_POLYHEDRA[shape];
  const n = ideal.vertices;
  const m = centring === 'with-centre' ? n + 1 : n;
  const p = pointSet(ideal.points, n, centring);
  centreAndNormalise(p);
  // The rotation group of the shape, as permutations g of its vertices: R p_k = p_g(k).
  const all = permutations(n);
  const total = all.length / n;
  const group: number[][] = [];
  for (let t = 0; t < total; t++) {
    const g = Array.from(all.subarray(n * t, n * t + n));
    if (exactMeasure(p, p, n, m, g, 0) < 1e-8) group.push(g);
  }
  // One ordering per coset {pi o g}: S(pi o g) = S(pi) for every rotation g of the ideal shape.
  const code = (perm: ArrayLike<number>) => {
    let c = 0;
    for (let k = 0; k < n; k++) c = c * n + perm[k];
    return c;
  };
  const covered = new Uint8Array(n ** n);
  const reps: number[] = [];
  const composed = new Array<number>(n);
  for (let t = 0; t < total; t++) {
    const pi = all.subarray(n * t, n * t + n);
    if (covered[code(pi)]) continue;
    reps.push(...pi);
    for (const g of group) {
      for (let k = 0; k < n; k++) composed[k] = pi[g[k]];
      covered[code(composed)] = 1;
    }
  }
  const ref: Reference = { p, n, orderings: Uint8Array.from(reps), count: reps.length / n };
  references.set(key, ref);
  return ref;
};

/** Number of vertex orderings tried for a shape (one per coset of its rotation group). */
export const orderingsTried = (shape: PolyhedronShape, centring: CsmCentring = 'vertices'): number =>
  reference(shape, centring).count;

/**
 * The continuous symmetry measure of a polyhedron against one ideal shape.
 * @param vertices n vertex positions relative to the central atom (3n interleaved, A; any scale).
 */
export const continuousSymmetryMeasure = (
  vertices: ArrayLike<number>,
  shape: PolyhedronShape,
  centring: CsmCentring = 'vertices',
): CsmResult => {
  const ref = reference(shape, centring);
  const n = ref.n;
  if (vertices.length !== 3 * n)
    throw new RangeError(`${shape}: needs ${n} vertices, got ${vertices.length / 3}`);
  const m = centring === 'with-centre' ? n + 1 : n;
  const q = pointSet(vertices, n, centring);
  const spread = centreAndNormalise(q);
  if (!(spread > 0)) return { shape, centring, csm: Number.NaN, ordering: [] };
  const S = new Float64Array(9);
  const N = new Float64Array(16);
  const screened = new Float64Array(ref.count);
  let best = Number.POSITIVE_INFINITY;
  for (let t = 0; t < ref.count; t++) {
    correlation(ref.p, q, n, m, ref.orderings, n * t, S);
    hornMatrix(S, N);
    const lambda = largestEigenvalue(S, N);
    screened[t] = 100 * (1 - lambda * lambda);
    if (screened[t] < best) best = screened[t];
  }
  // Redo the orderings that Newton's precision cannot tell from the best exactly.
  let csm = Number.POSITIVE_INFINITY;
  let bestT = 0;
  for (let t = 0; t < ref.count; t++) {
    if (screened[t] > best + 1e-4) continue;
    const s = exactMeasure(ref.p, q, n, m, ref.orderings, n * t);
    if (s < csm) {
      csm = s;
      bestT = t;
    }
  }
  return {
    shape,
    centring,
    csm,
    ordering: Array.from(ref.orderings.subarray(n * bestT, n * bestT + n)),
  };
};

/** S against every ideal shape with as many vertices (none for other coordination numbers). */
export const polyhedronShapes = (
  vertices: ArrayLike<number>,
  centring: CsmCentring = 'vertices',
): CsmResult[] =>
  shapesForCoordination(vertices.length / 3).map((s) => continuousSymmetryMeasure(vertices, s, centring));
