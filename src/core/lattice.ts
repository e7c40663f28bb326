import { det3, dot3, inv3 } from './linalg3.js';

/** Cell parameters: lengths in A, angles in degrees (alpha = angle(b, c), beta = (a, c), gamma = (a, b)). */
export interface CellParameters {
  a: number;
  b: number;
  c: number;
  alpha: number;
  beta: number;
  gamma: number;
}

const DEG = Math.PI / 180;

/**
 * An immutable periodic cell. Rows of `matrix` are the cell vectors a, b, c (A); a Cartesian
 * position is r = f0 a + f1 b + f2 c, so r = f M and f = r M^-1 for row vectors.
 * Triclinic cells are the general case; orthorhombic cells take a fast path in minimumImage.
 */
export class Lattice {
  readonly matrix: Float64Array;
  readonly inverse: Float64Array;
  readonly volume: number;
  /** det of the rows (A^3): negative for a left-handed (mirrored) cell; |signedVolume| = volume. */
  readonly signedVolume: number;
  readonly isOrthorhombic: boolean;
  /** Greedy (Minkowski) reduced basis of the same lattice, used for exact minimum images. */
  private readonly reduced: Float64Array;
  private readonly reducedInverse: Float64Array;
  /** The 27 lattice translations i ra + j rb + k rc, i,j,k in {-1,0,1}, of the reduced basis. */
  private readonly shifts: Float64Array;

  constructor(matrix: ArrayLike<number>) {
    if (matrix.length !== 9) throw new RangeError(`a lattice needs 9 numbers, got ${matrix.length}`);
    this.matrix = Float64Array.from(matrix);
    for (let i = 0; i < 9; i++)
      if (!Number.isFinite(this.matrix[i])) throw new RangeError('lattice matrix has a non-finite entry');
    const d = det3(this.matrix);
    if (!(Math.abs(d) > 1e-9)) throw new RangeError(`degenerate lattice: volume ${d} A^3`);
    this.inverse = inv3(this.matrix);
    this.volume = Math.abs(d);
    this.signedVolume = d;
    const m = this.matrix;
    this.isOrthorhombic = m[1] === 0 && m[2] === 0 && m[3] === 0 && m[5] === 0 && m[6] === 0 && m[7] === 0;
    this.reduced = greedyReduce(this.matrix);
    this.reducedInverse = inv3(this.reduced);
    this.shifts = new Float64Array(81);
    let s = 0;
    const r = this.reduced;
    for (let i = -1; i <= 1; i++)
      for (let j = -1; j <= 1; j++)
        for (let k = -1; k <= 1; k++) {
          for (let x = 0; x < 3; x++) this.shifts[s * 3 + x] = i * r[x] + j * r[3 + x] + k * r[6 + x];
          s++;
        }
  }

  /** Cubic cell of edge a (A). */
  static cubic(a: number): Lattice {
    return new Lattice([a, 0, 0, 0, a, 0, 0, 0, a]);
  }

  static orthorhombic(a: number, b: number, c: number): Lattice {
    return new Lattice([a, 0, 0, 0, b, 0, 0, 0, c]);
  }

  /**
   * From lengths (A) and angles (degrees), in the standard orientation: a along x, b in the xy
   * plane, c completing a right-handed set (the convention of LAMMPS, VASP tools and ASE).
   */
  static fromParameters(p: CellParameters): Lattice {
    const { a, b, c } = p;
    const ca = Math.cos(p.alpha * DEG);
    const cb = Math.cos(p.beta * DEG);
    const cg = Math.cos(p.gamma * DEG);
    const sg = Math.sin(p.gamma * DEG);
    // Exact zeros for right angles keep orthorhombic cells orthorhombic.
    const clean = (x: number) => (Math.abs(x) < 1e-15 ? 0 : x);
    const cx = c * clean(cb);
    const cy = (c * clean(ca - cb * cg)) / sg;
    const cz2 = c * c - cx * cx - cy * cy;
    if (!(cz2 > 0)) throw new RangeError(`impossible cell angles ${p.alpha}, ${p.beta}, ${p.gamma}`);
    return new Lattice([a, 0, 0, clean(b * cg), b * sg, 0, cx, clean(cy), Math.sqrt(cz2)]);
  }

  /** Lengths of a, b, c (A). */
  get lengths(): [number, number, number] {
    const m = this.matrix;
    return [Math.hypot(m[0], m[1], m[2]), Math.hypot(m[3], m[4], m[5]), Math.hypot(m[6], m[7], m[8])];
  }

  /**
   * Widths of the cell perpendicular to the (b, c), (c, a) and (a, b) faces (A): V / |b x c|, ...
   * Two points closer than r differ in fractional coordinate i by at most r / width_i (any cell).
   */
  get perpendicularWidths(): [number, number, number] {
    const m = this.matrix;
    const width = (i: number) => {
      const p = 3 * ((i + 1) % 3);
      const q = 3 * ((i + 2) % 3);
      const cx = m[p + 1] * m[q + 2] - m[p + 2] * m[q + 1];
      const cy = m[p + 2] * m[q] - m[p] * m[q + 2];
      const cz = m[p] * m[q + 1] - m[p + 1] * m[q];
      return this.volume / Math.hypot(cx, cy, cz);
    };
    return [width(0), width(1), width(2)];
  }

  get parameters(): CellParameters {
    const m = this.matrix;
    const [a, b, c] = this.lengths;
    const angle = (i: number, j: number, li: number, lj: number) =>
      Math.acos(Math.max(-1, Math.min(1, dot3(m, 3 * i, m, 3 * j) / (li * lj)))) / DEG;
    return { a, b, c, alpha: angle(1, 2, b, c), beta: angle(0, 2, a, c), gamma: angle(0, 1, a, b) };
  }

  /** Cartesian (A) to fractional, for 3N interleaved coordinates; `out` may alias `cart`. */
  toFractional(cart: ArrayLike<number>, out: Float64Array = new Float64Array(cart.length)): Float64Array {
    const v = this.inverse;
    for (let i = 0; i < cart.length; i += 3) {
      const x = cart[i];
      const y = cart[i + 1];
      const z = cart[i + 2];
      out[i] = x * v[0] + y * v[3] + z * v[6];
      out[i + 1] = x * v[1] + y * v[4] + z * v[7];
      out[i + 2] = x * v[2] + y * v[5] + z * v[8];
    }
    return out;
  }

  /** Fractional to Cartesian (A), for 3N interleaved coordinates; `out` may alias `frac`. */
  toCartesian(frac: ArrayLike<number>, out: Float64Array = new Float64Array(frac.length)): Float64Array {
    const m = this.matrix;
    for (let i = 0; i < frac.length; i += 3) {
      const a = frac[i];
      const b = frac[i + 1];
      const c = frac[i + 2];
      out[i] = a * m[0] + b * m[3] + c * m[6];
      out[i + 1] = a * m[1] + b * m[4] + c * m[7];
      out[i + 2] = a * m[2] + b * m[5] + c * m[8];
    }
    return out;
  }

  /**
   * Replace the displacement d[o..o+2] (A) by its shortest periodic image and return its squared
   * length. Exact for any cell, however skewed: the vector is wrapped in a Minkowski-reduced basis
   * of the same lattice and the 27 neighbouring translations of that basis are compared (for a
   * reduced basis in 3D the nearest image is among them; cf. ASE's find_mic, which does the same).
   */
  minimumImage(d: Float64Array, o = 0): number {
    if (this.isOrthorhombic) {
      const m = this.matrix;
      let s = 0;
      for (let k = 0; k < 3; k++) {
        const l = m[4 * k];
        const x = d[o + k] - l * Math.round(d[o + k] / l);
        d[o + k] = x;
        s += x * x;
      }
      return s;
    }
    const v = this.reducedInverse;
    const r = this.reduced;
    const x = d[o];
    const y = d[o + 1];
    const z = d[o + 2];
    let fa = x * v[0] + y * v[3] + z * v[6];
    let fb = x * v[1] + y * v[4] + z * v[7];
    let fc = x * v[2] + y * v[5] + z * v[8];
    fa -= Math.round(fa);
    fb -= Math.round(fb);
    fc -= Math.round(fc);
    const wx = fa * r[0] + fb * r[3] + fc * r[6];
    const wy = fa * r[1] + fb * r[4] + fc * r[7];
    const wz = fa * r[2] + fb * r[5] + fc * r[8];
    let best = Number.POSITIVE_INFINITY;
    let bx = wx;
    let by = wy;
    let bz = wz;
    const sh = this.shifts;
    for (let s = 0; s < 81; s += 3) {
      const px = wx + sh[s];
      const py = wy + sh[s + 1];
      const pz = wz + sh[s + 2];
      const q = px * px + py * py + pz * pz;
      if (q < best) {
        best = q;
        bx = px;
        by = py;
        bz = pz;
      }
    }
    d[o] = bx;
    d[o + 1] = by;
    d[o + 2] = bz;
    return best;
  }

  /** True if every matrix entry agrees within `tol` (A). */
  equals(other: Lattice, tol = 1e-10): boolean {
    for (let i = 0; i < 9; i++) if (Math.abs(this.matrix[i] - other.matrix[i]) > tol) return false;
    return true;
  }

  /** The same cell with every vector multiplied by `factor`. */
  scaled(factor: number): Lattice {
    return new Lattice(this.matrix.map((x) => x * factor));
  }
}

const norm2 = (b: Float64Array, i: number) => b[3 * i] ** 2 + b[3 * i + 1] ** 2 + b[3 * i + 2] ** 2;

/**
 * Greedy lattice reduction (Nguyen & Stehle, ACM Trans. Algorithms 5, 46 (2009)): in dimension 3
 * it returns a Minkowski-reduced basis. Rows of the input are the basis vectors.
 */
const greedyReduce = (matrix: Float64Array): Float64Array => {
  const b = Float64Array.from(matrix);
  const swap = (i: number, j: number) => {
    for (let x = 0; x < 3; x++) {
      const t = b[3 * i + x];
      b[3 * i + x] = b[3 * j + x];
      b[3 * j + x] = t;
    }
  };
  const sort = () => {
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 2 - i; j++) if (norm2(b, j) > norm2(b, j + 1) + 1e-12) swap(j, j + 1);
  };
  for (let iter = 0; iter < 1000; iter++) {
    sort();
    // Gauss-reduce the first two vectors.
    for (let g = 0; g < 1000; g++) {
      const k = Math.round(dot3(b, 0, b, 3) / norm2(b, 0));
      if (k === 0) break;
      for (let x = 0; x < 3; x++) b[3 + x] -= k * b[x];
      if (norm2(b, 1) < norm2(b, 0)) swap(0, 1);
    }
    // Closest vector to b2 in the plane lattice L(b0, b1): solve the 2x2 Gram system, then try the
    // integer neighbours of the real solution.
    const g00 = norm2(b, 0);
    const g11 = norm2(b, 1);
    const g01 = dot3(b, 0, b, 3);
    const r0 = dot3(b, 6, b, 0);
    const r1 = dot3(b, 6, b, 3);
    const det = g00 * g11 - g01 * g01;
    const y0 = (r0 * g11 - r1 * g01) / det;
    const y1 = (r1 * g00 - r0 * g01) / det;
    let best = norm2(b, 2);
    let bi = 0;
    let bj = 0;
    for (let i = Math.floor(y0) - 1; i <= Math.ceil(y0) + 1; i++)
      for (let j = Math.floor(y1) - 1; j <= Math.ceil(y1) + 1; j++) {
        let q = 0;
        for (let x = 0; x < 3; x++) q += (b[6 + x] - i * b[x] - j * b[3 + x]) ** 2;
        if (q < best - 1e-12 * best) {
          best = q;
          bi = i;
          bj = j;
        }
      }
    if (bi === 0 && bj === 0) break;
    for (let x = 0; x < 3; x++) b[6 + x] -= bi * b[x] + bj * b[3 + x];
  }
  return b;
};
