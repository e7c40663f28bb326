import { PhysicsError } from '../core/errors.js';
import { QQR2E_REAL } from '../core/units.js';
import { erfc } from './erfc.js';
import type { ShellSystem } from './typing.js';
import { addPairVirial } from './virial.js';

/**
 * Polarisable ions as shells in their adiabatic limit (ForceField.shells): for given atom
 * positions each shell sits where the energy is lowest, so the energy is a function of the atoms
 * alone and, the shells being at a minimum, the force on an atom is the force on its core plus
 * that on its shell (the shells' own gradient is zero there; Lindan and Gillan, J. Phys.: Condens.
 * Matter 5, 1019 (1993), for this "relaxed shell" dynamics).
 *
 * The pair sums (energy.ts, md/force-kernel.ts) run over the extended system (cores and shells)
 * and leave each core-shell pair out (typing.ts CORE_SHELL_ORDER); this module adds what that pair
 * does: the spring k d^2 and the Coulomb remainder of an excluded pair, which LAMMPS
 * born/coul/dsf/cs sums as the damped pair minus the bare one (special_bonds coul 0):
 *   E = C qc qs [erfc(a r)/r - e_shift - r f_shift - 1/r] = C qc qs [-a h(a r) - e_shift - r f_shift],
 *   h(x) = erf(x)/x,
 * summed here by the series of h, exact at r = 0 where the difference of two 1/r terms is not.
 * Ewald: the same with both shifts zero (the excluded pair's real-space correction).
 */
export interface CoulombShape {
  /** Damping (DSF) or splitting (Ewald) parameter (1/A). */
  alpha: number;
  /** DSF shifts (zero for Ewald). */
  eShift: number;
  fShift: number;
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * h(x) = erf(x)/x and h'(x)/x, both smooth at 0: the Taylor series
 * h = 2/sqrt(pi) sum c_n x^(2n), c_n = (-1)^n / (n! (2n + 1)), below x = 0.5 (to 1e-17), erfc above.
 */
export const erfOverX = (x: number): { h: number; dhOverX: number } => {
  if (x < 0.5) {
    const x2 = x * x;
    let h = 1;
    let dhOverX = 0;
    let power = 1; // (-1)^n x^(2n - 2) / n!
    for (let n = 1; n < 20; n++) {
      power *= (n === 1 ? -1 : -x2) / n;
      const c = power / (2 * n + 1);
      h += c * x2;
      dhOverX += 2 * n * c;
      if (Math.abs(c) * x2 < 1e-18) break;
    }
    return { h: TWO_OVER_SQRT_PI * h, dhOverX: TWO_OVER_SQRT_PI * dhOverX };
  }
  const h = (1 - erfc(x)) / x;
  return { h, dhOverX: (TWO_OVER_SQRT_PI * Math.exp(-x * x) - h) / (x * x) };
};

/** What the core-shell pairs add (kcal/mol): springs and Coulomb remainders, and their virial. */
export interface CoreShellTerms {
  spring: number;
  coulomb: number;
  /** xx yy zz xy xz yz (kcal/mol). */
  virial: Float64Array;
}

/**
 * The core-shell pairs of the extended system at positions `ext` (cores 0..n-1, shells n..):
 * adds their forces to `forces` (extended, kcal/mol/A) and returns their energies and virial.
 * A shell is its core's position plus its displacement (no periodic image: they are one ion).
 */
export const coreShellTerms = (
  shells: ShellSystem,
  ext: Float64Array,
  coulomb: CoulombShape,
  forces: Float64Array,
): CoreShellTerms => {
  const sys = shells.extended;
  const n = sys.natoms - shells.owner.length;
  const { alpha, eShift, fShift } = coulomb;
  const W = new Float64Array(6);
  let spring = 0;
  let eCoul = 0;
  for (let s = 0; s < shells.owner.length; s++) {
    const c = shells.owner[s];
    const i = n + s;
    const dx = ext[3 * i] - ext[3 * c];
    const dy = ext[3 * i + 1] - ext[3 * c + 1];
    const dz = ext[3 * i + 2] - ext[3 * c + 2];
    const r2 = dx * dx + dy * dy + dz * dz;
    const r = Math.sqrt(r2);
    const k = shells.spring[s];
    const Cq = QQR2E_REAL * sys.charges[c] * sys.charges[i];
    const { h, dhOverX } = erfOverX(alpha * r);
    spring += k * r2;
    eCoul += Cq * (-alpha * h - eShift - r * fShift);
    // Force on the shell along d: -dE/dr / r, with dE/dr = 2 k r + Cq (-alpha^2 h'(alpha r) - f_shift);
    // f_shift's constant force has no direction at r = 0 (LAMMPS: none either, d = 0 there).
    const fOverD = -2 * k + Cq * alpha ** 3 * dhOverX + (r > 0 ? (Cq * fShift) / r : 0);
    const fx = fOverD * dx;
    const fy = fOverD * dy;
    const fz = fOverD * dz;
    forces[3 * i] += fx;
    forces[3 * i + 1] += fy;
    forces[3 * i + 2] += fz;
    forces[3 * c] -= fx;
    forces[3 * c + 1] -= fy;
    forces[3 * c + 2] -= fz;
    addPairVirial(W, dx, dy, dz, fx, fy, fz);
  }
  return { spring, coulomb: eCoul, virial: W };
};

/** The atoms' positions with each shell at its core plus its displacement (into `ext`). */
export const extendedPositions = (
  shells: ShellSystem,
  positions: ArrayLike<number>,
  displacement: ArrayLike<number>,
  ext: Float64Array,
): Float64Array => {
  const n = shells.extended.natoms - shells.owner.length;
  for (let k = 0; k < 3 * n; k++) ext[k] = positions[k];
  shells.owner.forEach((c, s) => {
    for (let x = 0; x < 3; x++) ext[3 * (n + s) + x] = positions[3 * c + x] + displacement[3 * s + x];
  });
  return ext;
};

export interface RelaxOptions {
  /** Largest force left on a shell (kcal/mol/A); default 1e-3. */
  toleranceKcalMolA?: number;
  maxIterations?: number;
}

/**
 * The farthest a shell may sit from its atom (A). Induced dipoles in ionic solids displace shells
 * by hundredths to tenths of an angstrom (0.18 A at most on the 800 K AIMD of ions-v2's start);
 * an angstrom is a shell captured by a neighbouring cation, the polarisation catastrophe.
 */
export const MAX_SHELL_DISPLACEMENT_A = 1;

/** The previous iterates Anderson mixing keeps. */
const ANDERSON_DEPTH = 6;

/**
 * The scratch arrays of relaxShells for a system of m shells: the step, the last iterate and step,
 * and the Anderson history as rings of ANDERSON_DEPTH differences. An MD kernel keeps one, so
 * that a step's iterations allocate nothing.
 */
export class ShellWorkspace {
  readonly step: Float64Array;
  readonly lastX: Float64Array;
  readonly lastF: Float64Array;
  readonly dX: Float64Array[];
  readonly dF: Float64Array[];
  constructor(readonly shellCount: number) {
    const make = () => new Float64Array(3 * shellCount);
    this.step = make();
    this.lastX = make();
    this.lastF = make();
    this.dX = Array.from({ length: ANDERSON_DEPTH }, make);
    this.dF = Array.from({ length: ANDERSON_DEPTH }, make);
  }
}

/**
 * Put the shells where the energy is lowest for the atoms at `positions` (3n): the shells'
 * forces (pair sums from `pairForces`, which evaluates the extended system at `ext` into
 * `forces`, plus coreShellTerms) driven to zero by Anderson mixing (Walker and Ni, SIAM J.
 * Numer. Anal. 49, 1715 (2011)) of the spring-preconditioned step d + f / (2 k), which on this
 * nearly linear problem converges like GMRES where the plain step diverges (neighbouring shells
 * couple more strongly than one spring holds). `displacement` (3 per shell) is the start and
 * comes back relaxed: the previous step's is a good start in MD. On return `forces` and
 * `pairForces`' own results are those of the relaxed shells, the core-shell terms included.
 */
export const relaxShells = (
  shells: ShellSystem,
  positions: ArrayLike<number>,
  displacement: Float64Array,
  coulomb: CoulombShape,
  pairForces: (ext: Float64Array, forces: Float64Array) => void,
  ext: Float64Array,
  forces: Float64Array,
  options: RelaxOptions = {},
  work: ShellWorkspace = new ShellWorkspace(shells.owner.length),
): CoreShellTerms & { iterations: number } => {
  const m = shells.owner.length;
  const n = shells.extended.natoms - m;
  const tolerance = options.toleranceKcalMolA ?? 1e-3;
  const maxIterations = options.maxIterations ?? 300;
  const { step, lastX, lastF, dX, dF } = work;
  // Differences kept so far; the newest at ring index (kept - 1) % depth.
  let kept = 0;
  for (let it = 1; ; it++) {
    extendedPositions(shells, positions, displacement, ext);
    pairForces(ext, forces);
    const terms = coreShellTerms(shells, ext, coulomb, forces);
    let worst = 0;
    for (let s = 0; s < m; s++) {
      const f = forces.subarray(3 * (n + s), 3 * (n + s) + 3);
      worst = Math.max(worst, Math.hypot(f[0], f[1], f[2]));
      for (let x = 0; x < 3; x++) step[3 * s + x] = f[x] / (2 * shells.spring[s]);
    }
    if (!Number.isFinite(worst))
      throw new PhysicsError('the shells cannot be placed: a force on a shell is not finite');
    for (let s = 0; s < m; s++) {
      const d = Math.hypot(displacement[3 * s], displacement[3 * s + 1], displacement[3 * s + 2]);
      if (d > MAX_SHELL_DISPLACEMENT_A)
        throw new PhysicsError(
          `the shell of atom ${shells.owner[s] + 1} went ${d.toPrecision(3)} A from it (more than ${MAX_SHELL_DISPLACEMENT_A} A): ` +
            'the polarisation runs away (a shell spring too soft for its charge, or ions too close)',
        );
    }
    if (worst <= tolerance) return { ...terms, iterations: it };
    if (it >= maxIterations)
      throw new PhysicsError(
        `the shells did not settle in ${maxIterations} iterations (largest force on a shell ${worst.toPrecision(3)} kcal/mol/A): ` +
          'the polarisation runs away (a shell spring too soft for its charge, or ions too close)',
      );
    if (it > 1) {
      const slot = kept % ANDERSON_DEPTH;
      for (let k = 0; k < 3 * m; k++) {
        dX[slot][k] = displacement[k] - lastX[k];
        dF[slot][k] = step[k] - lastF[k];
      }
      kept++;
    }
    lastX.set(displacement);
    lastF.set(step);
    // gamma = argmin |step - dF gamma| (normal equations, lightly regularised), then
    // d <- d + step - (dX + dF) gamma, over the differences kept (oldest first).
    const count = Math.min(kept, ANDERSON_DEPTH);
    const order = Array.from({ length: count }, (_, j) => (kept - count + j) % ANDERSON_DEPTH);
    const gamma = leastSquares(
      order.map((j) => dF[j]),
      step,
    );
    for (let k = 0; k < 3 * m; k++) {
      let v = displacement[k] + step[k];
      for (let j = 0; j < count; j++) v -= gamma[j] * (dX[order[j]][k] + dF[order[j]][k]);
      displacement[k] = v;
    }
  }
};

/** argmin_g |b - A g| over the columns A (few), by the normal equations (Gauss, with pivoting). */
const leastSquares = (A: Float64Array[], b: Float64Array): number[] => {
  const p = A.length;
  if (p === 0) return [];
  const dot = (u: Float64Array, v: Float64Array) => {
    let s = 0;
    for (let k = 0; k < u.length; k++) s += u[k] * v[k];
    return s;
  };
  const M = A.map((u) => [...A.map((v) => dot(u, v)), dot(u, b)]);
  // Tikhonov 1e-10 of the diagonal's scale keeps nearly dependent iterates from blowing up.
  const scale = Math.max(...M.map((row, i) => row[i]));
  M.forEach((row, i) => {
    row[i] += 1e-10 * scale;
  });
  for (let c = 0; c < p; c++) {
    let pivot = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(M[r][c]) > Math.abs(M[pivot][c])) pivot = r;
    [M[c], M[pivot]] = [M[pivot], M[c]];
    if (M[c][c] === 0) return Array(p).fill(0);
    for (let r = c + 1; r < p; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= p; k++) M[r][k] -= f * M[c][k];
    }
  }
  const g = Array(p).fill(0);
  for (let r = p - 1; r >= 0; r--) {
    let s = M[r][p];
    for (let k = r + 1; k < p; k++) s -= M[r][k] * g[k];
    g[r] = s / M[r][r];
  }
  return g;
};

/** Each atom's force: its core's plus its shell's (forces of the extended system, into `out`, 3n). */
export const atomForces = (shells: ShellSystem, forces: Float64Array, out: Float64Array): Float64Array => {
  const n = shells.extended.natoms - shells.owner.length;
  out.set(forces.subarray(0, 3 * n));
  shells.owner.forEach((c, s) => {
    for (let x = 0; x < 3; x++) out[3 * c + x] += forces[3 * (n + s) + x];
  });
  return out;
};
