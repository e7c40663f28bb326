import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionError, PhysicsError } from '../../core/errors.js';
import type { Structure } from '../../core/frame.js';
import { Lattice } from '../../core/lattice.js';
import { blockAverage } from '../../core/statistics.js';
import { Topology, type TopologyInit } from '../../core/topology.js';
import { ATM_IN_GPA, densityGPerCm3 } from '../../core/units.js';
import type { ForceField } from '../../forcefield/force-field.js';
import type { TypedSystem } from '../../forcefield/typing.js';
import { AppendLog, frameText } from '../../io/append-log.js';
import { extxyz } from '../../io/formats/extxyz.js';
import { lammpsDump } from '../../io/formats/lammps-dump.js';
import { makeOutputFolder } from '../../io/output-errors.js';
import { readCheckpoint, writeCheckpoint } from '../checkpoint.js';
import { type MdCheckpoint, runMd } from '../integrator.js';
import { readThermoCsv, thermoHeader, thermoLine } from '../thermo-csv.js';
import { trajectoryName } from './folders.js';
import type { StageSpec } from './protocol.js';

/** Where a stage starts: positions (A, unwrapped), cell rows, and velocities (A/fs) unless drawn. */
export interface StageStart {
  positions: Float64Array;
  velocities?: Float64Array;
  cell: number[];
}

/** What one stage needs besides its spec; plain data, so it can be posted to a worker thread. */
export interface StageEnv {
  sys: TypedSystem;
  ff: ForceField;
  topology: TopologyInit;
  dumpFormat: 'extxyz' | 'lammps-dump';
  checkpointEvery: number;
  seed: number;
  /** Threads for the pair forces (default 1; a resumed stage keeps its checkpoint's). */
  threads?: number;
  /** Continue from the stage's checkpoint or skip it when finished (else start afresh). */
  resume: boolean;
}

export interface Stat {
  mean: number;
  standardError: number;
}

/** Averages over a stage's thermo rows (after `discardPs` for NPT), with block-averaged errors. */
export interface StageSummary {
  name: string;
  ensemble: string;
  steps: number;
  timeStepFs: number;
  targetTemperatureK: number;
  targetPressureAtm?: number;
  discardedPs: number;
  temperatureK: Stat;
  potentialKcalMol: Stat;
  pressureAtm: Stat;
  densityGPerCm3: Stat;
  volumeA3: Stat;
  /** Final values. */
  final: { temperatureK: number; potentialKcalMol: number; densityGPerCm3: number; cell: number[] };
}

export interface StageOutcome {
  final: StageStart;
  summary: StageSummary;
}

export const topologyInit = (t: Topology): TopologyInit => ({
  symbols: Array.from({ length: t.natoms }, (_, i) => t.symbol(i)),
  masses: t.masses,
  charges: t.charges,
  moleculeIds: t.moleculeIds,
  typeIds: t.typeIds,
  roles: t.roles,
  ...t.bonded,
});

/**
 * A finished stage's summary, read back for a resumed run: summary.json is written last, so a
 * stage that has it (readable) and its final structure file (`finalFile`, the engine's own) is
 * done; anything else (undefined) is run again.
 */
export const finishedStageSummary = (dir: string, finalFile: string): StageSummary | undefined => {
  const file = join(dir, 'summary.json');
  if (!existsSync(file) || !existsSync(join(dir, finalFile))) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StageSummary;
  } catch {
    return undefined;
  }
};

const FILES = {
  thermo: 'thermo.csv',
  checkpoint: 'checkpoint.json',
  finalState: 'final-state.json',
  final: 'final.extxyz',
  summary: 'summary.json',
};

/**
 * Run one MD stage in `dir`: thermo.csv and the trajectory grow record by record (a kill loses at
 * most the record being written), checkpoint.json every `checkpointEvery` steps and on
 * cancellation, and on completion final-state.json (exact positions, velocities, cell: the next
 * stage's start), final.extxyz and summary.json; the checkpoint is then removed.
 */
export const runStage = async (
  dir: string,
  stage: StageSpec,
  start: StageStart,
  env: StageEnv,
  hooks: { signal?: AbortSignal; onSteps?: (step: number) => void; onWarning?: (m: string) => void } = {},
): Promise<StageOutcome> => {
  const path = (k: keyof typeof FILES) => join(dir, FILES[k]);
  const trajPath = join(dir, trajectoryName(env.dumpFormat));
  // An output folder that is a file (md -o FILE) or cannot be made is an error naming it.
  makeOutputFolder(dir);
  if (env.resume && existsSync(path('finalState')) && existsSync(path('summary'))) {
    const { checkpoint } = readCheckpoint(path('finalState'));
    hooks.onSteps?.(stage.steps);
    return {
      final: { positions: checkpoint.positions, velocities: checkpoint.velocities, cell: checkpoint.cell },
      summary: JSON.parse(readFileSync(path('summary'), 'utf8')),
    };
  }
  let resume: MdCheckpoint | undefined;
  let thermo: AppendLog;
  let traj: AppendLog | undefined;
  if (env.resume && existsSync(path('checkpoint'))) {
    const { checkpoint, context } = readCheckpoint(path('checkpoint'));
    if (context.stage !== stage.name || context.steps !== stage.steps)
      throw new OptionError(
        `${path('checkpoint')}: the checkpoint belongs to stage "${context.stage}" of ${context.steps} steps, not "${stage.name}" of ${stage.steps}`,
      );
    resume = checkpoint;
    thermo = new AppendLog(path('thermo'), context.thermoBytes as number);
    if (stage.dumpEvery > 0) traj = new AppendLog(trajPath, context.trajectoryBytes as number);
  } else {
    for (const k of ['finalState', 'summary', 'final', 'checkpoint'] as const)
      rmSync(path(k), { force: true });
    thermo = new AppendLog(path('thermo'));
    thermo.append(thermoHeader());
    if (stage.dumpEvery > 0) traj = new AppendLog(trajPath);
  }
  const topology = new Topology(env.topology);
  const mass = topology.totalMass();
  const format = env.dumpFormat === 'lammps-dump' ? lammpsDump : extxyz;
  const lattice = new Lattice(start.cell);
  let checkpointStep = resume?.step;
  try {
    const result = await runMd(
      start.positions,
      lattice,
      env.sys,
      env.ff,
      {
        ensemble: stage.ensemble,
        temperatureK: stage.temperatureK,
        timeStepFs: stage.timeStepFs,
        steps: stage.steps,
        seed: env.seed,
        threads: env.threads,
        dampingFs: stage.dampingFs,
        pressureAtm: stage.pressureAtm,
        barostatDampingFs: stage.barostatDampingFs,
        barostat: stage.barostat,
        barostatAxes: stage.barostatAxes,
        deform: stage.deform && {
          component: stage.deform.component,
          ratePerFs: stage.deform.ratePerPs / 1000,
        },
        newVelocities: start.velocities === undefined,
        thermoEvery: stage.thermoEvery,
        onThermo: (r) => thermo.append(thermoLine(r, densityGPerCm3(mass, r.volumeA3))),
        frameEvery: stage.dumpEvery,
        onFrame: async (step, x, v, cell) => {
          const frame: Structure = {
            topology,
            frame: {
              positions: x,
              velocities: stage.dumpVelocities ? v : undefined,
              lattice: cell,
              timeFs: step * stage.timeStepFs,
              step,
              unwrapped: true,
            },
          };
          traj!.append(await frameText(format, frame, { unwrapped: true, lammpsUnits: 'real' }));
        },
        onProgress: hooks.onSteps,
        signal: hooks.signal,
        resume,
        checkpointEvery: env.checkpointEvery,
        onCheckpoint: (cp) => {
          thermo.sync();
          traj?.sync();
          checkpointStep = cp.step;
          writeCheckpoint(path('checkpoint'), cp, {
            stage: stage.name,
            steps: stage.steps,
            thermoBytes: thermo.bytes,
            trajectoryBytes: traj?.bytes ?? 0,
          });
        },
      },
      start.velocities,
    );
    thermo.sync();
    traj?.sync();
    thermo.close();
    traj?.close();
    const finalCheckpoint: MdCheckpoint = {
      step: stage.steps,
      ensemble: stage.ensemble,
      timeStepFs: stage.timeStepFs,
      positions: result.positions,
      velocities: result.velocities,
      cell: Array.from(result.lattice.matrix),
      eta: [],
      vEta: [],
      vEps: [0, 0, 0],
      langevinWork: 0,
      randomState: 0,
    };
    const frame: Structure = {
      topology,
      frame: {
        positions: result.positions,
        velocities: result.velocities,
        lattice: result.lattice,
        timeFs: stage.steps * stage.timeStepFs,
        step: stage.steps,
        unwrapped: true,
      },
    };
    writeFileSync(path('final'), await frameText(extxyz, frame, {}));
    const summary = summariseStage(stage, path('thermo'), result.lattice, hooks.onWarning);
    if (stage.deform)
      writeStressStrain(join(dir, 'stress-strain.csv'), stage, path('thermo'), hooks.onWarning);
    writeFileSync(path('summary'), `${JSON.stringify(summary, null, 2)}\n`);
    // Written last: its presence says the stage is complete.
    writeCheckpoint(path('finalState'), finalCheckpoint, { stage: stage.name, steps: stage.steps });
    rmSync(path('checkpoint'), { force: true });
    return {
      final: { positions: result.positions, velocities: result.velocities, cell: finalCheckpoint.cell },
      summary,
    };
  } catch (e) {
    thermo.close();
    traj?.close();
    // A blow-up: say what is left to go back to (the checkpoints before it passed the checks).
    if (e instanceof PhysicsError)
      throw new PhysicsError(
        `${dir}: ${e.message}; ${checkpointStep === undefined ? 'no checkpoint was written before it' : `the last good checkpoint (step ${checkpointStep}) is kept in ${path('checkpoint')}`}`,
      );
    throw e;
  }
};

const stat = (v: Float64Array): Stat => {
  if (v.length < 2) return { mean: v[0] ?? Number.NaN, standardError: Number.NaN };
  const b = blockAverage(v);
  return { mean: b.mean, standardError: b.standardError };
};

export const summariseStage = (
  stage: StageSpec,
  thermoPath: string,
  finalCell: Lattice,
  onWarning?: (m: string) => void,
): StageSummary => {
  const t = readThermoCsv(thermoPath, onWarning);
  const discardPs = stage.densityDiscardPs ?? 0;
  const time = t.data.time_fs;
  // Step 0 is the start, not a sample of the stage's ensemble.
  const keep = (c: string) => t.data[c].filter((_, k) => time[k] > discardPs * 1000 && t.data.step[k] > 0);
  const last = t.rows - 1;
  return {
    name: stage.name,
    ensemble: stage.ensemble,
    steps: stage.steps,
    timeStepFs: stage.timeStepFs,
    targetTemperatureK: stage.temperatureK,
    targetPressureAtm: stage.ensemble === 'npt' ? stage.pressureAtm : undefined,
    discardedPs: discardPs,
    temperatureK: stat(keep('temperature_K')),
    potentialKcalMol: stat(keep('potential_kcal_mol')),
    pressureAtm: stat(keep('pressure_atm')),
    densityGPerCm3: stat(keep('density_g_cm3')),
    volumeA3: stat(keep('volume_A3')),
    final: {
      temperatureK: t.data.temperature_K[last],
      potentialKcalMol: t.data.potential_kcal_mol[last],
      densityGPerCm3: t.data.density_g_cm3[last],
      cell: Array.from(finalCell.matrix),
    },
  };
};

/**
 * stress-strain.csv of a deformation stage: engineering strain of the deformed component (rate x
 * time, exact for the constant-rate law both engines apply) and the stress tensor sigma = -P
 * (GPa, positive in tension), from the pressure tensor with its kinetic part.
 */
export const writeStressStrain = (
  path: string,
  stage: StageSpec,
  thermoPath: string,
  onWarning?: (m: string) => void,
): void => {
  const t = readThermoCsv(thermoPath, onWarning);
  const rate = stage.deform!.ratePerPs / 1000;
  const lines = ['step,time_ps,strain,sxx_GPa,syy_GPa,szz_GPa,sxy_GPa,sxz_GPa,syz_GPa,volume_A3'];
  for (let k = 0; k < t.rows; k++) {
    const time = t.data.time_fs[k];
    const s = ['pxx_atm', 'pyy_atm', 'pzz_atm', 'pxy_atm', 'pxz_atm', 'pyz_atm'].map(
      (c) => -t.data[c][k] * ATM_IN_GPA,
    );
    lines.push([t.data.step[k], time / 1000, rate * time, ...s, t.data.volume_A3[k]].join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
};
