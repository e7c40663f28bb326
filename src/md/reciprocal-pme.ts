import FFT from 'fft.js';
import type { Lattice } from '../core/lattice.js';
import { QQR2E_REAL } from '../core/units.js';

/**
 * The reciprocal-space Ewald sum by smooth particle-mesh Ewald (Essmann et al., J. Chem. Phys.
 * 103, 8577 (1995)), O(N + M log M) per step for M grid points instead of ReciprocalEwald's
 * O(N x k-vectors), so that Ewald-grade electrostatics scales to large cells.
 *
 * Charges are spread on a K1 x K2 x K3 grid over the cell with cardinal B-splines of order p,
 * Q(g) = sum_i q_i M_p(u_i1 - g1) M_p(u_i2 - g2) M_p(u_i3 - g3), u_ia = K_a f_ia (fractional f);
 * the structure factor is approximated by S(m) ~ b1(m1) b2(m2) b3(m3) FQ(m), where FQ is the
 * discrete Fourier transform of Q and |b_a(m)|^2 = 1 / |sum_{k=0}^{p-2} M_p(k+1) e^{2 pi i m k / K_a}|^2.
 * Then, with the exact sum's weights (as ReciprocalEwald, k = 2 pi m M^-T),
 *   E = (2 pi / V) qqr2e sum_{m != 0} exp(-k^2 / 4 alpha^2) / k^2 B(m) |FQ(m)|^2,
 *   B(m) = |b1 b2 b3|^2,
 * the forces F_i = -2 q_i sum_g phi(g) grad_i [M M M](g) with phi the inverse transform of
 * G(m) FQ(m) (G the factor of |FQ|^2 above; dE/dQ(g) = 2 phi(g)), and the virial per m as in the
 * exact sum: e_m (delta_ab - 2 (1/k^2 + 1/(4 alpha^2)) k_a k_b). Grid sizes are powers of two
 * (fft.js); the B-spline moduli that vanish (odd orders at K/2) take the mean of their neighbours,
 * as Essmann's reference code does.
 */
export interface PmeGrid {
  /** Grid points along a, b, c. */
  size: [number, number, number];
  /** B-spline order p (interpolation points per axis), >= 3. */
  order: number;
}

/** |b(m)|^2 for m = 0..K-1 (Essmann eq. 4.4), with vanishing values replaced by neighbour means. */
const splineModuli = (K: number, order: number): Float64Array => {
  const M = bsplineValues(0, order); // M_p(j + 0) for j = 0..p-1; M_p(k + 1) is M[k + 1]
  const out = new Float64Array(K);
  for (let m = 0; m < K; m++) {
    let re = 0;
    let im = 0;
    for (let k = 0; k <= order - 2; k++) {
      const arg = (2 * Math.PI * m * k) / K;
      re += M[k + 1] * Math.cos(arg);
      im += M[k + 1] * Math.sin(arg);
    }
    const d = re * re + im * im;
    out[m] = d > 1e-10 ? 1 / d : 0;
  }
  for (let m = 0; m < K; m++) if (out[m] === 0) out[m] = 0.5 * (out[(m - 1 + K) % K] + out[(m + 1) % K]);
  return out;
};

/**
 * M_p(w + j) for j = 0..p-1 and w in [0, 1) (the weights of grid points floor(u) - j), by the
 * recursion M_k(x) = (x M_{k-1}(x) + (k - x) M_{k-1}(x - 1)) / (k - 1) from M_2(x) = 1 - |x - 1|.
 * With `dout`, also dM_p/dx there: M_{p-1}(x) - M_{p-1}(x - 1).
 */
const bsplineValues = (w: number, p: number, out = new Float64Array(p), dout?: Float64Array) => {
  out.fill(0);
  out[0] = w;
  out[1] = 1 - w;
  for (let k = 3; k <= p; k++) {
    if (k === p && dout) {
      dout[0] = out[0];
      for (let j = 1; j < p; j++) dout[j] = out[j] - out[j - 1];
    }
    for (let j = k - 1; j >= 0; j--) {
      const x = w + j;
      out[j] = (x * out[j] + (k - x) * (j > 0 ? out[j - 1] : 0)) / (k - 1);
    }
  }
  return out;
};

/** Lines of a strided axis transformed together (see transform3d). */
const BLOCK = 8;

/** Grid index m = 0..K-1 as the signed frequency (m <= K/2: m, else m - K). */
const signedIndex = (m: number, K: number) => (m <= K / 2 ? m : m - K);

export class ReciprocalPme {
  private readonly K: [number, number, number];
  private readonly p: number;
  private readonly moduli: Float64Array[];
  private readonly ffts: FFT[];
  /** Complex grid (re, im interleaved), index ((g0 K1) + g1) K2 + g2. */
  private readonly grid: Float64Array;
  /** Per atom: first grid index and the p weights and derivatives along each axis. */
  private readonly start: Int32Array;
  private readonly theta: Float64Array;
  private readonly dtheta: Float64Array;
  /** Output buffer of each axis's transforms, and BLOCK gathered lines. */
  private readonly outs: Float64Array[];
  private readonly blockLines: Float64Array;
  private lattice: Lattice;
  /** G(m) / |FQ|^2 weight of every grid point for the current cell (0 at m = 0). */
  private influence?: Float64Array;

  constructor(
    lattice: Lattice,
    private readonly q: Float64Array,
    private readonly alpha: number,
    grid: PmeGrid,
  ) {
    this.lattice = lattice;
    this.K = grid.size;
    this.p = grid.order;
    for (const k of this.K)
      if (!(k >= 4 && (k & (k - 1)) === 0))
        throw new RangeError(`PME grid sizes are powers of two >= 4, got ${k}`);
    if (!(Number.isInteger(this.p) && this.p >= 3 && this.p <= Math.min(...this.K)))
      throw new RangeError(`PME order ${this.p}: a whole number from 3 to the smallest grid size`);
    this.moduli = this.K.map((k) => splineModuli(k, this.p));
    this.ffts = this.K.map((k) => new FFT(k));
    this.grid = new Float64Array(2 * this.K[0] * this.K[1] * this.K[2]);
    const n = q.length;
    this.start = new Int32Array(3 * n);
    this.theta = new Float64Array(3 * n * this.p);
    this.dtheta = new Float64Array(3 * n * this.p);
    this.outs = this.K.map((k) => new Float64Array(2 * k));
    this.blockLines = new Float64Array(2 * BLOCK * Math.max(...this.K));
  }

  /** A new cell (NPT): the grid stays, the k-vectors follow the cell. */
  setLattice(lattice: Lattice): void {
    this.lattice = lattice;
    this.influence = undefined;
  }

  /** (2 pi qqr2e / V) exp(-k^2 / 4 alpha^2) B(m) / k^2 at every m (k = 2 pi m M^-T). */
  private influenceFunction(): Float64Array {
    const [K0, K1, K2] = this.K;
    const inv = this.lattice.inverse;
    const pref = (2 * Math.PI * QQR2E_REAL) / this.lattice.volume;
    const a2 = 4 * this.alpha * this.alpha;
    const out = new Float64Array(K0 * K1 * K2);
    for (let m0 = 0; m0 < K0; m0++) {
      const h = signedIndex(m0, K0);
      for (let m1 = 0; m1 < K1; m1++) {
        const k = signedIndex(m1, K1);
        const b01 = this.moduli[0][m0] * this.moduli[1][m1];
        for (let m2 = 0; m2 < K2; m2++) {
          if (m0 === 0 && m1 === 0 && m2 === 0) continue;
          const l = signedIndex(m2, K2);
          const kx = 2 * Math.PI * (inv[0] * h + inv[1] * k + inv[2] * l);
          const ky = 2 * Math.PI * (inv[3] * h + inv[4] * k + inv[5] * l);
          const kz = 2 * Math.PI * (inv[6] * h + inv[7] * k + inv[8] * l);
          const k2 = kx * kx + ky * ky + kz * kz;
          out[(m0 * K1 + m1) * K2 + m2] = (pref * Math.exp(-k2 / a2) * b01 * this.moduli[2][m2]) / k2;
        }
      }
    }
    return out;
  }

  get gridSize(): [number, number, number] {
    return [...this.K];
  }

  /** Adds the reciprocal forces and virial (kcal/mol; W as xx yy zz xy xz yz); returns the energy. */
  compute(positions: Float64Array, F: Float64Array, W: Float64Array): number {
    const n = this.q.length;
    const p = this.p;
    const [K0, K1, K2] = this.K;
    const frac = this.lattice.toFractional(positions);
    const w = new Float64Array(p);
    const dw = new Float64Array(p);
    for (let i = 0; i < n; i++)
      for (let a = 0; a < 3; a++) {
        const K = this.K[a];
        let f = frac[3 * i + a];
        f -= Math.floor(f);
        const u = f * K;
        const fl = Math.floor(u);
        bsplineValues(u - fl, p, w, dw);
        const o = (3 * i + a) * p;
        this.theta.set(w, o);
        this.dtheta.set(dw, o);
        // Weight j belongs to grid point fl - j; the p points start at fl - p + 1 (wrapped).
        this.start[3 * i + a] = fl - p + 1;
      }

    // Spread the charges.
    const G = this.grid;
    G.fill(0);
    for (let i = 0; i < n; i++) {
      const qi = this.q[i];
      if (qi === 0) continue;
      const s0 = this.start[3 * i];
      const s1 = this.start[3 * i + 1];
      const s2 = this.start[3 * i + 2];
      const t0 = 3 * i * p;
      const t1 = t0 + p;
      const t2 = t1 + p;
      for (let j0 = 0; j0 < p; j0++) {
        const g0 = (((s0 + j0) % K0) + K0) % K0;
        const v0 = qi * this.theta[t0 + p - 1 - j0];
        for (let j1 = 0; j1 < p; j1++) {
          const g1 = (((s1 + j1) % K1) + K1) % K1;
          const v01 = v0 * this.theta[t1 + p - 1 - j1];
          const row = (g0 * K1 + g1) * K2;
          for (let j2 = 0; j2 < p; j2++) {
            const g2 = (((s2 + j2) % K2) + K2) % K2;
            G[2 * (row + g2)] += v01 * this.theta[t2 + p - 1 - j2];
          }
        }
      }
    }

    this.transform3d(false);

    // Energy, virial and G(m) FQ(m) in place.
    this.influence ??= this.influenceFunction();
    const influence = this.influence;
    const inv = this.lattice.inverse;
    const a2 = 4 * this.alpha * this.alpha;
    let energy = 0;
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let w3 = 0;
    let w4 = 0;
    let w5 = 0;
    for (let m0 = 0; m0 < K0; m0++) {
      const h = signedIndex(m0, K0);
      for (let m1 = 0; m1 < K1; m1++) {
        const k = signedIndex(m1, K1);
        // k-vector of (h, k, 0), then + l (column 2 of M^-T) along the row.
        const bx = 2 * Math.PI * (inv[0] * h + inv[1] * k);
        const by = 2 * Math.PI * (inv[3] * h + inv[4] * k);
        const bz = 2 * Math.PI * (inv[6] * h + inv[7] * k);
        const row = (m0 * K1 + m1) * K2;
        for (let m2 = 0; m2 < K2; m2++) {
          const g = influence[row + m2];
          const idx = 2 * (row + m2);
          if (g === 0) {
            G[idx] = 0;
            G[idx + 1] = 0;
            continue;
          }
          const l = signedIndex(m2, K2);
          const kx = bx + 2 * Math.PI * inv[2] * l;
          const ky = by + 2 * Math.PI * inv[5] * l;
          const kz = bz + 2 * Math.PI * inv[8] * l;
          const k2 = kx * kx + ky * ky + kz * kz;
          const re = G[idx];
          const im = G[idx + 1];
          const e = g * (re * re + im * im);
          energy += e;
          const b = 2 * (1 / k2 + 1 / a2);
          w0 += e * (1 - b * kx * kx);
          w1 += e * (1 - b * ky * ky);
          w2 += e * (1 - b * kz * kz);
          w3 -= e * b * kx * ky;
          w4 -= e * b * kx * kz;
          w5 -= e * b * ky * kz;
          G[idx] = g * re;
          G[idx + 1] = g * im;
        }
      }
    }
    W[0] += w0;
    W[1] += w1;
    W[2] += w2;
    W[3] += w3;
    W[4] += w4;
    W[5] += w5;

    // phi(g) = sum_m G(m) FQ(m) e^{+2 pi i m.g/K}: the unnormalised inverse transform.
    this.transform3d(true);

    // Forces: F_i = -2 q_i sum_g phi(g) grad_i W(g); du_a/dr_b = K_a inv[3b + a].
    for (let i = 0; i < n; i++) {
      const qi = this.q[i];
      if (qi === 0) continue;
      const s0 = this.start[3 * i];
      const s1 = this.start[3 * i + 1];
      const s2 = this.start[3 * i + 2];
      const t0 = 3 * i * p;
      const t1 = t0 + p;
      const t2 = t1 + p;
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      for (let j0 = 0; j0 < p; j0++) {
        const g0 = (((s0 + j0) % K0) + K0) % K0;
        const w0 = this.theta[t0 + p - 1 - j0];
        const dw0 = this.dtheta[t0 + p - 1 - j0];
        for (let j1 = 0; j1 < p; j1++) {
          const g1 = (((s1 + j1) % K1) + K1) % K1;
          const w1 = this.theta[t1 + p - 1 - j1];
          const dw1 = this.dtheta[t1 + p - 1 - j1];
          const row = (g0 * K1 + g1) * K2;
          for (let j2 = 0; j2 < p; j2++) {
            const g2 = (((s2 + j2) % K2) + K2) % K2;
            const phi = G[2 * (row + g2)];
            const w2 = this.theta[t2 + p - 1 - j2];
            const dw2 = this.dtheta[t2 + p - 1 - j2];
            d0 += phi * dw0 * w1 * w2;
            d1 += phi * w0 * dw1 * w2;
            d2 += phi * w0 * w1 * dw2;
          }
        }
      }
      // dE/du_a = 2 q_i d_a; chain rule to Cartesian.
      const e0 = 2 * qi * d0 * K0;
      const e1 = 2 * qi * d1 * K1;
      const e2 = 2 * qi * d2 * K2;
      for (let b = 0; b < 3; b++) F[3 * i + b] -= e0 * inv[3 * b] + e1 * inv[3 * b + 1] + e2 * inv[3 * b + 2];
    }
    return energy;
  }

  /**
   * In-place 3-D complex DFT of the grid, e^{-i} forward or e^{+i} unnormalised inverse, axis by
   * axis. The strided axes are gathered BLOCK lines at a time, so that each cache line of the
   * grid read serves several lines (one line at a time, a 128^3 grid is several times slower).
   */
  private transform3d(inverse: boolean): void {
    const [K0, K1, K2] = this.K;
    const G = this.grid;
    const run = (axis: number, input: Float64Array) => {
      const fft = this.ffts[axis];
      const out = this.outs[axis];
      // fft.js's inverse divides by K: the sum is wanted, so multiply back.
      if (inverse) {
        fft.inverseTransform(out, input);
        const K = this.K[axis];
        for (let j = 0; j < 2 * K; j++) out[j] *= K;
      } else fft.transform(out, input);
      return out;
    };
    // Axis 2: contiguous lines.
    for (let c = 0; c < K0 * K1; c++) {
      const at = 2 * c * K2;
      G.set(run(2, G.subarray(at, at + 2 * K2)), at);
    }
    // Axes 1 and 0: lines of `length` points `stride` apart, BLOCK neighbouring lines at once.
    const strided = (
      axis: number,
      length: number,
      stride: number,
      starts: (b: number) => number,
      count: number,
    ) => {
      const buf = this.blockLines;
      for (let c0 = 0; c0 < count; c0 += BLOCK) {
        const nb = Math.min(BLOCK, count - c0);
        const first = starts(c0);
        for (let j = 0; j < length; j++) {
          const at = 2 * (first + j * stride);
          for (let b = 0; b < nb; b++) {
            buf[b * 2 * length + 2 * j] = G[at + 2 * b];
            buf[b * 2 * length + 2 * j + 1] = G[at + 2 * b + 1];
          }
        }
        for (let b = 0; b < nb; b++) {
          const out = run(axis, buf.subarray(b * 2 * length, (b + 1) * 2 * length));
          buf.set(out.subarray(0, 2 * length), b * 2 * length);
        }
        for (let j = 0; j < length; j++) {
          const at = 2 * (first + j * stride);
          for (let b = 0; b < nb; b++) {
            G[at + 2 * b] = buf[b * 2 * length + 2 * j];
            G[at + 2 * b + 1] = buf[b * 2 * length + 2 * j + 1];
          }
        }
      }
    };
    // Axis 1: for each g0, the K2 lines g2 = 0..K2-1 are neighbours (blocks stay within a g0).
    for (let g0 = 0; g0 < K0; g0++) strided(1, K1, K2, (c) => g0 * K1 * K2 + c, K2);
    // Axis 0: the K1 K2 lines are neighbours.
    strided(0, K0, K1 * K2, (c) => c, K1 * K2);
  }
}
