import type { Fields } from '../io/settings-fields.js';

/**
 * The [mechanics] section of a study file: the study's large-scale mechanics (../shared/SCIENCE.md,
 * section 3) on the study's model, replicated: NPT at zero pressure, then constant-strain-rate
 * deformation along each direction from the same equilibrated state, other boundaries at zero
 * pressure; per replica (an independent model, seeds seed, seed + 1, ...) and direction the
 * modulus and 0.2 % offset yield (analysis/mechanics), then their means over replicas with 95 %
 * intervals.
 *
 *   [mechanics]
 *   directions = ["tensile-x", "shear-yz"]   # tensile-x|y|z, shear-yz|xz|xy
 *   strain = 0.1                             # final engineering strain
 *   rate = 1e-3                              # 1/ps (the study's)
 *   replicas = 3                             # independent models
 *   supercell = [2, 2, 2]                    # the model cell repeated (1,024 atoms from 128)
 *   temperature = 300                        # K
 *   equilibrate_ps = 100                     # NPT at 0 atm before deforming (after a 2 ps Langevin relax)
 *   minimise = true                          # FIRE on the packed model first
 *   engine = "lammps"                        # or "embedded"
 *   mpi_processes = 2
 *   thermo_every = 100                       # steps between stress rows
 */
export const DIRECTIONS = [
  'tensile-x',
  'tensile-y',
  'tensile-z',
  'shear-yz',
  'shear-xz',
  'shear-xy',
] as const;
export type MechanicsDirection = (typeof DIRECTIONS)[number];

export interface MechanicsSpec {
  directions: MechanicsDirection[];
  strain: number;
  ratePerPs: number;
  replicas: number;
  supercell: [number, number, number];
  temperatureK: number;
  equilibratePs: number;
  minimise: boolean;
  engine: 'embedded' | 'lammps';
  mpiProcesses: number;
  thermoEvery: number;
  timeStepFs: number;
}

/** Read [mechanics]; null when the study file has none (an empty table). */
export const mechanicsFromFields = (f: Fields): MechanicsSpec | null => {
  if (Object.keys(f.raw).length === 0) return null;
  const dirs = f.use('directions') ?? ['tensile-x', 'shear-yz'];
  if (
    !Array.isArray(dirs) ||
    dirs.length === 0 ||
    !dirs.every((d) => (DIRECTIONS as readonly unknown[]).includes(d)) ||
    new Set(dirs).size !== dirs.length
  )
    throw f.error('directions', `distinct directions among ${DIRECTIONS.join(', ')}`, dirs);
  const cells = f.use('supercell') ?? [1, 1, 1];
  if (
    !Array.isArray(cells) ||
    cells.length !== 3 ||
    !cells.every((k) => Number.isInteger(k) && k >= 1 && k <= 20)
  )
    throw f.error('supercell', 'three whole repeat counts 1-20, e.g. [2, 2, 2]', cells);
  const spec: MechanicsSpec = {
    directions: dirs as MechanicsDirection[],
    strain: f.num('strain', 0.1, (v) => v > 0 && v < 2, 'a final strain in (0, 2)'),
    ratePerPs: f.num('rate', 1e-3, (v) => v > 0 && v < 1, 'a strain rate in (0, 1) per ps'),
    replicas: f.num('replicas', 3, (v) => Number.isInteger(v) && v >= 1 && v <= 100, 'a whole number 1-100'),
    supercell: cells as [number, number, number],
    temperatureK: f.positive('temperature', 300, 'K'),
    equilibratePs: f.num('equilibrate_ps', 100, (v) => v >= 0, 'a time >= 0 (ps)'),
    minimise: f.bool('minimise', true),
    engine: f.str('engine', 'embedded', ['embedded', 'lammps'] as const),
    mpiProcesses: f.whole('mpi_processes', 1, 1),
    thermoEvery: f.whole('thermo_every', 100, 1),
    timeStepFs: f.positive('time_step', 1, 'fs'),
  };
  f.done();
  return spec;
};
