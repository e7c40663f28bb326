import { OptionError } from '../../core/errors.js';
import type { Structure } from '../../core/frame.js';
import { BOHR_A } from '../../core/units.js';
import type { Cp2kSettings } from './settings.js';

/**
 * CP2K input files (Quickstep, GPW) from an oligolyte structure and settings. Coordinates and the
 * cell are written in A (CP2K's default unit for &COORD and &CELL); CP2K reports energies in
 * Hartree and forces in Hartree/bohr, which output.ts converts back.
 */

/** Atomic unit of time (fs), CODATA 2018: hbar / E_h. */
export const AU_TIME_FS = 2.4188843265857e-2;

/** What CP2K is asked to do. */
export type Cp2kJob =
  | { kind: 'energy' }
  | {
      kind: 'optimise';
      /** Relax the cell too (CELL_OPT), else atoms only (GEO_OPT). */
      cell: boolean;
      maxSteps: number;
      /** CELL_OPT target pressure (GPa). */
      pressureGPa?: number;
      /** Largest force at convergence (eV/A; CP2K's MAX_FORCE). */
      maxForceEvA?: number;
    }
  | {
      kind: 'md';
      /** NVT with a thermostat, or NVE. */
      ensemble: 'nvt' | 'nve';
      temperatureK: number;
      timeStepFs: number;
      steps: number;
      /** CSVR (Bussi-Donadio-Parrinello canonical sampling through velocity rescaling) or Nose-Hoover chain. */
      thermostat: 'csvr' | 'nose';
      /** Thermostat time constant (fs). */
      timeConstantFs: number;
      /** Trajectory frame (positions, velocities, forces) every n steps. */
      dumpEvery: number;
      /** Thermo (energies, temperature, stress) every n steps. */
      thermoEvery: number;
      /** Start velocities (A/fs); absent: drawn by CP2K at temperatureK from seed. */
      velocities?: Float64Array;
      seed: number;
    };

/** Project name of every run (file names in the working directory start with it). */
export const CP2K_PROJECT = 'oligolyte';

const fmt = (x: number): string => (Object.is(x, -0) ? '0' : x.toPrecision(15).replace(/\.?0+$/, ''));

/** E_h/bohr in eV/A, for MAX_FORCE. */
const EV_A_PER_AU_FORCE = 27.211386245988 / BOHR_A;

const velocitySection = (s: Structure, v: Float64Array): string[] => {
  // CP2K reads &VELOCITY in atomic units (bohr per atomic time unit).
  const k = AU_TIME_FS / BOHR_A;
  const out = ['    &VELOCITY'];
  for (let i = 0; i < s.topology.natoms; i++)
    out.push(`      ${fmt(v[3 * i] * k)} ${fmt(v[3 * i + 1] * k)} ${fmt(v[3 * i + 2] * k)}`);
  out.push('    &END VELOCITY');
  return out;
};

const motionSection = (job: Cp2kJob): string[] => {
  if (job.kind === 'energy') return [];
  if (job.kind === 'optimise') {
    const opt = job.cell ? 'CELL_OPT' : 'GEO_OPT';
    const lines = ['&MOTION', `  &${opt}`, '    OPTIMIZER BFGS', `    MAX_ITER ${job.maxSteps}`];
    if (job.maxForceEvA !== undefined)
      lines.push(`    MAX_FORCE ${fmt(job.maxForceEvA / EV_A_PER_AU_FORCE)}`);
    if (job.cell) {
      lines.push('    TYPE DIRECT_CELL_OPT', `    EXTERNAL_PRESSURE [GPa] ${fmt(job.pressureGPa ?? 0)}`);
      lines.push('    KEEP_SYMMETRY .FALSE.');
    }
    lines.push(
      `  &END ${opt}`,
      '  &PRINT',
      '    &TRAJECTORY',
      '      FORMAT XYZ',
      '      &EACH',
      `        ${opt} 1`,
      '      &END EACH',
      '    &END TRAJECTORY',
      '    &CELL',
      '      &EACH',
      `        ${opt} 1`,
      '      &END EACH',
      '    &END CELL',
      '  &END PRINT',
      '&END MOTION',
    );
    return lines;
  }
  const lines = [
    '&MOTION',
    '  &MD',
    `    ENSEMBLE ${job.ensemble === 'nvt' ? 'NVT' : 'NVE'}`,
    `    STEPS ${job.steps}`,
    `    TIMESTEP ${fmt(job.timeStepFs)}`,
    `    TEMPERATURE ${fmt(job.temperatureK)}`,
  ];
  if (job.ensemble === 'nvt') {
    lines.push('    &THERMOSTAT', '      REGION GLOBAL');
    if (job.thermostat === 'csvr')
      lines.push(
        '      TYPE CSVR',
        '      &CSVR',
        `        TIMECON ${fmt(job.timeConstantFs)}`,
        '      &END CSVR',
      );
    else
      lines.push(
        '      TYPE NOSE',
        '      &NOSE',
        '        LENGTH 3',
        `        TIMECON ${fmt(job.timeConstantFs)}`,
        '      &END NOSE',
      );
    lines.push('    &END THERMOSTAT');
  }
  const each = (n: number) => ['      &EACH', `        MD ${n}`, '      &END EACH'];
  // ADD_LAST: the last step is written whatever the interval (the state the next stage starts from).
  const frames = (n: number) => [...each(n), '      ADD_LAST NUMERIC'];
  lines.push(
    // The energies file (.ener) is MD's own print key.
    '    &PRINT',
    '      &ENERGY',
    '        &EACH',
    `          MD ${job.thermoEvery}`,
    '        &END EACH',
    '        ADD_LAST NUMERIC',
    '      &END ENERGY',
    '    &END PRINT',
    '  &END MD',
    '  &PRINT',
    '    &TRAJECTORY',
    '      FORMAT XYZ',
    ...frames(job.dumpEvery),
    '    &END TRAJECTORY',
    '    &VELOCITIES',
    '      FORMAT XYZ',
    ...frames(job.dumpEvery),
    '    &END VELOCITIES',
    '    &FORCES',
    '      FORMAT XYZ',
    ...frames(job.dumpEvery),
    '    &END FORCES',
    '    &CELL',
    ...frames(job.thermoEvery),
    '    &END CELL',
    '    &STRESS',
    ...frames(job.thermoEvery),
    '    &END STRESS',
    '    &RESTART',
    '      BACKUP_COPIES 0',
    ...each(job.dumpEvery),
    '    &END RESTART',
    '  &END PRINT',
    '&END MOTION',
  );
  return lines;
};

/** The elements of a structure, in first-seen order (one &KIND each). */
export const kindsOf = (s: Structure): string[] => {
  const seen: string[] = [];
  for (let i = 0; i < s.topology.natoms; i++) {
    const e = s.topology.symbol(i);
    if (!seen.includes(e)) seen.push(e);
  }
  return seen;
};

export interface Cp2kInputOptions {
  /** Read the start wavefunction from this file (a previous run of the same atoms). */
  wavefunctionFile?: string;
  /** Directory of the basis and potential files (default: CP2K's own data directory). */
  dataDir?: string;
}

/** The CP2K input text for `job` on structure `s` with `settings`. */
export const cp2kInput = (
  s: Structure,
  settings: Cp2kSettings,
  job: Cp2kJob,
  options: Cp2kInputOptions = {},
): string => {
  const lat = s.frame.lattice;
  if (!lat) throw new OptionError('CP2K runs here need a periodic cell (the structure has none)');
  const runType =
    job.kind === 'energy' ? 'ENERGY_FORCE' : job.kind === 'md' ? 'MD' : job.cell ? 'CELL_OPT' : 'GEO_OPT';
  const file = (name: string) => (options.dataDir ? `${options.dataDir}/${name}` : name);
  const m = lat.matrix;
  const p = s.frame.positions;
  const scf: string[] = [
    '    &SCF',
    `      SCF_GUESS ${options.wavefunctionFile ? 'RESTART' : 'ATOMIC'}`,
    `      EPS_SCF ${settings.epsScf.toExponential()}`,
    `      MAX_SCF ${settings.maxScf}`,
  ];
  if (settings.scf === 'ot')
    scf.push(
      '      &OT',
      '        MINIMIZER DIIS',
      `        PRECONDITIONER ${settings.preconditioner}`,
      // The HOMO-LUMO gap the preconditioner assumes (Hartree): these insulators have several eV.
      '        ENERGY_GAP 0.1',
      '      &END OT',
      '      &OUTER_SCF',
      `        EPS_SCF ${settings.epsScf.toExponential()}`,
      `        MAX_SCF ${settings.maxOuterScf}`,
      '      &END OUTER_SCF',
    );
  else
    scf.push(
      `      ADDED_MOS ${settings.addedMos}`,
      '      &DIAGONALIZATION',
      '        ALGORITHM STANDARD',
      '      &END DIAGONALIZATION',
      '      &MIXING',
      '        METHOD BROYDEN_MIXING',
      '        ALPHA 0.2',
      '        NBROYDEN 8',
      '      &END MIXING',
      '      &SMEAR ON',
      '        METHOD FERMI_DIRAC',
      `        ELECTRONIC_TEMPERATURE [K] ${fmt(settings.smearingK)}`,
      '      &END SMEAR',
    );
  scf.push('    &END SCF');
  const vdw =
    settings.dispersion === 'none'
      ? []
      : [
          '      &VDW_POTENTIAL',
          '        POTENTIAL_TYPE PAIR_POTENTIAL',
          '        &PAIR_POTENTIAL',
          `          TYPE ${settings.dispersion === 'd3' ? 'DFTD3' : 'DFTD3(BJ)'}`,
          `          PARAMETER_FILE_NAME ${file('dftd3.dat')}`,
          `          REFERENCE_FUNCTIONAL ${settings.functional}`,
          `          R_CUTOFF [angstrom] ${fmt(settings.d3CutoffA)}`,
          '        &END PAIR_POTENTIAL',
          '      &END VDW_POTENTIAL',
        ];
  const lines = [
    '# written by oligolyte (engines/cp2k/input.ts)',
    '&GLOBAL',
    `  PROJECT ${CP2K_PROJECT}`,
    `  RUN_TYPE ${runType}`,
    '  PRINT_LEVEL LOW',
    ...(job.kind === 'md' ? [`  SEED ${job.seed}`] : []),
    '&END GLOBAL',
    '&FORCE_EVAL',
    '  METHOD QS',
    '  STRESS_TENSOR ANALYTICAL',
    '  &DFT',
    `    BASIS_SET_FILE_NAME ${file(settings.basisFile)}`,
    `    POTENTIAL_FILE_NAME ${file(settings.potentialFile)}`,
    ...(options.wavefunctionFile ? [`    WFN_RESTART_FILE_NAME ${options.wavefunctionFile}`] : []),
    `    CHARGE ${settings.charge}`,
    '    &MGRID',
    `      CUTOFF ${fmt(settings.cutoffRy)}`,
    `      REL_CUTOFF ${fmt(settings.relCutoffRy)}`,
    `      NGRIDS ${settings.ngrids}`,
    '    &END MGRID',
    '    &QS',
    `      EPS_DEFAULT ${settings.epsDefault.toExponential()}`,
    '    &END QS',
    ...scf,
    '    &XC',
    `      &XC_FUNCTIONAL ${settings.functional}`,
    '      &END XC_FUNCTIONAL',
    ...vdw,
    '    &END XC',
    '  &END DFT',
    '  &SUBSYS',
    '    &CELL',
    `      A ${fmt(m[0])} ${fmt(m[1])} ${fmt(m[2])}`,
    `      B ${fmt(m[3])} ${fmt(m[4])} ${fmt(m[5])}`,
    `      C ${fmt(m[6])} ${fmt(m[7])} ${fmt(m[8])}`,
    '      PERIODIC XYZ',
    '    &END CELL',
    '    &COORD',
  ];
  for (let i = 0; i < s.topology.natoms; i++)
    lines.push(`      ${s.topology.symbol(i)} ${fmt(p[3 * i])} ${fmt(p[3 * i + 1])} ${fmt(p[3 * i + 2])}`);
  lines.push('    &END COORD');
  if (job.kind === 'md' && job.velocities) lines.push(...velocitySection(s, job.velocities));
  for (const e of kindsOf(s))
    lines.push(
      `    &KIND ${e}`,
      `      BASIS_SET ${settings.basis}`,
      `      POTENTIAL ${settings.potential}`,
      '    &END KIND',
    );
  lines.push('  &END SUBSYS');
  // Single points and optimisations print the forces and stress of each evaluation into the
  // output (output.ts reads the last); MD writes them to its own files (MOTION/PRINT).
  if (job.kind !== 'md')
    lines.push(
      '  &PRINT',
      '    &FORCES ON',
      '      NDIGITS 10',
      '    &END FORCES',
      '    &STRESS_TENSOR ON',
      '    &END STRESS_TENSOR',
      '  &END PRINT',
    );
  lines.push('&END FORCE_EVAL', ...motionSection(job));
  return `${lines.join('\n')}\n`;
};
