import { OptionError, PhysicsError } from '../core/errors.js';
import { Lattice } from '../core/lattice.js';
import { SeededRandom } from '../core/random.js';
import { FTM2V, KB_KCAL, NKTV2P } from '../core/units.js';
import type { EnergyTerms } from '../forcefield/energy.js';
import type { ForceField } from '../forcefield/force-field.js';
import { checkOverlap } from '../forcefield/overlap.js';
import type { TypedSystem } from '../forcefield/typing.js';
import { newForceOutput } from './force-kernel.js';
import { makeForceKernel } from './shell-kernel.js';

/**
 * Molecular dynamics in LAMMPS `real` units (A, fs, kcal/mol, g/mol, K): velocity Verlet; NVE;
 * NVT with a Nose-Hoover chain (Martyna, Klein and Tuckerman, J. Chem. Phys. 97, 2635 (1992),
 * integrated with the Trotter splitting of Martyna, Tuckerman, Tobias and Klein, Mol. Phys. 87, 1117
 * (1996), as LAMMPS fix nvt) or Langevin (BAOAB, Leimkuhler and Matthews 2013); NPT with that
 * thermostat and the MTK barostat, isotropic or per Cartesian axis (as LAMMPS fix npt iso, or
 * x/y/z with couple none).
 */
export type Ensemble = 'nve' | 'nvt' | 'langevin' | 'npt';
export type DeformComponent = 'x' | 'y' | 'z' | 'yz' | 'xz' | 'xy';

export interface MdOptions {
  ensemble: Ensemble;
  /** Target temperature (K) for NVT and for the initial velocities. */
  temperatureK: number;
  /** Integrator time step (fs), default 1. */
  timeStepFs?: number;
  steps: number;
  seed?: number;
  /** Thermostat relaxation time (fs), default 100 (LAMMPS Tdamp). */
  dampingFs?: number;
  /** NPT: target pressure (atm), default 1. */
  pressureAtm?: number;
  /** NPT: barostat relaxation time (fs), default 1000 (LAMMPS Pdamp). */
  barostatDampingFs?: number;
  /**
   * NPT: 'iso' (default; the cell keeps its shape) or 'aniso' (each Cartesian axis has its own
   * strain rate, as LAMMPS fix npt x/y/z with couple none).
   */
  barostat?: 'iso' | 'aniso';
  /** Aniso: which of x, y, z are barostatted (default all; a deformed axis is not). */
  barostatAxes?: [boolean, boolean, boolean];
  /**
   * Deform the cell at a constant engineering strain rate (1/fs), as LAMMPS fix deform erate
   * with remap x: a length L(t) = L0 (1 + R t), or a tilt T(t) = T0 + R t Lperp0 (yz: Lperp = lz).
   * The cell must be in LAMMPS orientation (a along x, b in the xy plane).
   */
  deform?: { component: DeformComponent; ratePerFs: number };
  /** Verlet-list skin (A), default 2: the list is rebuilt when an atom has moved half of it. */
  skinA?: number;
  /**
   * Threads for the pair forces (this one and threads - 1 workers), default 1, at most
   * usefulThreads(threads, atoms) (force-kernel.ts). Results with different thread counts differ
   * by rounding only; a resumed run uses its checkpoint's count.
   */
  threads?: number;
  /** Length of the Nose-Hoover chain, default 3. */
  chain?: number;
  /** Draw Maxwell-Boltzmann velocities at the target temperature (default true); else keep the given ones. */
  newVelocities?: boolean;
  thermoEvery?: number;
  onThermo?: (row: ThermoRow) => void;
  frameEvery?: number;
  onFrame?: (
    step: number,
    positions: Float64Array,
    velocities: Float64Array,
    lattice: Lattice,
  ) => void | Promise<void>;
  onProgress?: (step: number, steps: number) => void;
  /** Stop at the next step; with onCheckpoint, a checkpoint of that step is written first. */
  signal?: AbortSignal;
  /** Continue a run from this checkpoint (the other options must be the run's own). */
  resume?: MdCheckpoint;
  /** Hand a checkpoint to onCheckpoint every n steps (0: only on cancellation). */
  checkpointEvery?: number;
  onCheckpoint?: (checkpoint: MdCheckpoint) => void | Promise<void>;
}

/**
 * Everything a run needs to continue bitwise as if it had not stopped: positions, velocities and
 * cell; the thermostat chain, barostat and Langevin heat; the random state; and what decided the
 * neighbour list (so the same pairs are summed in the same order).
 */
export interface MdCheckpoint {
  step: number;
  ensemble: Ensemble;
  timeStepFs: number;
  positions: Float64Array;
  velocities: Float64Array;
  /** Cell matrix, rows a, b, c (A). */
  cell: number[];
  eta: number[];
  vEta: number[];
  /** Barostat strain rates along x, y, z (1/fs; equal for iso). */
  vEps: number[];
  /** Deformation: the step-0 length or perpendicular length it refers to (A). */
  deformReference?: number;
  /** Energy the Langevin thermostat has taken out (kcal/mol; part of the conserved quantity). */
  langevinWork: number;
  randomState: number;
  /** Threads the pair forces were summed on (absent: 1). */
  threads?: number;
  /** The pair list's state, and polarisable ions' shell displacements (shell-kernel.ts). */
  list?: { reference: Float64Array; cell: number[]; shells?: Float64Array };
}

/** Raised when a run stops on its AbortSignal (after its checkpoint, if any, was handed over). */
export class RunCancelled extends Error {
  constructor(readonly step: number) {
    super(`the run was stopped at step ${step}`);
    this.name = 'RunCancelled';
  }
}

/**
 * What counts as a blow-up (each far outside any run worth keeping, so no working run trips it):
 * a kinetic temperature above 1e5 K; a potential energy beyond 1e4 kcal/mol per atom in size
 * (ionic lattice energies are below 1e3: Al2O3 about 760 per atom); the conserved quantity moved
 * by more than 1e3 kcal/mol per atom since the run (or its resumption) started (integration error
 * of a usable run is below 1 per atom; the work of a deformation to strain 1 at 10 GPa is about
 * 30); an atom moving more than the pair list's skin in one step (at 2 A a speed of 14 eV of
 * kinetic energy for Li at 10 fs); a barostat changing an edge by more than 5 % in one step;
 * any number that is not finite; an atom lost from the cell (force-kernel.ts).
 */
export const BLOW_UP = {
  temperatureK: 1e5,
  potentialKcalMolPerAtom: 1e4,
  conservedChangeKcalMolPerAtom: 1e3,
  cellChangePerStep: 0.05,
} as const;

export interface ThermoRow {
  step: number;
  timeFs: number;
  temperatureK: number;
  potentialKcalMol: number;
  kineticKcalMol: number;
  /** Potential plus kinetic (kcal/mol). */
  totalKcalMol: number;
  /**
   * Total plus the thermostat's and barostat's energy (Langevin: the heat it took out): constant
   * up to the integration error (kcal/mol).
   */
  conservedKcalMol: number;
  pressureAtm: number;
  /** Pressure tensor xx yy zz xy xz yz (atm). */
  pressureTensorAtm: number[];
  volumeA3: number;
  /** Cell matrix (rows a, b, c; A). */
  cell: number[];
  /** The potential energy by term (kcal/mol). */
  termsKcalMol: EnergyTerms;
}

export interface MdState {
  positions: Float64Array;
  velocities: Float64Array;
  /** The final cell (changed by NPT). */
  lattice: Lattice;
}

/** Run MD from `positions` (A, any images) and optional velocities (A/fs); returns the final state. */
export const runMd = async (
  positions: Float64Array,
  lattice: Lattice,
  sys: TypedSystem,
  ff: ForceField,
  options: MdOptions,
  velocities?: Float64Array,
): Promise<MdState> => {
  const n = sys.natoms;
  const dt = options.timeStepFs ?? 1;
  const T0 = options.temperatureK;
  if (!(dt > 0 && dt <= 10)) throw new OptionError(`time step ${dt} fs is not in (0, 10]`);
  if (!(T0 > 0)) throw new OptionError(`temperature ${T0} K must be positive`);
  if (!Number.isInteger(options.steps) || options.steps < 0)
    throw new OptionError(`steps ${options.steps} is not a whole number`);
  const mass = Float64Array.from(sys.type, (t) => ff.atomTypes[sys.typeNames[t]].mass);
  const x = Float64Array.from(positions);
  const v = new Float64Array(3 * n);
  const rng = new SeededRandom(options.seed ?? 1);
  const resume = options.resume;
  if (resume) {
    if (resume.ensemble !== options.ensemble || resume.timeStepFs !== dt)
      throw new OptionError(
        `the checkpoint is of a ${resume.ensemble} run at ${resume.timeStepFs} fs, not ${options.ensemble} at ${dt} fs`,
      );
    if (resume.positions.length !== 3 * n || resume.velocities.length !== 3 * n)
      throw new OptionError(`the checkpoint holds ${resume.positions.length / 3} atoms, the system ${n}`);
    if (resume.step > options.steps)
      throw new OptionError(
        `the checkpoint is at step ${resume.step}, beyond the run's ${options.steps} steps`,
      );
  }
  const dof = 3 * n - 3;
  const kT = KB_KCAL * T0;
  if (resume) v.set(resume.velocities);
  else if (options.newVelocities === false && velocities) v.set(velocities);
  else {
    for (let i = 0; i < n; i++) {
      const s = Math.sqrt((kT * FTM2V) / mass[i]);
      for (let c = 0; c < 3; c++) v[3 * i + c] = s * rng.gaussian();
    }
  }
  // Zero total momentum, then the exact target temperature (when drawn).
  const p = [0, 0, 0];
  let M = 0;
  for (let i = 0; i < n; i++) {
    M += mass[i];
    for (let c = 0; c < 3; c++) p[c] += mass[i] * v[3 * i + c];
  }
  if (!resume) for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) v[3 * i + c] -= p[c] / M;
  const kinetic = () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += mass[i] * (v[3 * i] ** 2 + v[3 * i + 1] ** 2 + v[3 * i + 2] ** 2);
    return (0.5 * s) / FTM2V;
  };
  if (!resume && (options.newVelocities !== false || !velocities)) {
    const scale = Math.sqrt((dof * kT) / (2 * kinetic()));
    for (let k = 0; k < v.length; k++) v[k] *= scale;
  }

  let cell = resume ? new Lattice(resume.cell) : lattice;
  if (resume) {
    x.set(resume.positions);
    rng.setState(resume.randomState);
  }
  const npt = options.ensemble === 'npt';
  const kernel = makeForceKernel(sys, ff, cell, options.skinA ?? 2);
  // A resumed run keeps its thread count: the pair forces then add up in the same order.
  await kernel.startThreads(resume?.threads ?? options.threads ?? 1);
  // The count it runs on (usefulThreads caps it), recorded in checkpoints.
  const threads = kernel.threadCount;
  try {
    if (resume?.list)
      kernel.restoreList({
        reference: resume.list.reference,
        lattice: new Lattice(resume.list.cell),
        shells: resume.list.shells,
      });
    const f = new Float64Array(3 * n);
    const out = newForceOutput();
    try {
      checkOverlap(x, cell, (i) => sys.typeNames[sys.type[i]]);
      kernel.compute(x, f, out);
    } catch (e) {
      if (e instanceof PhysicsError)
        throw new PhysicsError(`the run cannot start at step ${resume?.step ?? 0}: ${e.message}`);
      throw e;
    }

    // Nose-Hoover chain state.
    const tau = options.dampingFs ?? 100;
    const chain = options.chain ?? 3;
    const Q = Array.from({ length: chain }, (_, k) => (k === 0 ? dof : 1) * kT * tau * tau);
    const eta = new Float64Array(chain);
    const vEta = new Float64Array(chain);
    const nhcHalf = () => {
      let ke2 = 2 * kinetic();
      const G = (k: number) =>
        k === 0 ? (ke2 - dof * kT) / Q[0] : (Q[k - 1] * vEta[k - 1] ** 2 - kT) / Q[k];
      const h = dt / 2;
      for (let k = chain - 1; k >= 0; k--) {
        if (k < chain - 1) vEta[k] *= Math.exp((-vEta[k + 1] * h) / 4);
        vEta[k] += (G(k) * h) / 2;
        if (k < chain - 1) vEta[k] *= Math.exp((-vEta[k + 1] * h) / 4);
      }
      const scale = Math.exp(-vEta[0] * h);
      for (let k = 0; k < v.length; k++) v[k] *= scale;
      ke2 *= scale * scale;
      for (let k = 0; k < chain; k++) eta[k] += vEta[k] * h;
      for (let k = 0; k < chain; k++) {
        if (k < chain - 1) vEta[k] *= Math.exp((-vEta[k + 1] * h) / 4);
        vEta[k] += (G(k) * h) / 2;
        if (k < chain - 1) vEta[k] *= Math.exp((-vEta[k + 1] * h) / 4);
      }
    };
    const thermostatEnergy = () => {
      if (options.ensemble !== 'nvt' && !npt) return langevinWork;
      let e = dof * kT * eta[0];
      if (npt) e += barostatEnergy();
      for (let k = 0; k < chain; k++) e += 0.5 * Q[k] * vEta[k] ** 2;
      for (let k = 1; k < chain; k++) e += kT * eta[k];
      return e;
    };
    // Langevin: O step coefficients; the heat it exchanges is tracked for the conserved quantity.
    const c1 = Math.exp(-dt / tau);
    const c2 = Math.sqrt(1 - c1 * c1);
    const kick = new Float64Array(3 * n);
    /** The kicks' centre-of-mass velocity, sum m k / M (A/fs). */
    const kickCom = new Float64Array(3);
    let langevinWork = resume?.langevinWork ?? 0;
    if (resume) {
      if (resume.eta.length !== chain || resume.vEta.length !== chain)
        throw new OptionError(
          `the checkpoint's thermostat chain has ${resume.eta.length} links, the run ${chain}`,
        );
      eta.set(resume.eta);
      vEta.set(resume.vEta);
    }

    /** The potential energy of the last force evaluation (kcal/mol). */
    const potential = () => {
      const t = out.termsKcalMol;
      return t.bond + t.angle + t.dihedral + t.vdw + t.coulomb;
    };
    const report = (step: number) => {
      const ke = kinetic();
      const terms = out.termsKcalMol;
      const pe = potential();
      const V = cell.volume;
      const T = (2 * ke) / (dof * KB_KCAL);
      // Kinetic part of the pressure tensor from m v v; the scalar as LAMMPS: (dof kB T + tr W) / 3V.
      const kt = new Float64Array(6);
      for (let i = 0; i < n; i++) {
        const m = mass[i] / FTM2V;
        kt[0] += m * v[3 * i] * v[3 * i];
        kt[1] += m * v[3 * i + 1] * v[3 * i + 1];
        kt[2] += m * v[3 * i + 2] * v[3 * i + 2];
        kt[3] += m * v[3 * i] * v[3 * i + 1];
        kt[4] += m * v[3 * i] * v[3 * i + 2];
        kt[5] += m * v[3 * i + 1] * v[3 * i + 2];
      }
      const W = out.virialKcalMol;
      checkState(step, pe, ke, T);
      options.onThermo?.({
        step,
        timeFs: step * dt,
        temperatureK: T,
        potentialKcalMol: pe,
        kineticKcalMol: ke,
        totalKcalMol: pe + ke,
        conservedKcalMol: pe + ke + thermostatEnergy(),
        pressureAtm: ((dof * KB_KCAL * T + W[0] + W[1] + W[2]) / (3 * V)) * NKTV2P,
        pressureTensorAtm: Array.from(W, (w, k) => ((kt[k] + w) / V) * NKTV2P),
        volumeA3: V,
        cell: Array.from(cell.matrix),
        termsKcalMol: { ...terms },
      });
    };

    // Blow-up checks (BLOW_UP), once a thermo row and before each frame and checkpoint: O(N), as
    // the row's kinetic energy already is. The state is checked before anything is written, so
    // the outputs and the last checkpoint hold only steps that passed.
    const blowUp = (step: number, what: string) =>
      new PhysicsError(
        `the run blew up at step ${step}: ${what}; use a smaller time step or relax the structure first`,
      );
    const typeOf = (i: number) => sys.typeNames[sys.type[i]];
    let conservedReference: number | undefined;
    let checkedStep = -1;
    const checkState = (step: number, pe: number, ke: number, T: number) => {
      checkedStep = step;
      let fastest = 0;
      let fast = 0;
      for (let i = 0; i < n; i++) {
        const v2 = v[3 * i] ** 2 + v[3 * i + 1] ** 2 + v[3 * i + 2] ** 2;
        // Positions are the kernel's to check (checkPlaced, at every evaluation that follows a
        // move: a position that is not a number forces a list build), so only velocities here.
        if (!Number.isFinite(v2))
          throw blowUp(step, `atom ${i + 1} (${typeOf(i)}) is lost: its velocity is not a number`);
        if (v2 > fastest) {
          fastest = v2;
          fast = i;
        }
      }
      const stepA = Math.sqrt(fastest) * dt;
      if (stepA > kernel.skin)
        throw blowUp(
          step,
          `atom ${fast + 1} (${typeOf(fast)}) moves ${stepA.toPrecision(3)} A per step, more than the pair list's ${kernel.skin} A skin`,
        );
      const conserved = pe + ke + thermostatEnergy();
      // Formatted only for a message: a check that passes builds no string.
      const values = () =>
        `T = ${T.toPrecision(4)} K, PE = ${pe.toPrecision(6)} kcal/mol, conserved energy ${conserved.toPrecision(6)} kcal/mol`;
      if (!Number.isFinite(pe) || !Number.isFinite(ke) || !Number.isFinite(conserved))
        throw blowUp(step, `an energy is not a number (${values()})`);
      if (T > BLOW_UP.temperatureK)
        throw blowUp(step, `the kinetic temperature is above ${BLOW_UP.temperatureK} K (${values()})`);
      if (Math.abs(pe) > BLOW_UP.potentialKcalMolPerAtom * n)
        throw blowUp(
          step,
          `the potential energy is beyond ${BLOW_UP.potentialKcalMolPerAtom} kcal/mol per atom (${values()})`,
        );
      conservedReference ??= conserved;
      const drift = (conserved - conservedReference) / n;
      if (Math.abs(drift) > BLOW_UP.conservedChangeKcalMolPerAtom)
        throw blowUp(
          step,
          `the conserved energy moved by ${drift.toPrecision(3)} kcal/mol per atom (more than ${BLOW_UP.conservedChangeKcalMolPerAtom}; ${values()})`,
        );
    };
    /** The checks at a step that has no thermo row (a frame or checkpoint between rows). */
    const checkNow = (step: number) => {
      if (checkedStep === step) return;
      const ke = kinetic();
      checkState(step, potential(), ke, (2 * ke) / (dof * KB_KCAL));
    };
    /** kernel.compute, with a lost atom or a move beyond the skin at a list build as a blow-up. */
    const computeForces = (step: number) => {
      const builds = kernel.builds;
      try {
        kernel.compute(x, f, out);
      } catch (e) {
        if (e instanceof PhysicsError) throw blowUp(step, e.message);
        throw e;
      }
      const move = kernel.lastBuildMove;
      // A build follows a move of skin / 2; one step's move must stay within the skin.
      if (kernel.builds !== builds && move.distanceA > 1.5 * kernel.skin)
        throw blowUp(
          step,
          `atom ${move.atom + 1} (${typeOf(move.atom)}) moved ${move.distanceA.toPrecision(3)} A since the pair list was built, more than the ${kernel.skin} A skin in one step`,
        );
    };

    // MTK barostat (Martyna, Tobias and Klein, J. Chem. Phys. 101, 4177 (1994); the Trotter
    // splitting of Tuckerman et al., J. Phys. A 39, 5629 (2006), as LAMMPS fix npt). Each Cartesian
    // axis a has a strain rate v_a with mass W_a = (dof + 3) kT tau_P^2 / 3, driven by
    // G_a = K_aa + W_aa - P_ext V + 2 KE / dof (K the kinetic tensor, W the virial). Iso: one rate
    // for all three, driven by the mean of the G_a (the cell keeps its shape); aniso: each
    // barostatted axis on its own. Particles feel v_a + (sum_b v_b) / dof.
    const pExt = (options.pressureAtm ?? 1) / NKTV2P;
    const tauP = options.barostatDampingFs ?? 1000;
    const Waxis = ((dof + 3) * kT * tauP * tauP) / 3;
    const aniso = options.barostat === 'aniso';
    const active = aniso ? (options.barostatAxes ?? [true, true, true]) : [true, true, true];
    if (npt && !active.some(Boolean)) throw new OptionError('an aniso barostat needs at least one axis');
    const vEps = Float64Array.from(resume?.vEps ?? [0, 0, 0]);
    if (vEps.length !== 3) throw new OptionError('the checkpoint has no barostat rate for each axis');
    const Gaxis = new Float64Array(3);
    const baroHalf = () => {
      const W = out.virialKcalMol;
      const V = cell.volume;
      const ke2 = 2 * kinetic();
      for (let c = 0; c < 3; c++) {
        let k = 0;
        for (let i = 0; i < n; i++) k += mass[i] * v[3 * i + c] * v[3 * i + c];
        Gaxis[c] = k / FTM2V + W[c] - pExt * V + ke2 / dof;
      }
      if (!aniso) {
        const g = (Gaxis[0] + Gaxis[1] + Gaxis[2]) / (3 * Waxis);
        for (let c = 0; c < 3; c++) vEps[c] += (dt / 2) * g;
      } else for (let c = 0; c < 3; c++) if (active[c]) vEps[c] += ((dt / 2) * Gaxis[c]) / Waxis;
    };
    const sinhc = (z: number) => (Math.abs(z) < 1e-6 ? 1 + (z * z) / 6 : Math.sinh(z) / z);
    const eKick = new Float64Array(3);
    const gKick = new Float64Array(3);
    const kickNpt = () => {
      const trace = (vEps[0] + vEps[1] + vEps[2]) / dof;
      for (let c = 0; c < 3; c++) {
        const gamma = vEps[c] + trace;
        eKick[c] = Math.exp((-gamma * dt) / 2);
        gKick[c] = Math.exp((-gamma * dt) / 4) * sinhc((gamma * dt) / 4);
      }
      for (let i = 0; i < n; i++) {
        const a = (0.5 * dt * FTM2V) / mass[i];
        for (let c = 0; c < 3; c++) v[3 * i + c] = v[3 * i + c] * eKick[c] + a * gKick[c] * f[3 * i + c];
      }
    };
    const barostatEnergy = () =>
      pExt * cell.volume + 0.5 * Waxis * (vEps[0] * vEps[0] + vEps[1] * vEps[1] + vEps[2] * vEps[2]);

    // Deformation at a constant engineering rate (LAMMPS fix deform ... erate R remap x).
    const deform = options.deform;
    // [matrix entry that changes, matrix entry of its reference length]
    const DEFORM_INDEX: Record<DeformComponent, [number, number]> = {
      x: [0, 0],
      y: [4, 4],
      z: [8, 8],
      xy: [3, 4],
      xz: [6, 8],
      yz: [7, 8],
    };
    let deformReference = resume?.deformReference;
    let deformStart = 0;
    if (deform) {
      const m = cell.matrix;
      if (m[1] !== 0 || m[2] !== 0 || m[5] !== 0)
        throw new OptionError(
          'deformation needs the cell in LAMMPS orientation (a along x, b in the xy plane)',
        );
      if (!Number.isFinite(deform.ratePerFs))
        throw new OptionError(`deformation rate ${deform.ratePerFs} is not a number`);
      const [entry, refEntry] = DEFORM_INDEX[deform.component];
      if (npt && entry === refEntry && active[entry / 4])
        throw new OptionError(`the deformed axis ${deform.component} cannot also be barostatted`);
      if (deformReference === undefined) deformReference = m[refEntry];
      // The deformed entry's value at step 0 (recovered on resume from the current value).
      deformStart = m[entry] - deform.ratePerFs * deformReference * (resume?.step ?? 0) * dt;
    }
    /** Set the deformed entry for time t, remapping the positions affinely (remap x). */
    const applyDeform = (timeFs: number) => {
      if (!deform) return;
      const [entry] = DEFORM_INDEX[deform.component];
      const m = Float64Array.from(cell.matrix);
      const target = deformStart + deform.ratePerFs * deformReference! * timeFs;
      const row = Math.floor(entry / 3);
      const col = entry % 3;
      if (row === col) {
        // A length: scale Cartesian axis `col` of every cell vector and position.
        const scale = target / m[entry];
        for (let r = 0; r < 3; r++) m[3 * r + col] *= scale;
        for (let i = 0; i < n; i++) x[3 * i + col] *= scale;
      } else {
        // A tilt of vector `row` along `col`: atoms move with their fractional coordinate along it.
        const delta = target - m[entry];
        const len = m[4 * row];
        m[entry] = target;
        for (let i = 0; i < n; i++) x[3 * i + col] += (delta * x[3 * i + row]) / len;
      }
      cell = new Lattice(m);
      kernel.setLattice(cell);
    };

    const capture = (step: number): MdCheckpoint => {
      const list = kernel.listState();
      return {
        step,
        ensemble: options.ensemble,
        timeStepFs: dt,
        positions: Float64Array.from(x),
        velocities: Float64Array.from(v),
        cell: Array.from(cell.matrix),
        eta: Array.from(eta),
        vEta: Array.from(vEta),
        vEps: Array.from(vEps),
        deformReference,
        langevinWork,
        randomState: rng.getState(),
        threads,
        list: list && {
          reference: Float64Array.from(list.reference),
          cell: Array.from(list.lattice.matrix),
          ...(list.shells && { shells: Float64Array.from(list.shells) }),
        },
      };
    };

    const thermoEvery = options.thermoEvery ?? 100;
    const frameEvery = options.frameEvery ?? 0;
    const checkpointEvery = options.checkpointEvery ?? 0;
    const first = resume ? resume.step : 0;
    // A resumed run's start was reported (and written) before it stopped.
    if (!resume) {
      report(0);
      if (frameEvery > 0) await options.onFrame?.(0, x, v, cell);
    }
    const half = 0.5 * dt * FTM2V;
    for (let step = first + 1; step <= options.steps; step++) {
      if (options.signal?.aborted) {
        checkNow(step - 1);
        await options.onCheckpoint?.(capture(step - 1));
        throw new RunCancelled(step - 1);
      }
      if (npt) {
        nhcHalf();
        baroHalf();
        kickNpt();
        // Positions and cell scale with exp(v_a dt) along each axis; velocities carry the particles.
        const m = Float64Array.from(cell.matrix);
        for (let c = 0; c < 3; c++)
          if (!(Math.abs(vEps[c] * dt) <= BLOW_UP.cellChangePerStep))
            throw blowUp(
              step,
              Number.isFinite(vEps[c])
                ? `the barostat changes the cell's ${'xyz'[c]} edge by a factor ${Math.exp(vEps[c] * dt).toPrecision(3)} in one step (more than ${100 * BLOW_UP.cellChangePerStep} %)`
                : `the barostat's strain rate along ${'xyz'[c]} is not a number`,
            );
        for (let c = 0; c < 3; c++) {
          const grow = Math.exp(vEps[c] * dt);
          const drift = dt * Math.exp((vEps[c] * dt) / 2) * sinhc((vEps[c] * dt) / 2);
          for (let i = 0; i < n; i++) x[3 * i + c] = x[3 * i + c] * grow + v[3 * i + c] * drift;
          for (let r = 0; r < 3; r++) m[3 * r + c] *= grow;
        }
        cell = new Lattice(m);
        kernel.setLattice(cell);
        applyDeform(step * dt);
        computeForces(step);
        kickNpt();
        baroHalf();
        nhcHalf();
      } else {
        if (options.ensemble === 'nvt') nhcHalf();
        for (let i = 0; i < n; i++) {
          const a = half / mass[i];
          for (let c = 0; c < 3; c++) v[3 * i + c] += a * f[3 * i + c];
        }
        if (options.ensemble === 'langevin') {
          // BAOAB: half drift, Ornstein-Uhlenbeck velocity update, half drift.
          for (let k = 0; k < x.length; k++) x[k] += 0.5 * dt * v[k];
          // The random kicks lose their centre-of-mass velocity sum m k / M, so the total
          // momentum stays zero and the 3N - 3 degrees of freedom the temperature counts are the
          // ones thermalised (else T comes out 3N / (3N - 3) too high). In mass-weighted velocities
          // this is the orthogonal projection, so those 3N - 3 still get canonical noise. LAMMPS
          // fix langevin zero yes keeps the momentum at zero too, by removing the mean random force.
          const before = kinetic();
          kickCom.fill(0);
          for (let i = 0; i < n; i++) {
            const s = c2 * Math.sqrt((kT * FTM2V) / mass[i]);
            for (let c = 0; c < 3; c++) {
              const k = s * rng.gaussian();
              kick[3 * i + c] = k;
              kickCom[c] += mass[i] * k;
            }
          }
          for (let c = 0; c < 3; c++) kickCom[c] /= M;
          for (let i = 0; i < n; i++)
            for (let c = 0; c < 3; c++) v[3 * i + c] = c1 * v[3 * i + c] + (kick[3 * i + c] - kickCom[c]);
          langevinWork -= kinetic() - before;
          for (let k = 0; k < x.length; k++) x[k] += 0.5 * dt * v[k];
        } else for (let k = 0; k < x.length; k++) x[k] += dt * v[k];
        applyDeform(step * dt);
        computeForces(step);
        for (let i = 0; i < n; i++) {
          const a = half / mass[i];
          for (let c = 0; c < 3; c++) v[3 * i + c] += a * f[3 * i + c];
        }
        if (options.ensemble === 'nvt') nhcHalf();
      }
      if (step % thermoEvery === 0 || step === options.steps) report(step);
      if (frameEvery > 0 && step % frameEvery === 0) {
        checkNow(step);
        await options.onFrame?.(step, x, v, cell);
      }
      if (checkpointEvery > 0 && step % checkpointEvery === 0) {
        checkNow(step);
        await options.onCheckpoint?.(capture(step));
      }
      if (step % 100 === 0) {
        options.onProgress?.(step, options.steps);
        // Let timers, signals and worker messages through (a cancel request is one of them).
        if (options.signal) await new Promise((r) => setImmediate(r));
      }
    }
    return { positions: x, velocities: v, lattice: cell };
  } finally {
    kernel.dispose();
  }
};
