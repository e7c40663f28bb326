/**
 * oligolyte/engines: run a protocol on the engine it names (the embedded one or LAMMPS, with
 * MPI), and LAMMPS input files with exactly oligolyte's force field.
 */
export { type LammpsExport, lammpsFiles, writeLammpsExport } from './lammps-export.js';
export { findLammps, type LammpsRunOptions, runProtocolInLammps } from './lammps-run.js';
export { type RunOptions, runProtocol, withEngine } from './run-protocol.js';
