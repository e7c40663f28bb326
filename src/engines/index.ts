/**
 * oligolyte/engines: run a protocol on the engine it names (the embedded one, LAMMPS or CP2K,
 * with MPI), LAMMPS input files with exactly oligolyte's force field, and CP2K (DFT) single
 * points and geometry optimisations.
 */
export { AU_TIME_FS, CP2K_PROJECT, type Cp2kJob, cp2kInput, kindsOf } from './cp2k/input.js';
export { type Cp2kProtocolOptions, protocolCp2k, runProtocolInCp2k } from './cp2k/md.js';
export { type Cp2kOptimised, type Cp2kOptimiseOptions, cp2kOptimise } from './cp2k/optimise.js';
export {
  type Cp2kResult,
  cp2kAbortMessage,
  HARTREE_EV,
  HARTREE_PER_BOHR_EV_A,
  parseCp2kOutput,
} from './cp2k/output.js';
export {
  type Cp2kRunOptions,
  type Cp2kSinglePoint,
  cp2kSinglePoint,
  findCp2k,
  runCp2kInput,
} from './cp2k/run.js';
export {
  CP2K_PRESETS,
  type Cp2kSettings,
  cp2kPreset,
  cp2kSettingsFromObject,
  cp2kSettingsTable,
  DEFAULT_CP2K_PRESET,
  readCp2kSettings,
} from './cp2k/settings.js';
export { type LammpsExport, lammpsFiles, writeLammpsExport } from './lammps-export.js';
export { findLammps, type LammpsRunOptions, runProtocolInLammps } from './lammps-run.js';
export { type RunOptions, runProtocol, withEngine } from './run-protocol.js';
