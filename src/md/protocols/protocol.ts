import { dirname, resolve } from 'node:path';
import { ParseError } from '../../core/errors.js';
import { DEFAULT_FORCE_FIELD, type MdCoulombMethod } from '../../forcefield/force-field.js';
import { Fields, type Raw } from '../../io/settings-fields.js';
import { readSettingsFile } from '../../io/settings-file.js';
import type { DeformComponent, Ensemble } from '../integrator.js';

/**
 * Simulation protocols as data. A protocol is an ordered list of MD stages, each continuing from
 * the previous one's positions, velocities and cell (a new thermostat per stage, as a new LAMMPS
 * fix), optionally followed by a temperature series: for each temperature, its own stages (by
 * default 10 ps equilibration at 1 fs, then 100 ps production at 2 fs, as the study), each
 * temperature in its own folder and all starting from the end of the shared stages.
 *
 * The file form (TOML or JSON, keys in snake_case, times in ps, time steps in fs):
 *
 *   structure = "glass.extxyz"     # relative to the protocol file
 *   engine = "embedded"            # or "lammps" (with mpi_processes = N), or "cp2k" (with a [cp2k] table)
 *   forcefield = "laoc-v1"         # or a force-field JSON file
 *   [[stage]]
 *   type = "melt-quench"           # NVT 600 K 10 ps, then 300 K 10 ps, 1 fs
 *   [[stage]]
 *   type = "npt"                   # reports the equilibrium density with its uncertainty
 *   temperature = 300
 *   pressure = 0                   # atm
 *   time_ps = 20
 *   [[stage]]                      # any MD stage may be repeated: hot01 ... hot60
 *   name = "hot"
 *   repeat = 60                    # and number_from = 1
 *   steps = 25
 *   [series]
 *   temperatures = [300, 400, 500, 600, 700]
 *   equilibrate_ps = 10            # or one time per temperature: [10, 100, 50, 10, 10]
 *   produce_ps = 100               # likewise, e.g. [50, 400, 200, 50, 50]
 *   ensemble = "npt"               # optional: constant pressure (default: NVT, the study's)
 *   pressure = 0                   # atm, with ensemble = "npt"
 */

export interface StageSpec {
  /** Folder name and label (unique within its list). */
  name: string;
  ensemble: Ensemble;
  temperatureK: number;
  timeStepFs: number;
  steps: number;
  /** NPT target pressure (atm). */
  pressureAtm: number;
  dampingFs: number;
  barostatDampingFs: number;
  thermoEvery: number;
  /** Trajectory frame every n steps (0: none). */
  dumpEvery: number;
  /** Include velocities in the trajectory frames. */
  dumpVelocities: boolean;
  /** NPT: report the mean density, discarding this much of the stage's start (ps). */
  densityDiscardPs?: number;
  /** NPT barostat: iso (default) or per axis, with the axes it controls. */
  barostat?: 'iso' | 'aniso';
  barostatAxes?: [boolean, boolean, boolean];
  /** Constant-strain-rate deformation (engineering rate, 1/ps); writes stress-strain.csv. */
  deform?: { component: DeformComponent; ratePerPs: number };
}

export interface SeriesSpec {
  temperaturesK: number[];
  /** The stages each temperature runs (temperature filled in per branch). */
  stages: StageSpec[];
  /** How many temperatures run at once (worker threads; 1: one after another). */
  parallel: number;
  /**
   * Steps of each of `stages` per temperature (indexed as temperaturesK), when the file gives
   * equilibrate_ps or produce_ps as one time per temperature (a glass that is still ageing at the
   * cold end needs longer there: docs/FORCEFIELD-NOTES.md); absent, every temperature runs
   * `stages` as given. Read a temperature's stages with seriesBranchStages.
   */
  stepsPerTemperature?: number[][];
}

/** The stages series temperature `b` runs: its temperature filled in, its own steps if given. */
export const seriesBranchStages = (series: SeriesSpec, b: number): StageSpec[] =>
  series.stages.map((s, k) => ({
    ...s,
    temperatureK: series.temperaturesK[b],
    steps: series.stepsPerTemperature?.[b][k] ?? s.steps,
  }));

/** Steps of series temperature `b`, over its stages. */
export const seriesBranchSteps = (series: SeriesSpec, b: number): number =>
  seriesBranchStages(series, b).reduce((a, s) => a + s.steps, 0);

export interface ProtocolSpec {
  /**
   * The embedded engine (default), LAMMPS (`lmp`, with `mpiProcesses` MPI ranks per run) or CP2K
   * (ab initio MD, `cp2k.psmp`; its settings in `cp2k`, read by engines/cp2k).
   */
  engine: 'embedded' | 'lammps' | 'cp2k';
  /** engine = "cp2k": the [cp2k] table as given (preset, overrides, thermostat), checked by engines/cp2k. */
  cp2k?: Record<string, unknown>;
  mpiProcesses: number;
  /** Start structure (absolute path), unless the caller supplies one. */
  structure?: string;
  forcefield: string;
  coulomb?: MdCoulombMethod;
  seed: number;
  checkpointEvery: number;
  dumpFormat: 'extxyz' | 'lammps-dump';
  stages: StageSpec[];
  series?: SeriesSpec;
}

const ENSEMBLES: readonly Ensemble[] = ['nve', 'nvt', 'langevin', 'npt'];
const STAGE_TYPES = ['md', 'melt-quench', 'npt', 'deform'] as const;
const DEFORM_MODES = ['tensile-x', 'tensile-y', 'tensile-z', 'shear-yz', 'shear-xz', 'shear-xy'] as const;

/** Steps from time_ps (or steps) and the time step. */
const stepsOf = (f: Fields, dt: number, defPs?: number): number => {
  if (f.has('steps')) {
    if (f.has('time_ps')) throw f.error('steps', 'either steps or time_ps, not both', f.raw.steps);
    return f.whole('steps', undefined, 1);
  }
  const ps = f.positive('time_ps', defPs, 'ps');
  const steps = Math.round((ps * 1000) / dt);
  if (Math.abs(steps * dt - ps * 1000) > 1e-6 * ps * 1000)
    throw f.error('time_ps', `a whole number of ${dt} fs steps`, ps);
  return steps;
};

interface StageDefaults {
  name: string;
  ensemble: Ensemble;
  temperatureK?: number;
  timeStepFs: number;
  timePs?: number;
  dumpEvery: number;
}

const mdStage = (f: Fields, d: StageDefaults): StageSpec => {
  const timeStepFs = f.positive('time_step', d.timeStepFs, 'fs');
  if (timeStepFs > 10) throw f.error('time_step', 'at most 10 fs', timeStepFs);
  const ensemble = f.str('ensemble', d.ensemble, ENSEMBLES);
  return {
    name: f.str('name', d.name),
    ensemble,
    temperatureK: f.positive('temperature', d.temperatureK, 'K'),
    timeStepFs,
    steps: stepsOf(f, timeStepFs, d.timePs),
    pressureAtm: f.num('pressure', ensemble === 'npt' ? 0 : 1, Number.isFinite, 'a pressure (atm)'),
    dampingFs: f.positive('damping', 100, 'fs'),
    barostatDampingFs: f.positive('barostat_damping', 1000, 'fs'),
    thermoEvery: f.whole('thermo_every', 100, 1),
    dumpEvery: f.whole('dump_every', d.dumpEvery),
    dumpVelocities: f.bool('dump_velocities', false),
    barostat: ensemble === 'npt' ? f.str('barostat', 'iso', ['iso', 'aniso'] as const) : undefined,
  };
};

/** Expand one [[stage]] entry into MD stages. */
const stageEntry = (f: Fields, index: number): StageSpec[] => {
  const type = f.str('type', 'md', STAGE_TYPES);
  if (type === 'melt-quench') {
    // The study: NVT (Nose-Hoover) at 1 fs, 600 K for 10 ps then 300 K for 10 ps.
    const dt = f.positive('time_step', 1, 'fs');
    const common = {
      ensemble: 'nvt' as Ensemble,
      timeStepFs: dt,
      pressureAtm: 1,
      dampingFs: f.positive('damping', 100, 'fs'),
      barostatDampingFs: 1000,
      thermoEvery: f.whole('thermo_every', 100, 1),
      dumpEvery: f.whole('dump_every', 1000),
      dumpVelocities: false,
    };
    const ps = (k: string, def: number) => {
      const v = f.positive(k, def, 'ps');
      const steps = Math.round((v * 1000) / dt);
      if (Math.abs(steps * dt - v * 1000) > 1e-6 * v * 1000)
        throw f.error(k, `a whole number of ${dt} fs steps`, v);
      return steps;
    };
    const out: StageSpec[] = [
      {
        ...common,
        name: 'melt',
        temperatureK: f.positive('melt_temperature', 600, 'K'),
        steps: ps('melt_ps', 10),
      },
      {
        ...common,
        name: 'quench',
        temperatureK: f.positive('quench_temperature', 300, 'K'),
        steps: ps('quench_ps', 10),
      },
    ];
    f.done();
    return out;
  }
  if (type === 'deform') {
    // The study's mechanics: constant strain rate 1e-3 /ps at 300 K, the other boundaries at
    // zero pressure (per-axis NPT): tensile along x, or shear in the yz plane.
    const mode = f.str('mode', 'tensile-x', DEFORM_MODES);
    const ratePerPs = f.num('rate', 1e-3, (v) => v !== 0 && Math.abs(v) < 1, 'a strain rate (1/ps), not 0');
    const strain = f.num('strain', 0.2, (v) => v > 0 && v < 10, 'the final engineering strain (> 0)');
    const dt = f.positive('time_step', 1, 'fs');
    const component = mode.split('-')[1] as DeformComponent;
    const axes: [boolean, boolean, boolean] = [true, true, true];
    if (component.length === 1) axes['xyz'.indexOf(component)] = false;
    const steps = Math.round((strain / Math.abs(ratePerPs)) * (1000 / dt));
    const s: StageSpec = {
      name: f.str('name', mode),
      ensemble: 'npt',
      temperatureK: f.positive('temperature', 300, 'K'),
      timeStepFs: dt,
      steps,
      pressureAtm: f.num('pressure', 0, Number.isFinite, 'a pressure (atm)'),
      dampingFs: f.positive('damping', 100, 'fs'),
      barostatDampingFs: f.positive('barostat_damping', 1000, 'fs'),
      thermoEvery: f.whole('thermo_every', 100, 1),
      dumpEvery: f.whole('dump_every', 10000),
      dumpVelocities: false,
      barostat: 'aniso',
      barostatAxes: axes,
      deform: { component, ratePerPs },
    };
    f.done();
    return [s];
  }
  const s = mdStage(f, {
    name: type === 'npt' ? 'npt' : `stage${index + 1}`,
    ensemble: type === 'npt' ? 'npt' : 'nvt',
    timeStepFs: 1,
    dumpEvery: 1000,
  });
  if (type === 'npt') {
    if (s.ensemble !== 'npt') throw f.error('ensemble', 'npt for a stage of type npt', s.ensemble);
    s.densityDiscardPs = f.num(
      'discard_ps',
      (s.steps * s.timeStepFs) / 2000,
      (v) => v >= 0 && v * 1000 < s.steps * s.timeStepFs,
      'a time (ps) shorter than the stage',
    );
  }
  // `repeat = n`: n copies of the stage, named <name>01, <name>02, ... (from `number_from`), each
  // its own folder and checkpoint: a long AIMD in short stages that a stop loses little of.
  const numbered = f.has('repeat') || f.has('number_from');
  const repeat = f.whole('repeat', 1, 1);
  const from = f.whole('number_from', 1, 0);
  f.done();
  if (!numbered) return [s];
  const width = Math.max(2, String(from + repeat - 1).length);
  return Array.from({ length: repeat }, (_, k) => ({
    ...s,
    name: `${s.name}${String(from + k).padStart(width, '0')}`,
  }));
};

/**
 * Whether a name (a stage's, from a protocol file that may come from anyone) is safe as one
 * folder name inside the run folder: letters, digits, _ . - only, and not only dots. A name with a
 * path separator or ".." could otherwise write outside the output folder.
 */
export const isFolderName = (name: string): boolean => /^[A-Za-z0-9_.-]+$/.test(name) && !/^\.+$/.test(name);

const uniqueNames = (stages: StageSpec[], f: Fields, where: string) => {
  const seen = new Set<string>();
  for (const s of stages) {
    // A stage name becomes a folder name: no separators, not "." or ".." (folders.ts checks too).
    if (!isFolderName(s.name))
      throw f.error(where, 'stage names of letters, digits, _ . - (not only dots)', s.name);
    if (seen.has(s.name)) throw f.error(where, 'distinct stage names', s.name);
    seen.add(s.name);
  }
};

/** Validate a parsed protocol; `file` names it in errors and anchors relative paths. */
export const protocolFromObject = (raw: unknown, file: string): ProtocolSpec => {
  const f = new Fields(raw as Raw, '', file);
  const structure = f.has('structure') ? resolve(dirname(file), f.str('structure', undefined)) : undefined;
  const forcefield = f.str('forcefield', DEFAULT_FORCE_FIELD);
  const engine = f.str('engine', 'embedded', ['embedded', 'lammps', 'cp2k'] as const);
  const spec: ProtocolSpec = {
    engine,
    mpiProcesses: f.whole('mpi_processes', 1, 1),
    structure,
    forcefield: forcefield.endsWith('.json') ? resolve(dirname(file), forcefield) : forcefield,
    coulomb: f.has('coulomb') ? f.str('coulomb', undefined, ['dsf', 'ewald'] as const) : undefined,
    seed: f.whole('seed', 1),
    checkpointEvery: f.whole('checkpoint_every', 1000),
    // LAMMPS writes its own dumps.
    dumpFormat: f.str('dump_format', engine === 'lammps' ? 'lammps-dump' : 'extxyz', [
      'extxyz',
      'lammps-dump',
    ] as const),
    stages: [],
  };
  const cp2k = f.use('cp2k');
  if (cp2k !== undefined) {
    if (engine !== 'cp2k') throw f.error('cp2k', 'a [cp2k] table only with engine = "cp2k"', cp2k);
    if (typeof cp2k !== 'object' || cp2k === null || Array.isArray(cp2k))
      throw f.error('cp2k', 'a [cp2k] table of settings', cp2k);
    spec.cp2k = cp2k as Record<string, unknown>;
  }
  const stages = f.use('stage');
  if (stages !== undefined) {
    if (!Array.isArray(stages)) throw f.error('stage', 'a list of [[stage]] tables', stages);
    stages.forEach((s, k) => {
      spec.stages.push(...stageEntry(new Fields(s as Raw, `stage[${k + 1}]`, file), k));
    });
  }
  uniqueNames(spec.stages, f, 'stage');
  const series = f.use('series');
  if (series !== undefined) {
    const g = new Fields(series as Raw, 'series', file);
    const temps = g.use('temperatures') ?? [300, 400, 500, 600, 700];
    if (!Array.isArray(temps) || temps.length === 0 || temps.some((t) => typeof t !== 'number' || !(t > 0)))
      throw g.error('temperatures', 'a list of positive temperatures (K)', temps);
    if (new Set(temps).size !== temps.length) throw g.error('temperatures', 'distinct temperatures', temps);
    const eqDt = g.positive('equilibrate_time_step', 1, 'fs');
    const prDt = g.positive('produce_time_step', 2, 'fs');
    const stepsOf = (k: string, v: number, dt: number) => {
      const steps = Math.round((v * 1000) / dt);
      if (Math.abs(steps * dt - v * 1000) > 1e-6 * Math.max(1, v * 1000))
        throw g.error(k, `a whole number of ${dt} fs steps`, v);
      return steps;
    };
    // One time for every temperature, or a list with one per temperature (all positive: a stage
    // skipped at some temperatures only would renumber that temperature's folders).
    const ps = (k: string, def: number, dt: number): number[] => {
      const raw = g.use(k);
      if (!Array.isArray(raw)) {
        const v = g.num(k, def, (x) => x >= 0, 'a time (ps), 0 to skip, or one time per temperature');
        return temps.map(() => stepsOf(k, v, dt));
      }
      if (
        raw.length !== temps.length ||
        raw.some((x) => typeof x !== 'number' || !Number.isFinite(x) || !(x > 0))
      )
        throw g.error(k, `one positive time (ps) per temperature (${temps.length})`, raw);
      return raw.map((x) => stepsOf(k, x as number, dt));
    };
    // The study's transport runs are NVT at the model's density; ensemble = "npt" runs both stages
    // of every temperature at `pressure` instead (isotropic barostat), the cell free to expand.
    const ensemble = g.str('ensemble', 'nvt', ENSEMBLES);
    if (ensemble !== 'npt')
      for (const k of ['pressure', 'barostat_damping'])
        if (g.has(k)) throw g.error(k, 'only with ensemble = "npt"', g.raw[k]);
    const common = {
      ensemble,
      temperatureK: 0,
      pressureAtm: g.num('pressure', ensemble === 'npt' ? 0 : 1, Number.isFinite, 'a pressure (atm)'),
      dampingFs: g.positive('damping', 100, 'fs'),
      barostatDampingFs: g.positive('barostat_damping', 1000, 'fs'),
      barostat: ensemble === 'npt' ? ('iso' as const) : undefined,
      thermoEvery: g.whole('thermo_every', 100, 1),
      dumpVelocities: g.bool('dump_velocities', false),
    };
    const eqSteps = ps('equilibrate_ps', 10, eqDt);
    const prSteps = ps('produce_ps', 100, prDt);
    if (prSteps[0] === 0) throw g.error('produce_ps', 'a positive production time', 0);
    const equilibrate = eqSteps[0] > 0;
    const branch: StageSpec[] = [];
    if (equilibrate)
      branch.push({ ...common, name: 'equilibrate', timeStepFs: eqDt, steps: eqSteps[0], dumpEvery: 0 });
    branch.push({
      ...common,
      name: 'produce',
      timeStepFs: prDt,
      steps: prSteps[0],
      // Frames for the transport analysis: every 0.1 ps by default.
      dumpEvery: g.whole('dump_every', Math.max(1, Math.round(100 / prDt)), 1),
    });
    const perTemperature = temps.map((_, b) => (equilibrate ? [eqSteps[b], prSteps[b]] : [prSteps[b]]));
    spec.series = {
      temperaturesK: temps as number[],
      stages: branch,
      parallel: g.whole('parallel', 1, 1),
      // Only when the times differ between temperatures (a plain series stays as before).
      ...(perTemperature.some((x) => x.some((n, k) => n !== branch[k].steps))
        ? { stepsPerTemperature: perTemperature }
        : {}),
    };
    g.done();
  }
  f.done();
  if (spec.stages.length === 0 && !spec.series)
    throw new ParseError({ file, expected: 'at least one [[stage]] or a [series]', found: 'neither' });
  return spec;
};

/** Read a protocol file (.toml or .json). */
export const readProtocol = (path: string): ProtocolSpec =>
  protocolFromObject(readSettingsFile(path, 'protocol'), path);

/** Total MD steps (for plans and progress). */
export const protocolSteps = (p: ProtocolSpec): number =>
  p.stages.reduce((a, s) => a + s.steps, 0) +
  (p.series ? p.series.temperaturesK.reduce((a, _, b) => a + seriesBranchSteps(p.series!, b), 0) : 0);
