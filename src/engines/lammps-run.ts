import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionError, PhysicsError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import { prepareSystem, resolveForceField } from '../forcefield/system.js';
import { frameText } from '../io/append-log.js';
import { extxyz } from '../io/formats/extxyz.js';
import { thermoRowFromText } from '../io/lammps-thermo.js';
import { readStructure } from '../io/registry.js';
import { RunCancelled } from '../md/integrator.js';
import { branchFolder, stageFolder } from '../md/protocols/folders.js';
import {
  type ProtocolSpec,
  protocolSteps,
  type StageSpec,
  seriesBranchStages,
} from '../md/protocols/protocol.js';
import {
  longestFirst,
  prepareRunFolder,
  progressSum,
  runQueued,
  writeRunSummary,
  writeStatus,
} from '../md/protocols/run-layout.js';
import type { ProtocolResult, ProtocolRunOptions } from '../md/protocols/run-protocol.js';
import {
  finishedStageSummary,
  type StageSummary,
  summariseStage,
  writeStressStrain,
} from '../md/protocols/run-stage.js';
import { thermoHeader } from '../md/thermo-csv.js';
import { forceFieldCommands, lammpsFiles } from './lammps-export.js';
import { mpiCommand, mpiLauncher } from './mpi-launcher.js';

/**
 * Protocols run by LAMMPS with the same force field (the lammps-export files): one `lmp` process
 * for the shared stages and one per series temperature (`parallel` at once; each on N MPI
 * processes when asked, started as mpi-launcher.ts says). Output folders as the embedded engine's:
 * per stage thermo.csv (from LAMMPS's thermo output, same columns), trajectory.lammpstrj
 * (LAMMPS's own dump, with an element column and unwrapped coordinates), final.extxyz and
 * summary.json; the LAMMPS inputs and logs sit beside them (in.lammps, log.lammps). A stopped run
 * resumes stage by stage: each stage's outputs are written as soon as LAMMPS has finished it
 * (summary.json last), so --resume keeps every finished stage and runs the one that was stopped
 * again from its start (a LAMMPS restart file does not carry every stage's state, the Langevin
 * random stream for one, so the stage is the unit that resumes; the embedded engine resumes
 * mid-stage, bitwise).
 */
export interface LammpsRunOptions extends ProtocolRunOptions {
  /** The LAMMPS executable (default `lmp`). */
  lmp?: string;
  /** MPI processes per LAMMPS run (default 1: no mpirun). */
  mpiProcesses?: number;
}

const INSTALL = 'apt-get install -y lammps (Debian/Ubuntu; the package provides lmp)';

/** The LAMMPS version line, or a clear error when the executable is missing. */
export const findLammps = (lmp = 'lmp'): string => {
  const r = spawnSync(lmp, ['-h'], { encoding: 'utf8' });
  if (r.error)
    throw new OptionError(
      `LAMMPS (${lmp}) was not found: ${(r.error as NodeJS.ErrnoException).code}. Install it with: ${INSTALL}`,
    );
  const m = /Large-scale Atomic\/Molecular Massively Parallel Simulator - (.+)/.exec(r.stdout);
  return m ? m[1].trim() : 'LAMMPS (version not reported)';
};

const THERMO = [
  'step',
  'temp',
  'pe',
  'ke',
  'etotal',
  'econserve',
  'press',
  'pxx',
  'pyy',
  'pzz',
  'pxy',
  'pxz',
  'pyz',
  'vol',
  'density',
  'ebond',
  'eangle',
  'edihed',
  'evdwl',
  'ecoul',
  'elong',
];

/** Printed after a stage's final.data is written: its outputs can be finished while LAMMPS goes on. */
const DONE = 'OLIGOLYTE-STAGE-DONE';
const DONE_LINE = new RegExp(`^${DONE} (\\S+)`);

/** Input commands for a sequence of stages (folders relative to the LAMMPS working directory). */
const stageCommands = (
  stages: { stage: StageSpec; folder: string }[],
  /** Element of each atom type, in type order (for the dump's element column). */
  elementsOfTypes: string[],
  seed: number,
  drawVelocities: boolean,
  /** Index of the first stage in its sequence (a resumed sequence keeps each stage's seed). */
  firstIndex = 0,
): string[] => {
  const out: string[] = [];
  const elements = elementsOfTypes.join(' ');
  if (drawVelocities && stages.length > 0)
    out.push(`velocity all create ${stages[0].stage.temperatureK} ${seed} mom yes rot no dist gaussian`);
  stages.forEach(({ stage: s, folder }, j) => {
    const k = firstIndex + j;
    const T = s.temperatureK;
    const tchain = 'tchain 3';
    out.push('', `# stage ${folder}`, 'reset_timestep 0', `timestep ${s.timeStepFs}`);
    if (s.ensemble === 'nvt') out.push(`fix ens all nvt temp ${T} ${T} ${s.dampingFs} ${tchain}`);
    else if (s.ensemble === 'npt') {
      const P = `${s.pressureAtm} ${s.pressureAtm} ${s.barostatDampingFs}`;
      const axes = s.barostatAxes ?? [true, true, true];
      const baro =
        s.barostat === 'aniso'
          ? ['x', 'y', 'z']
              .filter((_, a) => axes[a])
              .map((a) => `${a} ${P}`)
              .join(' ')
          : `iso ${P}`;
      if (s.deform && s.deform.component.length === 2) out.push('change_box all triclinic');
      out.push(`fix ens all npt temp ${T} ${T} ${s.dampingFs} ${baro} ${tchain} pchain 3`);
    } else if (s.ensemble === 'langevin')
      out.push(
        `fix ens all langevin ${T} ${T} ${s.dampingFs} ${seed + 17 * (k + 1)} zero yes`,
        'fix nve all nve',
      );
    else out.push('fix ens all nve');
    if (s.deform)
      // Engineering rate per fs (real units), positions remapped affinely as the embedded engine does.
      out.push(`fix def all deform 1 ${s.deform.component} erate ${s.deform.ratePerPs / 1000} remap x`);
    out.push(`thermo_style custom ${THERMO.join(' ')}`);
    out.push('thermo_modify format float %.12g norm no flush yes lost error');
    out.push(`thermo ${s.thermoEvery}`);
    if (s.dumpEvery > 0) {
      out.push(
        `dump traj all custom ${s.dumpEvery} ${folder}/trajectory.lammpstrj id element xu yu zu${s.dumpVelocities ? ' vx vy vz' : ''}`,
        `dump_modify traj sort id element ${elements} format float %.12g`,
      );
    }
    out.push(`print "OLIGOLYTE-STAGE ${folder} ${s.steps}"`, `run ${s.steps}`);
    if (s.dumpEvery > 0) out.push('undump traj');
    out.push('unfix ens');
    if (s.ensemble === 'langevin') out.push('unfix nve');
    if (s.deform) out.push('unfix def');
    out.push(`write_data ${folder}/final.data nocoeff`, `print "${DONE} ${folder}"`);
  });
  return out;
};

/** Thermo rows of LAMMPS's screen output, split by our stage markers. */
class ThermoCollector {
  rows = new Map<string, number[][]>();
  /** The last thermo step seen (for the message of a stopped run). */
  lastStep = 0;
  private stage: string | undefined;
  private buffer = '';
  constructor(
    private readonly onRow: (stage: string, step: number) => void,
    private readonly onDone: (stage: string) => void = () => {},
  ) {}
  push(chunk: string): void {
    this.buffer += chunk;
    let k = this.buffer.indexOf('\n');
    while (k >= 0) {
      this.line(this.buffer.slice(0, k));
      this.buffer = this.buffer.slice(k + 1);
      k = this.buffer.indexOf('\n');
    }
  }
  private line(l: string): void {
    const done = DONE_LINE.exec(l);
    if (done) {
      this.onDone(done[1]);
      return;
    }
    const m = /^OLIGOLYTE-STAGE (\S+) (\d+)/.exec(l);
    if (m) {
      this.stage = m[1];
      this.rows.set(this.stage, []);
      return;
    }
    if (!this.stage) return;
    // The log reader's row rule (io/lammps-thermo.ts); other lines and rows with a bad cell are skipped.
    const v = thermoRowFromText(l, THERMO.length);
    if (!v) return;
    this.rows.get(this.stage)!.push(v);
    this.lastStep = v[0];
    this.onRow(this.stage, v[0]);
  }
}

const runLammps = (cwd: string, options: LammpsRunOptions, collector: ThermoCollector): Promise<void> => {
  const lmp = options.lmp ?? 'lmp';
  const np = options.mpiProcesses ?? 1;
  const program = [lmp, '-in', 'in.lammps', '-log', 'log.lammps'];
  const launcher = np > 1 ? mpiLauncher() : undefined;
  const [cmd, ...args] = launcher ? mpiCommand(launcher, np, program) : program;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      collector.push(d);
      tail = (tail + d).slice(-4000);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      tail = (tail + d).slice(-4000);
    });
    const onAbort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', onAbort);
    child.on('error', (e) =>
      reject(
        new OptionError(
          launcher
            ? `${cmd} could not be started (${e.message}); MPI launcher "${launcher.argv.join(' ')}" (${launcher.source})`
            : `${cmd} could not be started (${e.message}). Install LAMMPS with: ${INSTALL}`,
        ),
      ),
    );
    child.on('exit', (code, sig) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) reject(new RunCancelled(collector.lastStep));
      else if (code !== 0) {
        const err = /ERROR[^\n]*/.exec(tail)?.[0];
        reject(
          new PhysicsError(
            `LAMMPS failed in ${cwd} (exit ${code ?? sig})${err ? `: ${err}` : ''}; see ${join(cwd, 'log.lammps')}`,
          ),
        );
      } else resolve();
    });
  });
};

/** Write a stage's thermo.csv, final.extxyz and summary.json from LAMMPS's outputs. */
const finishStage = async (
  dir: string,
  stage: StageSpec,
  rows: number[][] | undefined,
  typeMap: string[],
  start: Structure,
  onWarning?: (m: string) => void,
): Promise<StageSummary> => {
  if (!rows || rows.length === 0)
    throw new PhysicsError(`LAMMPS printed no thermo rows for ${dir}; see the log.lammps beside it`);
  const lines = [thermoHeader()];
  for (const v of rows) {
    const c = Object.fromEntries(THERMO.map((k, i) => [k, v[i]]));
    lines.push(
      `${[c.step, c.step * stage.timeStepFs, c.temp, c.pe, c.ke, c.etotal, c.econserve, c.press, c.pxx, c.pyy, c.pzz, c.pxy, c.pxz, c.pyz, c.vol, c.density, c.ebond, c.eangle, c.edihed, c.evdwl, c.ecoul + c.elong].join(',')}\n`,
    );
  }
  writeFileSync(join(dir, 'thermo.csv'), lines.join(''));
  const final = await readStructure(join(dir, 'final.data'), {
    typeMap,
    atomStyle: 'full',
    lammpsUnits: 'real',
  });
  const frame: Structure = {
    topology: start.topology,
    frame: { ...final.frame, timeFs: stage.steps * stage.timeStepFs, step: stage.steps },
  };
  writeFileSync(join(dir, 'final.extxyz'), await frameText(extxyz, frame, {}));
  const summary = summariseStage(stage, join(dir, 'thermo.csv'), final.frame.lattice!, onWarning);
  if (stage.deform)
    writeStressStrain(join(dir, 'stress-strain.csv'), stage, join(dir, 'thermo.csv'), onWarning);
  // Last, and whole or not at all: its presence is what marks the stage finished for --resume.
  writeFileSync(join(dir, 'summary.json.part'), `${JSON.stringify(summary, null, 2)}\n`);
  renameSync(join(dir, 'summary.json.part'), join(dir, 'summary.json'));
  return summary;
};

/** A finished stage's summary (summary.json is written last, see finishStage), else undefined. */
const finishedStage = (dir: string): StageSummary | undefined => finishedStageSummary(dir, 'final.data');

/**
 * One LAMMPS process for a sequence of stages in `cwd`, from `fromData` (relative to cwd). With
 * `resume`, the stages already finished are kept (their summaries read back) and the process
 * starts from the last one's final.data. Each stage's outputs are finished as soon as LAMMPS
 * reports it done, so a stop loses only the stage that was running.
 */
const runStageSequence = async (
  cwd: string,
  staged: { stage: StageSpec; folder: string }[],
  ctx: {
    setup: (dataFile: string) => string[];
    typeMap: string[];
    start: Structure;
    seed: number;
    /** Draw velocities at the first stage's temperature (when fromData carries none). */
    drawVelocities: boolean;
    fromData: string;
    resume: boolean;
    /** Progress of one stage (folder relative to cwd, step). */
    onRow: (folder: string, step: number) => void;
    /** The stages this process will run (not those kept from a stopped run). */
    onStart: (folders: string[]) => void;
    options: LammpsRunOptions;
  },
): Promise<(StageSummary & { folder: string })[]> => {
  const summaries: (StageSummary & { folder: string })[] = [];
  let first = 0;
  if (ctx.resume) {
    for (; first < staged.length; first++) {
      const done = finishedStage(join(cwd, staged[first].folder));
      if (!done) break;
      summaries.push({ ...done, folder: staged[first].folder });
      ctx.onRow(staged[first].folder, staged[first].stage.steps);
    }
  }
  const todo = staged.slice(first);
  if (todo.length === 0) return summaries;
  for (const s of todo) {
    // A stage that was stopped runs again from its start: nothing of its partial output is kept.
    rmSync(join(cwd, s.folder), { recursive: true, force: true });
    mkdirSync(join(cwd, s.folder), { recursive: true });
  }
  ctx.onStart(todo.map((s) => s.folder));
  const from = first > 0 ? join(staged[first - 1].folder, 'final.data') : ctx.fromData;
  // The stopped run's input and log are kept beside the new ones.
  for (const f of ['in', 'log'])
    if (existsSync(join(cwd, `${f}.lammps`)))
      renameSync(join(cwd, `${f}.lammps`), join(cwd, `${f}.stopped.lammps`));
  writeFileSync(
    join(cwd, 'in.lammps'),
    `${[...ctx.setup(from), ...stageCommands(todo, ctx.typeMap, ctx.seed, ctx.drawVelocities && first === 0, first)].join('\n')}\n`,
  );
  const finished = new Map<string, Promise<StageSummary>>();
  const finish = (folder: string): Promise<StageSummary> => {
    let p = finished.get(folder);
    if (!p) {
      const s = todo.find((t) => t.folder === folder);
      if (!s) return Promise.reject(new PhysicsError(`LAMMPS reported an unknown stage ${folder} in ${cwd}`));
      p = finishStage(
        join(cwd, folder),
        s.stage,
        collector.rows.get(folder),
        ctx.typeMap,
        ctx.start,
        ctx.options.onWarning,
      );
      finished.set(folder, p);
    }
    return p;
  };
  const collector: ThermoCollector = new ThermoCollector(ctx.onRow, (folder) => {
    // Errors surface when the sequence awaits this stage below (or with the run's own error).
    finish(folder).catch(() => {});
  });
  try {
    await runLammps(cwd, ctx.options, collector);
  } catch (e) {
    // Let the stages LAMMPS finished before the stop complete their outputs, then report the stop.
    await Promise.allSettled(finished.values());
    throw e;
  }
  for (const { folder } of todo) summaries.push({ ...(await finish(folder)), folder });
  return summaries;
};

export const runProtocolInLammps = async (
  spec: ProtocolSpec,
  start: Structure,
  options: LammpsRunOptions,
): Promise<ProtocolResult> => {
  const { outDir } = options;
  if (!start.frame.lattice) throw new OptionError('the start structure has no periodic cell');
  findLammps(options.lmp);
  // Refused before the run folder exists: LAMMPS would move shells with masses (its adiabatic
  // core-shell model), not the relaxed shells of oligolyte's engine.
  const shellFf = resolveForceField(spec);
  if (shellFf.shells)
    throw new OptionError(
      `${shellFf.name}: polarisable ions (shells) run on the embedded engine only (engine = "embedded")`,
    );
  const resume = options.resume === true;
  prepareRunFolder(outDir, { ...spec, engine: 'lammps' }, resume);
  const { ff, sys } = prepareSystem(start, spec);
  const files = lammpsFiles(start.frame.positions, start.frame.lattice, sys, ff, { kspace: 'pppm' });
  if (
    resume &&
    existsSync(join(outDir, 'system.data')) &&
    readFileSync(join(outDir, 'system.data'), 'utf8') !== files.data
  )
    throw new OptionError(
      `${join(outDir, 'system.data')}: the start structure or force field has changed since the run started; it cannot be resumed`,
    );
  writeFileSync(join(outDir, 'system.data'), files.data);
  const typeMap = sys.typeNames.map((_, k) => start.topology.symbol(sys.type.indexOf(k)));
  const setup = (dataFile: string) =>
    forceFieldCommands(sys, ff, files.bondTypes, files.angleTypes, files.dihedralTypes, {
      kspace: 'pppm',
      dataFile,
    });
  const onRow = progressSum(protocolSteps(spec), options.onProgress);
  const status = (state: string, detail: Record<string, unknown> = {}) =>
    writeStatus(outDir, state, { engine: 'lammps', ...detail });
  status('running');
  const result: ProtocolResult = { outDir, stages: [] };
  const common = { setup, typeMap, start, resume, options };
  try {
    let dataFile = 'system.data';
    if (spec.stages.length > 0) {
      const staged = spec.stages.map((stage, k) => ({ stage, folder: stageFolder(k, stage) }));
      result.stages = await runStageSequence(outDir, staged, {
        ...common,
        seed: spec.seed,
        drawVelocities: true,
        fromData: 'system.data',
        onRow,
        onStart: (folders) => options.onStage?.(folders.join(', ')),
      });
      dataFile = join(staged[staged.length - 1].folder, 'final.data');
    }
    if (spec.series) {
      const series = spec.series;
      const branches: NonNullable<ProtocolResult['series']> = [];
      const runBranch = async ({ T, b }: { T: number; b: number }) => {
        const folder = branchFolder(T);
        const cwd = join(outDir, folder);
        const staged = seriesBranchStages(series, b).map((s, k) => ({
          stage: s,
          folder: stageFolder(k, s),
        }));
        mkdirSync(cwd, { recursive: true });
        // The branch starts from the shared stages' final data file (with velocities).
        const stages = await runStageSequence(cwd, staged, {
          ...common,
          seed: spec.seed + 1000 * (b + 1),
          drawVelocities: spec.stages.length === 0,
          fromData: join('..', '..', dataFile),
          onRow: (label, step) => onRow(`${folder}/${label}`, step),
          onStart: (folders) => options.onStage?.(folders.map((f) => join(folder, f)).join(', ')),
        });
        branches.push({
          temperatureK: T,
          folder,
          stages: stages.map((s) => ({ ...s, folder: join(folder, s.folder) })),
        });
      };
      await runQueued(
        longestFirst(series.temperaturesK.map((T, b) => ({ T, b, stages: seriesBranchStages(series, b) }))),
        options.parallel ?? series.parallel,
        runBranch,
      );
      branches.sort((a, b) => a.temperatureK - b.temperatureK);
      result.series = branches;
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
