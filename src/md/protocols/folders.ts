import { join } from 'node:path';
import { OptionError } from '../../core/errors.js';
import { isFolderName, type ProtocolSpec, type StageSpec } from './protocol.js';

/**
 * The names inside a run folder, in one place for both engines, the plan and the study:
 *
 *   01-melt/, 02-quench/                  shared stages (stageFolder)
 *   series/T500K/01-equilibrate/, ...     a series temperature's stages (seriesStageFolder)
 *   <stage>/trajectory.extxyz | .lammpstrj (trajectoryName)
 */

/** "01-melt", "02-quench", ... for the stage at index k of its list (refusing an unsafe name). */
export const stageFolder = (k: number, s: Pick<StageSpec, 'name'>): string => {
  if (!isFolderName(s.name))
    throw new OptionError(`stage name "${s.name}": only letters, digits, _ . - (it names a folder)`);
  return `${String(k + 1).padStart(2, '0')}-${s.name}`;
};

/** The folder of a series temperature, relative to the run folder: "series/T500K". */
export const branchFolder = (temperatureK: number): string => {
  if (!(temperatureK > 0 && Number.isFinite(temperatureK)))
    throw new OptionError(`series temperature ${temperatureK} K is not a positive number`);
  return join('series', `T${temperatureK}K`);
};

/** A series temperature's stage folder, relative to the run folder: "series/T500K/02-produce". */
export const seriesStageFolder = (temperatureK: number, k: number, s: Pick<StageSpec, 'name'>): string =>
  join(branchFolder(temperatureK), stageFolder(k, s));

/** The trajectory file of a stage written in this format. */
export const trajectoryName = (format: ProtocolSpec['dumpFormat']): string =>
  format === 'lammps-dump' ? 'trajectory.lammpstrj' : 'trajectory.extxyz';

/** The trajectory a protocol's engine writes (LAMMPS always writes its own dump). */
export const protocolTrajectoryName = (spec: Pick<ProtocolSpec, 'engine' | 'dumpFormat'>): string =>
  trajectoryName(spec.engine === 'lammps' ? 'lammps-dump' : spec.dumpFormat);

/** The production trajectory of a series temperature (its last stage), relative to the run folder. */
export const productionTrajectory = (spec: ProtocolSpec, temperatureK: number): string => {
  const stages = spec.series?.stages ?? [];
  if (stages.length === 0) throw new Error('the protocol has no series stages');
  const k = stages.length - 1;
  return join(seriesStageFolder(temperatureK, k, stages[k]), protocolTrajectoryName(spec));
};
