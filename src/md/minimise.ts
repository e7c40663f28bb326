import { OptionError, PhysicsError } from '../core/errors.js';
import { Lattice } from '../core/lattice.js';
import { det3, inv3 } from '../core/linalg3.js';
import { FTM2V, NKTV2P } from '../core/units.js';
import type { EnergyTerms } from '../forcefield/energy.js';
import type { ForceField } from '../forcefield/force-field.js';
import { checkOverlap } from '../forcefield/overlap.js';
import type { TypedSystem } from '../forcefield/typing.js';
import { newForceOutput } from './force-kernel.js';
import { makeForceKernel } from './shell-kernel.js';

/**
 * Energy minimisation in the embedded engine (LAMMPS real units: kcal/mol, A, atm) by FIRE, the
 * fast inertial relaxation engine (Bitzek, Koskinen, Gahler, Moseler and Gumbsch, Phys. Rev.
 * Lett. 97, 170201 (2006)), in the form of Guenole et al., Comput. Mater. Sci. 175, 109584 (2020)
 * ("FIRE 2.0", as LAMMPS min_style fire): semi-implicit Euler steps with the atoms' masses, the
 * velocity mixed toward the force by alpha while the power F.v stays positive (the time step
 * grows by 1.1 after 20 such steps, up to `maxTimeStepFs`); on an uphill step the atoms go back
 * half a step, stop, and the time step halves. No atom moves more than `maxMoveA` per step
 * (LAMMPS dmax).
 *
 * The cell can relax too, toward a target pressure (enthalpy H = E + P V): the cell's degrees of
 * freedom are the deformation gradient F from the start cell (cell rows h = h0 F^T), scaled by
 * the number of atoms as ASE's UnitCellFilter does so that they move at the atoms' pace; their
 * force is (W - P V I) F^-T / N, W the virial. 'iso' keeps the shape (one scale), 'aniso' relaxes
 * the three Cartesian edges (orthogonal cells stay orthogonal), 'tri' all six strains.
 *
 * Or by conjugate gradients (method 'cg'; Polak-Ribiere with the PR+ restart, Nocedal and Wright,
 * Numerical Optimization, 2nd ed., section 5.2): along each direction a line search takes a step
 * of at most `maxMoveA` for the atom that moves most, and when the slope changes sign within it,
 * the secant (quadratic) estimate of the minimum, accepted if the energy went down (else the
 * step is halved). Faster than FIRE close to a minimum (the near-harmonic regime of the elastic
 * constants); FIRE is the more robust from a rough start (a freshly packed glass).
 *
 * Convergence: the largest force on any atom (and, with the cell, the largest cell force) below
 * `forceTolerance` (kcal/mol/A); or, if `energyTolerance` > 0, the energy change of a downhill
 * step relative to the energy below it (LAMMPS etol); or `maxSteps`.
 */
export interface MinimiseOptions {
  /** 'fire' (default) or 'cg' (Polak-Ribiere conjugate gradients with a secant line search). */
  method?: 'fire' | 'cg';
  /** Largest atom force at convergence (kcal/mol/A), default 1e-3. */
  forceTolerance?: number;
  /** Relative energy change of a step at convergence (LAMMPS etol), default 0 (not used). */
  energyTolerance?: number;
  /** Most FIRE steps, default 10,000. */
  maxSteps?: number;
  /** Initial FIRE time step (fs), default 1; it grows to maxTimeStepFs (default 10). */
  timeStepFs?: number;
  maxTimeStepFs?: number;
  /** Largest move of an atom in one step (A), default 0.1. */
  maxMoveA?: number;
  /** Relax the cell too, toward `pressureAtm` (default 0). */
  cell?: 'iso' | 'aniso' | 'tri';
  pressureAtm?: number;
  /** Threads for the pair forces (default 1). */
  threads?: number;
  /** Called every `progressEvery` steps (default 100) and at the end. */
  onProgress?: (p: MinimiseProgress) => void;
  progressEvery?: number;
  signal?: AbortSignal;
}

export interface MinimiseProgress {
  step: number;
  maxSteps: number;
  potentialKcalMol: number;
  maxForceKcalMolA: number;
}

export interface MinimiseResult {
  positions: Float64Array;
  lattice: Lattice;
  /** Potential energy by term and total at the end (kcal/mol). */
  termsKcalMol: EnergyTerms & { total: number };
  initialPotentialKcalMol: number;
  /** The largest atom force at the end (kcal/mol/A) and the 2-norm of all forces (LAMMPS's fnorm). */
  maxForceKcalMolA: number;
  forceNormKcalMolA: number;
  /** The virial pressure tensor at the end (atm; xx yy zz xy xz yz; no kinetic part). */
  pressureTensorAtm: number[];
  steps: number;
  forceEvaluations: number;
  converged: boolean;
  /** 'line search': cg found no lower energy along its direction (LAMMPS: linesearch alpha is zero). */
  stopReason: 'force tolerance' | 'energy tolerance' | 'max steps' | 'line search';
}

// FIRE 2.0 parameters (Guenole et al. 2020, their recommended set and LAMMPS min_style fire's
// defaults): delay 20 steps, dt x 1.1 / x 0.5, alpha 0.25 shrinking by 0.99, dt between 0.02 and
// 10 times the first; no shrinking of dt during the first 20 steps (initial delay).
const N_DELAY = 20;
const F_INC = 1.1;
const F_DEC = 0.5;
const ALPHA_START = 0.25;
const F_ALPHA = 0.99;
const DT_MIN_FACTOR = 0.02;

const I3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const mul3 = (a: ArrayLike<number>, b: ArrayLike<number>): number[] => {
  const c = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) c[3 * i + j] += a[3 * i + k] * b[3 * k + j];
  return c;
};

/** Minimise the potential energy (and the enthalpy, with the cell) from `positions` (A). */
export const minimise = async (
  positions: Float64Array,
  lattice: Lattice,
  sys: TypedSystem,
  ff: ForceField,
  options: MinimiseOptions = {},
): Promise<MinimiseResult> => {
  const n = sys.natoms;
  if (positions.length !== 3 * n) throw new OptionError(`${positions.length / 3} positions for ${n} atoms`);
  const ftol = options.forceTolerance ?? 1e-3;
  const etol = options.energyTolerance ?? 0;
  const maxSteps = options.maxSteps ?? 10_000;
  const dt0 = options.timeStepFs ?? 1;
  const dtMax = options.maxTimeStepFs ?? 10 * dt0;
  const dmax = options.maxMoveA ?? 0.1;
  if (!(ftol > 0))
    throw new OptionError(`force tolerance ${ftol} is not positive`, { option: 'forceTolerance' });
  if (!(etol >= 0))
    throw new OptionError(`energy tolerance ${etol} is negative`, { option: 'energyTolerance' });
  if (!Number.isInteger(maxSteps) || maxSteps < 0)
    throw new OptionError(`max steps ${maxSteps} is not a whole number`, { option: 'maxSteps' });
  if (!(dt0 > 0 && dtMax >= dt0))
    throw new OptionError('time steps must be positive, the largest >= the first');
  if (!(dmax > 0)) throw new OptionError(`max move ${dmax} is not positive`, { option: 'maxMoveA' });
  const cellMode = options.cell;
  const pExt = (options.pressureAtm ?? 0) / NKTV2P;
  const mass = Float64Array.from(sys.type, (t) => ff.atomTypes[sys.typeNames[t]].mass);
  let meanMass = 0;
  for (const m of mass) meanMass += m / n;

  checkOverlap(positions, lattice, (i) => sys.typeNames[sys.type[i]]);
  const h0 = Float64Array.from(lattice.matrix);
  // Atoms: reference coordinates s (positions in the start cell's frame): r = F s.
  const s = Float64Array.from(positions);
  const r = Float64Array.from(positions);
  // Cell: u = N (F - I) (9 entries; the ones the mode keeps free move).
  const free = cellMode === 'tri' ? [0, 4, 8, 1, 2, 5] : cellMode ? [0, 4, 8] : [];
  const u = new Float64Array(9);
  const dof = 3 * n + 9;
  const v = new Float64Array(dof);
  const force = new Float64Array(dof);
  const atomForce = new Float64Array(3 * n);
  const out = newForceOutput();
  let F = [...I3];
  let cell = lattice;
  let kernelCell = lattice;
  let kernel = makeForceKernel(sys, ff, cell, 2);
  await kernel.startThreads(options.threads ?? 1);
  let evaluations = 0;
  let energy = 0;
  let fmaxAtoms = 0;
  let fmaxCell = 0;

  const place = () => {
    if (cellMode) {
      F = [...I3];
      for (let k = 0; k < 9; k++) F[k] += u[k] / n;
      // Rows h = h0 F^T.
      const Ft = [F[0], F[3], F[6], F[1], F[4], F[7], F[2], F[5], F[8]];
      const h = mul3(h0, Ft);
      if (!(det3(h) > 0)) throw new PhysicsError('the cell collapsed during the minimisation');
      cell = new Lattice(h);
      for (let i = 0; i < n; i++)
        for (let a = 0; a < 3; a++)
          r[3 * i + a] = F[3 * a] * s[3 * i] + F[3 * a + 1] * s[3 * i + 1] + F[3 * a + 2] * s[3 * i + 2];
      // A changed cell: a new kernel once the strain since the last one passes 1 % (the pair
      // list's images were chosen in that cell).
      const km = kernelCell.matrix;
      let change = 0;
      for (let k = 0; k < 9; k++) change = Math.max(change, Math.abs(h[k] - km[k]));
      const minEdge = Math.min(...kernelCell.perpendicularWidths);
      if (change > 0.01 * minEdge) {
        kernel.dispose();
        kernel = makeForceKernel(sys, ff, cell, 2);
        kernelCell = cell;
      } else kernel.setLattice(cell);
    } else r.set(s);
  };

  const evaluate = () => {
    place();
    kernel.compute(r, atomForce, out);
    evaluations++;
    const t = out.termsKcalMol;
    energy = t.bond + t.angle + t.dihedral + t.vdw + t.coulomb;
    if (!Number.isFinite(energy))
      throw new PhysicsError('the energy is not a number during the minimisation');
    fmaxAtoms = 0;
    // Atom forces on s: F^T f.
    for (let i = 0; i < n; i++) {
      const fx = atomForce[3 * i];
      const fy = atomForce[3 * i + 1];
      const fz = atomForce[3 * i + 2];
      fmaxAtoms = Math.max(fmaxAtoms, fx * fx + fy * fy + fz * fz);
      for (let b = 0; b < 3; b++) force[3 * i + b] = F[b] * fx + F[3 + b] * fy + F[6 + b] * fz;
    }
    fmaxAtoms = Math.sqrt(fmaxAtoms);
    fmaxCell = 0;
    if (cellMode) {
      const W = out.virialKcalMol;
      const V = cell.volume;
      // Symmetric virial minus the external pressure, times F^-T, over N.
      const sigma = [W[0] - pExt * V, W[3], W[4], W[3], W[1] - pExt * V, W[5], W[4], W[5], W[2] - pExt * V];
      const Finv = inv3(F);
      const FinvT = [Finv[0], Finv[3], Finv[6], Finv[1], Finv[4], Finv[7], Finv[2], Finv[5], Finv[8]];
      const g = mul3(sigma, FinvT);
      const cf = new Array<number>(9).fill(0);
      if (cellMode === 'iso') {
        const mean = (g[0] + g[4] + g[8]) / 3;
        for (const k of [0, 4, 8]) cf[k] = mean;
      } else if (cellMode === 'aniso') for (const k of [0, 4, 8]) cf[k] = g[k];
      else {
        // Symmetric strain: the shear pairs move together (no rotation).
        for (const k of [0, 4, 8]) cf[k] = g[k];
        for (const [a, b] of [
          [1, 3],
          [2, 6],
          [5, 7],
        ]) {
          const m = (g[a] + g[b]) / 2;
          cf[a] = m;
          cf[b] = m;
        }
      }
      for (let k = 0; k < 9; k++) {
        force[3 * n + k] = cf[k] / n;
        fmaxCell = Math.max(fmaxCell, Math.abs(cf[k] / n));
      }
    }
  };

  const converged = () => fmaxAtoms < ftol && fmaxCell < ftol;
  /** The objective: the energy, or with the cell the enthalpy E + P V (kcal/mol). */
  const objective = () => energy + (cellMode ? pExt * cell.volume : 0);
  const cellFreeMask = new Uint8Array(9);
  for (const k of free) cellFreeMask[k] = 1;
  const mirrorOf: [number, number][] = [
    [1, 3],
    [2, 6],
    [5, 7],
  ];
  /** Set the coordinates to base + a h (atoms' s, then the cell's free u) and evaluate. */
  const moveTo = (base: Float64Array, h: Float64Array, a: number) => {
    for (let k = 0; k < 3 * n; k++) s[k] = base[k] + a * h[k];
    for (let k = 0; k < 9; k++) if (cellFreeMask[k]) u[k] = base[3 * n + k] + a * h[3 * n + k];
    for (const [from, to] of mirrorOf) if (cellFreeMask[from]) u[to] = u[from];
    evaluate();
  };
  const conjugateGradients = async (): Promise<{
    steps: number;
    stopReason: MinimiseResult['stopReason'];
  }> => {
    const base = new Float64Array(dof);
    const h = new Float64Array(dof);
    const g0 = new Float64Array(dof);
    const masked = (k: number) => k < 3 * n || cellFreeMask[k - 3 * n] === 1;
    for (let k = 0; k < dof; k++) h[k] = masked(k) ? force[k] : 0;
    let steps = 0;
    let e0 = objective();
    const every = options.progressEvery ?? 100;
    while (steps < maxSteps) {
      if (options.signal?.aborted) throw new OptionError('the minimisation was stopped');
      steps++;
      base.set(s);
      base.set(u, 3 * n);
      g0.set(force);
      // Slope along h (dE/da = -F.h < 0 for a descent direction).
      let slope0 = 0;
      let hmax = 0;
      for (let k = 0; k < dof; k++) if (masked(k)) slope0 -= force[k] * h[k];
      for (let i = 0; i < n + 3; i++) hmax = Math.max(hmax, Math.hypot(h[3 * i], h[3 * i + 1], h[3 * i + 2]));
      if (!(slope0 < 0) || !(hmax > 0)) {
        // Not a descent direction: restart along the force.
        for (let k = 0; k < dof; k++) h[k] = masked(k) ? force[k] : 0;
        continue;
      }
      const aMax = dmax / hmax;
      moveTo(base, h, aMax);
      let e1 = objective();
      let slope1 = 0;
      for (let k = 0; k < dof; k++) if (masked(k)) slope1 -= force[k] * h[k];
      if (slope1 > 0 || e1 > e0) {
        // The minimum lies inside: the secant estimate, then halving until the energy goes down.
        let a = slope1 > 0 ? (aMax * slope0) / (slope0 - slope1) : aMax / 2;
        moveTo(base, h, a);
        e1 = objective();
        // Near the minimum the energy change falls below the rounding of a sum of thousands of
        // terms (~1e-12 relative): there a step that lowers the slope counts as downhill.
        const roundoff = 1e-11 * Math.abs(e0);
        const downhill = () => {
          if (e1 <= e0) return true;
          if (e1 - e0 > roundoff) return false;
          let slope = 0;
          for (let k = 0; k < dof; k++) if (masked(k)) slope -= force[k] * h[k];
          return Math.abs(slope) < Math.abs(slope0);
        };
        while (!downhill() && a > 1e-12 * aMax) {
          a /= 2;
          moveTo(base, h, a);
          e1 = objective();
        }
        if (!downhill()) {
          moveTo(base, h, 0);
          return { steps, stopReason: converged() ? 'force tolerance' : 'line search' };
        }
      }
      if (converged()) return { steps, stopReason: 'force tolerance' };
      if (etol > 0 && Math.abs(e1 - e0) < etol * 0.5 * (Math.abs(e1) + Math.abs(e0) + 1e-8))
        return { steps, stopReason: 'energy tolerance' };
      // Polak-Ribiere+: beta = max(0, F1.(F1 - F0) / F0.F0); restart every dof steps.
      let num = 0;
      let den = 0;
      for (let k = 0; k < dof; k++)
        if (masked(k)) {
          num += force[k] * (force[k] - g0[k]);
          den += g0[k] * g0[k];
        }
      const beta = steps % dof === 0 || !(den > 0) ? 0 : Math.max(0, num / den);
      for (let k = 0; k < dof; k++) h[k] = masked(k) ? force[k] + beta * h[k] : 0;
      e0 = e1;
      if (steps % every === 0)
        options.onProgress?.({
          step: steps,
          maxSteps,
          potentialKcalMol: energy,
          maxForceKcalMolA: fmaxAtoms,
        });
      // Let signals through now and then.
      if (steps % 100 === 0 && options.signal) await new Promise((r) => setImmediate(r));
    }
    return { steps, stopReason: 'max steps' };
  };

  try {
    evaluate();
    const initial = energy;
    let dt = dt0;
    let alpha = ALPHA_START;
    let positive = 0;
    let step = 0;
    let stopReason: MinimiseResult['stopReason'] = 'max steps';
    let previous = energy;
    const every = options.progressEvery ?? 100;
    // Per-DOF inverse mass (real units, A/fs^2 per kcal/mol/A): atoms theirs, the cell the mean.
    const invMass = new Float64Array(dof);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) invMass[3 * i + c] = FTM2V / mass[i];
    for (let k = 0; k < 9; k++) invMass[3 * n + k] = FTM2V / meanMass;
    const cellFree = new Uint8Array(9);
    for (const k of free) cellFree[k] = 1;
    // Shear pairs of a tri cell move with their partner.
    const mirror: Record<number, number> = { 1: 3, 2: 6, 5: 7 };
    if (converged()) stopReason = 'force tolerance';
    if (options.method === 'cg') {
      const result = await conjugateGradients();
      step = result.steps;
      stopReason = result.stopReason;
    }
    while (options.method !== 'cg' && stopReason === 'max steps' && step < maxSteps) {
      if (options.signal?.aborted) throw new OptionError('the minimisation was stopped');
      step++;
      let power = 0;
      for (let k = 0; k < dof; k++) power += force[k] * v[k];
      if (power > 0) {
        positive++;
        if (positive > N_DELAY) {
          dt = Math.min(dt * F_INC, dtMax);
          alpha *= F_ALPHA;
        }
      } else {
        positive = 0;
        if (step > N_DELAY) dt = Math.max(dt * F_DEC, DT_MIN_FACTOR * dt0);
        alpha = ALPHA_START;
        // Back half a step and stop (FIRE 2.0's correction of the overshoot).
        for (let k = 0; k < 3 * n; k++) s[k] -= 0.5 * dt * v[k];
        for (let k = 0; k < 9; k++) if (cellFree[k]) u[k] -= 0.5 * dt * v[3 * n + k];
        v.fill(0);
      }
      // Semi-implicit Euler: velocities first, then the mixing, then the move.
      for (let k = 0; k < dof; k++) v[k] += dt * force[k] * invMass[k];
      for (let k = 0; k < 9; k++) if (!cellFree[k]) v[3 * n + k] = 0;
      if (power > 0) {
        let vn = 0;
        let fn = 0;
        for (let k = 0; k < dof; k++) {
          vn += v[k] * v[k];
          fn += force[k] * force[k];
        }
        const scale = fn > 0 ? (alpha * Math.sqrt(vn)) / Math.sqrt(fn) : 0;
        for (let k = 0; k < dof; k++) v[k] = (1 - alpha) * v[k] + scale * force[k];
        for (let k = 0; k < 9; k++) if (!cellFree[k]) v[3 * n + k] = 0;
      }
      // Cap the largest move (atoms in A; the cell's u in A-equivalents).
      let largest = 0;
      for (let i = 0; i < n + 3; i++) {
        const d = dt * Math.hypot(v[3 * i], v[3 * i + 1], v[3 * i + 2]);
        if (d > largest) largest = d;
      }
      const cap = largest > dmax ? dmax / largest : 1;
      for (let k = 0; k < 3 * n; k++) s[k] += cap * dt * v[k];
      for (let k = 0; k < 9; k++) if (cellFree[k]) u[k] += cap * dt * v[3 * n + k];
      for (const [a, b] of Object.entries(mirror)) if (cellFree[Number(a)]) u[b] = u[Number(a)];
      evaluate();
      if (converged()) stopReason = 'force tolerance';
      else if (
        etol > 0 &&
        power > 0 &&
        Math.abs(energy - previous) < etol * 0.5 * (Math.abs(energy) + Math.abs(previous) + 1e-8)
      )
        stopReason = 'energy tolerance';
      previous = energy;
      if (step % every === 0)
        options.onProgress?.({ step, maxSteps, potentialKcalMol: energy, maxForceKcalMolA: fmaxAtoms });
    }
    options.onProgress?.({ step, maxSteps, potentialKcalMol: energy, maxForceKcalMolA: fmaxAtoms });
    let norm = 0;
    for (const f of atomForce) norm += f * f;
    const t = out.termsKcalMol;
    return {
      positions: Float64Array.from(r),
      lattice: cell,
      termsKcalMol: { ...t, total: energy },
      initialPotentialKcalMol: initial,
      maxForceKcalMolA: fmaxAtoms,
      forceNormKcalMolA: Math.sqrt(norm),
      pressureTensorAtm: Array.from(out.virialKcalMol, (w) => (w / cell.volume) * NKTV2P),
      steps: step,
      forceEvaluations: evaluations,
      converged: stopReason === 'force tolerance' || stopReason === 'energy tolerance',
      stopReason,
    };
  } finally {
    kernel.dispose();
  }
};
