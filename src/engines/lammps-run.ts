import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionError, PhysicsError } from '../core/errors.js';
import type { Structure } from '../core/frame.js';
import { withCoulomb } from '../forcefield/force-field.js';
import { loadForceField } from '../forcefield/load.js';
import { typeSystem } from '../forcefield/typing.js';
import { frameText } from '../io/append-log.js';
import { extxyz } from '../io/formats/extxyz.js';
import { readStructure } from '../io/registry.js';
import { branchFolder, type ProtocolSpec, protocolSteps, type StageSpec } from '../md/protocols/protocol.js';
import {
  progressSum,
  runQueued,
  stageFolder,
  writeRunSummary,
  writeStatus,
} from '../md/protocols/run-layout.js';
import type { ProtocolResult, ProtocolRunOptions } from '../md/protocols/run-protocol.js';
import { type StageSummary, summariseStage, writeStressStrain } from '../md/protocols/run-stage.js';
import { thermoHeader } from '../md/thermo-csv.js';
import { forceFieldCommands, lammpsFiles } from './lammps-export.js';

/**
 * Protocols run by LAMMPS with the same force field (the lammps-export files): one `lmp` process
 * for the shared stages and one per series temperature (`parallel` at once; each with
 * `mpirun -np N` when asked). Output folders as the embedded engine's: per stage thermo.csv
 * (from LAMMPS's thermo output, same columns), trajectory.lammpstrj (LAMMPS's own dump, with an
 * element column and unwrapped coordinates), final.extxyz and summary.json; the LAMMPS inputs and
 * logs sit beside them (in.lammps, log.lammps). A LAMMPS run is not resumable mid-way: --resume
 * is for the embedded engine.
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

/** Input commands for a sequence of stages (folders relative to the LAMMPS working directory). */
const stageCommands = (
  stages: { stage: StageSpec; folder: string }[],
  /** Element of each atom type, in type order (for the dump's element column). */
  elementsOfTypes: string[],
  seed: number,
  drawVelocities: boolean,
): string[] => {
  const out: string[] = [];
  const elements = elementsOfTypes.join(' ');
  if (drawVelocities && stages.length > 0)
    out.push(`velocity all create ${stages[0].stage.temperatureK} ${seed} mom yes rot no dist gaussian`);
  stages.forEach(({ stage: s, folder }, k) => {
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
    out.push(`write_data ${folder}/final.data nocoeff`);
  });
  return out;
};

/** Thermo rows of LAMMPS's screen output, split by our stage markers. */
class ThermoCollector {
  rows = new Map<string, number[][]>();
  private stage: string | undefined;
  private buffer = '';
  constructor(private readonly onRow: (stage: string, step: number) => void) {}
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
    const m = /^OLIGOLYTE-STAGE (\S+) (\d+)/.exec(l);
    if (m) {
      this.stage = m[1];
      this.rows.set(this.stage, []);
      return;
    }
    if (!this.stage) return;
    const f = l.trim().split(/\s+/);
    if (f.length !== THERMO.length || !/^\d+$/.test(f[0])) return;
    const v = f.map(Number);
    if (v.some((x) => !Number.isFinite(x))) return;
    this.rows.get(this.stage)!.push(v);
    this.onRow(this.stage, v[0]);
  }
}

const runLammps = (cwd: string, options: LammpsRunOptions, collector: ThermoCollector): Promise<void> => {
  const lmp = options.lmp ?? 'lmp';
  const np = options.mpiProcesses ?? 1;
  const [cmd, args] =
    np > 1
      ? [
          'mpirun',
          [
            '--allow-run-as-root',
            '--oversubscribe',
            '-np',
            String(np),
            lmp,
            '-in',
            'in.lammps',
            '-log',
            'log.lammps',
          ],
        ]
      : [lmp, ['-in', 'in.lammps', '-log', 'log.lammps']];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args as string[], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
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
      reject(new OptionError(`${cmd} could not be started (${e.message}). Install LAMMPS with: ${INSTALL}`)),
    );
    child.on('exit', (code, sig) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) reject(new OptionError(`the LAMMPS run in ${cwd} was stopped`));
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
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (stage.deform)
    writeStressStrain(join(dir, 'stress-strain.csv'), stage, join(dir, 'thermo.csv'), onWarning);
  return summary;
};

export const runProtocolInLammps = async (
  spec: ProtocolSpec,
  start: Structure,
  options: LammpsRunOptions,
): Promise<ProtocolResult> => {
  const { outDir } = options;
  if (options.resume) throw new OptionError('LAMMPS runs cannot be resumed; run again into a new folder');
  if (!start.frame.lattice) throw new OptionError('the start structure has no periodic cell');
  findLammps(options.lmp);
  if (existsSync(outDir) && readdirSync(outDir).length > 0)
    throw new OptionError(`${outDir} is not empty; choose another folder`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'protocol.json'), `${JSON.stringify({ ...spec, engine: 'lammps' }, null, 2)}\n`);
  const loaded = loadForceField(spec.forcefield);
  const ff = spec.coulomb ? withCoulomb(loaded, spec.coulomb) : loaded;
  const sys = typeSystem(start, ff);
  const files = lammpsFiles(start.frame.positions, start.frame.lattice, sys, ff, { kspace: 'pppm' });
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
  try {
    let dataFile = 'system.data';
    if (spec.stages.length > 0) {
      const staged = spec.stages.map((stage, k) => ({ stage, folder: stageFolder(k, stage) }));
      for (const s of staged) mkdirSync(join(outDir, s.folder), { recursive: true });
      writeFileSync(
        join(outDir, 'in.lammps'),
        `${[...setup('system.data'), ...stageCommands(staged, typeMap, spec.seed, true)].join('\n')}\n`,
      );
      options.onStage?.(staged.map((s) => s.folder).join(', '));
      const collector = new ThermoCollector(onRow);
      await runLammps(outDir, options, collector);
      for (const { stage, folder } of staged) {
        const summary = await finishStage(
          join(outDir, folder),
          stage,
          collector.rows.get(folder),
          typeMap,
          start,
          options.onWarning,
        );
        result.stages.push({ ...summary, folder });
      }
      dataFile = join(staged[staged.length - 1].folder, 'final.data');
    }
    if (spec.series) {
      const series = spec.series;
      const branches: NonNullable<ProtocolResult['series']> = [];
      const runBranch = async ({ T, b }: { T: number; b: number }) => {
        const folder = join('series', branchFolder(T));
        const cwd = join(outDir, folder);
        const staged = series.stages.map((s, k) => ({
          stage: { ...s, temperatureK: T },
          folder: stageFolder(k, s),
        }));
        for (const s of staged) mkdirSync(join(cwd, s.folder), { recursive: true });
        // The branch starts from the shared stages' final data file (with velocities).
        const from = join('..', '..', dataFile);
        writeFileSync(
          join(cwd, 'in.lammps'),
          `${[...setup(from), ...stageCommands(staged, typeMap, spec.seed + 1000 * (b + 1), spec.stages.length === 0)].join('\n')}\n`,
        );
        options.onStage?.(folder);
        const collector = new ThermoCollector((label, step) => onRow(`${folder}/${label}`, step));
        await runLammps(cwd, options, collector);
        const stages: (StageSummary & { folder: string })[] = [];
        for (const { stage, folder: f } of staged) {
          const summary = await finishStage(
            join(cwd, f),
            stage,
            collector.rows.get(f),
            typeMap,
            start,
            options.onWarning,
          );
          stages.push({ ...summary, folder: join(folder, f) });
        }
        branches.push({ temperatureK: T, folder, stages });
      };
      await runQueued(
        series.temperaturesK.map((T, b) => ({ T, b })),
        options.parallel ?? series.parallel,
        runBranch,
      );
      branches.sort((a, b) => a.temperatureK - b.temperatureK);
      result.series = branches;
    }
  } catch (e) {
    status(options.signal?.aborted ? 'stopped' : 'failed', { message: (e as Error).message });
    throw e;
  }
  writeRunSummary(result);
  status('complete');
  return result;
};
