import { OptionError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import type { Lattice } from '../core/lattice.js';
import { coulombShape } from '../forcefield/energy.js';
import type { ForceField } from '../forcefield/force-field.js';
import {
  atomForces,
  type CoulombShape,
  type RelaxOptions,
  relaxShells,
  ShellWorkspace,
} from '../forcefield/shells.js';
import { type ShellSystem, type TypedSystem, typeSystem } from '../forcefield/typing.js';
import { ForceKernel, type ForceOutput, newForceOutput } from './force-kernel.js';

/** What MD and minimisation use of a force kernel (ForceKernel, or RelaxedShellKernel for shells). */
export interface MdForceKernel {
  readonly skin: number;
  readonly builds: number;
  readonly lastBuildMove: { atom: number; distanceA: number };
  readonly threadCount: number;
  startThreads(threads: number): Promise<void>;
  dispose(): void;
  /** What a checkpoint stores for a bitwise resume (RelaxedShellKernel: the shells' places too). */
  listState(): { reference: Float64Array; lattice: Lattice; shells?: Float64Array } | undefined;
  restoreList(state: { reference: Float64Array; lattice: Lattice; shells?: Float64Array }): void;
  setLattice(lattice: Lattice): void;
  compute(positions: Float64Array, forces: Float64Array, out: ForceOutput): void;
}

/** The kernel for a typed system: relaxed shells when it has polarisable ions. */
export const makeForceKernel = (
  sys: TypedSystem,
  ff: ForceField,
  lattice: Lattice,
  skin: number,
): MdForceKernel =>
  sys.shells
    ? new RelaxedShellKernel(sys.shells, ff, lattice, skin)
    : new ForceKernel(sys, ff, lattice, skin);

/**
 * Polarisable ions in MD (forcefield/shells.ts): a ForceKernel over atoms and shells, the shells
 * relaxed at every evaluation from where the previous one left them (a step moves them little:
 * a few Anderson iterations), the atoms given their core's and shell's forces. The shells carry no
 * mass or velocity: the dynamics is of the atoms on the relaxed-shell energy surface. The spring
 * counts as a bond term and the core-shell Coulomb remainder as Coulomb, as LAMMPS reports them.
 */
export class RelaxedShellKernel implements MdForceKernel {
  private readonly inner: ForceKernel;
  private readonly coulomb: CoulombShape;
  private readonly displacement: Float64Array;
  private readonly ext: Float64Array;
  private readonly extForces: Float64Array;
  private readonly work: ShellWorkspace;
  private readonly n: number;
  readonly lastBuildMove = { atom: -1, distanceA: 0 };
  /** Shell iterations of the last evaluation. */
  lastIterations = 0;

  constructor(
    private readonly shells: ShellSystem,
    ff: ForceField,
    lattice: Lattice,
    skin: number,
    private readonly relax: RelaxOptions = {},
  ) {
    const total = shells.extended.natoms;
    this.n = total - shells.owner.length;
    this.inner = new ForceKernel(shells.extended, ff, lattice, skin);
    this.coulomb = coulombShape(ff);
    this.displacement = new Float64Array(3 * shells.owner.length);
    this.ext = new Float64Array(3 * total);
    this.extForces = new Float64Array(3 * total);
    this.work = new ShellWorkspace(shells.owner.length);
  }

  /** The shells' displacements from their atoms (A, 3 per shell): where the next relaxation starts. */
  get shellDisplacements(): Float64Array {
    return this.displacement;
  }

  get skin(): number {
    return this.inner.skin;
  }
  get builds(): number {
    return this.inner.builds;
  }
  get threadCount(): number {
    return this.inner.threadCount;
  }
  startThreads(threads: number): Promise<void> {
    return this.inner.startThreads(threads);
  }
  dispose(): void {
    this.inner.dispose();
  }
  listState(): { reference: Float64Array; lattice: Lattice; shells: Float64Array } | undefined {
    const state = this.inner.listState();
    return state && { ...state, shells: Float64Array.from(this.displacement) };
  }
  restoreList(state: { reference: Float64Array; lattice: Lattice; shells?: Float64Array }): void {
    this.inner.restoreList(state);
    if (state.shells) this.displacement.set(state.shells);
  }
  setLattice(lattice: Lattice): void {
    this.inner.setLattice(lattice);
  }

  compute(positions: Float64Array, forces: Float64Array, out: ForceOutput): void {
    const terms = relaxShells(
      this.shells,
      positions,
      this.displacement,
      this.coulomb,
      (x, f) => this.inner.compute(x, f, out),
      this.ext,
      this.extForces,
      this.relax,
      this.work,
    );
    this.lastIterations = terms.iterations;
    atomForces(this.shells, this.extForces, forces);
    out.termsKcalMol.bond += terms.spring;
    out.termsKcalMol.coulomb += terms.coulomb;
    for (let k = 0; k < 6; k++) out.virialKcalMol[k] += terms.virial[k];
    // A shell's move is its atom's (the integrator names atoms).
    const move = this.inner.lastBuildMove;
    this.lastBuildMove.atom = move.atom >= this.n ? this.shells.owner[move.atom - this.n] : move.atom;
    this.lastBuildMove.distanceA = move.distanceA;
  }
}

/**
 * A configuration's energy, forces and virial for force fields of polarisable ions through this
 * kernel (forcefield/fit's ShellSumsFactory): the shells tight (1e-8 kcal/mol/A: a fit's Jacobian
 * differs by 1e-6 of each parameter) and started where the last evaluation left them.
 */
export const relaxedShellSums = (
  s: Structure,
  lattice: Lattice,
): ((ff: ForceField) => { energy: number; forces: Float64Array; virial: Float64Array }) => {
  const positions = Float64Array.from(s.frame.positions);
  let start: Float64Array | undefined;
  return (ff) => {
    const typed = typeSystem(s, ff);
    if (!typed.shells) throw new OptionError(`${ff.name} has no polarisable ions (shells)`);
    const kernel = new RelaxedShellKernel(typed.shells, ff, lattice, 2, { toleranceKcalMolA: 1e-8 });
    try {
      if (start?.length === kernel.shellDisplacements.length) kernel.shellDisplacements.set(start);
      const forces = new Float64Array(positions.length);
      const out = newForceOutput();
      kernel.compute(positions, forces, out);
      start = Float64Array.from(kernel.shellDisplacements);
      const t = out.termsKcalMol;
      return { energy: t.bond + t.angle + t.dihedral + t.vdw + t.coulomb, forces, virial: out.virialKcalMol };
    } finally {
      kernel.dispose();
    }
  };
};
