/**
 * oligolyte/forcefield: force fields as data (laoc-v1 ... laoc-v4 or JSON), typing, energies,
 * forces and virial. LAMMPS real units (kcal/mol, kcal/mol/A), so numbers match LAMMPS's.
 */
export { computeEnergy, type EnergyResult, type EnergyTerms, virialPressureAtm } from './energy.js';
export {
  type AtomType,
  type BornTerm,
  BUILTIN_FORCE_FIELDS,
  bornPair,
  type CoulombMethod,
  DEFAULT_FORCE_FIELD,
  type DihedralTerm,
  type ForceField,
  type HarmonicTerm,
  LAOC_V1,
  LAOC_V2,
  LAOC_V3,
  LAOC_V4,
  LAOC_V5,
  MD_COULOMB_METHODS,
  type MdCoulombMethod,
  type ShellTerm,
  validateForceField,
  withCoulomb,
} from './force-field.js';
export { loadForceField } from './load.js';
export { checkOverlap, findOverlap, OVERLAP_DISTANCE_A, type Overlap } from './overlap.js';
export { MAX_SHELL_DISPLACEMENT_A } from './shells.js';
export { type ForceFieldChoice, type PreparedSystem, prepareSystem, resolveForceField } from './system.js';
export { perceiveBonds, type ShellSystem, type TypedSystem, typeSystem } from './typing.js';
