import { OptionError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import type { ProtocolSpec } from '../md/protocols/protocol.js';
import {
  type ProtocolResult,
  type ProtocolRunOptions,
  runEmbeddedProtocol,
} from '../md/protocols/run-protocol.js';
import { runProtocolInCp2k } from './cp2k/md.js';
import { type LammpsRunOptions, runProtocolInLammps } from './lammps-run.js';

/**
 * Options of runProtocol: the embedded engine's, and for LAMMPS and CP2K the executable and MPI
 * processes.
 */
export type RunOptions = ProtocolRunOptions &
  Pick<LammpsRunOptions, 'lmp' | 'mpiProcesses'> & { cp2k?: string };

/**
 * Run a protocol on the engine it names (spec.engine): the embedded engine, or LAMMPS or CP2K
 * with spec.mpiProcesses MPI processes per run (options.mpiProcesses overrides). Both write the same
 * run folder (engines/lammps-run.ts, md/protocols/run-protocol.ts).
 */
export const runProtocol = (
  spec: ProtocolSpec,
  start: Structure,
  options: RunOptions,
): Promise<ProtocolResult> =>
  spec.engine === 'lammps'
    ? runProtocolInLammps(spec, start, {
        ...options,
        mpiProcesses: options.mpiProcesses ?? spec.mpiProcesses,
      })
    : spec.engine === 'cp2k'
      ? runProtocolInCp2k(spec, start, {
          ...options,
          mpiProcesses: options.mpiProcesses ?? spec.mpiProcesses,
        })
      : runEmbeddedProtocol(spec, start, options);

/**
 * The protocol with another engine and MPI process count: LAMMPS writes its own dump format, and
 * MPI processes only make sense for LAMMPS.
 */
export const withEngine = (
  spec: ProtocolSpec,
  change: { engine?: ProtocolSpec['engine']; mpiProcesses?: number },
): ProtocolSpec => {
  const out = { ...spec };
  if (change.engine) {
    out.engine = change.engine;
    if (out.engine === 'lammps') out.dumpFormat = 'lammps-dump';
    // CP2K's trajectories are converted to extended XYZ (engines/cp2k/md.ts).
    if (out.engine === 'cp2k') out.dumpFormat = 'extxyz';
  }
  if (change.mpiProcesses !== undefined) {
    if (!Number.isInteger(change.mpiProcesses) || change.mpiProcesses < 1)
      throw new OptionError(`mpiProcesses: ${change.mpiProcesses} is not a whole number >= 1`);
    out.mpiProcesses = change.mpiProcesses;
  }
  if (out.engine === 'embedded' && out.mpiProcesses > 1)
    throw new OptionError('MPI processes need the LAMMPS or CP2K engine');
  return out;
};
