import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionError, PhysicsError } from '../../core/errors.js';
import type { Structure } from '../../core/frame.js';
import { densityGPerCm3, EV_IN_KCAL_PER_MOL } from '../../core/units.js';
import { frameText } from '../../io/append-log.js';
import { extxyz } from '../../io/formats/extxyz.js';
import { readStructure } from '../../io/registry.js';
import { RunCancelled } from '../../md/integrator.js';
import { branchFolder, stageFolder } from '../../md/protocols/folders.js';
import {
  type ProtocolSpec,
  protocolSteps,
  type StageSpec,
  seriesBranchStages,
} from '../../md/protocols/protocol.js';
import {
  prepareRunFolder,
  progressSum,
  writeRunSummary,
  writeStatus,
} from '../../md/protocols/run-layout.js';
import type { ProtocolResult, ProtocolRunOptions } from '../../md/protocols/run-protocol.js';
import { finishedStageSummary, type StageSummary, summariseStage } from '../../md/protocols/run-stage.js';
import { thermoHeader } from '../../md/thermo-csv.js';
import { CP2K_PROJECT, cp2kInput } from './input.js';
import {
  forcesToEvA,
  hartreeToEv,
  readCp2kXyz,
  readNumberTable,
  velocitiesToAPerFs,
  type XyzFrame,
} from './md-files.js';
import { CP2K_INPUT, CP2K_WAVEFUNCTION, type Cp2kRunOptions, findCp2k, runCp2kInput } from './run.js';
import { type Cp2kSettings, cp2kSettingsFromObject } from './settings.js';

/**
 * Protocols run by CP2K (ab initio MD, Born-Oppenheimer, the settings of the protocol's [cp2k]
 * table): one CP2K process per stage, in the stage's folder (cp2k.inp, cp2k.out and CP2K's own
 * files kept), each stage continuing from the previous one's final positions and velocities
 * (and its wavefunction as the first SCF guess). NVT (CSVR or Nose-Hoover chain thermostat, as
 * CP2K offers them) and NVE. The stage folder gets what the other engines write: thermo.csv (same
 * columns: energies in kcal/mol, pressure in atm; the force-field term columns are 0, DFT has no
 * such split), trajectory.extxyz (positions A, velocities A/fs, forces eV/A, energy eV, time fs),
 * final.extxyz and summary.json, so `transport` and `structure` analyse it as any run.
 * A stopped run resumes stage by stage (summary.json marks a finished stage).
 */

export interface Cp2kProtocolOptions extends ProtocolRunOptions, Pick<Cp2kRunOptions, 'cp2k'> {
  mpiProcesses?: number;
}

/** The [cp2k] table of a protocol: CP2K settings plus the thermostat. */
export const protocolCp2k = (spec: ProtocolSpec): { settings: Cp2kSettings; thermostat: 'csvr' | 'nose' } => {
  const { thermostat = 'nose', ...rest } = (spec.cp2k ?? {}) as Record<string, unknown>;
  if (thermostat !== 'csvr' && thermostat !== 'nose')
    throw new OptionError(`[cp2k] thermostat: "${String(thermostat)}" is not csvr or nose`);
  return { settings: cp2kSettingsFromObject(rest, 'the protocol', 'cp2k'), thermostat };
};

/** Hartree -> kcal/mol. */
const kcal = (hartree: number) => hartreeToEv(hartree) * EV_IN_KCAL_PER_MOL;
const BAR_IN_ATM = 1 / 1.01325;

const readIf = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');

/** thermo.csv rows from CP2K's .ener and .stress files (joined on the step). */
const thermoCsv = (dir: string, stage: StageSpec, start: Structure): string => {
  const enerFile = join(dir, `${CP2K_PROJECT}-1.ener`);
  const stressFile = join(dir, `${CP2K_PROJECT}-1.stress`);
  const ener = readNumberTable(
    readIf(enerFile),
    enerFile,
    7,
    'step, time, kinetic, T, potential, conserved, CPU',
  );
  const stress = new Map(
    readNumberTable(readIf(stressFile), stressFile, 11, 'step, time, 9 pressure components (bar)').map(
      (r) => [r[0], r],
    ),
  );
  if (ener.length === 0) throw new PhysicsError(`${enerFile}: CP2K wrote no energies`);
  const lattice = start.frame.lattice!;
  const volume = lattice.volume;
  let mass = 0;
  for (let i = 0; i < start.topology.natoms; i++) mass += start.topology.masses[i];
  const rho = densityGPerCm3(mass, volume);
  const lines = [thermoHeader()];
  for (const [step, time, kin, T, pot, cons] of ener) {
    if (step % stage.thermoEvery !== 0 && step !== stage.steps) continue;
    const s = stress.get(step);
    // CP2K's tensor is a pressure (positive compressive), as LAMMPS's: xx yy zz xy xz yz.
    const p = s ? [s[2], s[6], s[10], s[3], s[4], s[7]].map((x) => x * BAR_IN_ATM) : [0, 0, 0, 0, 0, 0];
    const pressure = (p[0] + p[1] + p[2]) / 3;
    lines.push(
      `${[step, time, T, kcal(pot), kcal(kin), kcal(pot + kin), kcal(cons), pressure, ...p, volume, rho, 0, 0, 0, 0, 0].join(',')}\n`,
    );
  }
  return lines.join('');
};

const framesByStep = (frames: XyzFrame[]) => new Map(frames.map((f) => [f.step, f]));

/** The stage's trajectory.extxyz and its final structure (with velocities) from CP2K's XYZ files. */
const trajectory = async (
  dir: string,
  stage: StageSpec,
  start: Structure,
): Promise<{ text: string; final: Structure }> => {
  const file = (k: string) => join(dir, `${CP2K_PROJECT}-${k}-1.xyz`);
  const pos = readCp2kXyz(readIf(file('pos')), file('pos'));
  const vel = framesByStep(readCp2kXyz(readIf(file('vel')), file('vel')));
  const frc = framesByStep(readCp2kXyz(readIf(file('frc')), file('frc')));
  if (pos.length === 0) throw new PhysicsError(`${file('pos')}: CP2K wrote no positions`);
  const natoms = start.topology.natoms;
  const lattice = start.frame.lattice!;
  const parts: string[] = [];
  let final: Structure | undefined;
  const seen = new Set<number>();
  for (const p of pos) {
    if (seen.has(p.step)) continue;
    seen.add(p.step);
    if (p.values.length !== 3 * natoms)
      throw new PhysicsError(
        `${file('pos')}:${p.line}: ${p.values.length / 3} atoms, the structure has ${natoms}`,
      );
    const v = vel.get(p.step);
    const f = frc.get(p.step);
    const s: Structure = {
      topology: start.topology,
      frame: {
        positions: p.values,
        lattice,
        timeFs: p.step * stage.timeStepFs,
        step: p.step,
        ...(v ? { velocities: velocitiesToAPerFs(v.values) } : {}),
        ...(f ? { forces: forcesToEvA(f.values) } : {}),
        ...(p.energyHartree !== undefined ? { energy: hartreeToEv(p.energyHartree) } : {}),
      },
    };
    // Frames at the dump interval go to the trajectory; the last (CP2K adds it) is the final state.
    if (stage.dumpEvery > 0 && p.step % stage.dumpEvery === 0) parts.push(await frameText(extxyz, s, {}));
    if (p.step === stage.steps) final = s;
  }
  if (!final?.frame.velocities)
    throw new PhysicsError(`${dir}: CP2K wrote no final positions and velocities at step ${stage.steps}`);
  return { text: parts.join(''), final };
};

const finishedStage = (dir: string): StageSummary | undefined => finishedStageSummary(dir, 'final.extxyz');

/** Run one stage in `dir` from `start` (its velocities, if any); returns its summary and final state. */
const runStage = async (
  dir: string,
  stage: StageSpec,
  start: Structure,
  ctx: {
    settings: Cp2kSettings;
    thermostat: 'csvr' | 'nose';
    seed: number;
    wavefunction?: string;
    options: Cp2kProtocolOptions;
    onStep: (step: number) => void;
  },
): Promise<{ summary: StageSummary; final: Structure }> => {
  if (stage.ensemble !== 'nvt' && stage.ensemble !== 'nve')
    throw new OptionError(
      `stage ${stage.name}: the CP2K engine runs NVT and NVE stages, not ${stage.ensemble} (run NPT and deformation with the embedded engine or LAMMPS)`,
    );
  if (stage.deform) throw new OptionError(`stage ${stage.name}: the CP2K engine does not deform the cell`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, CP2K_INPUT),
    cp2kInput(
      start,
      ctx.settings,
      {
        kind: 'md',
        ensemble: stage.ensemble,
        temperatureK: stage.temperatureK,
        timeStepFs: stage.timeStepFs,
        steps: stage.steps,
        thermostat: ctx.thermostat,
        timeConstantFs: stage.dampingFs,
        dumpEvery: stage.dumpEvery > 0 ? stage.dumpEvery : stage.steps,
        thermoEvery: stage.thermoEvery,
        velocities: start.frame.velocities,
        seed: ctx.seed,
      },
      { wavefunctionFile: ctx.wavefunction },
    ),
  );
  // Progress from the energies file CP2K appends to (one row per thermo step).
  const ener = join(dir, `${CP2K_PROJECT}-1.ener`);
  const poll = setInterval(() => {
    const rows = readIf(ener).trim().split('\n');
    const last = rows[rows.length - 1]?.trim().split(/\s+/)[0];
    if (last && /^\d+$/.test(last)) ctx.onStep(Number(last));
  }, 2000);
  try {
    await runCp2kInput(dir, { ...ctx.options, mpiProcesses: ctx.options.mpiProcesses });
  } finally {
    clearInterval(poll);
  }
  writeFileSync(join(dir, 'thermo.csv'), thermoCsv(dir, stage, start));
  const { text, final } = await trajectory(dir, stage, start);
  writeFileSync(join(dir, 'trajectory.extxyz'), text);
  writeFileSync(join(dir, 'final.extxyz'), await frameText(extxyz, final, {}));
  const summary = summariseStage(stage, join(dir, 'thermo.csv'), final.frame.lattice!, ctx.options.onWarning);
  // Last, whole or not at all: its presence marks the stage finished for resume.
  writeFileSync(join(dir, 'summary.json.part'), `${JSON.stringify(summary, null, 2)}\n`);
  renameSync(join(dir, 'summary.json.part'), join(dir, 'summary.json'));
  ctx.onStep(stage.steps);
  return { summary, final };
};

export const runProtocolInCp2k = async (
  spec: ProtocolSpec,
  start: Structure,
  options: Cp2kProtocolOptions,
): Promise<ProtocolResult> => {
  const { outDir } = options;
  if (!start.frame.lattice) throw new OptionError('the start structure has no periodic cell');
  const { settings, thermostat } = protocolCp2k(spec);
  findCp2k(options.cp2k);
  const resume = options.resume === true;
  prepareRunFolder(outDir, spec, resume);
  const onRow = progressSum(protocolSteps(spec), options.onProgress);
  const status = (state: string, detail: Record<string, unknown> = {}) =>
    writeStatus(outDir, state, { engine: 'cp2k', ...detail });
  status('running');
  const result: ProtocolResult = { outDir, stages: [] };
  const run = { ...options, mpiProcesses: options.mpiProcesses ?? spec.mpiProcesses };
  /** Run a list of stages from `from`, each continuing from the one before. */
  const sequence = async (
    base: string,
    label: string,
    stages: StageSpec[],
    from: Structure,
    seed: number,
  ): Promise<{ summaries: (StageSummary & { folder: string })[]; final: Structure }> => {
    const summaries: (StageSummary & { folder: string })[] = [];
    let current = from;
    let wavefunction: string | undefined;
    for (const [k, stage] of stages.entries()) {
      const folder = stageFolder(k, stage);
      const dir = join(base, folder);
      const shown = label ? join(label, folder) : folder;
      const done = resume ? finishedStage(dir) : undefined;
      if (done) {
        current = await readStructure(join(dir, 'final.extxyz'));
        onRow(shown, stage.steps);
      } else {
        options.onStage?.(shown);
        const r = await runStage(dir, stage, current, {
          settings,
          thermostat,
          seed: seed + k,
          wavefunction,
          options: run,
          onStep: (step) => onRow(shown, step),
        });
        current = r.final;
        summaries.push({ ...r.summary, folder: shown });
        wavefunction = join(dir, CP2K_WAVEFUNCTION);
        continue;
      }
      summaries.push({ ...done, folder: shown });
      wavefunction = existsSync(join(dir, CP2K_WAVEFUNCTION)) ? join(dir, CP2K_WAVEFUNCTION) : undefined;
    }
    return { summaries, final: current };
  };
  try {
    const shared = await sequence(outDir, '', spec.stages, start, spec.seed);
    result.stages = shared.summaries;
    if (spec.series) {
      result.series = [];
      for (const [b, T] of spec.series.temperaturesK.entries()) {
        const folder = branchFolder(T);
        const stages = seriesBranchStages(spec.series, b);
        const r = await sequence(
          join(outDir, folder),
          folder,
          stages,
          shared.final,
          spec.seed + 1000 * (b + 1),
        );
        result.series.push({ temperatureK: T, folder, stages: r.summaries });
      }
    }
  } catch (e) {
    const stopped = e instanceof RunCancelled || options.signal?.aborted;
    status(stopped ? 'stopped' : 'failed', {
      message: stopped ? 'stopped; continue with --resume' : (e as Error).message,
    });
    throw e;
  }
  writeRunSummary(result);
  status('complete');
  return result;
};
